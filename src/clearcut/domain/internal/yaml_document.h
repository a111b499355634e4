#pragma once

// Strict YAML 1.2 (and JSON) reading into a YamlNode tree. Internal: see yaml_node.h.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "clearcut/base/result.h"
#include "clearcut/domain/internal/yaml_node.h"

namespace clearcut::domain::internal {

// Limits on untrusted input: collections nested deeper than kMaxYamlDepth, texts longer than
// kMaxYamlBytes and documents of more than kMaxYamlNodes nodes are refused. clearcut's own files
// nest 5 levels deep and weigh a few kilobytes.
inline constexpr int kMaxYamlDepth = 64;
inline constexpr size_t kMaxYamlBytes = size_t{4} << 20;
inline constexpr size_t kMaxYamlNodes = 500'000;

// One parsed YAML or JSON document, immutable. Owns its nodes; handles from root() stay valid
// while it lives (also across moves). Thread-compatible.
class YamlDocument {
 public:
  // Parses `text`, named `file` in errors. Text whose first non-blank character is `{` is read
  // as JSON (RFC 8259, no YAML extensions). Everything the grammar rejects is an error at its
  // line and column; so are text that is not UTF-8, keys given twice in one mapping, keys that
  // are mappings or lists, anchors, aliases, tags, more than one document, and the limits
  // above. Errors name the field path where they were found when there is one.
  static base::Result<YamlDocument> parse(std::string_view text, const std::string& file);

  // What parse() reads from `value`'s compact JSON text (nlohmann's dump(): keys in byte order,
  // no spaces), positions included (line 1, the column in that text), built from the value
  // without writing the text and parsing it again. Empty when parse() might not read that text
  // as this: a limit above reached, a character it refuses; the caller then parses the text.
  static std::optional<YamlDocument> from_json(const nlohmann::json& value);

  // The document's root: null for an empty document.
  YamlNode root() const { return {storage_.get(), 0}; }

 private:
  explicit YamlDocument(std::unique_ptr<YamlStorage> storage) : storage_(std::move(storage)) {}

  std::unique_ptr<YamlStorage> storage_;
};

}  // namespace clearcut::domain::internal
