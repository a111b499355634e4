#include "clearcut/domain/internal/yaml_input.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "clearcut/base/text.h"
#include "clearcut/domain/declaration_schema.h"

namespace clearcut::domain::internal {

base::SourceLocation InputNode::location() const {
  return {*file, node.line(), node.column()};
}

base::Error InputNode::error(std::string message) const {
  base::Error e = base::invalid_argument(std::move(message));
  e.with_location(location());
  if (!path.empty()) {
    e.with_field(path);
  }
  return e;
}

InputNode InputNode::child(const YamlNode& value, std::string_view key) const {
  std::string child_path = path.empty() ? std::string(key) : path + "." + std::string(key);
  return {value, file, std::move(child_path)};
}

InputNode InputNode::element(const YamlNode& value, size_t index) const {
  return {value, file, path + "[" + std::to_string(index) + "]"};
}

base::Result<YamlDocument> load_yaml(std::string_view text, const std::string& file) {
  return YamlDocument::parse(text, file);
}

base::Status check_map(const InputNode& in, const std::vector<std::string_view>& allowed) {
  if (!in.node.is_map()) {
    return in.error("expected a mapping of fields");
  }
  for (size_t i = 0; i < in.node.size(); ++i) {
    YamlNode entry_key = in.node.key(i);
    if (!entry_key.is_scalar()) {
      return InputNode{entry_key, in.file, in.path}.error("expected a field name");
    }
    const std::string& key = entry_key.text();
    InputNode key_node = in.child(entry_key, key);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string expected;
      for (std::string_view name : allowed) {
        expected += expected.empty() ? "" : ", ";
        expected += name;
      }
      std::string message = "unknown field";
      std::string suggestion = base::closest_name(key, allowed);
      if (!suggestion.empty()) {
        message += " (did you mean '" + suggestion + "'?)";
      }
      return key_node.error(message + "; expected one of: " + expected);
    }
  }
  return {};
}

base::Result<std::string> read_text(const InputNode& in) {
  if (!in.node.is_scalar()) {
    return in.error("expected text");
  }
  return in.node.text();
}

base::Result<int8_t> read_tri(const InputNode& in) {
  if (!in.node.is_scalar()) {
    return in.error("expected yes, no or unsure");
  }
  const std::string& word = in.node.text();
  std::optional<int8_t> value = parse_tri(word == "true" ? "yes" : word == "false" ? "no" : word);
  if (!value) {
    return in.error("expected yes, no or unsure (or true/false), got '" + word + "'");
  }
  return *value;
}

}  // namespace clearcut::domain::internal
