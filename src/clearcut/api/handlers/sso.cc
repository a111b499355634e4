// Single sign-on: GET /sso (what the sign-in page offers), GET /sso/login and /sso/callback (the
// browser's way through the studio's identity provider), and the admin's role mappings under
// /sso/mappings.

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"
#include "clearcut/base/text.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

constexpr int kStateCookieSeconds = 600;

// A 303 to `location` (the browser follows it with a GET), with a line of text for anything
// that shows the body.
HttpResponse see_other(const std::string& location) {
  HttpResponse response;
  response.status = 303;
  response.content_type = "text/plain; charset=utf-8";
  response.body = "See " + location + "\n";
  response.headers.emplace_back("Location", location);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// The state cookie. SameSite=Lax: the callback is a top-level navigation from the provider's
// site, which a Strict cookie would not accompany. Scoped to the SSO routes.
std::string state_cookie(const std::string& value, std::string_view attributes,
                         const ApiOptions& options) {
  return std::string(kSsoStateCookie) + "=" + value + "; Path=" + std::string(kApiPrefix) +
         "/sso; HttpOnly; SameSite=Lax" + std::string(attributes) +
         (options.secure_cookies ? "; Secure" : "");
}

// The mappings are an admin's: said before whether single sign-on is configured, so that nobody
// else learns even that.
base::Status admin_only(const RequestContext& c) {
  if (!c.actor->admin()) {
    return base::Error(base::ErrorCode::kPermissionDenied,
                       "only an admin reads or changes the single sign-on role mappings");
  }
  return {};
}

base::Result<clearance::SsoService*> configured(const ApiDeps& deps) {
  if (deps.options.sso == nullptr) {
    return base::not_found("single sign-on is not configured on this server");
  }
  return deps.options.sso;
}

json to_json(const domain::SsoRoleMapping& m) {
  return {{"id", m.id},
          {"claim", m.claim},
          {"value", m.value},
          {"production_id", m.production_id},
          {"role", domain::role_name(m.role)},
          {"created_at", m.created_at}};
}

}  // namespace

void add_sso_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("GET", v1 + "/sso", Access::kPublic,
             [&deps](RequestContext&) -> base::Result<HttpResponse> {
               clearance::SsoService* sso = deps.options.sso;
               return ok({{"enabled", sso != nullptr},
                          {"provider_name", sso ? sso->options().provider_name : ""},
                          {"local_passwords",
                           clearance::local_passwords_name(deps.accounts.local_passwords())}});
             });
  router.add("GET", v1 + "/sso/login", Access::kPublic,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               clearance::SsoService* sso = CC_TRY(configured(deps));
               clearance::SsoStart start =
                   CC_TRY(sso->start(c.request.query_param("return_to").value_or("/")));
               HttpResponse response = see_other(start.redirect_url);
               response.headers.emplace_back(
                   "Set-Cookie",
                   state_cookie(start.state, "; Max-Age=" + std::to_string(kStateCookieSeconds),
                                deps.options));
               return response;
             });
  // Always a redirect: to the page the sign-in started from, or back to the sign-in page with
  // what went wrong (the browser is on its way back from the provider, not reading JSON).
  router.add(
      "GET", v1 + "/sso/callback", Access::kPublic,
      [&deps](RequestContext& c) -> base::Result<HttpResponse> {
        clearance::SsoService* sso = CC_TRY(configured(deps));
        auto finish = [&]() -> base::Result<clearance::SsoSignIn> {
          if (std::optional<std::string> error = c.request.query_param("error")) {
            std::string detail = c.request.query_param("error_description").value_or("");
            return base::Error(base::ErrorCode::kUnauthenticated,
                               "the identity provider did not sign you in: " + *error +
                                   (detail.empty() ? "" : " (" + detail + ")"));
          }
          return sso->finish(c.request.query_param("code").value_or(""),
                             c.request.query_param("state").value_or(""),
                             cookie(c.request, kSsoStateCookie).value_or(""),
                             deps.options.trusted_proxies.client_address(c.request));
        };
        base::Result<clearance::SsoSignIn> signed_in = finish();
        HttpResponse response = signed_in
                                    ? see_other(signed_in->return_to)
                                    : see_other("/#/login?sso_error=" +
                                                base::percent_encode(signed_in.error().message()));
        response.headers.emplace_back("Set-Cookie", state_cookie("", "; Max-Age=0", deps.options));
        if (signed_in) {
          response.headers.emplace_back(
              "Set-Cookie", session_cookie(signed_in->login.session_secret, "", deps.options));
        }
        return response;
      });
  router.add("GET", v1 + "/sso/mappings", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               CC_TRY(admin_only(c));
               clearance::SsoService* sso = CC_TRY(configured(deps));
               auto items = CC_TRY(sso->list_mappings(*c.actor));
               json out = json::array();
               for (const domain::SsoRoleMapping& m : items) {
                 out.push_back(to_json(m));
               }
               return ok({{"items", out}});
             });
  router.add(
      "POST", v1 + "/sso/mappings", Access::kAuthenticated,
      [&deps](RequestContext& c) -> base::Result<HttpResponse> {
        CC_TRY(admin_only(c));
        clearance::SsoService* sso = CC_TRY(configured(deps));
        JsonInput in =
            CC_TRY(JsonInput::parse(c.request, {"claim", "value", "production_id", "role"}));
        domain::SsoRoleMapping m;
        m.claim = CC_TRY(in.text("claim", false));
        if (m.claim.empty()) {
          m.claim = "groups";
        }
        m.value = CC_TRY(in.text("value"));
        m.production_id = CC_TRY(in.integer("production_id"));
        std::string role = CC_TRY(in.text("role"));
        std::optional<domain::Role> parsed = domain::parse_role(role);
        if (!parsed) {
          return base::invalid_argument("expected partner, contact or legal").with_field("role");
        }
        m.role = *parsed;
        domain::SsoRoleMapping added = CC_TRY(sso->add_mapping(*c.actor, m));
        return ok(to_json(added), 201);
      });
  router.add("DELETE", v1 + "/sso/mappings/{mapping}", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               CC_TRY(admin_only(c));
               clearance::SsoService* sso = CC_TRY(configured(deps));
               CC_TRY(sso->remove_mapping(*c.actor, CC_TRY(c.id("mapping"))));
               return ok(json::object());
             });
}

}  // namespace clearcut::api
