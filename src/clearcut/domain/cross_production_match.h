#pragma once

#include <cstdint>
#include <string>

namespace clearcut::domain {

// A delivery scan of one production that matched an asset registered under another. The
// scanning production's report only says that its delivery matches material registered
// elsewhere; who it belongs to is kept here, for the asset's production's legal and the admins
// (docs/scan-report.md, "Matches to other productions").
struct CrossProductionMatch {
  int64_t id = 0;
  int64_t scan_job_id = 0;
  int64_t scanning_production_id = 0;  // whose delivery was scanned
  int64_t production_id = 0;           // whose asset it matched
  int64_t asset_id = 0;
  std::string found_at;      // RFC 3339, when the scan finished
  std::string finding_json;  // the finding as that production sees it (scan::cross_production_hits)
};

}  // namespace clearcut::domain
