#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "clearcut/base/result.h"
#include "clearcut/domain/declaration.h"

namespace clearcut::domain {

namespace internal {
class YamlNode;
}

inline constexpr std::string_view kSchemaV1 = "clearcut/v1";

// Reads a `clearcut/v1` declaration from YAML or JSON text. Strict: an unknown field, a value
// outside its vocabulary, a wrong type, a wrong or missing `schema` and malformed text are
// errors naming `file`, line, column and the field path, and saying what was expected.
// Absent fields stay absent (unknown); nothing is defaulted.
base::Result<Declaration> parse_declaration(std::string_view text, const std::string& file);

// The same as parse_declaration(value.dump(), file), errors and their positions in that text
// included, for a JSON value already parsed (a request body's declaration object), without
// writing the text and parsing it again when it reads without error.
base::Result<Declaration> parse_declaration_json(const nlohmann::json& value,
                                                 const std::string& file);

// The same, from a node of a larger document (policy test cases embed declarations); `path` is
// the node's field path in that document, for errors.
base::Result<Declaration> parse_declaration_node(const internal::YamlNode& node,
                                                 const std::string& file, const std::string& path);

// Reads a declaration file from disk.
base::Result<Declaration> read_declaration_file(const std::string& path);

}  // namespace clearcut::domain
