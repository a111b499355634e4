#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/domain/cross_production_match.h"

namespace clearcut::domain {

// queued -> running -> finished (the scan ran; `passes` says whether the delivery passes) or
// error (nothing could be scanned, or the job could not run). A running job whose worker stops
// sending heartbeats goes back to another worker.
enum class ScanJobState : uint8_t { kQueued, kRunning, kFinished, kError };
std::string_view scan_job_state_name(ScanJobState state);
std::optional<ScanJobState> parse_scan_job_state(std::string_view name);

// A delivery scan submitted through the API and run by a scan worker (`clearcut serve
// --scan-root`, `clearcut scan-worker`). Paths are relative to the workers' scan root.
struct ScanJob {
  int64_t id = 0;
  int64_t production_id = 0;
  std::vector<std::string> paths;
  int stride = 1;
  int radius = 0;  // PDQ Hamming radius, as submitted
  ScanJobState state = ScanJobState::kQueued;
  int64_t submitted_by = 0;
  std::string submitted_at;
  std::string worker;  // who claimed it last
  int attempts = 0;    // claims so far
  std::string started_at;
  std::string heartbeat_at;
  std::string finished_at;
  int files_done = 0;
  int files_total = 0;
  bool passes = false;       // finished: whether the delivery passes
  std::string summary_json;  // finished: counts by verdict ({"cleared": 1, ...}), files, findings
  std::string error;         // error: why
};

// What a worker writes when it is done with a job.
struct ScanJobResult {
  int64_t id = 0;
  std::string worker;
  ScanJobState state = ScanJobState::kFinished;  // kFinished or kError
  bool passes = false;
  int files = 0;  // inputs scanned or reported (files_done and files_total)
  std::string summary_json;
  std::string report_json;
  std::string report_html;
  std::string error;
  std::string finished_at;
  // Finished: matches to other productions' assets (their ids are left to the store).
  std::vector<CrossProductionMatch> cross_production;
};

}  // namespace clearcut::domain
