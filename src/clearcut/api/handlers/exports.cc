// A title's exports (issue #17). GET /productions/{production}/disclosure (JSON), .csv and .pdf:
// the AI disclosure report, for the production's members; GET /productions/{production}/dossier
// (JSON) and .pdf: the clearance dossier, for its contacts and legal. Reading them is not a
// change: no audit event.

#include <utility>

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/exports/disclosure_csv.h"
#include "clearcut/exports/export_pdf.h"
#include "clearcut/exports/wording.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

json optional_text(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

json sighting_json(const exports::Sighting& s) {
  return {{"path", s.path},
          {"track", s.track},
          {"start_timecode", s.start_timecode},
          {"end_timecode", s.end_timecode},
          {"start_seconds", s.start_seconds},
          {"end_seconds", s.end_seconds},
          {"verdict", s.verdict},
          {"reason", s.reason},
          {"asset_id", s.asset_id == 0 ? json(nullptr) : json(s.asset_id)},
          {"asset_name", s.asset_id == 0 ? json(nullptr) : json(s.asset_name)}};
}

json approval_json(const exports::ClearedOutput& o) {
  if (!o.approval) {
    return nullptr;
  }
  const domain::Approval& a = *o.approval;
  json out = to_json(a);
  out["approver_name"] = o.approver_name;
  out["scope_text"] = exports::scope_text(a.scope);
  out["in_force"] = o.approval_in_force;
  return out;
}

json disclosure_json(const exports::DisclosureReport& r) {
  json cleared = json::array();
  for (const exports::ClearedOutput& o : r.cleared) {
    json found = json::array();
    for (const exports::Sighting& s : o.sightings) {
      found.push_back(sighting_json(s));
    }
    cleared.push_back({{"asset",
                        {{"id", o.asset.id},
                         {"file_name", o.asset.file_name},
                         {"media_type", o.asset.media_type},
                         {"sha256", o.asset.sha256},
                         {"created_at", o.asset.created_at}}},
                       {"digital_source_type", optional_text(o.digital_source_type)},
                       {"use_case",
                        {{"id", o.use_case.id},
                         {"summary", o.use_case.summary},
                         {"state", domain::use_case_state_name(o.use_case.state)},
                         {"outcome", optional_text(std::string(
                                         domain::use_case_outcome_text(o.use_case.outcome)))}}},
                       {"approval", approval_json(o)},
                       {"found", std::move(found)}});
  }
  json not_cleared = json::array();
  for (const exports::Sighting& s : r.not_cleared) {
    not_cleared.push_back(sighting_json(s));
  }
  json scan = nullptr;
  if (r.scan) {
    scan = {{"id", r.scan->id},
            {"finished_at", r.scan->finished_at},
            {"passes", r.scan->passes},
            {"paths", r.scan->paths}};
  }
  const std::string link =
      std::string(kApiPrefix) + "/productions/" + std::to_string(r.production.id) + "/disclosure";
  return {{"production", to_json(r.production)},
          {"generated_at", r.generated_at},
          {"scan", std::move(scan)},
          {"cleared", std::move(cleared)},
          {"not_cleared", std::move(not_cleared)},
          {"downloads", {{"csv", link + ".csv"}, {"pdf", link + ".pdf"}}}};
}

json dossier_json(const exports::Dossier& d) {
  auto name = [&d](int64_t id) {
    auto it = d.names.find(id);
    return it == d.names.end() ? json(nullptr) : json(it->second);
  };
  json use_cases = json::array();
  for (const exports::DossierUseCase& entry : d.use_cases) {
    json approvals = json::array();
    for (const domain::Approval& a : entry.approvals) {
      json item = to_json(a);
      item["approver_name"] = name(a.approver_id);
      auto certificate = entry.certificates.find(a.id);
      item["certificate"] = certificate == entry.certificates.end()
                                ? json(nullptr)
                                : json::parse(certificate->second, nullptr, false);
      approvals.push_back(std::move(item));
    }
    json use_case = to_json(entry.use_case, true);
    use_case["approvals"] = std::move(approvals);
    use_cases.push_back(std::move(use_case));
  }
  json consents = json::array();
  for (const domain::Consent& c : d.consents) {
    json item = to_json(c);
    item["recorded_by_name"] = name(c.recorded_by);
    consents.push_back(std::move(item));
  }
  return {{"format", "clearcut-dossier/1"},  {"production", to_json(d.production)},
          {"generated_at", d.generated_at},  {"use_cases", std::move(use_cases)},
          {"consents", std::move(consents)}, {"tools", list_json(d.tools)},
          {"scans", list_json(d.scans)},     {"audit_log", {{"checkpoint", d.checkpoint}}}};
}

// A download: `body` as `content_type`, saved as production-{id}-{name}.
HttpResponse download(std::string body, const char* content_type, int64_t production,
                      const std::string& name) {
  HttpResponse response;
  response.body = std::move(body);
  response.content_type = content_type;
  response.set_header("Content-Disposition", "attachment; filename=\"production-" +
                                                 std::to_string(production) + "-" + name + "\"");
  return response;
}

// The caller's view of a production's disclosure report or dossier (`read` is
// ExportService::disclosure or ::dossier), with the production's id.
template <typename T>
base::Result<std::pair<int64_t, T>> read_export(
    const ApiDeps& deps, RequestContext& c,
    base::Result<T> (exports::ExportService::*read)(const clearance::Actor&, int64_t)) {
  int64_t id = CC_TRY(c.id("production"));
  if (deps.options.exports == nullptr) {
    return base::not_found("no production " + std::to_string(id));
  }
  T value = CC_TRY((deps.options.exports->*read)(*c.actor, id));
  return std::make_pair(id, std::move(value));
}

}  // namespace

void add_export_routes(Router& router, const ApiDeps& deps) {
  using exports::ExportService;
  const std::string prefix = std::string(kApiPrefix) + "/productions/{production}/";
  router.add("GET", prefix + "disclosure", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto [id, report] = CC_TRY(read_export(deps, c, &ExportService::disclosure));
               return ok(disclosure_json(report));
             });
  router.add("GET", prefix + "disclosure.csv", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto [id, report] = CC_TRY(read_export(deps, c, &ExportService::disclosure));
               return download(exports::disclosure_csv(report), "text/csv; charset=utf-8", id,
                               "disclosure.csv");
             });
  router.add("GET", prefix + "disclosure.pdf", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto [id, report] = CC_TRY(read_export(deps, c, &ExportService::disclosure));
               std::string pdf = CC_TRY(exports::disclosure_pdf(report));
               return download(std::move(pdf), "application/pdf", id, "disclosure.pdf");
             });
  router.add("GET", prefix + "dossier", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto [id, dossier] = CC_TRY(read_export(deps, c, &ExportService::dossier));
               return ok(dossier_json(dossier));
             });
  router.add("GET", prefix + "dossier.pdf", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto [id, dossier] = CC_TRY(read_export(deps, c, &ExportService::dossier));
               std::string pdf = CC_TRY(exports::dossier_pdf(dossier));
               return download(std::move(pdf), "application/pdf", id, "dossier.pdf");
             });
}

}  // namespace clearcut::api
