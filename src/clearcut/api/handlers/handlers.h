#pragma once

// The REST API's handlers, one file per resource, each with the parsing of its requests.
// Handlers are thin: they read the request, call a service, shape the answer. Internal to api/.
//
// Handlers bind each CC_TRY to a variable before building the answer: a CC_TRY that returns
// from inside a braced list of JSON pairs skips the destructors of the pairs built before it
// (GCC statement expressions), and every refused request leaked them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "clearcut/api/api_server.h"
#include "clearcut/api/json_views.h"
#include "clearcut/api/router.h"

namespace clearcut::api {

// What the handlers call. The services outlive the router.
struct ApiDeps {
  clearance::ClearanceService& clearance;
  clearance::AccountService& accounts;
  clearance::AssetService& assets;
  clearance::ScanJobService& scans;
  clearance::AuditService& audit;
  clearance::NotificationService& notifications;
  clearance::AttachmentService& attachments;
  clearance::InboxService& inbox;
  clearance::DashboardService& dashboards;
  const ApiOptions& options;
};

inline constexpr std::string_view kApiPrefix = "/api/v1";
inline constexpr std::string_view kSessionCookie = "clearcut_session";
// The state of a single sign-on under way, carried by the browser from /sso/login to
// /sso/callback (login CSRF: the callback must come from the browser that started it).
inline constexpr std::string_view kSsoStateCookie = "clearcut_sso_state";

// The value of the cookie `name` in the request's Cookie header, or nullopt.
std::optional<std::string> cookie(const http::HttpRequest& request, std::string_view name);

// The session cookie: HttpOnly and SameSite=Strict always, Secure behind HTTPS. `attributes`
// are added (e.g. "; Max-Age=0" to clear it).
std::string session_cookie(const std::string& value, std::string_view attributes,
                           const ApiOptions& options);

// `body` as a JSON answer with `status`.
inline http::HttpResponse ok(const nlohmann::json& body, int status = 200) {
  return http::HttpResponse::json(status, body.dump());
}

// The JSON array of to_json(item) for each item (json_views.h).
template <typename T>
nlohmann::json list_json(const std::vector<T>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const T& item : items) {
    out.push_back(to_json(item));
  }
  return out;
}

// In the order ApiServer adds them, which is the order the router tries them.
void add_system_routes(Router& router, const ApiDeps& deps);
void add_session_routes(Router& router, const ApiDeps& deps);
void add_production_routes(Router& router, const ApiDeps& deps);
void add_use_case_routes(Router& router, const ApiDeps& deps);
void add_approval_routes(Router& router, const ApiDeps& deps);
void add_consent_routes(Router& router, const ApiDeps& deps);
void add_attachment_routes(Router& router, const ApiDeps& deps);
void add_asset_routes(Router& router, const ApiDeps& deps);
void add_scan_routes(Router& router, const ApiDeps& deps);
void add_tool_routes(Router& router, const ApiDeps& deps);
void add_policy_routes(Router& router, const ApiDeps& deps);
void add_account_routes(Router& router, const ApiDeps& deps);
void add_audit_routes(Router& router, const ApiDeps& deps);
void add_notification_routes(Router& router, const ApiDeps& deps);
void add_sso_routes(Router& router, const ApiDeps& deps);
void add_inbox_routes(Router& router, const ApiDeps& deps);
void add_dashboard_routes(Router& router, const ApiDeps& deps);
void add_export_routes(Router& router, const ApiDeps& deps);

}  // namespace clearcut::api
