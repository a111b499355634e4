#pragma once

// What a title's exports hold (issue #17): the disclosure report of its cleared AI outputs and
// where the latest scan found them, and the clearance dossier for insurers and distributors.
// Plain values that ExportService fills from the store; the API shapes them as JSON, and
// disclosure_csv.h and the *_pdf writers as files.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clearcut/domain/account.h"
#include "clearcut/domain/asset.h"
#include "clearcut/domain/scan_job.h"
#include "clearcut/domain/tool_registry.h"
#include "clearcut/domain/use_case.h"

namespace clearcut::exports {

// A finding of the latest finished scan (docs/scan-report.md, "Finding"), as the report lists it.
struct Sighting {
  std::string path;   // the scanned file
  std::string track;  // picture or audio
  std::string start_timecode;
  std::string end_timecode;
  double start_seconds = 0;
  double end_seconds = 0;
  std::string verdict;
  std::string reason;
  int64_t asset_id = 0;  // 0: unregistered material, or another production's
  std::string asset_name;
};

// The scan a report's timecodes come from.
struct ScanReference {
  int64_t id = 0;
  std::string finished_at;
  bool passes = false;
  std::vector<std::string> paths;
};

// A cleared output with what cleared it.
struct ClearedOutput {
  domain::Asset asset;
  domain::UseCase use_case;
  // The approval that clears the output now, else (the output was cleared under one that no
  // longer does) the latest granted approval of its use case; nullopt when there is none.
  std::optional<domain::Approval> approval;
  bool approval_in_force = false;  // `approval` clears the output now
  std::string approver_name;       // the approver's account name (their e-mail when unnamed)
  // The IPTC digital source type the latest scan read from the output's C2PA manifest or XMP
  // label (a term such as trainedAlgorithmicMedia, or a URI); empty when it read none.
  std::string digital_source_type;
  std::vector<Sighting> sightings;  // where the latest scan found it; empty: not found
};

// The per-title disclosure report: every cleared output of the production, and apart from
// them every finding of the latest finished scan that is not cleared, so that no problem is
// left out of it.
struct DisclosureReport {
  domain::Production production;
  std::string generated_at;           // RFC 3339
  std::optional<ScanReference> scan;  // nullopt: the production has no finished scan
  std::vector<ClearedOutput> cleared;
  std::vector<Sighting> not_cleared;
};

// A use case as the dossier shows it: its decision (in decision_json), its approvals and each
// granted approval's certificate (approval_certificate.h), by approval id; an approval granted
// before approvals were certified has none.
struct DossierUseCase {
  domain::UseCase use_case;
  std::vector<domain::Approval> approvals;
  std::map<int64_t, std::string> certificates;
};

// The clearance dossier of a title: the production, every use case with its decision and
// approvals, the consents, the tools the declarations name as the registry records them, the
// delivery scans, and the audit log's signed checkpoint that the certificates are proven
// against (or a later one).
struct Dossier {
  domain::Production production;
  std::string generated_at;
  std::vector<DossierUseCase> use_cases;
  std::vector<domain::Consent> consents;
  std::vector<domain::Tool> tools;
  std::vector<domain::ScanJob> scans;    // newest first
  std::map<int64_t, std::string> names;  // user id: name, for approvers and recorders
  std::string checkpoint;                // the signed note (C2SP tlog-checkpoint)
};

}  // namespace clearcut::exports
