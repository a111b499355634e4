// The tool registry: list, save (PUT /tools/{tool}), delete.

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"
#include "clearcut/domain/declaration_schema.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

// The tool's fields, and each of its stage facts that is given: yes/no/unsure ones (true and
// false stand for yes and no), training_data and indemnified as their words; null leaves a fact
// unknown.
base::Result<domain::Tool> tool_from(const JsonInput& in, const std::string& id) {
  domain::Tool tool;
  tool.id = id;
  tool.name = CC_TRY(in.text("name", false));
  tool.vendor = CC_TRY(in.text("vendor", false));
  tool.license_tier = CC_TRY(in.text("license_tier", false));
  tool.reviewed_on = CC_TRY(in.text("reviewed_on", false));
  for (const domain::FieldSpec& field : domain::stage_fields()) {
    if (field.kind == domain::FieldKind::kText || !in.has(std::string(field.path))) {
      continue;
    }
    const json& v = in.raw(std::string(field.path));
    if (v.is_null()) {
      continue;
    }
    if (field.kind == domain::FieldKind::kEnum) {
      std::optional<int> index =
          v.is_string() ? domain::vocabulary_index(field, v.get<std::string>()) : std::nullopt;
      if (!index) {
        return base::invalid_argument("expected " + domain::vocabulary_text(field) + " or null")
            .with_field(std::string(field.path));
      }
      tool.scalars[field.slot] = static_cast<int8_t>(*index);
      continue;
    }
    std::optional<int8_t> value = v.is_boolean()  ? (v.get<bool>() ? domain::kYes : domain::kNo)
                                  : v.is_string() ? domain::parse_tri(v.get<std::string>())
                                                  : std::nullopt;
    if (!value) {
      return base::invalid_argument("expected yes, no, unsure or null")
          .with_field(std::string(field.path));
    }
    tool.scalars[field.slot] = *value;
  }
  return tool;
}

}  // namespace

void add_tool_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("GET", v1 + "/tools", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto items = CC_TRY(deps.clearance.list_tools(*c.actor));
               return ok({{"items", list_json(items)}});
             });
  router.add("PUT", v1 + "/tools/{tool}", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(
                   c.request, {"name", "vendor", "license_tier", "reviewed_on",
                               "enterprise_agreement", "trains_on_data", "retains_data",
                               "terms_reviewed", "training_data", "indemnified"}));
               domain::Tool tool = CC_TRY(tool_from(in, c.params.at("tool")));
               CC_TRY(deps.clearance.upsert_tool(*c.actor, tool));
               return ok(to_json(tool));
             });
  router.add("DELETE", v1 + "/tools/{tool}", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               CC_TRY(deps.clearance.delete_tool(*c.actor, c.params.at("tool")));
               return ok(json::object());
             });
}

}  // namespace clearcut::api
