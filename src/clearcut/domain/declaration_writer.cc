#include "clearcut/domain/declaration_writer.h"

#include <nlohmann/json.hpp>

#include "clearcut/base/hex.h"
#include "clearcut/crypto/sha256.h"

namespace clearcut::domain {
namespace {

// Puts `value` at the dotted `path` ("output.in_final") inside `object`.
void put(nlohmann::json& object, std::string_view path, nlohmann::json value) {
  size_t dot = path.find('.');
  if (dot == std::string_view::npos) {
    object[std::string(path)] = std::move(value);
    return;
  }
  put(object[std::string(path.substr(0, dot))], path.substr(dot + 1), std::move(value));
}

nlohmann::json scalar_json(const FieldSpec& field, int8_t value) {
  return std::string(scalar_text(field, value));
}

}  // namespace

std::string declaration_to_json(const Declaration& d) {
  nlohmann::json out = nlohmann::json::object();
  for (const FieldSpec& field : declaration_fields()) {
    switch (field.kind) {
      case FieldKind::kText: {
        const std::string& text = field.path == "schema"       ? d.schema
                                  : field.path == "production" ? d.production
                                                               : d.summary;
        if (!text.empty()) {
          put(out, field.path, text);
        }
        break;
      }
      case FieldKind::kTri:
      case FieldKind::kEnum:
        if (d.scalars[field.slot] != kAbsent) {
          put(out, field.path, scalar_json(field, d.scalars[field.slot]));
        }
        break;
      case FieldKind::kList:
        if (d.list_known(field.slot)) {
          nlohmann::json list = nlohmann::json::array();
          for (size_t i = 0; i < field.vocabulary.size(); ++i) {
            if ((d.lists[field.slot] >> i) & 1U) {
              list.push_back(std::string(field.vocabulary[i]));
            }
          }
          put(out, field.path, std::move(list));
        }
        break;
    }
  }
  if (d.pipeline_known) {
    nlohmann::json stages = nlohmann::json::array();
    for (const Stage& stage : d.pipeline) {
      nlohmann::json s = nlohmann::json::object();
      if (!stage.tool.empty()) {
        s["tool"] = stage.tool;
      }
      if (!stage.name.empty()) {
        s["name"] = stage.name;
      }
      for (const FieldSpec& field : stage_fields()) {
        const int8_t value = stage.scalars[field.slot];
        // An enum fact has no word for unsure: only a stale tool review leaves one so
        // (apply_registry), and applying the registry to the text read back does it again.
        if (field.kind == FieldKind::kText || value == kAbsent ||
            (field.kind == FieldKind::kEnum && value == kUnsure)) {
          continue;
        }
        s[std::string(field.path)] = scalar_json(field, value);
      }
      stages.push_back(std::move(s));
    }
    out["pipeline"] = std::move(stages);
  }
  return out.dump();
}

std::string declaration_digest(const Declaration& declaration) {
  return base::to_hex(crypto::sha256(declaration_to_json(declaration)));
}

}  // namespace clearcut::domain
