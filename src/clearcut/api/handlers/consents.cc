// Consents of performers under a production: list, record, revoke.

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"
#include "clearcut/base/hex.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;

base::Result<domain::Consent> consent_from(const JsonInput& in, int64_t production_id) {
  domain::Consent consent;
  consent.production_id = production_id;
  consent.performer = CC_TRY(in.text("performer"));
  std::string kind = CC_TRY(in.text("kind"));
  std::optional<domain::ConsentKind> parsed = domain::parse_consent_kind(kind);
  if (!parsed) {
    return base::invalid_argument("expected replica_creation, replica_use or alteration")
        .with_field("kind");
  }
  consent.kind = *parsed;
  consent.scope = CC_TRY(in.text("scope"));
  consent.document_sha256 = CC_TRY(in.text("document_sha256"));
  consent.expires_at = CC_TRY(in.text("expires_at", false));
  consent.use_case_id = CC_TRY(in.integer("use_case_id", false));
  if (!base::from_hex(consent.document_sha256)) {
    return base::invalid_argument("expected hex digits").with_field("document_sha256");
  }
  return consent;
}

}  // namespace

void add_consent_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("GET", v1 + "/productions/{production}/consents", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto items =
                   CC_TRY(deps.clearance.list_consents(*c.actor, CC_TRY(c.id("production"))));
               return ok({{"items", list_json(items)}});
             });
  router.add("POST", v1 + "/productions/{production}/consents", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(
                   c.request,
                   {"performer", "kind", "scope", "document_sha256", "expires_at", "use_case_id"}));
               domain::Consent consent = CC_TRY(consent_from(in, CC_TRY(c.id("production"))));
               return ok(to_json(CC_TRY(deps.clearance.record_consent(*c.actor, consent))), 201);
             });
  router.add("POST", v1 + "/consents/{consent}/revoke", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               return ok(to_json(
                   CC_TRY(deps.clearance.revoke_consent(*c.actor, CC_TRY(c.id("consent"))))));
             });
}

}  // namespace clearcut::api
