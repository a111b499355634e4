#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/declaration.h"

namespace clearcut::domain {

// A GenAI tool as the studio has reviewed it (POLICY.md §4). Its facts use the stage slots.
struct Tool {
  std::string id;
  std::string name;
  std::string vendor;
  std::string license_tier;
  std::string reviewed_on;  // ISO 8601 date
  std::array<int8_t, kStageScalarCount> scalars;

  Tool() { scalars.fill(kAbsent); }
};

// The reviewed tools, by id. A value type; look-ups are linear (registries hold tens of tools).
class ToolRegistry {
 public:
  ToolRegistry() = default;
  explicit ToolRegistry(std::vector<Tool> tools) : tools_(std::move(tools)) {}

  const Tool* find(std::string_view id) const;
  const std::vector<Tool>& tools() const { return tools_; }

 private:
  std::vector<Tool> tools_;
};

// Reads a registry file: `tools:` followed by a list of tools. Strict like the declaration
// reader: unknown fields, bad values and duplicate ids are errors naming file, line and field.
base::Result<ToolRegistry> parse_tool_registry(std::string_view text, const std::string& file);

// Puts each registered tool's facts into the stages that name it. Where the registry and an
// inline fact disagree the registry wins, and the disagreement is kept in `overrides`.
// A stage naming a tool the registry does not hold is an error (field `pipeline[i].tool`).
base::Status apply_registry(const ToolRegistry& registry, Declaration* declaration);

}  // namespace clearcut::domain
