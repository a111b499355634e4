#include "clearcut/exports/export_service.h"

#include <algorithm>
#include <set>
#include <string_view>

#include <nlohmann/json.hpp>

#include "clearcut/clearance/asset_service.h"

namespace clearcut::exports {
namespace {

using nlohmann::json;

base::Error no_production(int64_t id) {
  return base::not_found("no production " + std::to_string(id));
}

// A member field of a stored scan report, checked for its type: the report is the worker's
// JSON, but the database is outside this process.
std::string text_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double number_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : 0;
}

const json& array_at(const json& object, const char* key) {
  static const json kEmpty = json::array();
  auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : kEmpty;
}

// "trainedAlgorithmicMedia" from an IPTC or C2PA digital source type URI (the XMP label), or
// from a C2PA signal's detail, "<manifest label> (<validation>) <term>[,<term>...]"
// (docs/scan-report.md, "Signal kinds"). Empty when the signal names none.
std::string source_type_of(const json& signal) {
  std::string kind = text_at(signal, "kind");
  std::string detail = text_at(signal, "detail");
  if (kind == "xmp" && detail.find("digitalsourcetype/") != std::string::npos) {
    return detail.substr(detail.rfind('/') + 1);
  }
  if (kind == "c2pa") {
    size_t close = detail.find(") ");
    return close == std::string::npos ? std::string() : detail.substr(close + 2);
  }
  return {};
}

struct ScanFindings {
  std::vector<Sighting> sightings;
  std::map<int64_t, std::string> source_types;  // asset id: the first source type read
};

base::Result<ScanFindings> read_findings(const std::string& report_json, int64_t scan_id) {
  json report = json::parse(report_json, nullptr, false);
  if (!report.is_object()) {
    return base::Error(base::ErrorCode::kDataLoss,
                       "the report of scan " + std::to_string(scan_id) + " is not JSON");
  }
  ScanFindings out;
  for (const json& file : array_at(report, "files")) {
    if (!file.is_object()) {
      continue;
    }
    for (const json& finding : array_at(file, "findings")) {
      if (!finding.is_object()) {
        continue;
      }
      Sighting s;
      s.path = text_at(file, "path");
      s.track = text_at(finding, "track");
      s.start_timecode = text_at(finding, "start_timecode");
      s.end_timecode = text_at(finding, "end_timecode");
      s.start_seconds = number_at(finding, "start_seconds");
      s.end_seconds = number_at(finding, "end_seconds");
      s.verdict = text_at(finding, "verdict");
      s.reason = text_at(finding, "reason");
      auto asset = finding.find("asset_id");
      if (asset != finding.end() && asset->is_number_integer()) {
        s.asset_id = asset->get<int64_t>();
        s.asset_name = text_at(finding, "asset_name");
      }
      for (const json& signal : array_at(finding, "signals")) {
        std::string type = signal.is_object() ? source_type_of(signal) : std::string();
        if (s.asset_id != 0 && !type.empty()) {
          out.source_types.emplace(s.asset_id, type);
        }
      }
      out.sightings.push_back(std::move(s));
    }
  }
  return out;
}

// The newest finished scan of the production, if any.
base::Result<std::optional<domain::ScanJob>> latest_finished_scan(store::Transaction& tx,
                                                                  int64_t production_id) {
  int64_t before = 0;
  for (;;) {
    std::vector<domain::ScanJob> page = CC_TRY(tx.scan_jobs().list(production_id, before, 100));
    for (const domain::ScanJob& job : page) {
      if (job.state == domain::ScanJobState::kFinished) {
        return std::optional<domain::ScanJob>(job);
      }
    }
    if (page.size() < 100) {
      return std::optional<domain::ScanJob>();
    }
    before = page.back().id;
  }
}

// Names of users by id, each read once.
class Names {
 public:
  explicit Names(store::Transaction& tx) : tx_(tx) {}
  base::Result<std::string> of(int64_t user_id) {
    auto it = names_.find(user_id);
    if (it == names_.end()) {
      domain::User user = CC_TRY(tx_.accounts().get_user(user_id));
      it = names_.emplace(user_id, user.name.empty() ? user.email : user.name).first;
    }
    return it->second;
  }
  std::map<int64_t, std::string> take() { return std::move(names_); }

 private:
  store::Transaction& tx_;
  std::map<int64_t, std::string> names_;
};

// The approval a cleared output is reported under: the newest one that clears it now, else the
// newest granted one (the output was cleared under an approval that no longer clears it).
std::optional<domain::Approval> reported_approval(const std::vector<domain::Approval>& approvals,
                                                  const domain::Asset& asset,
                                                  std::chrono::system_clock::time_point now,
                                                  bool* in_force) {
  std::optional<domain::Approval> granted;
  for (auto it = approvals.rbegin(); it != approvals.rend(); ++it) {
    if (clearance::approval_clears(*it, asset, now)) {
      *in_force = true;
      return *it;
    }
    if (it->granted && !granted) {
      granted = *it;
    }
  }
  *in_force = false;
  return granted;
}

}  // namespace

