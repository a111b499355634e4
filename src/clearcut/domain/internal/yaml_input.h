#pragma once

// Reading fields out of a YamlDocument with errors that name file, line, column and field.
// Internal: included only by .cc files of domain/ and policy/.

#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/internal/yaml_document.h"
#include "clearcut/domain/internal/yaml_node.h"

namespace clearcut::domain::internal {

// A YAML node with the file it came from and its dotted path, for error messages.
struct InputNode {
  YamlNode node;
  const std::string* file;
  std::string path;

  base::SourceLocation location() const;
  // An invalid-argument error located at this node.
  base::Error error(std::string message) const;
  InputNode child(const YamlNode& value, std::string_view key) const;
  InputNode element(const YamlNode& value, size_t index) const;
};

// Parses a whole document (YamlDocument::parse): malformed YAML/JSON, keys given twice and
// nesting beyond the limits are errors at the parser's position.
base::Result<YamlDocument> load_yaml(std::string_view text, const std::string& file);

// Checks that `in` is a map whose keys are all in `allowed` (the parser already refused keys
// given twice). Unknown keys are errors listing what is allowed (and the closest name when one
// is near).
base::Status check_map(const InputNode& in, const std::vector<std::string_view>& allowed);

// A scalar read as text; maps, lists and null are errors.
base::Result<std::string> read_text(const InputNode& in);

// A tri-state scalar (domain::parse_tri), YAML's true and false read as yes and no.
base::Result<int8_t> read_tri(const InputNode& in);

}  // namespace clearcut::domain::internal
