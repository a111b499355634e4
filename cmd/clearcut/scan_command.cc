#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cmd/clearcut/commands.h"

#include "clearcut/app/policy_source.h"
#include "clearcut/base/file.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/match/code.h"
#include "clearcut/provenance/watermark/watermark_key.h"
#include "clearcut/scan/registry.h"
#include "clearcut/scan/scanner.h"
#include "clearcut/scan/thumbnails.h"
#include "clearcut/store/store.h"

namespace clearcut::cmd {
namespace {

struct ScanCommandOptions {
  std::vector<std::string> paths;
  std::string production;
  std::string db = "sqlite:clearcut.db";
  std::string json;
  std::string html;
  int threads = 0;
  int stride = 1;
  int radius = match::kPdqRadius;
  int min_quality = match::kPdqMinQuality;
  double file_time_limit = 600;
  double file_seconds_per_gib = 600;
  std::string watermark_key_file;
  std::string watermark_passphrase_env;
  std::string timecode_rate;
  bool quiet = false;
};

bool write_text(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return true;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

// One line on a terminal, redrawn in place: the file, how far into it, and when it should end.
class ProgressBar {
 public:
  void draw(const scan::ScanProgress& p) {
    using Clock = std::chrono::steady_clock;
    if (p.path != path_) {
      path_ = p.path;
      file_started_ = Clock::now();
    }
    double elapsed = std::chrono::duration<double>(Clock::now() - file_started_).count();
    double fraction = p.duration_seconds > 0 ? std::min(1.0, p.seconds / p.duration_seconds) : 0;
    constexpr int kWidth = 24;
    int filled = static_cast<int>(fraction * kWidth);
    std::string bar = std::string(static_cast<size_t>(filled), '#') +
                      std::string(static_cast<size_t>(kWidth - filled), '-');
    std::string eta = "";
    if (fraction > 0.01 && fraction < 1) {
      int seconds = static_cast<int>(elapsed * (1 - fraction) / fraction);
      eta = " ETA " + std::to_string(seconds / 60) + "m" + (seconds % 60 < 10 ? "0" : "") +
            std::to_string(seconds % 60) + "s";
    }
    std::string name = std::filesystem::path(p.path).filename().string();
    if (name.size() > 32) {
      name = "..." + name.substr(name.size() - 29);
    }
    std::fprintf(stderr, "\r\033[K[%s] %3d%% file %d/%d %s, %lld frames%s", bar.c_str(),
                 static_cast<int>(fraction * 100), p.file_index + 1, p.files_total, name.c_str(),
                 static_cast<long long>(p.frames), eta.c_str());
    drawn_ = true;
  }
  void finish() {
    if (drawn_) {
      std::fprintf(stderr, "\r\033[K");
    }
  }

 private:
  std::string path_;
  std::chrono::steady_clock::time_point file_started_;
  bool drawn_ = false;
};

int run_scan(const ScanCommandOptions& options) {
  scan::ScanOptions scan_options;
  scan_options.threads = options.threads;
  scan_options.stride = options.stride;
  scan_options.radius = options.radius;
  scan_options.min_quality = options.min_quality;
  scan_options.file_time_limit_seconds = options.file_time_limit;
  scan_options.file_seconds_per_gib = options.file_seconds_per_gib;
  scan_options.now = clearance::format_rfc3339(std::chrono::system_clock::now());
  if (!options.timecode_rate.empty()) {
    auto rate = scan::parse_timecode_rate(options.timecode_rate);
    if (!rate) {
      return usage_error("scan", "--timecode-rate: " + rate.error().message());
    }
    scan_options.timecode_rate = *rate;
  }
  if (!options.watermark_key_file.empty()) {
    auto text = base::read_file(options.watermark_key_file);
    if (!text) {
      return fail("scan", text.error());
    }
    std::vector<uint8_t> bytes(text->begin(), text->end());
    auto key = watermark::WatermarkKey::from_bytes(bytes);
    if (!key) {
      return usage_error("scan", "--watermark-key: " + key.error().to_string());
    }
    scan_options.watermark_key = *key;
  } else if (!options.watermark_passphrase_env.empty()) {
    const char* passphrase = std::getenv(options.watermark_passphrase_env.c_str());
    if (passphrase == nullptr) {
      return usage_error(
          "scan", "--watermark-passphrase: $" + options.watermark_passphrase_env + " is not set");
    }
    auto key = watermark::WatermarkKey::from_passphrase(passphrase);
    if (!key) {
      return usage_error("scan", "--watermark-passphrase: " + key.error().to_string());
    }
    scan_options.watermark_key = *key;
  }
  auto store = store::open_store(options.db, store::OpenMode::kExisting);
  if (!store) {
    return fail("scan", store.error());
  }
  auto registry = scan::load_registry(**store, options.production);
  if (!registry) {
    return fail("scan", registry.error());
  }

  ProgressBar bar;
  if (isatty(STDERR_FILENO) != 0 && !options.quiet) {
    scan_options.progress = [&bar](const scan::ScanProgress& p) {
      bar.draw(p);
    };
  }
  scan::ScanReport report = scan::scan(options.paths, *registry, scan_options);
  bar.finish();
  if (!options.json.empty() || !options.html.empty()) {
    // The frames are decoded again: only for a report.
    if (auto loaded = scan::load_thumbnails(**store, report, *registry); !loaded) {
      return fail("scan", loaded.error());
    }
    scan::add_thumbnails(report, *registry, scan::kMaxThumbnailFindings, scan_options);
  }
  if (!options.json.empty() && !write_text(options.json, scan::report_json(report))) {
    return usage_error("scan", "cannot write " + options.json);
  }
  if (!options.html.empty() && !write_text(options.html, scan::report_html(report))) {
    return usage_error("scan", "cannot write " + options.html);
  }
  for (const scan::FileReport& file : report.files) {
    std::fprintf(stderr, "%s: %s\n", file.path.c_str(),
                 !file.error.empty() ? ("error: " + file.error).c_str()
                 : file.passes()     ? "passes"
                                     : "FAILS");
    for (const scan::Finding& f : file.findings) {
      std::fprintf(stderr, "  %s-%s %s asset %s: %s\n", f.start_timecode.c_str(),
                   f.end_timecode.c_str(), std::string(scan::verdict_name(f.verdict)).c_str(),
                   f.asset_id ? std::to_string(*f.asset_id).c_str() : "-", f.reason.c_str());
    }
  }
  for (const scan::SkippedEntry& entry : report.skipped) {
    std::fprintf(stderr, "%s: %s\n", entry.path.c_str(), entry.reason.c_str());
  }
  if (report.files_scanned() == 0) {
    return usage_error("scan", "nothing could be scanned");
  }
  std::fprintf(stderr, "delivery %s\n", report.passes() ? "passes" : "FAILS");
  for (const std::string& what : report.not_checked) {
    std::fprintf(stderr, "  not checked: %s\n", what.c_str());
  }
  return report.passes() ? kExitOk : kExitNo;
}

}  // namespace

void add_file_time_limit_options(CLI::App* cmd, double* limit_seconds, double* seconds_per_gib) {
  cmd->add_option("--file-time-limit", *limit_seconds,
                  "Seconds a file may take before it is abandoned with an error, plus "
                  "--file-seconds-per-gib for each GiB of it (0: no limit)")
      ->check(CLI::Range(0.0, 1e7));
  cmd->add_option("--file-seconds-per-gib", *seconds_per_gib,
                  "Seconds added to --file-time-limit for each GiB of a file")
      ->check(CLI::Range(0.0, 1e7));
}

void add_scan_command(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ScanCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "scan", "Scan a delivery (files, folders) for registered and undeclared AI material");
  cmd->add_option("paths", options->paths, "Files and folders to scan")->required();
  cmd->add_option("--production", options->production, "Production code or id")->required();
  cmd->add_option("--db", options->db, "sqlite:PATH or postgresql://...");
  cmd->add_option("--json", options->json, "Write the JSON report here (- for stdout)");
  cmd->add_option("--html", options->html, "Write the HTML report here");
  cmd->add_option("--threads", options->threads, "Decoder threads (0: automatic)")
      ->check(CLI::Range(0, 256));
  cmd->add_option("--stride", options->stride, "Hash every Nth frame")->check(CLI::Range(1, 1000));
  cmd->add_option("--radius", options->radius, "PDQ Hamming radius")->check(CLI::Range(0, 128));
  cmd->add_flag("--quiet", options->quiet, "No progress bar on a terminal");
  cmd->add_option("--timecode-rate", options->timecode_rate,
                  "Frame rate the timecodes of audio files count at: 25, 24000/1001, 29.97df "
                  "(default: the delivery's picture rate when its video files share one, else "
                  "25)");
  add_file_time_limit_options(cmd, &options->file_time_limit, &options->file_seconds_per_gib);
  cmd->add_option("--min-quality", options->min_quality, "PDQ quality under which frames are flat")
      ->check(CLI::Range(0, 100));
  auto* key = cmd->add_option("--watermark-key", options->watermark_key_file,
                              "File holding the 32-byte watermark key");
  cmd->add_option("--watermark-passphrase", options->watermark_passphrase_env,
                  "Environment variable holding the watermark passphrase")
      ->excludes(key);
  cmd->footer(exit_codes_footer(
      {{kExitOk, "the delivery passes: every finding is cleared and every file was scanned"},
       {kExitNo,
        "it fails: a finding with another verdict, or a file that could not be scanned "
        "in full"}}));
  cmd->callback([options, exit_code] { *exit_code = run_scan(*options); });
}

}  // namespace clearcut::cmd
