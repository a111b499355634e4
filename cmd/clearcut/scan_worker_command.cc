#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "cmd/clearcut/commands.h"

#include "clearcut/app/service.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/scan/scan_worker.h"
#include "clearcut/stamp/stamper.h"
#include "clearcut/store/store.h"

namespace clearcut::cmd {
namespace {

struct ScanWorkerCommandOptions {
  std::string db = "sqlite:clearcut.db";
  std::string scan_root;
  std::string name;
  int threads = 0;
  double file_time_limit = 600;
  double file_seconds_per_gib = 600;
  bool once = false;
  int take_over_after = 60;
  std::string watermark_key_file;
  std::string watermark_passphrase_env;
};

int run_scan_worker(const ScanWorkerCommandOptions& options) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto key =
      stamp::load_watermark_key(options.watermark_key_file, options.watermark_passphrase_env);
  if (!key.has_value()) {
    return fail("scan-worker", key.error());
  }
  auto store = store::open_store(options.db, store::OpenMode::kExisting);
  if (!store.has_value()) {
    return fail("scan-worker", store.error());
  }
  clearance::SystemClock clock;
  scan::ScanWorkerOptions worker_options;
  worker_options.name = options.name.empty() ? app::scan_worker_name(0) : options.name;
  worker_options.scan_root = options.scan_root;
  worker_options.scan.threads = options.threads;
  worker_options.scan.file_time_limit_seconds = options.file_time_limit;
  worker_options.scan.file_seconds_per_gib = options.file_seconds_per_gib;
  worker_options.scan.watermark_key = *key;
  worker_options.stale_after = std::chrono::seconds(options.take_over_after);
  scan::ScanWorker worker(**store, clock, worker_options);

  if (options.once) {
    int jobs = 0;
    for (;;) {
      auto ran = worker.run_once();
      if (!ran.has_value()) {
        return fail("scan-worker", ran.error());
      }
      if (!*ran) {
        break;
      }
      ++jobs;
    }
    std::printf("scan-worker %s: ran %d job(s), none left\n", worker_options.name.c_str(), jobs);
    return 0;
  }
  std::printf("scan-worker %s: waiting for scan jobs in %s\n", worker_options.name.c_str(),
              options.db.c_str());
  std::fflush(stdout);
  std::jthread thread([&worker](std::stop_token stop) { worker.run(stop); });
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::printf("scan-worker: signal %d, stopping after the current file\n", signal_number);
  std::fflush(stdout);
  thread.request_stop();
  thread.join();
  return 0;
}

}  // namespace

void add_scan_worker_command(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ScanWorkerCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "scan-worker",
      "Run delivery scans submitted through the API (several workers may share one database)");
  cmd->add_option("--db", options->db, "sqlite:PATH or postgresql://... (as for serve)");
  cmd->add_option("--scan-root", options->scan_root,
                  "The folder the scans' paths are relative to (as for serve)")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--name", options->name, "How this worker names itself (default host:pid:0)");
  cmd->add_option("--threads", options->threads, "Decoder threads (0: automatic)")
      ->check(CLI::Range(0, 256));
  cmd->add_flag("--once", options->once, "Run the queued jobs, then exit");
  cmd->add_option("--take-over-after", options->take_over_after,
                  "Seconds without a heartbeat (every 5 s) after which a running job of another "
                  "worker, stopped or killed, is taken over (default 60)")
      ->check(CLI::Range(15, 86400));
  add_file_time_limit_options(cmd, &options->file_time_limit, &options->file_seconds_per_gib);
  auto* key = cmd->add_option("--watermark-key", options->watermark_key_file,
                              "File holding the watermark key (32 bytes or 64 hex digits)");
  cmd->add_option("--watermark-passphrase", options->watermark_passphrase_env,
                  "Environment variable holding the watermark passphrase")
      ->excludes(key);
  cmd->footer(exit_codes_footer(
      {{kExitOk, "with --once: no job is left; else: stopped by SIGTERM or SIGINT"}}));
  cmd->callback([options, exit_code] { *exit_code = run_scan_worker(*options); });
}

}  // namespace clearcut::cmd
