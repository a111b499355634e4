// POST and DELETE /session (sign in and out with the session cookie), GET /me, and password
// reset by e-mail (POST /password-reset, POST /password-reset/confirm).

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

}  // namespace

std::string session_cookie(const std::string& value, std::string_view attributes,
                           const ApiOptions& options) {
  return std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" +
         std::string(attributes) + (options.secure_cookies ? "; Secure" : "");
}

void add_session_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("POST", v1 + "/session", Access::kPublic,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"email", "password"}));
               std::string email = CC_TRY(in.text("email"));
               std::string password = CC_TRY(in.text("password"));
               clearance::LoginResult login = CC_TRY(deps.accounts.login(
                   email, password, deps.options.trusted_proxies.client_address(c.request)));
               HttpResponse response = ok({{"user", to_json(login.actor)},
                                           {"csrf_token", login.csrf_token},
                                           {"expires_at", login.expires_at}},
                                          201);
               response.headers.emplace_back(
                   "Set-Cookie", session_cookie(login.session_secret, "", deps.options));
               return response;
             });
  router.add("DELETE", v1 + "/session", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               if (c.via_session) {
                 CC_TRY(deps.accounts.logout(c.session_secret));
               }
               HttpResponse response = ok(json::object());
               response.headers.emplace_back("Set-Cookie",
                                             session_cookie("", "; Max-Age=0", deps.options));
               return response;
             });
  router.add("POST", v1 + "/password-reset", Access::kPublic,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"email"}));
               std::string email = CC_TRY(in.text("email"));
               CC_TRY(deps.accounts.request_password_reset(
                   email, deps.options.trusted_proxies.client_address(c.request)));
               // The same answer whether or not the address has an account.
               return ok({{"message",
                           "If an account may sign in here with this address, a link to reset "
                           "its password is on its way. It works for an hour."}},
                         202);
             });
  router.add("POST", v1 + "/password-reset/confirm", Access::kPublic,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"token", "password"}));
               std::string token = CC_TRY(in.text("token"));
               std::string password = CC_TRY(in.text("password"));
               CC_TRY(deps.accounts.reset_password(token, password));
               return ok({{"message", "Your password is changed. Sign in with it."}});
             });
  router.add("GET", v1 + "/me", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               json out = {{"user", to_json(*c.actor)}};
               if (c.via_session) {
                 auto session = CC_TRY(deps.accounts.authenticate_session(c.session_secret));
                 out["csrf_token"] = session.csrf_token;
               }
               return ok(out);
             });
}

}  // namespace clearcut::api
