// GET /health, /openapi.json and /schema: what the service is, without signing in.

#include <span>

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/domain/declaration_schema.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

// The declaration's fields and vocabularies, from the one table the reader uses, so that
// forms never drift from the contract.
std::string schema_json() {
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
      out.push_back(
          {{"path", std::string(f.path)}, {"kind", kind_name(f.kind)}, {"vocabulary", vocabulary}});
    }
    return out;
  };
  return json({{"schema", "clearcut/v1"},
               {"fields", fields(domain::declaration_fields())},
               {"stage_fields", fields(domain::stage_fields())}})
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
             [](RequestContext&) -> base::Result<HttpResponse> {
               static const std::string body = schema_json();
               return HttpResponse::json(200, body);
             });
}

}  // namespace clearcut::api
