#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/api/http/http_request.h"
#include "clearcut/api/http/http_response.h"
#include "clearcut/api/router.h"
#include "clearcut/api/trusted_proxies.h"
#include "clearcut/clearance/account_service.h"
#include "clearcut/clearance/asset_service.h"
#include "clearcut/clearance/attachment_service.h"
#include "clearcut/clearance/audit_service.h"
#include "clearcut/clearance/clearance_service.h"
#include "clearcut/clearance/dashboard_service.h"
#include "clearcut/clearance/inbox_service.h"
#include "clearcut/clearance/notification_service.h"
#include "clearcut/clearance/scan_job_service.h"
#include "clearcut/clearance/sso_service.h"
#include "clearcut/exports/export_service.h"

namespace clearcut::api {

// The largest body a JSON request may have; uploads have their own limit (the attachment
// service's), and the HTTP server must read bodies up to the larger of the two.
inline constexpr std::size_t kMaxJsonBodyBytes = 1 << 20;

struct ApiOptions {
  bool secure_cookies = false;  // add `Secure` to the session cookie (behind HTTPS)
  std::string openapi_json;     // served at /api/v1/openapi.json
  std::string database;         // the store's backend ("sqlite", "postgresql"), for /health
  // Static files of the web UI by path ("/index.html"); served for GET outside /api/.
  std::function<std::optional<std::string_view>(std::string_view path)> static_file;
  // Peers whose X-Forwarded-For names the client (sign-in throttling and the audit log).
  TrustedProxies trusted_proxies;
  // Single sign-on with the studio's OpenID provider; null: not configured (its routes say so).
  clearance::SsoService* sso = nullptr;
  // A title's disclosure report and dossier (handlers/exports.cc); null: their routes are 404.
  exports::ExportService* exports = nullptr;
};

struct ApiDeps;

// The REST API under /api/v1: routing, authentication (session cookie + CSRF token, or a
// bearer token), JSON in and out, and errors as {code, message, field}. The handlers, one file
// per resource, live in handlers/. The services must outlive it. Thread-safe.
class ApiServer {
 public:
  ApiServer(clearance::ClearanceService& clearance, clearance::AccountService& accounts,
            clearance::AssetService& assets, clearance::ScanJobService& scans,
            clearance::AuditService& audit, clearance::NotificationService& notifications,
            clearance::AttachmentService& attachments, clearance::InboxService& inbox,
            clearance::DashboardService& dashboards, ApiOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  http::HttpResponse handle(const http::HttpRequest& request);
  // The largest body a request to `target` may have (HttpServerOptions::body_limit): an upload
  // route's limit, else kMaxJsonBodyBytes. Quick and non-blocking: a lookup in the route table.
  std::size_t body_limit(std::string_view method, std::string_view target) const;

  // Everything the router knows, for the OpenAPI consistency test: "GET /api/v1/tools", ...
  std::vector<std::string> routes() const { return router_.routes(); }

 private:
  http::HttpResponse dispatch(const http::HttpRequest& request);
  // Who sends `request` to an authenticated route: a bearer token, or the session cookie (with
  // the CSRF token on anything but GET).
  base::Status authenticate(const http::HttpRequest& request, RequestContext* context);

  clearance::AccountService& accounts_;
  ApiOptions options_;
  std::unique_ptr<ApiDeps> deps_;  // what the handlers call; they hold references to it
  Router router_;
};

}  // namespace clearcut::api
