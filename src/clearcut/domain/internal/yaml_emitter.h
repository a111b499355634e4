#pragma once

// Writes a YamlNode tree back as block-style YAML. Internal: see yaml_node.h.

#include <string>

#include "clearcut/domain/internal/yaml_node.h"

namespace clearcut::domain::internal {

// Block-style YAML that YamlDocument::parse reads back as the same tree (same kinds, texts and
// nulls; styles may change: text that plain style would misread is double-quoted). Iterative,
// so any tree a document holds is written without recursion. Ends with a newline.
std::string emit_yaml(const YamlNode& root);

}  // namespace clearcut::domain::internal
