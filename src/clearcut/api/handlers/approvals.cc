// POST /use-cases/{use_case}/approvals: a written approval, with its conditions, scope and
// expiry.

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"

namespace clearcut::api {

using http::HttpResponse;

void add_approval_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add(
      "POST", v1 + "/use-cases/{use_case}/approvals", Access::kAuthenticated,
      [&deps](RequestContext& c) -> base::Result<HttpResponse> {
        JsonInput in =
            CC_TRY(JsonInput::parse(c.request, {"revision", "conditions", "scope", "expires_at"}));
        clearance::ApprovalRequest request;
        int64_t revision = CC_TRY(in.integer("revision"));
        request.conditions = CC_TRY(in.text("conditions", false));
        request.expires_at = CC_TRY(in.text("expires_at", false));
        if (in.has("scope")) {
          request.scope_json = in.raw("scope").dump();
        }
        domain::Approval a =
            CC_TRY(deps.clearance.approve(*c.actor, CC_TRY(c.id("use_case")), revision, request));
        return ok(to_json(a), 201);
      });
}

}  // namespace clearcut::api
