#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/clearance/actor.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/domain/scan_job.h"
#include "clearcut/match/code.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// What a member asks to scan: paths relative to the scan root, and the scan's settings.
struct ScanRequest {
  std::vector<std::string> paths;
  int stride = 1;
  int radius = match::kPdqRadius;
};

// Resolves `relative` inside `root`: relative, no "..", no NUL, and (following symlinks as far
// as they exist) still inside the root. kInvalidArgument otherwise.
base::Result<std::filesystem::path> resolve_scan_path(const std::filesystem::path& root,
                                                      const std::string& relative);

// Delivery scans through the service: any member of a production (and an admin) submits scans
// of files under the scan root and reads their status and reports; scan workers run them
// (scan::ScanWorker). A production's legal (and an admin) also reads the matches that other
// productions' scans found to its assets. Submissions go to the audit log. Thread-safe. Errors as
// ClearanceService's; kFailedPrecondition when no scan root is configured.
class ScanJobService {
 public:
  // `scan_root` empty: scans cannot be submitted through the service.
  ScanJobService(store::Store& store, const Clock& clock, std::filesystem::path scan_root)
      : store_(store), clock_(clock), scan_root_(std::move(scan_root)) {}

  base::Result<domain::ScanJob> submit(const Actor& actor, int64_t production_id,
                                       const ScanRequest& request);
  base::Result<domain::ScanJob> get(const Actor& actor, int64_t id);
  base::Result<std::vector<domain::ScanJob>> list(const Actor& actor, int64_t production_id,
                                                  int64_t before_id, int limit);
  // "json" or "html"; kNotFound until the job finished.
  base::Result<std::string> report(const Actor& actor, int64_t id, std::string_view format);
  // Other productions' scans that matched `production_id`'s assets: for its legal and the
  // admins. kNotFound for outsiders, kPermissionDenied for its other members.
  base::Result<std::vector<domain::CrossProductionMatch>> cross_production_matches(
      const Actor& actor, int64_t production_id, int64_t before_id, int limit);

  const std::filesystem::path& scan_root() const { return scan_root_; }

 private:
  store::Store& store_;
  const Clock& clock_;
  std::filesystem::path scan_root_;
};

}  // namespace clearcut::clearance
