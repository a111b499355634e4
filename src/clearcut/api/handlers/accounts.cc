// Users (admins create them) and API tokens (each user's own).

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"

namespace clearcut::api {

using http::HttpResponse;
using nlohmann::json;

void add_account_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("GET", v1 + "/users", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto items = CC_TRY(deps.accounts.list_users(*c.actor));
               return ok({{"items", list_json(items)}});
             });
  router.add("POST", v1 + "/users", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(
                   c.request, {"email", "name", "password", "admin", "organization_id"}));
               clearance::NewUser user;
               user.email = CC_TRY(in.text("email"));
               user.name = CC_TRY(in.text("name", false));
               user.password = CC_TRY(in.text("password"));
               user.admin = CC_TRY(in.boolean("admin", false));
               user.organization_id = CC_TRY(in.integer("organization_id", false));
               if (user.organization_id == 0) {
                 user.organization_id = c.actor->user.organization_id;
               }
               return ok(to_json(CC_TRY(deps.accounts.create_user(&*c.actor, user))), 201);
             });
  router.add("GET", v1 + "/tokens", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto items = CC_TRY(deps.accounts.list_tokens(*c.actor));
               return ok({{"items", list_json(items)}});
             });
  router.add("POST", v1 + "/tokens", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"name"}));
               clearance::NewToken token =
                   CC_TRY(deps.accounts.create_token(*c.actor, CC_TRY(in.text("name"))));
               json out = to_json(token.token);
               out["secret"] = token.secret;
               return ok(out, 201);
             });
  router.add("DELETE", v1 + "/tokens/{token}", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               CC_TRY(deps.accounts.revoke_token(*c.actor, CC_TRY(c.id("token"))));
               return ok(json::object());
             });
}

}  // namespace clearcut::api
