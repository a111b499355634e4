#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <stop_token>
#include <string>

#include "clearcut/base/result.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/domain/scan_job.h"
#include "clearcut/scan/scanner.h"
#include "clearcut/store/store.h"

namespace clearcut::scan {

struct ScanWorkerOptions {
  std::string name;                           // how the store names the claimer ("host:pid:n")
  std::filesystem::path scan_root;            // job paths are relative to it
  ScanOptions scan;                           // threads, watermark key, min quality (stride, radius
                                              // and now come from each job)
  std::chrono::milliseconds poll{1000};       // idle: how often to look for work
  std::chrono::milliseconds heartbeat{5000};  // running: how often to say so
  std::chrono::milliseconds stale_after{60000};  // a job silent this long is taken over
};

// Runs scan jobs from the store: claims the oldest (several workers, in one process or many,
// share a database; each job runs once), scans its paths under the scan root against the
// production's registry, and stores the verdict and the JSON and HTML reports, with a
// "scan.finished" audit event, in one transaction. Matches to other productions' assets are
// stored apart for those productions (Store::list_cross_production_matches); the reports only
// say that the material is registered elsewhere. While a job runs a heartbeat thread keeps
// the claim fresh; a job whose claim was lost to another worker is dropped at the end. The
// registry is kept between jobs (RegistryCache).
class ScanWorker {
 public:
  ScanWorker(store::Store& store, const clearance::Clock& clock, ScanWorkerOptions options)
      : store_(store), clock_(clock), options_(std::move(options)) {}

  // Claims one job and runs it. False when none was waiting. Store errors as they come; a job
  // that cannot be scanned ends in state error, which is not an error of run_once. A stop
  // requested through `stop` (or a claim lost to another worker) ends the scan at the next
  // frame and leaves the job for another worker to take over once its heartbeat is stale.
  base::Result<bool> run_once(std::stop_token stop = {});

  // Runs jobs until `stop` is requested; store errors are logged and retried after `poll`.
  void run(std::stop_token stop);

 private:
  domain::ScanJobResult execute(const domain::ScanJob& job, std::atomic<int>& files_done,
                                std::atomic<int>& files_total, const std::atomic<bool>& cancel);

  store::Store& store_;
  const clearance::Clock& clock_;
  ScanWorkerOptions options_;
  // Kept between jobs: the match material is read once, then only what was stamped since.
  RegistryCache registry_cache_{store_};
};

// The counts the service keeps beside a finished job: files, files_scanned, files_skipped
// (folder entries not read, FileGate), files_failed, files_with_errors, findings, and findings
// by verdict.
std::string summary_json(const ScanReport& report);

}  // namespace clearcut::scan
