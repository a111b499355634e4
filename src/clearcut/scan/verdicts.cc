#include "clearcut/scan/verdicts.h"

#include <algorithm>
#include <chrono>

#include "clearcut/clearance/asset_service.h"
#include "clearcut/domain/validation.h"

namespace clearcut::scan {

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kCleared:
      return "cleared";
    case Verdict::kProvisionalInFinal:
      return "provisional_in_final";
    case Verdict::kRejected:
      return "rejected";
    case Verdict::kExpiredApproval:
      return "expired_approval";
    case Verdict::kDisclosureUnconfirmed:
      return "disclosure_unconfirmed";
    case Verdict::kUndeclaredAi:
      return "undeclared_ai";
  }
  return "undeclared_ai";
}

bool FileReport::passes() const {
  return error.empty() && std::all_of(findings.begin(), findings.end(), [](const Finding& f) {
           return f.verdict == Verdict::kCleared;
         });
}

int ScanReport::files_scanned() const {
  return static_cast<int>(std::count_if(files.begin(), files.end(), [](const FileReport& f) {
    return f.error.empty() || f.frames_decoded > 0;
  }));
}

bool ScanReport::passes() const {
  return files_scanned() > 0 &&
         std::all_of(files.begin(), files.end(), [](const FileReport& f) { return f.passes(); });
}

namespace {

constexpr const char* kRegisteredElsewhere =
    "matches material registered elsewhere, not for this production: ask your studio contact";

void judge_cleared(Finding& finding, const domain::Asset& asset, const Registry& registry,
                   const std::string& now) {
  auto approvals = registry.approvals.find(asset.use_case_id);
  if (approvals != registry.approvals.end()) {
    const auto at =
        domain::parse_rfc3339_utc(now).value_or(std::chrono::system_clock::time_point());
    for (const domain::Approval& approval : approvals->second) {
      if (!clearance::approval_clears(approval, asset, at)) {
        continue;
      }
      const std::string under = "cleared under approval " + std::to_string(approval.id) +
                                " of use case " + std::to_string(asset.use_case_id);
      if (registry.disclosure_unconfirmed.contains(asset.use_case_id)) {
        finding.verdict = Verdict::kDisclosureUnconfirmed;
        finding.reason = under +
                         ", but the audience disclosure it requires is not confirmed as made: "
                         "the studio contact confirms it on the use case's checklist";
        return;
      }
      finding.verdict = Verdict::kCleared;
      finding.reason = under;
      return;
    }
  }
  finding.verdict = Verdict::kExpiredApproval;
  finding.reason = "cleared, but no approval of use case " + std::to_string(asset.use_case_id) +
                   " clears it now (expired or outdated)";
}

constexpr const char* kPdqOnly =
    "; found by PDQ alone (no watermark or label): the picture is the asset's, but it may be the "
    "source the output was made from rather than the output";

}  // namespace

void judge(Finding& finding, const Registry& registry, const std::string& now) {
  if (!finding.asset_id) {
    finding.verdict = Verdict::kUndeclaredAi;
    const bool only_unreadable =
        std::all_of(finding.signals.begin(), finding.signals.end(),
                    [](const Signal& signal) { return signal.unreadable; });
    finding.reason = only_unreadable ? "an XMP label names a digital source type that cannot be "
                                       "read: it may declare AI; check the file's metadata"
                                     : "AI material that is not registered";
    return;
  }
  finding.pdq_only = std::all_of(finding.signals.begin(), finding.signals.end(),
                                 [](const Signal& signal) { return signal.kind == "pdq"; });
  const domain::Asset& asset = registry.assets.at(*finding.asset_id);
  if (asset.production_id != registry.production.id) {
    // Not declared for this production, and not this production's to know about: nothing in
    // the finding may name the asset, its production or its state (the ids, the status, the
    // payload and manifest label the signals carry).
    ForeignMatch foreign;
    foreign.asset_id = asset.id;
    foreign.production_id = asset.production_id;
    foreign.asset_name = asset.file_name;
    foreign.asset_status = std::string(domain::asset_status_name(asset.status));
    foreign.signals = finding.signals;
    finding.elsewhere = std::move(foreign);
    finding.asset_id.reset();
    for (Signal& signal : finding.signals) {
      signal.detail.clear();
    }
    finding.verdict = Verdict::kUndeclaredAi;
    finding.reason = kRegisteredElsewhere;
    return;
  }
  finding.asset_name = asset.file_name;
  finding.asset_production_id = asset.production_id;
  finding.asset_status = std::string(domain::asset_status_name(asset.status));
  switch (asset.status) {
    case domain::AssetStatus::kRejected:
      finding.verdict = Verdict::kRejected;
      finding.reason = "the asset was rejected";
      break;
    case domain::AssetStatus::kProvisional:
      finding.verdict = Verdict::kProvisionalInFinal;
      finding.reason = "the asset is provisional: never cleared for final use";
      break;
    case domain::AssetStatus::kCleared:
      judge_cleared(finding, asset, registry, now);
      break;
  }
  if (finding.pdq_only) {
    finding.reason += kPdqOnly;
  }
}

}  // namespace clearcut::scan
