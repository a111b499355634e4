#include "clearcut/domain/declaration_reader.h"

#include <nlohmann/json.hpp>

#include "clearcut/base/file.h"
#include "clearcut/domain/internal/yaml_input.h"

namespace clearcut::domain {
namespace {

using internal::InputNode;

// The vocabulary word `none` stands for an empty list where the contract lists it.
constexpr std::string_view kNone = "none";

base::Result<int8_t> read_scalar(const InputNode& in, const FieldSpec& field) {
  if (!in.node.is_scalar()) {
    return in.error("expected " + vocabulary_text(field));
  }
  if (field.kind == FieldKind::kTri) {
    return internal::read_tri(in);
  }
  const std::string& word = in.node.text();
  std::optional<int> index = vocabulary_index(field, word);
  if (!index) {
    return in.error("expected " + vocabulary_text(field) + ", got '" + word + "'");
  }
  return static_cast<int8_t>(*index);
}

base::Result<uint32_t> read_list(const InputNode& in, const FieldSpec& field) {
  if (!in.node.is_sequence()) {
    return in.error("expected a list of " + vocabulary_text(field) +
                    (field.path == "inputs" || field.path == "references" ? " (or [none])" : ""));
  }
  bool none_allowed = field.path == "inputs" || field.path == "references";
  uint32_t bits = 0;
  bool saw_none = false;
  for (size_t i = 0; i < in.node.size(); ++i) {
    InputNode item = in.element(in.node.item(i), i);
    if (!item.node.is_scalar()) {
      return item.error("expected one of " + vocabulary_text(field));
    }
    const std::string& word = item.node.text();
    if (none_allowed && word == kNone) {
      saw_none = true;
      continue;
    }
    std::optional<int> index = vocabulary_index(field, word);
    if (!index) {
      return item.error("expected " + vocabulary_text(field) + (none_allowed ? " or none" : "") +
                        ", got '" + word + "'");
    }
    bits |= 1U << *index;
  }
  if (saw_none && bits != 0) {
    return in.error("'none' cannot be listed with other values");
  }
  return bits;
}

// Keys of the section `prefix` ("output") in the schema table: "in_final", "prominence", ...
std::vector<std::string_view> section_keys(std::string_view prefix) {
  std::vector<std::string_view> keys;
  for (const FieldSpec& f : declaration_fields()) {
    if (f.path.size() > prefix.size() && f.path.substr(0, prefix.size()) == prefix &&
        f.path[prefix.size()] == '.') {
      keys.push_back(f.path.substr(prefix.size() + 1));
    }
  }
  return keys;
}

base::Status read_field(const InputNode& in, const FieldSpec& field, Declaration* out) {
  switch (field.kind) {
    case FieldKind::kText: {
      std::string text = CC_TRY(internal::read_text(in));
      if (field.path == "schema") {
        out->schema = text;
      } else if (field.path == "production") {
        out->production = text;
      } else {
        out->summary = text;
      }
      return {};
    }
    case FieldKind::kTri:
    case FieldKind::kEnum:
      out->scalars[field.slot] = CC_TRY(read_scalar(in, field));
      return {};
    case FieldKind::kList:
      out->set_list(field.slot, CC_TRY(read_list(in, field)));
      return {};
  }
  return {};
}

base::Result<Stage> read_stage(const InputNode& in) {
  std::vector<std::string_view> keys;
  for (const FieldSpec& f : stage_fields()) {
    keys.push_back(f.path);
  }
  CC_TRY(internal::check_map(in, keys));
  Stage stage;
  for (size_t i = 0; i < in.node.size(); ++i) {
    const std::string& key = in.node.key(i).text();
    InputNode value = in.child(in.node.value(i), key);
    const FieldSpec* field = find_field(FieldScope::kStage, key);
    if (field->kind == FieldKind::kText) {
      std::string text = CC_TRY(internal::read_text(value));
      if (text.empty()) {
        return value.error("must not be empty");
      }
      (key == "tool" ? stage.tool : stage.name) = text;
      if (key == "tool") {
        stage.tool_line = value.location().line;
        stage.tool_column = value.location().column;
      }
    } else {
      stage.scalars[field->slot] = CC_TRY(read_scalar(value, *field));
    }
  }
  if (stage.tool.empty() && stage.name.empty()) {
    return in.error("a stage needs a `tool` id from the registry or a `name` with its facts");
  }
  return stage;
}

base::Status read_pipeline(const InputNode& in, Declaration* out) {
  if (!in.node.is_sequence()) {
    return in.error("expected a list of stages");
  }
  for (size_t i = 0; i < in.node.size(); ++i) {
    out->pipeline.push_back(CC_TRY(read_stage(in.element(in.node.item(i), i))));
  }
  out->pipeline_known = true;
  return {};
}

constexpr std::string_view kSections[] = {"training", "output", "talent", "principles"};

base::Result<Declaration> read_root(const InputNode& root) {
  std::vector<std::string_view> top_keys = {"schema",   "production", "summary", "purpose",
                                            "media",    "pipeline",   "inputs",  "references",
                                            "training", "output",     "talent",  "principles"};
  if (!root.node.is_map()) {
    return root.error("expected a declaration: a mapping starting with `schema: clearcut/v1`");
  }
  CC_TRY(internal::check_map(root, top_keys));
  Declaration out;
  out.source_file = *root.file;
  for (size_t i = 0; i < root.node.size(); ++i) {
    const std::string& key = root.node.key(i).text();
    InputNode value = root.child(root.node.value(i), key);
    if (key == "pipeline") {
      CC_TRY(read_pipeline(value, &out));
      continue;
    }
    bool is_section = false;
    for (std::string_view section : kSections) {
      is_section = is_section || key == section;
    }
    if (!is_section) {
      CC_TRY(read_field(value, *find_field(FieldScope::kDeclaration, key), &out));
      continue;
    }
    CC_TRY(internal::check_map(value, section_keys(key)));
    for (size_t j = 0; j < value.node.size(); ++j) {
      const std::string& sub_key = value.node.key(j).text();
      InputNode field_value = value.child(value.node.value(j), sub_key);
      std::string field_path = key + "." + sub_key;
      CC_TRY(read_field(field_value, *find_field(FieldScope::kDeclaration, field_path), &out));
    }
  }
  std::optional<internal::YamlNode> schema = root.node.find("schema");
  if (!schema) {
    return root.child(root.node, "schema")
        .error("missing; a declaration starts with `schema: clearcut/v1`");
  }
  if (out.schema != kSchemaV1) {
    return root.child(*schema, "schema").error("expected clearcut/v1, got '" + out.schema + "'");
  }
  return out;
}

}  // namespace

base::Result<Declaration> parse_declaration_node(const internal::YamlNode& node,
                                                 const std::string& file, const std::string& path) {
  return read_root(InputNode{node, &file, path});
}

base::Result<Declaration> parse_declaration(std::string_view text, const std::string& file) {
  internal::YamlDocument document = CC_TRY(internal::load_yaml(text, file));
  if (document.root().is_null()) {
    return base::invalid_argument("empty document; expected a clearcut/v1 declaration")
        .with_location({file, 1, 1});
  }
  return parse_declaration_node(document.root(), file, "");
}

base::Result<Declaration> parse_declaration_json(const nlohmann::json& value,
                                                 const std::string& file) {
  if (std::optional<internal::YamlDocument> document = internal::YamlDocument::from_json(value)) {
    base::Result<Declaration> out = parse_declaration_node(document->root(), file, "");
    if (out.has_value()) {
      return out;
    }
  }
  // Errors come from the text, so that they are the same to the character; the tree built
  // without it is trusted only with what reads cleanly.
  return parse_declaration(value.dump(), file);
}

base::Result<Declaration> read_declaration_file(const std::string& path) {
  std::string text = CC_TRY(base::read_file(path));
  return parse_declaration(text, path);
}

}  // namespace clearcut::domain
