#include "clearcut/scan/scan_worker.h"

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "clearcut/base/hex.h"
#include "clearcut/clearance/audit_log.h"
#include "clearcut/clearance/scan_job_service.h"
#include "clearcut/crypto/sha256.h"
#include "clearcut/scan/registry.h"
#include "clearcut/scan/thumbnails.h"

namespace clearcut::scan {
namespace {

std::string name_of(const Verdict verdict) {
  return std::string(verdict_name(verdict));
}

// Keeps a claim fresh from its own thread while the scan runs on the caller's.
class Heartbeat {
 public:
  Heartbeat(store::Store& store, const clearance::Clock& clock, const domain::ScanJob& job,
            const std::string& worker, std::chrono::milliseconds interval,
            const std::atomic<int>& files_done, const std::atomic<int>& files_total,
            std::atomic<bool>& lost)
      : thread_([&, id = job.id, interval](std::stop_token stop) {
          std::mutex mu;
          std::condition_variable_any wake;
          for (;;) {
            {
              std::unique_lock lock(mu);
              if (wake.wait_for(lock, stop, interval, [] { return false; })) {
                return;
              }
              if (stop.stop_requested()) {
                return;
              }
            }
            auto tx = store.begin();
            if (!tx.has_value()) {
              continue;
            }
            base::Status beat =
                (*tx)->scan_jobs().heartbeat(id, worker, clearance::format_rfc3339(clock.now()),
                                             files_done.load(), files_total.load());
            if (beat.has_value()) {
              beat = (*tx)->commit();
            }
            if (!beat.has_value() && beat.error().code() == base::ErrorCode::kFailedPrecondition) {
              std::fprintf(stderr, "scan worker %s: lost scan %lld to another worker\n",
                           worker.c_str(), static_cast<long long>(id));
              lost = true;
              return;
            }
          }
        }) {}

