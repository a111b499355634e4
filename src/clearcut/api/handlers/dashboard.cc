// Dashboards: GET /productions/{production}/dashboard (a production's figures) and GET
// /dashboard (the organization view).

#include "clearcut/api/handlers/handlers.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

constexpr const char* kBucketNames[clearance::kAgeingBuckets] = {"under_2", "2_to_5", "5_to_10",
                                                                 "over_10"};
constexpr const char* kBucketLabels[clearance::kAgeingBuckets] = {
    "under 2 working days", "2 to 5 working days", "5 to 10 working days",
    "10 working days or more"};

json text_or_null(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

json production_json(const domain::Production& p) {
  return {{"id", p.id}, {"code", p.code}, {"title", p.title}};
}

json scan_point_json(const clearance::ScanPoint& s) {
  return {{"id", s.id},
          {"finished_at", s.finished_at},
          {"verdict", s.error    ? "error"
                      : s.passes ? "pass"
                                 : "fail"},
          {"files", s.files},
          {"findings", s.findings}};
}

json funnel_json(const clearance::Funnel& f) {
  json stage = json::array();
  stage.push_back({{"stage", "draft"}, {"count", f.draft}, {"states", {"draft"}}});
  stage.push_back({{"stage", "review"},
                   {"count", f.in_review()},
                   {"states", {"submitted", "notified", "escalated"}}});
  stage.push_back({{"stage", "approved"}, {"count", f.approved}, {"states", {"approved"}}});
  return {{"by_state",
           {{"draft", f.draft},
            {"submitted", f.submitted},
            {"notified", f.notified},
            {"escalated", f.escalated},
            {"approved", f.approved},
            {"rejected", f.rejected},
            {"withdrawn", f.withdrawn}}},
          {"stages", stage},
          {"closed", {{"rejected", f.rejected}, {"withdrawn", f.withdrawn}}},
          {"total", f.total()}};
}

json ageing_json(const clearance::Ageing& a) {
  json buckets = json::array();
  for (int i = 0; i < clearance::kAgeingBuckets; ++i) {
    const clearance::AgeingBucket& b = a.buckets[i];
    buckets.push_back(
        {{"bucket", kBucketNames[i]},
         {"label", kBucketLabels[i]},
         {"count", b.total()},
         {"waiting_on", {{"contact", b.contact}, {"legal", b.legal}, {"partner", b.partner}}}});
  }
  return {{"buckets", buckets},
          {"waiting", a.waiting},
          {"overdue", a.overdue},
          {"oldest_since", text_or_null(a.oldest_since)}};
}

json dashboard_json(const clearance::ProductionDashboard& d) {
  json risks = json::array();
  for (const clearance::RiskFigure& r : d.risks) {
    risks.push_back({{"name", r.name},
                     {"label", r.label},
                     {"in_review", r.in_review},
                     {"approved", r.approved},
                     {"unsettled", r.unsettled}});
  }
  json scans = json::array();
  for (const clearance::ScanPoint& s : d.scans) {
    scans.push_back(scan_point_json(s));
  }
  json deliverables = json::array();
  for (const clearance::DeliverableStatus& s : d.deliverables) {
    deliverables.push_back({{"path", s.path},
                            {"episode", text_or_null(s.episode)},
                            {"scan_id", s.scan_id},
                            {"scanned_at", s.scanned_at},
                            {"passes", s.passes},
                            {"findings", s.findings},
                            {"per_file", s.per_file}});
  }
  return {{"production", production_json(d.production)},
          {"as_of", d.as_of},
          {"answer_within_days", d.production.answer_within_days},
          {"funnel", funnel_json(d.funnel)},
          {"ageing", ageing_json(d.ageing)},
          {"risk",
           {{"policy", {{"name", d.policy_name}, {"version", d.policy_version}}},
            {"assessed", d.assessed},
            {"categories", risks}}},
          {"outputs",
           {{"provisional", d.outputs.provisional},
            {"cleared", d.outputs.cleared},
            {"rejected", d.outputs.rejected},
            {"total", d.outputs.total()}}},
          {"scans", scans},
          {"deliverables", deliverables}};
}

json headline_json(const clearance::ProductionHeadline& h) {
  return {{"use_cases", h.use_cases},
          {"in_review", h.in_review},
          {"waiting", h.waiting},
          {"overdue", h.overdue},
          {"approved", h.approved},
          {"outputs_provisional", h.outputs_provisional},
          {"failing_deliverables", h.failing_deliverables}};
}

}  // namespace

void add_dashboard_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("GET", v1 + "/productions/{production}/dashboard", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               int64_t id = CC_TRY(c.id("production"));
               clearance::ProductionDashboard d = CC_TRY(deps.dashboards.production(*c.actor, id));
               return ok(dashboard_json(d));
             });
  router.add("GET", v1 + "/dashboard", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               clearance::OrganizationDashboard d = CC_TRY(deps.dashboards.organization(*c.actor));
               json items = json::array();
               for (const clearance::ProductionHeadline& h : d.productions) {
                 json row = headline_json(h);
                 row["production"] = production_json(h.production);
                 row["last_scan"] = h.last_scan ? scan_point_json(*h.last_scan) : json(nullptr);
                 items.push_back(std::move(row));
               }
               json totals = headline_json(d.totals);
               totals["productions"] = d.productions.size();
               return ok({{"as_of", d.as_of}, {"items", items}, {"totals", totals}});
             });
}

}  // namespace clearcut::api
