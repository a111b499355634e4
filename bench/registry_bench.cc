// The registry a scan matches against (scan/registry.h). Before, each scan job read it whole
// (load_registry: every output of every production, its PDQ codes as text, thumbnails, then
// the match index built); now a scan worker keeps it (RegistryCache::refresh: every status,
// and only the outputs stamped since). This prints both for the same database, the ratio of
// each refresh to the whole read, and what a registry holds in memory per PDQ code, the figure
// docs/scaling.md multiplies out. The database is made here: SQLite in a temporary folder, the
// demo's productions and REGISTRY_BENCH_OUTPUTS outputs (default 10,000) of 100 frame codes
// each, with a thumbnail-sized text each as `clearcut stamp` stores. Any --benchmark_* argument
// (scripts/bench-smoke) runs a small pass that proves it works.
#include "clearcut/scan/registry.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/app/demo.h"
#include "clearcut/app/service.h"

namespace {

using namespace clearcut;
namespace fs = std::filesystem;

constexpr int kCodesPerOutput = 100;

std::string random_hex(std::mt19937_64& random, size_t bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(random() & 0xFF);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

// Resident memory of this process, in bytes.
size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0;
  size_t resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

[[noreturn]] void fail(const char* what, const base::Error& error) {
  std::fprintf(stderr, "registry_bench: %s: %s\n", what, error.to_string().c_str());
  std::exit(1);
}

template <typename T>
T must(base::Result<T> result, const char* what) {
  if (!result) {
    fail(what, result.error());
  }
  return std::move(*result);
}

void must(const base::Status& status, const char* what) {
  if (!status) {
    fail(what, status.error());
  }
}

// `count` outputs of use case 3 (the demo's), each with 100 random frame codes, in one
// transaction.
void stamp_outputs(store::Store& store, int count, std::mt19937_64& random) {
  auto tx = must(store.begin(), "begin");
  const domain::UseCase use_case = must(tx->use_cases().get(3), "use case 3");
  const std::string thumbnail(6000, 'A');  // a 160 px JPEG in base64 is about this long
  for (int i = 0; i < count; ++i) {
    domain::Asset asset;
    asset.production_id = use_case.production_id;
    asset.use_case_id = use_case.id;
    asset.file_name = "shot_" + std::to_string(i) + ".mp4";
    asset.media_type = "video/mp4";
    asset.sha256 = random_hex(random, 32);
    asset.pdq = random_hex(random, 32);
    asset.pdq_quality = 90;
    for (int c = 1; c < kCodesPerOutput; ++c) {
      asset.frame_pdq.push_back(random_hex(random, 32));
    }
    asset.watermark_payload = random() | 1;
    asset.thumbnail = thumbnail;
    asset.created_by = use_case.created_by;
    asset.created_at = "2026-12-07T12:00:00Z";
    must(tx->assets().create(asset), "create asset");
  }
  must(tx->commit(), "commit");
}

template <typename F>
double median_ms(int runs, F&& f) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  bool smoke = false;
  for (int i = 1; i < argc; ++i) {
    smoke |= std::string_view(argv[i]).starts_with("--benchmark");
  }
  int outputs = smoke ? 200 : 10000;
  if (const char* env = std::getenv("REGISTRY_BENCH_OUTPUTS"); env != nullptr && !smoke) {
    outputs = std::max(1, std::atoi(env));
  }
  const fs::path dir = fs::temp_directory_path() / ("registry-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  app::ServiceConfig config;
  config.db = "sqlite:" + (dir / "registry.db").string();
  config.signing_key = (dir / "audit.key").string();
  auto service = must(app::Service::open(config), "open");
  must(app::seed_demo(*service), "demo");
  store::Store& store = service->store();
  std::mt19937_64 random(16);
  stamp_outputs(store, outputs, random);
  const size_t codes = static_cast<size_t>(outputs) * kCodesPerOutput;
  std::printf("registry: %d outputs, %zu PDQ codes (%d each), SQLite (%s)\n", outputs, codes,
              kCodesPerOutput, config.db.c_str());

  const int runs = smoke ? 1 : 3;
  // Memory first, before any other registry has been read and freed (whose pages the
  // allocator would reuse and hide).
  scan::RegistryCache cache(store);
  const size_t before = resident_bytes();
  must(cache.refresh("squid-game-s3"), "first refresh");
  const size_t held = resident_bytes() - before;
  const double whole =
      median_ms(runs, [&] { must(scan::load_registry(store, "squid-game-s3"), "load"); });
  const double nothing_new =
      median_ms(runs, [&] { must(cache.refresh("squid-game-s3"), "refresh"); });
  const int stamped = smoke ? 5 : 100;
  double some_new = 0;
  for (int i = 0; i < runs; ++i) {
    stamp_outputs(store, stamped, random);
    some_new += median_ms(1, [&] { must(cache.refresh("squid-game-s3"), "refresh"); }) / runs;
  }
  const scan::Registry* registry = must(cache.refresh("squid-game-s3"), "refresh");
  const match::MemoryUsage index = registry->index.memory_usage();

  std::printf("\n| what a scan job pays for its registry | ms | vs reading it whole |\n");
  std::printf("|---|---:|---:|\n");
  std::printf(
      "| load_registry: every output read and indexed (each job, before; now without "
      "thumbnails) | %.1f | 1.00 |\n",
      whole);
  std::printf("| RegistryCache::refresh, nothing stamped since | %.1f | %.3f |\n", nothing_new,
              nothing_new / whole);
  std::printf("| RegistryCache::refresh, %d outputs (%d codes) stamped since | %.1f | %.3f |\n",
              stamped, stamped * kCodesPerOutput, some_new, some_new / whole);
  std::printf(
      "\nmemory: a kept registry adds %.1f MB resident for %zu codes: %.0f bytes a code "
      "(the match index %.0f of them); at 10M codes about %.2f GB\n",
      static_cast<double>(held) / 1e6, codes, static_cast<double>(held) / codes,
      static_cast<double>(index.total()) / codes, static_cast<double>(held) / codes * 1e7 / 1e9);
  service.reset();
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return 0;
}
