#pragma once

#include <memory>
#include <string>

#include "clearcut/base/result.h"
#include "clearcut/domain/tool_registry.h"
#include "clearcut/policy/policy_pack.h"

namespace clearcut::app {

// The pack and registry compiled into the binary (policies/), used when none is given.
inline constexpr std::string_view kDefaultPackPath = "netflix-genai.yaml";
inline constexpr std::string_view kDefaultToolsPath = "tools.yaml";

// Loads the pack at `path`, or the embedded default pack when `path` is empty.
base::Result<std::shared_ptr<const policy::PolicyPack>> load_policy_pack(const std::string& path);

// Loads the registry at `path`, or the embedded default registry when `path` is empty.
base::Result<domain::ToolRegistry> load_tool_registry(const std::string& path);

}  // namespace clearcut::app