base::Result<DisclosureReport> ExportService::disclosure(const clearance::Actor& actor,
                                                         int64_t production_id) {
  if (!actor.admin() && !actor.member_of(production_id)) {
    return no_production(production_id);
  }
  auto now = clock_.now();
  auto tx = CC_TRY(store_.begin());
  DisclosureReport report;
  report.production = CC_TRY(tx->accounts().get_production(production_id));
  report.generated_at = clearance::format_rfc3339(now);

  ScanFindings findings;
  std::optional<domain::ScanJob> scan = CC_TRY(latest_finished_scan(*tx, production_id));
  if (scan) {
    report.scan = ScanReference{scan->id, scan->finished_at, scan->passes, scan->paths};
    std::string report_json = CC_TRY(tx->scan_jobs().get_report(scan->id, "json"));
    findings = CC_TRY(read_findings(report_json, scan->id));
    for (const Sighting& s : findings.sightings) {
      if (s.verdict != "cleared") {
        report.not_cleared.push_back(s);
      }
    }
  }

  Names names(*tx);
  std::map<int64_t, std::pair<domain::UseCase, std::vector<domain::Approval>>> use_cases;
  for (int64_t after = 0;;) {
    std::vector<domain::Asset> page =
        CC_TRY(tx->assets().list(production_id, after, store::kMaxListLimit));
    for (domain::Asset& asset : page) {
      if (asset.status != domain::AssetStatus::kCleared) {
        continue;
      }
      auto uc = use_cases.find(asset.use_case_id);
      if (uc == use_cases.end()) {
        domain::UseCase use_case = CC_TRY(tx->use_cases().get(asset.use_case_id));
        std::vector<domain::Approval> approvals =
            CC_TRY(tx->approvals().list_approvals(asset.use_case_id));
        uc = use_cases.emplace(asset.use_case_id, std::make_pair(use_case, approvals)).first;
      }
      ClearedOutput out;
      out.use_case = uc->second.first;
      out.approval = reported_approval(uc->second.second, asset, now, &out.approval_in_force);
      if (out.approval) {
        out.approver_name = CC_TRY(names.of(out.approval->approver_id));
      }
      auto type = findings.source_types.find(asset.id);
      if (type != findings.source_types.end()) {
        out.digital_source_type = type->second;
      }
      for (const Sighting& s : findings.sightings) {
        if (s.asset_id == asset.id) {
          out.sightings.push_back(s);
        }
      }
      out.asset = std::move(asset);
      report.cleared.push_back(std::move(out));
    }
    if (page.size() < static_cast<size_t>(store::kMaxListLimit)) {
      break;
    }
    after = page.back().id;
  }
  return report;
}

base::Result<Dossier> ExportService::dossier(const clearance::Actor& actor, int64_t production_id) {
  if (!actor.admin() && !actor.member_of(production_id)) {
    return no_production(production_id);
  }
  if (!actor.admin() && !actor.has_role(production_id, domain::Role::kContact) &&
      !actor.has_role(production_id, domain::Role::kLegal)) {
    return base::Error(base::ErrorCode::kPermissionDenied,
                       "only the production's contacts and legal, and admins, read its dossier");
  }
  Dossier dossier;
  dossier.generated_at = clearance::format_rfc3339(clock_.now());
  std::set<std::string> tool_ids;
  {
    auto tx = CC_TRY(store_.begin());
    dossier.production = CC_TRY(tx->accounts().get_production(production_id));
    Names names(*tx);
    store::UseCaseFilter filter;
    filter.production_ids = {production_id};
    filter.limit = store::kMaxListLimit;
    for (;;) {
      std::vector<domain::UseCase> page = CC_TRY(tx->use_cases().list(filter));
      for (domain::UseCase& use_case : page) {
        DossierUseCase entry;
        entry.approvals = CC_TRY(tx->approvals().list_approvals(use_case.id));
        for (const domain::Approval& approval : entry.approvals) {
          CC_TRY(names.of(approval.approver_id));
        }
        json declaration = json::parse(use_case.declaration_json, nullptr, false);
        if (!declaration.is_object()) {
          declaration = json::object();
        }
        for (const json& stage : array_at(declaration, "pipeline")) {
          if (stage.is_object() && !text_at(stage, "tool").empty()) {
            tool_ids.insert(text_at(stage, "tool"));
          }
        }
        entry.use_case = std::move(use_case);
        dossier.use_cases.push_back(std::move(entry));
      }
      if (page.size() < static_cast<size_t>(filter.limit)) {
        break;
      }
      filter.after_id = page.back().id;
    }
    dossier.consents = CC_TRY(tx->approvals().list_consents(production_id));
    for (const domain::Consent& consent : dossier.consents) {
      CC_TRY(names.of(consent.recorded_by));
    }
    std::vector<domain::Tool> tools = CC_TRY(tx->policy().list_tools());
    for (domain::Tool& tool : tools) {
      if (tool_ids.count(tool.id) > 0) {
        dossier.tools.push_back(std::move(tool));
      }
    }
    for (int64_t before = 0;;) {
      std::vector<domain::ScanJob> page = CC_TRY(tx->scan_jobs().list(production_id, before, 100));
      dossier.scans.insert(dossier.scans.end(), page.begin(), page.end());
      if (page.size() < 100) {
        break;
      }
      before = page.back().id;
    }
    dossier.names = names.take();
  }
  for (DossierUseCase& entry : dossier.use_cases) {
    for (const domain::Approval& approval : entry.approvals) {
      if (!approval.granted) {
        continue;
      }
      auto certificate = clearance_.approval_certificate(actor, approval.id);
      if (certificate.has_value()) {
        entry.certificates.emplace(approval.id, std::move(*certificate));
      } else if (certificate.error().code() != base::ErrorCode::kFailedPrecondition) {
        return certificate.error();  // kFailedPrecondition: granted before certificates
      }
    }
  }
  // Signed after the certificates: it covers every event they prove.
  dossier.checkpoint = CC_TRY(audit_.checkpoint());
  return dossier;
}

}  // namespace clearcut::exports
