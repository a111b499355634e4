// GET /health, /openapi.json and /schema: what the service is, without signing in.

#include <span>

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/domain/declaration_schema.h"
#include "clearcut/policy/policy_pack.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

// The declaration's fields and vocabularies, from the one table the reader uses, so that
// forms never drift from the contract; with the active pack's wording (a field's `question` and
// `help`, each action's sentence), so that a studio's own pack words its form.
std::string schema_json(const policy::PolicyPack& pack) {
  auto kind_name = [](domain::FieldKind kind) {
    switch (kind) {
      case domain::FieldKind::kTri:
        return "tri";
      case domain::FieldKind::kEnum:
        return "enum";
      case domain::FieldKind::kList:
        return "list";
      case domain::FieldKind::kText:
        return "text";
    }
    return "text";
  };
  auto fields = [&](std::span<const domain::FieldSpec> specs) {
    json out = json::array();
    for (const domain::FieldSpec& f : specs) {
      json vocabulary = json::array();
      for (std::string_view word : f.vocabulary) {
        vocabulary.push_back(std::string(word));
      }
      json field = {
          {"path", std::string(f.path)}, {"kind", kind_name(f.kind)}, {"vocabulary", vocabulary}};
      std::string key = f.scope == domain::FieldScope::kStage ? "pipeline[]." + std::string(f.path)
                                                              : std::string(f.path);
      if (const policy::Question* q = pack.find_question(key)) {
        field["question"] = q->ask;
        if (!q->help.empty()) {
          field["help"] = q->help;
        }
      }
      out.push_back(std::move(field));
    }
    return out;
  };
  json actions = json::object();
  for (int a = 0; a < policy::kActionCount; ++a) {
    const std::string& text = pack.action_text(static_cast<policy::Action>(a));
    if (!text.empty()) {
      actions[std::string(policy::action_name(static_cast<policy::Action>(a)))] = text;
    }
  }
  return json({{"schema", "clearcut/v1"},
               {"policy", {{"name", pack.name()}, {"version", pack.version()}}},
               {"fields", fields(domain::declaration_fields())},
               {"stage_fields", fields(domain::stage_fields())},
               {"actions", actions}})
      .dump();
}

}  // namespace

void add_system_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("GET", v1 + "/health", Access::kPublic,
             [&deps](RequestContext&) -> base::Result<HttpResponse> {
               return ok({{"status", "ok"}, {"database", deps.options.database}});
             });
  router.add("GET", v1 + "/openapi.json", Access::kPublic,
             [&deps](RequestContext&) -> base::Result<HttpResponse> {
               return HttpResponse::json(200, deps.options.openapi_json);
             });
  router.add("GET", v1 + "/schema", Access::kPublic,
             [&deps](RequestContext&) -> base::Result<HttpResponse> {
               std::shared_ptr<const policy::PolicyPack> pack =
                   CC_TRY(deps.clearance.active_pack());
               return HttpResponse::json(200, schema_json(*pack));
             });
}

}  // namespace clearcut::api