 private:
  std::jthread thread_;
};

}  // namespace

std::string summary_json(const ScanReport& report) {
  nlohmann::json by_verdict = nlohmann::json::object();
  for (Verdict verdict :
       {Verdict::kCleared, Verdict::kProvisionalInFinal, Verdict::kRejected,
        Verdict::kExpiredApproval, Verdict::kDisclosureUnconfirmed, Verdict::kUndeclaredAi}) {
    by_verdict[name_of(verdict)] = 0;
  }
  int findings = 0;
  int files_failed = 0;
  int files_with_errors = 0;
  // Each file's verdict, so that dashboards show a deliverable's latest scan without the report.
  nlohmann::json deliverables = nlohmann::json::array();
  for (const FileReport& file : report.files) {
    files_failed += file.passes() ? 0 : 1;
    files_with_errors += file.error.empty() ? 0 : 1;
    for (const Finding& finding : file.findings) {
      ++findings;
      by_verdict[name_of(finding.verdict)] = by_verdict[name_of(finding.verdict)].get<int>() + 1;
    }
    deliverables.push_back({{"path", file.path},
                            {"passes", file.passes()},
                            {"findings", file.findings.size()},
                            {"error", !file.error.empty()}});
  }
  nlohmann::json summary = {{"files", report.files.size()},
                            {"files_scanned", report.files_scanned()},
                            {"files_skipped", report.skipped.size()},
                            {"files_failed", files_failed},
                            {"files_with_errors", files_with_errors},
                            {"findings", findings},
                            {"by_verdict", by_verdict},
                            {"deliverables", deliverables}};
  return summary.dump();
}

domain::ScanJobResult ScanWorker::execute(const domain::ScanJob& job, std::atomic<int>& files_done,
                                          std::atomic<int>& files_total,
                                          const std::atomic<bool>& cancel) {
  domain::ScanJobResult result;
  result.id = job.id;
  result.worker = options_.name;
  result.state = domain::ScanJobState::kError;

  auto registry = [&]() -> base::Result<Registry*> {
    auto tx = CC_TRY(store_.begin());
    auto production = CC_TRY(tx->accounts().get_production(job.production_id));
    tx.reset();
    return registry_cache_.refresh(production.code);
  }();
  if (!registry.has_value()) {
    result.error = "cannot load the registry: " + registry.error().message();
    return result;
  }

  std::vector<std::string> paths;
  std::vector<FileReport> refused;
  for (const std::string& path : job.paths) {
    auto resolved = clearance::resolve_scan_path(options_.scan_root, path);
    if (resolved.has_value()) {
      paths.push_back(resolved->string());
    } else {
      FileReport file;
      file.path = path;
      file.error = resolved.error().message();
      refused.push_back(std::move(file));
    }
  }
  ScanOptions options = options_.scan;
  // Files are read only inside the scan root, whatever the folders hold (FileGate).
  auto gate = FileGate::for_root(options_.scan_root);
  if (!gate.has_value()) {
    result.error = gate.error().message();
    return result;
  }
  options.files = std::move(*gate);
  options.stride = job.stride;
  options.radius = job.radius;
  options.now = clearance::format_rfc3339(clock_.now());
  options.cancel = &cancel;

  options.progress = [&files_done, &files_total](const ScanProgress& p) {
    files_done = p.file_index + (p.file_finished ? 1 : 0);
    files_total = p.files_total;
  };
  ScanReport report = scan(paths, **registry, options);
  if (cancel) {
    return result;
  }
  for (FileReport& file : refused) {
    report.files.push_back(std::move(file));
  }
  // Reports name files by their path under the scan root, as they were submitted.
  std::string root = options.files.root()->string();
  auto relative_to_root = [&root](const std::string& path) {
    if (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
        path[root.size()] == '/') {
      return path.substr(root.size() + 1);
    }
    return path;
  };

  auto name_relative_to_root = [&report, &relative_to_root] {
    for (FileReport& file : report.files) {
      file.path = relative_to_root(file.path);
    }
    for (SkippedEntry& entry : report.skipped) {
      entry.path = relative_to_root(entry.path);
    }
  };

  result.finished_at = clearance::format_rfc3339(clock_.now());
  result.files = static_cast<int>(report.files.size());
  if (report.files_scanned() == 0) {
    name_relative_to_root();
    result.summary_json = summary_json(report);
    result.error = "nothing could be scanned";
    for (const FileReport& file : report.files) {
      result.error += "; " + relative_to_root(file.path) + ": " + file.error;
    }
    for (const SkippedEntry& entry : report.skipped) {
      result.error += "; " + relative_to_root(entry.path) + ": " + entry.reason;
    }
    return result;
  }
  // Thumbnails read paths as scanned; the reports name them relative to the root.
  if (auto loaded = load_thumbnails(store_, report, **registry); !loaded) {
    result.error = "cannot read the registered assets' thumbnails: " + loaded.error().message();
    return result;
  }
  add_thumbnails(report, **registry, kMaxThumbnailFindings, options);
  if (cancel) {
    return result;
  }
  name_relative_to_root();
  result.summary_json = summary_json(report);
  result.state = domain::ScanJobState::kFinished;
  result.passes = report.passes();
  result.report_json = report_json(report);
  result.report_html = report_html(report);
  for (CrossProductionHit& hit : cross_production_hits(report)) {
    domain::CrossProductionMatch match;
    match.production_id = hit.production_id;
    match.asset_id = hit.asset_id;
    match.finding_json = std::move(hit.finding_json);
    result.cross_production.push_back(std::move(match));
  }
  return result;
}

base::Result<bool> ScanWorker::run_once(std::stop_token stop) {
  std::string now = clearance::format_rfc3339(clock_.now());
  std::string stale_before = clearance::format_rfc3339(clock_.now() - options_.stale_after);
  std::optional<domain::ScanJob> job;
  {
    auto tx = CC_TRY(store_.begin());
    job = CC_TRY(tx->scan_jobs().claim(options_.name, now, stale_before));
    if (!job.has_value()) {
      return false;
    }
    CC_TRY(tx->commit());
  }
  std::atomic<int> files_done{0};
  std::atomic<int> files_total{static_cast<int>(job->paths.size())};
  std::atomic<bool> cancel{false};
  std::stop_callback on_stop(stop, [&cancel] { cancel = true; });
  domain::ScanJobResult result;
  {
    Heartbeat heartbeat(store_, clock_, *job, options_.name, options_.heartbeat, files_done,
                        files_total, cancel);
    result = execute(*job, files_done, files_total, cancel);
  }
  if (cancel) {
    if (stop.stop_requested()) {
      // Stopping: hand the job back so that another worker starts it now, not once its
      // heartbeat is stale. A failure here only delays it until then.
      auto tx = store_.begin();
      if (tx.has_value() && (*tx)->scan_jobs().release(job->id, options_.name).has_value()) {
        (void)(*tx)->commit();
      }
    }
    return true;  // stopped or taken over: another worker finishes it
  }
  if (result.finished_at.empty()) {
    result.finished_at = clearance::format_rfc3339(clock_.now());
  }

  auto tx = CC_TRY(store_.begin());
  base::Status finished = tx->scan_jobs().finish(result);
  if (!finished.has_value()) {
    if (finished.error().code() == base::ErrorCode::kFailedPrecondition) {
      return true;  // another worker took it over; its result will stand
    }
    return std::move(finished).error();
  }
  nlohmann::json payload = {{"production_id", job->production_id},
                            {"state", domain::scan_job_state_name(result.state)},
                            {"passes", result.passes},
                            {"summary", nlohmann::json::parse(result.summary_json)},
                            {"worker", options_.name}};
  if (result.state == domain::ScanJobState::kFinished) {
    payload["report_sha256"] = base::to_hex(crypto::sha256(result.report_json));
  } else {
    payload["error"] = result.error;
  }
  audit::AuditEvent event{0,
                          result.finished_at,
                          "worker:" + options_.name,
                          "scan.finished",
                          "scan_job",
                          std::to_string(job->id),
                          payload.dump()};
  CC_TRY(clearance::append_audit_event(*tx, std::move(event)));
  CC_TRY(tx->commit());
  return true;
}

void ScanWorker::run(std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any wake;
  while (!stop.stop_requested()) {
    auto ran = run_once(stop);
    if (ran.has_value() && *ran) {
      continue;
    }
    if (!ran.has_value()) {
      std::fprintf(stderr, "scan worker %s: %s\n", options_.name.c_str(),
                   ran.error().to_string().c_str());
    }
    std::unique_lock lock(mu);
    wake.wait_for(lock, stop, options_.poll, [] { return false; });
  }
}

}  // namespace clearcut::scan
