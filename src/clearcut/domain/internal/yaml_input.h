#pragma once

// Strict reading of YAML (and JSON, which yaml-cpp parses as YAML flow syntax) with errors that
// name file, line, column and field. Internal: included only by .cc files of domain/ and policy/,
// so no public header carries yaml-cpp.

#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "clearcut/base/result.h"

namespace clearcut::domain::internal {

// A YAML node with the file it came from and its dotted path, for error messages.
struct InputNode {
  YAML::Node node;
  const std::string* file;
  std::string path;

  base::SourceLocation location() const;
  // An invalid-argument error located at this node.
  base::Error error(std::string message) const;
  InputNode child(const YAML::Node& value, std::string_view key) const;
  InputNode element(const YAML::Node& value, size_t index) const;
};

// Parses a whole document; malformed YAML/JSON is an error at the parser's position.
base::Result<YAML::Node> load_yaml(std::string_view text, const std::string& file);

// Checks that `in` is a map whose keys are all in `allowed`, none twice. Unknown keys are
// errors listing what is allowed (and the closest name when one is near).
base::Status check_map(const InputNode& in, const std::vector<std::string_view>& allowed);

// A scalar read as text; maps, lists and null are errors.
base::Result<std::string> read_text(const InputNode& in);

// The closest of `candidates` to `word` when it is a likely typo, else empty.
std::string closest_name(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace clearcut::domain::internal
