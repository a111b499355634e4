// Delivery scans, run by scan workers: submit and list under a production, read one and its
// report; other productions' scans that matched this production's assets.

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

base::Result<clearance::ScanRequest> scan_request_from(const JsonInput& in) {
  clearance::ScanRequest request;
  if (!in.has("paths") || !in.raw("paths").is_array()) {
    return base::invalid_argument("expected an array of paths relative to the scan root")
        .with_field("paths");
  }
  for (const json& path : in.raw("paths")) {
    if (!path.is_string()) {
      return base::invalid_argument("expected an array of strings").with_field("paths");
    }
    request.paths.push_back(path.get<std::string>());
  }
  if (in.has("stride")) {
    request.stride = static_cast<int>(CC_TRY(in.integer("stride")));
  }
  if (in.has("radius")) {
    request.radius = static_cast<int>(CC_TRY(in.integer("radius")));
  }
  return request;
}

// {"items": [...], "next_before": the last id when the page is full, else null}.
template <typename T>
HttpResponse page_before(const std::vector<T>& items, int limit) {
  json next = items.size() == static_cast<size_t>(limit) ? json(items.back().id) : json(nullptr);
  return ok({{"items", list_json(items)}, {"next_before", next}});
}

}  // namespace

void add_scan_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("POST", v1 + "/productions/{production}/scans", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"paths", "stride", "radius"}));
               clearance::ScanRequest request = CC_TRY(scan_request_from(in));
               auto job = CC_TRY(deps.scans.submit(*c.actor, CC_TRY(c.id("production")), request));
               return ok(to_json(job), 202);
             });
  router.add("GET", v1 + "/productions/{production}/scans", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               int64_t before = CC_TRY(c.query_int("before", 0, 0, INT64_MAX));
               int limit = static_cast<int>(CC_TRY(c.query_int("limit", 50, 1, 1000)));
               auto items =
                   CC_TRY(deps.scans.list(*c.actor, CC_TRY(c.id("production")), before, limit));
               return page_before(items, limit);
             });
  // Other productions' scans that matched this production's assets (legal and admins).
  router.add("GET", v1 + "/productions/{production}/cross-production-matches",
             Access::kAuthenticated, [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               int64_t before = CC_TRY(c.query_int("before", 0, 0, INT64_MAX));
               int limit = static_cast<int>(CC_TRY(c.query_int("limit", 50, 1, 1000)));
               auto items = CC_TRY(deps.scans.cross_production_matches(
                   *c.actor, CC_TRY(c.id("production")), before, limit));
               return page_before(items, limit);
             });
  router.add("GET", v1 + "/scans/{scan}", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               return ok(to_json(CC_TRY(deps.scans.get(*c.actor, CC_TRY(c.id("scan"))))));
             });
  router.add("GET", v1 + "/scans/{scan}/report", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               return HttpResponse::json(
                   200, CC_TRY(deps.scans.report(*c.actor, CC_TRY(c.id("scan")), "json")));
             });
  router.add("GET", v1 + "/scans/{scan}/report.html", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               HttpResponse response;
               response.body = CC_TRY(deps.scans.report(*c.actor, CC_TRY(c.id("scan")), "html"));
               response.content_type = "text/html; charset=utf-8";
               // The page is self-contained: inline styles and data: images, nothing else.
               response.set_header("Content-Security-Policy",
                                   "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                                   "frame-ancestors 'none'");
               return response;
             });
}

}  // namespace clearcut::api
