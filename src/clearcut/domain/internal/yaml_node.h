#pragma once

// Our own immutable YAML tree, so that no header outside yaml_document.cc carries the parser.
// Internal: included only by .cc files of domain/ and policy/ (and the policy bench).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clearcut::domain::internal {

enum class YamlKind : uint8_t { kNull, kScalar, kSequence, kMap };

// How a scalar was written. Only plain scalars can be null (`~`, `null`, empty): `"null"` is the
// text null, as in the YAML 1.2 core schema.
enum class YamlStyle : uint8_t { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral, kFolded };

// One node of a YamlDocument. Children are a contiguous run of `YamlStorage::children`: the
// items of a sequence, or key, value, key, value... of a mapping.
struct YamlNodeData {
  YamlKind kind = YamlKind::kNull;
  YamlStyle style = YamlStyle::kPlain;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
  std::string text;
  uint32_t first_child = 0;
  uint32_t child_count = 0;
};

// Every node of a document in one flat array: destroying or copying it never recurses.
struct YamlStorage {
  std::vector<YamlNodeData> nodes;  // nodes[0] is the root
  std::vector<uint32_t> children;
};

// A read-only handle on a node of a YamlDocument; valid while the document lives. Cheap to
// copy. Mappings keep their keys in document order; keys are scalars (or null), never twice.
class YamlNode {
 public:
  YamlNode(const YamlStorage* storage, uint32_t index) : storage_(storage), index_(index) {}

  YamlKind kind() const { return data().kind; }
  bool is_null() const { return kind() == YamlKind::kNull; }
  bool is_scalar() const { return kind() == YamlKind::kScalar; }
  bool is_sequence() const { return kind() == YamlKind::kSequence; }
  bool is_map() const { return kind() == YamlKind::kMap; }

  // A scalar's text (empty for null and collections), and how it was written.
  const std::string& text() const { return data().text; }
  YamlStyle style() const { return data().style; }
  bool quoted() const { return style() != YamlStyle::kPlain; }

  int line() const { return data().line; }
  int column() const { return data().column; }

  // Items of a sequence, entries of a mapping; 0 for scalars and null.
  size_t size() const;
  YamlNode item(size_t i) const;   // sequences
  YamlNode key(size_t i) const;    // mappings
  YamlNode value(size_t i) const;  // mappings
  // The value under the scalar key `name`, if the mapping has it.
  std::optional<YamlNode> find(std::string_view name) const;

  bool same_node(const YamlNode& other) const {
    return storage_ == other.storage_ && index_ == other.index_;
  }

 private:
  const YamlNodeData& data() const { return storage_->nodes[index_]; }
  YamlNode child(size_t i) const;

  const YamlStorage* storage_;
  uint32_t index_;
};

}  // namespace clearcut::domain::internal
