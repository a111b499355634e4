#include "clearcut/domain/internal/yaml_input.h"

#include <algorithm>
#include <set>
#include <vector>

#include "clearcut/base/utf8.h"

namespace clearcut::domain::internal {
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

base::SourceLocation mark_location(const YAML::Mark& mark, const std::string& file) {
  // yaml-cpp marks are 0-based and -1 when unknown.
  return {file, mark.line >= 0 ? mark.line + 1 : 0, mark.column >= 0 ? mark.column + 1 : 0};
}

}  // namespace

base::SourceLocation InputNode::location() const {
  return mark_location(node.Mark(), *file);
}

base::Error InputNode::error(std::string message) const {
  base::Error e = base::invalid_argument(std::move(message));
  e.with_location(location());
  if (!path.empty()) {
    e.with_field(path);
  }
  return e;
}

InputNode InputNode::child(const YAML::Node& value, std::string_view key) const {
  std::string child_path = path.empty() ? std::string(key) : path + "." + std::string(key);
  return {value, file, std::move(child_path)};
}

InputNode InputNode::element(const YAML::Node& value, size_t index) const {
  return {value, file, path + "[" + std::to_string(index) + "]"};
}

base::Result<YAML::Node> load_yaml(std::string_view text, const std::string& file) {
  // Everything read here may end up in JSON (decisions, the API), which must be UTF-8.
  if (std::optional<size_t> bad = base::find_invalid_utf8(text)) {
    int line = 1;
    int column = 1;
    for (size_t i = 0; i < *bad; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return base::invalid_argument("not UTF-8 text (byte " + std::to_string(*bad) + ")")
        .with_location({file, line, column});
  }
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return root;
  } catch (const YAML::Exception& e) {
    base::Error error = base::invalid_argument("malformed YAML or JSON: " + e.msg);
    error.with_location(mark_location(e.mark, file));
    return error;
  }
}

base::Status check_map(const InputNode& in, const std::vector<std::string_view>& allowed) {
  if (!in.node.IsMap()) {
    return in.error("expected a mapping of fields");
  }
  std::set<std::string> seen;
  for (const auto& entry : in.node) {
    if (!entry.first.IsScalar()) {
      return InputNode{entry.first, in.file, in.path}.error("expected a field name");
    }
    const std::string& key = entry.first.Scalar();
    InputNode key_node = in.child(entry.first, key);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string expected;
      for (std::string_view name : allowed) {
        expected += expected.empty() ? "" : ", ";
        expected += name;
      }
      std::string message = "unknown field";
      std::string suggestion = closest_name(key, allowed);
      if (!suggestion.empty()) {
        message += " (did you mean '" + suggestion + "'?)";
      }
      return key_node.error(message + "; expected one of: " + expected);
    }
    if (!seen.insert(key).second) {
      return key_node.error("field given twice");
    }
  }
  return {};
}

base::Result<std::string> read_text(const InputNode& in) {
  if (!in.node.IsScalar()) {
    return in.error("expected text");
  }
  return in.node.Scalar();
}

std::string closest_name(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (std::string_view candidate : candidates) {
    size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(candidate);
    }
  }
  return best;
}

}  // namespace clearcut::domain::internal
