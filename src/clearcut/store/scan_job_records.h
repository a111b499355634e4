#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/cross_production_match.h"
#include "clearcut/domain/scan_job.h"

namespace clearcut::store {

// How many times a scan job is claimed before a job whose workers keep dying is given up.
inline constexpr int kMaxScanAttempts = 3;

// Delivery scans and what they found of other productions. Part of a Transaction (store.h),
// whose contract every call follows.
//
// A job is stored queued. claim() hands `worker` the oldest job that is queued, or running
// with a heartbeat older than `stale_before` (its worker died), and marks it running; two
// transactions never claim the same job (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one
// writer at a time). A stale job already claimed kMaxScanAttempts times goes to error instead.
// heartbeat, release and finish are refused with kFailedPrecondition when the job is no longer
// running under `worker` (another worker took it over, or it finished).
class ScanJobRecords {
 public:
  virtual ~ScanJobRecords() = default;

  virtual base::Result<int64_t> create(const domain::ScanJob& job) = 0;
  virtual base::Result<domain::ScanJob> get(int64_t id) = 0;
  // Newest first: ids below `before_id` (0: from the newest).
  virtual base::Result<std::vector<domain::ScanJob>> list(int64_t production_id, int64_t before_id,
                                                          int limit) = 0;
  virtual base::Result<std::optional<domain::ScanJob>> claim(const std::string& worker,
                                                             const std::string& now,
                                                             const std::string& stale_before) = 0;
  virtual base::Status heartbeat(int64_t id, const std::string& worker, const std::string& now,
                                 int files_done, int files_total) = 0;
  // Also stores the result's cross_production matches (their scan_job_id, scanning production
  // and found_at taken from the job and the result).
  virtual base::Status finish(const domain::ScanJobResult& result) = 0;
  // Puts a job `worker` is running back in the queue because the worker is stopping: another
  // worker claims it at once instead of after its heartbeat goes stale, and the interrupted
  // claim does not count towards kMaxScanAttempts.
  virtual base::Status release(int64_t id, const std::string& worker) = 0;
  // A finished job's report, "json" or "html"; kNotFound before it finished.
  virtual base::Result<std::string> get_report(int64_t id, std::string_view format) = 0;

  // Matches of scans to `production_id`'s assets (scans of other productions' deliveries),
  // newest first: ids below `before_id` (0: from the newest).
  virtual base::Result<std::vector<domain::CrossProductionMatch>> list_cross_production_matches(
      int64_t production_id, int64_t before_id, int limit) = 0;
};

}  // namespace clearcut::store
