#include "clearcut/api/api_server.h"

#include "clearcut/api/error_mapping.h"
#include "clearcut/api/handlers/handlers.h"
#include "clearcut/crypto/secret.h"

namespace clearcut::api {

using http::HttpRequest;
using http::HttpResponse;

namespace {

void add_security_headers(HttpResponse& response, bool api) {
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("X-Frame-Options", "DENY");
  response.set_header("Referrer-Policy", "no-referrer");
  if (api) {
    response.set_header("Cache-Control", "no-store");
  } else {
    response.set_header("Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                        "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
  }
}

std::string content_type_for(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html")) {
    return "text/html; charset=utf-8";
  }
  if (ends(".js")) {
    return "text/javascript; charset=utf-8";
  }
  if (ends(".css")) {
    return "text/css; charset=utf-8";
  }
  if (ends(".svg")) {
    return "image/svg+xml";
  }
  if (ends(".png")) {
    return "image/png";
  }
  if (ends(".json")) {
    return "application/json";
  }
  return "application/octet-stream";
}

}  // namespace

std::optional<std::string> cookie(const http::HttpRequest& request, std::string_view name) {
  std::optional<std::string_view> header = request.header("Cookie");
  if (!header) {
    return std::nullopt;
  }
  std::string_view rest = *header;
  while (!rest.empty()) {
    size_t end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') {
      pair.remove_prefix(1);
    }
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    if (end == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

ApiServer::ApiServer(clearance::ClearanceService& clearance, clearance::AccountService& accounts,
                     clearance::AssetService& assets, clearance::ScanJobService& scans,
                     clearance::AuditService& audit, clearance::NotificationService& notifications,
                     clearance::AttachmentService& attachments, clearance::InboxService& inbox,
                     clearance::DashboardService& dashboards, ApiOptions options)
    : accounts_(accounts), options_(std::move(options)) {
  deps_ =
      std::make_unique<ApiDeps>(ApiDeps{clearance, accounts, assets, scans, audit, notifications,
                                        attachments, inbox, dashboards, options_});
  // The order the router tries them in: literal paths before parameters they overlap.
  add_system_routes(router_, *deps_);
  add_session_routes(router_, *deps_);
  add_production_routes(router_, *deps_);
  add_use_case_routes(router_, *deps_);
  add_approval_routes(router_, *deps_);
  add_consent_routes(router_, *deps_);
  add_attachment_routes(router_, *deps_);
  add_asset_routes(router_, *deps_);
  add_scan_routes(router_, *deps_);
  add_tool_routes(router_, *deps_);
  add_policy_routes(router_, *deps_);
  add_account_routes(router_, *deps_);
  add_audit_routes(router_, *deps_);
  add_notification_routes(router_, *deps_);
  add_sso_routes(router_, *deps_);
  add_inbox_routes(router_, *deps_);
  add_dashboard_routes(router_, *deps_);
  add_export_routes(router_, *deps_);
}

ApiServer::~ApiServer() = default;

HttpResponse ApiServer::handle(const HttpRequest& request) {
  bool api = request.path.rfind(kApiPrefix, 0) == 0;
  HttpResponse response;
  if (!api && options_.static_file && request.method == "GET") {
    std::string path = request.path == "/" ? "/index.html" : request.path;
    std::optional<std::string_view> file = options_.static_file(path);
    if (!file && path.find('.') == std::string::npos) {
      file = options_.static_file("/index.html");  // client-side routes
      path = "/index.html";
    }
    if (file) {
      response.status = 200;
      response.body = std::string(*file);
      response.content_type = content_type_for(path);
    } else {
      response = HttpResponse::error(404, "not_found", "no such page");
    }
  } else {
    response = dispatch(request);
  }
  add_security_headers(response, api);
  return response;
}

std::size_t ApiServer::body_limit(std::string_view method, std::string_view target) const {
  HttpRequest request;
  request.method = std::string(method);
  http::split_target(target, request.path, request.query);
  auto match = router_.match(request);
  if (!match.has_value() || match->route == nullptr || match->route->max_body_bytes == 0) {
    return kMaxJsonBodyBytes;
  }
  return match->route->max_body_bytes;
}

HttpResponse ApiServer::dispatch(const HttpRequest& request) {
  auto match = router_.match(request);
  if (!match.has_value()) {
    return error_response(match.error());
  }
  if (match->route == nullptr) {
    if (match->path_known) {
      return HttpResponse::error(405, "method_not_allowed",
                                 request.method + " is not allowed on " + request.path);
    }
    return HttpResponse::error(404, "not_found", "no such endpoint: " + request.path);
  }
  std::size_t limit =
      match->route->max_body_bytes > 0 ? match->route->max_body_bytes : kMaxJsonBodyBytes;
  if (request.body.size() > limit) {
    return HttpResponse::error(413, "invalid_argument",
                               "request body exceeds " + std::to_string(limit) + " bytes");
  }
  RequestContext context{request, std::move(match->params), std::nullopt, false, {}};
  if (match->route->access == Access::kAuthenticated) {
    if (base::Status who = authenticate(request, &context); !who.has_value()) {
      return error_response(who.error());
    }
  }
  auto response = match->route->handler(context);
  if (!response.has_value()) {
    return error_response(response.error());
  }
  return std::move(response).value();
}

base::Status ApiServer::authenticate(const HttpRequest& request, RequestContext* context) {
  std::optional<std::string_view> authorization = request.header("Authorization");
  if (authorization && authorization->rfind("Bearer ", 0) == 0) {
    context->actor = CC_TRY(accounts_.authenticate_token(std::string(authorization->substr(7))));
    return {};
  }
  std::optional<std::string> secret = cookie(request, kSessionCookie);
  if (!secret) {
    return base::Error(base::ErrorCode::kUnauthenticated,
                       "sign in, or send Authorization: Bearer <token>");
  }
  auto session = CC_TRY(accounts_.authenticate_session(*secret));
  bool unsafe = request.method != "GET";
  std::optional<std::string_view> csrf = request.header("X-CSRF-Token");
  if (unsafe && (!csrf || !crypto::equal_constant_time(*csrf, session.csrf_token))) {
    return base::Error(base::ErrorCode::kPermissionDenied, "missing or wrong X-CSRF-Token header");
  }
  context->actor = std::move(session.actor);
  context->via_session = true;
  context->session_secret = *secret;
  return {};
}

}  // namespace clearcut::api
