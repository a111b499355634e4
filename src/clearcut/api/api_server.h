#pragma once

#include <functional>
#include <string>
#include <vector>

#include "clearcut/api/http/http_request.h"
#include "clearcut/api/http/http_response.h"
#include "clearcut/api/trusted_proxies.h"
#include "clearcut/clearance/account_service.h"
#include "clearcut/clearance/asset_service.h"
#include "clearcut/clearance/clearance_service.h"
#include "clearcut/clearance/scan_job_service.h"

namespace clearcut::api {

struct ApiOptions {
  bool secure_cookies = false;  // add `Secure` to the session cookie (behind HTTPS)
  std::string openapi_json;     // served at /api/v1/openapi.json
  // Static files of the web UI by path ("/index.html"); served for GET outside /api/.
  std::function<std::optional<std::string_view>(std::string_view path)> static_file;
  // Peers whose X-Forwarded-For names the client (sign-in throttling and the audit log).
  TrustedProxies trusted_proxies;
};

// The REST API under /api/v1: routing, authentication (session cookie + CSRF token, or a
// bearer token), JSON in and out, and errors as {code, message, field}. Handlers are thin:
// they read the request, call the services, shape the answer. Thread-safe.
class ApiServer {
 public:
  ApiServer(clearance::ClearanceService& clearance, clearance::AccountService& accounts,
            clearance::AssetService& assets, clearance::ScanJobService& scans, store::Store& store,
            ApiOptions options);

  http::HttpResponse handle(const http::HttpRequest& request);

  // Everything the router knows, for the OpenAPI consistency test: "GET /api/v1/tools", ...
  std::vector<std::string> routes() const;

  struct Context;
  using Handler = std::function<base::Result<http::HttpResponse>(Context&)>;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" matches one segment
    bool authenticated;
    Handler handler;
  };

  void add(std::string method, const std::string& pattern, bool authenticated, Handler handler);
  void add_routes();
  http::HttpResponse dispatch(const http::HttpRequest& request);

  clearance::ClearanceService& clearance_;
  clearance::AccountService& accounts_;
  clearance::AssetService& assets_;
  clearance::ScanJobService& scans_;
  store::Store& store_;
  ApiOptions options_;
  std::vector<Route> routes_;
};

}  // namespace clearcut::api
