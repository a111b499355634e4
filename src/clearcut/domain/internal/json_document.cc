// YamlDocument::from_json: a JSON value already parsed (a request body's declaration object)
// as the tree its compact text would parse to, for readers written against YamlNode.

#include <nlohmann/json.hpp>

#include "clearcut/base/utf8.h"
#include "clearcut/domain/internal/yaml_document.h"

namespace clearcut::domain::internal {
namespace {

// Text parse() refuses although JSON allows it (yaml_document.cc, check_printable): DEL, the
// C1 controls but NEL, U+FFFE and U+FFFF. dump() writes them as they are.
bool has_refused_character(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == 0x7F) {
      return true;
    }
    if (i + 1 == text.size()) {
      break;
    }
    const auto next = static_cast<unsigned char>(text[i + 1]);
    if (byte == 0xC2 && next >= 0x80 && next <= 0x9F && next != 0x85) {
      return true;
    }
    if (byte == 0xEF && next == 0xBF && i + 2 < text.size() &&
        (text[i + 2] == '\xBE' || text[i + 2] == '\xBF')) {
      return true;
    }
  }
  return false;
}

// Walks the value in dump()'s order, keeping the column that text would have reached (libfyaml
// counts characters, not bytes), and adds nodes as YamlDocument's parser adds them: a container
// before its children, a mapping's children key, value, key, value. Recursion is bounded by the
// depth limit.
class TreeBuilder {
 public:
  // False when the value is outside what this builder reproduces exactly.
  bool add(const nlohmann::json& value, int depth, uint32_t* id);
  // Bytes of the text dump() writes for what was added.
  size_t bytes() const { return bytes_; }

  std::unique_ptr<YamlStorage> storage = std::make_unique<YamlStorage>();

 private:
  bool add_node(YamlKind kind, YamlStyle style, std::string text, uint32_t* id);
  bool add_string(const std::string& text, uint32_t* id);
  bool add_container(const nlohmann::json& value, int depth, uint32_t* id);
  // Moves past `dumped`, the text dump() writes for what was just added.
  void advance(std::string_view dumped);

  int column_ = 1;
  size_t bytes_ = 0;
};

bool TreeBuilder::add_node(YamlKind kind, YamlStyle style, std::string text, uint32_t* id) {
  if (storage->nodes.size() >= kMaxYamlNodes) {
    return false;
  }
  storage->nodes.push_back({kind, style, 1, column_, std::move(text), 0, 0});
  *id = static_cast<uint32_t>(storage->nodes.size() - 1);
  return true;
}

void TreeBuilder::advance(std::string_view dumped) {
  bytes_ += dumped.size();
  for (const char c : dumped) {
    column_ += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
}

bool TreeBuilder::add_string(const std::string& text, uint32_t* id) {
  if (base::find_invalid_utf8(text) || has_refused_character(text) ||
      !add_node(YamlKind::kScalar, YamlStyle::kDoubleQuoted, text, id)) {
    return false;
  }
  // What advance() would make of base::append_json_string's text, counted without writing it:
  // an escape is ASCII (\n, \u001f), every other byte is written as it is.
  size_t bytes = 2;  // the quotes
  int columns = 2;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '"' || byte == '\\' || byte == '\b' || byte == '\t' || byte == '\n' ||
        byte == '\f' || byte == '\r') {
      bytes += 2;
      columns += 2;
    } else if (byte < 0x20) {
      bytes += 6;
      columns += 6;
    } else {
      bytes += 1;
      columns += (byte & 0xC0) != 0x80 ? 1 : 0;
    }
  }
  bytes_ += bytes;
  column_ += columns;
  return true;
}

bool TreeBuilder::add_container(const nlohmann::json& value, int depth, uint32_t* id) {
  const bool is_map = value.is_object();
  if (depth >= kMaxYamlDepth ||
      !add_node(is_map ? YamlKind::kMap : YamlKind::kSequence, YamlStyle::kPlain, "", id)) {
    return false;
  }
  advance(is_map ? "{" : "[");
  std::vector<uint32_t> children;
  children.reserve(is_map ? 2 * value.size() : value.size());
  bool first = true;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!first) {
      advance(",");
    }
    first = false;
    uint32_t child = 0;
    if (is_map) {
      if (!add_string(it.key(), &child)) {
        return false;
      }
      children.push_back(child);
      advance(":");
    }
    if (!add(it.value(), depth + 1, &child)) {
      return false;
    }
    children.push_back(child);
  }
  advance(is_map ? "}" : "]");
  YamlNodeData& data = storage->nodes[*id];
  data.first_child = static_cast<uint32_t>(storage->children.size());
  data.child_count = static_cast<uint32_t>(children.size());
  storage->children.insert(storage->children.end(), children.begin(), children.end());
  return true;
}

bool TreeBuilder::add(const nlohmann::json& value, int depth, uint32_t* id) {
  switch (value.type()) {
    case nlohmann::json::value_t::object:
    case nlohmann::json::value_t::array:
      return add_container(value, depth, id);
    case nlohmann::json::value_t::string:
      return add_string(value.get_ref<const std::string&>(), id);
    case nlohmann::json::value_t::null:
      if (!add_node(YamlKind::kNull, YamlStyle::kPlain, "", id)) {
        return false;
      }
      advance("null");
      return true;
    case nlohmann::json::value_t::boolean:
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: {
      // A plain scalar as dump() spells it (a number too large for a double is "null").
      std::string text = value.dump();
      const bool null = text == "null";
      if (!add_node(null ? YamlKind::kNull : YamlKind::kScalar, YamlStyle::kPlain, null ? "" : text,
                    id)) {
        return false;
      }
      advance(text);
      return true;
    }
    case nlohmann::json::value_t::binary:
    case nlohmann::json::value_t::discarded:
      return false;
  }
  return false;
}

}  // namespace

std::optional<YamlDocument> YamlDocument::from_json(const nlohmann::json& value) {
  TreeBuilder builder;
  uint32_t root = 0;
  if (!builder.add(value, 0, &root) || builder.bytes() > kMaxYamlBytes) {
    return std::nullopt;
  }
  return YamlDocument(std::move(builder.storage));
}

}  // namespace clearcut::domain::internal
