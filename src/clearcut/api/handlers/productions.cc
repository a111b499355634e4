// GET and POST /productions; GET /productions/{production}/members; PUT and DELETE
// /productions/{production}/members/{user}.

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"

namespace clearcut::api {

using http::HttpResponse;

void add_production_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("GET", v1 + "/productions", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto items = CC_TRY(deps.clearance.list_productions(*c.actor));
               return ok({{"items", list_json(items)}});
             });
  router.add(
      "POST", v1 + "/productions", Access::kAuthenticated,
      [&deps](RequestContext& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(c.request, {"code", "title", "organization_id"}));
        domain::Production p;
        p.code = CC_TRY(in.text("code"));
        p.title = CC_TRY(in.text("title", false));
        p.organization_id = CC_TRY(in.integer("organization_id", false));
        if (p.organization_id == 0) {
          p.organization_id = c.actor->user.organization_id;
        }
        return ok(to_json(CC_TRY(deps.clearance.create_production(*c.actor, p))), 201);
      });
  router.add(
      "PUT", v1 + "/productions/{production}/members/{user}", Access::kAuthenticated,
      [&deps](RequestContext& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(c.request, {"role"}));
        std::string role = CC_TRY(in.text("role"));
        std::optional<domain::Role> parsed = domain::parse_role(role);
        if (!parsed) {
          return base::invalid_argument("expected partner, contact or legal").with_field("role");
        }
        domain::Membership m{CC_TRY(c.id("user")), CC_TRY(c.id("production")), *parsed};
        CC_TRY(deps.clearance.set_membership(*c.actor, m));
        return ok({{"user_id", m.user_id}, {"production_id", m.production_id}, {"role", role}});
      });
  router.add("GET", v1 + "/productions/{production}/members", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto members =
                   CC_TRY(deps.clearance.list_members(*c.actor, CC_TRY(c.id("production"))));
               nlohmann::json items = nlohmann::json::array();
               for (const clearance::Member& m : members) {
                 items.push_back({{"user_id", m.user_id},
                                  {"name", m.name},
                                  {"email", m.email},
                                  {"role", domain::role_name(m.role)}});
               }
               return ok({{"items", items}});
             });
  router.add("DELETE", v1 + "/productions/{production}/members/{user}", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               CC_TRY(deps.clearance.remove_membership(*c.actor, CC_TRY(c.id("user")),
                                                       CC_TRY(c.id("production"))));
               return ok(nlohmann::json::object());
             });
}

}  // namespace clearcut::api
