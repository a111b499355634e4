// Video scan throughput against the physical limit, bare FFmpeg decoding of the same file on the
// same decoder threads (ARCHITECTURE.md, "Performance: how it is measured"):
//   (a) BM_BareDecode     plain libav* demux + decode, frames dropped (clearcut::bare_decode)
//   (b) BM_ReaderLuma     VideoReader handing every frame's luma view to a callback
//   (c) BM_ReaderPdq      (b) + a PDQ hash of every frame's full luma on the calling thread
//                         (pdq_ms: the hash's CPU time per frame)
//   (d) BM_ReaderTrimPdq  (c) on the picture inside black bars (BlackBarTracker; trim_ms: its
//                         CPU time per frame)
//   (e) BM_ReaderBoxPdq   (b) + PdqHasher::hash_box_reduced, the scanner's video-frame hash (the
//                         luma box-averaged to a longer side of 480-959 px, 1080p: 4x4 blocks)
//   (f) BM_Scan           the real thing: scan::scan_file on the input, every frame hashed and
//                         matched against a registry of VIDEO_BENCH_CODES random codes (default
//                         1,000,000; 10,000 for the tiny default clip) plus the exact PDQ hashes
//                         of every 48th frame of the input as registered assets, which the scan
//                         must find (the label counts its findings)
//   (g) BM_ScanWatermark  (f) with a watermark key on the (unmarked) input, one frame checked a
//                         second, single frames only (second argument 0)
//   (h) BM_ScanWatermark  (g) as the scanner runs by default (second argument 8): a miss that
//                         shows evidence of a mark escalates to an 8-frame window (the label
//                         counts checks and windows). The third argument is
//                         ScanOptions::watermark_max_skips: 3 (the default) lets checks thin out
//                         to one in 4 s while the picture stays steady and shows nothing; 0
//                         (",every" in the table) checks every second
//   (i) BM_ScanSound      (f) with registered sound (VIDEO_BENCH_LINES fingerprints of 3 s
//                         synthetic lines, default 200): every audio stream of the input is also
//                         decoded, fingerprinted and searched (issue #18: audio may add at most
//                         10% to a scan). The table's last column is (i) against (f).
//   (j) BM_Sound          the scan's sound work alone, as scan_audio does it: every audio stream
//                         decoded to 8 kHz mono, fingerprinted and searched (CPU per video frame
//                         of the input, so that it adds to (f)); (f) + (j) is what (i) measures,
//                         which on a loaded machine the noise of two scans can hide. Second
//                         argument 1: and each stream read for the audio watermark as a scan
//                         with a key reads it (3 s windows every 3 s).
// The argument is the decoder's thread count. Frames/s are wall-clock (decoding is threaded);
// cpu_ms is the process's CPU time per frame over all threads, which a loaded machine disturbs
// less. After the run a table sets (b) to (f) against (a) both ways: by frames/s, and by CPU
// per frame (the frames/s ratio a machine whose cores the scan saturates would see).
//
// Input: VIDEO_BENCH_FILE=path, else a tiny 320x240 H.264 clip made with the ffmpeg tool at
// start, so that CI's smoke run stays short. A 1080p input for real figures:
//   ffmpeg -f lavfi -i "testsrc2=s=1920x1080:r=24000/1001,noise=alls=10:allf=t" -t 25
//          -c:v libx264 -crf 20 -pix_fmt yuv420p noisy_1080p.mp4      (one command)
//   VIDEO_BENCH_FILE=noisy_1080p.mp4 build/release/bench/video_bench --benchmark_min_time=5
// and with stereo 48 kHz sound for (i) (the tiny default clip has a stereo tone):
//   ffmpeg -f lavfi -i "testsrc2=s=1920x1080:r=24000/1001,noise=alls=10:allf=t" -f lavfi
//          -i "anoisesrc=r=48000:a=0.05:c=pink" -f lavfi -i "sine=f=220:r=48000" -filter_complex
//          "[1:a][2:a]amix=inputs=2,aformat=channel_layouts=stereo[a]" -map 0:v -map "[a]" -t 25
//          -c:v libx264 -crf 20 -pix_fmt yuv420p -c:a aac -b:a 192k noisy_1080p_stereo.mp4
#include <stdlib.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "clearcut/audio/fingerprint.h"
#include "clearcut/audio/landmark_index.h"
#include "clearcut/audio/watermark.h"
#include "clearcut/domain/account.h"
#include "clearcut/domain/asset.h"
#include "clearcut/match/match_index.h"
#include "clearcut/media/ffmpeg/audio_reader.h"
#include "clearcut/media/ffmpeg/bare_decode.h"
#include "clearcut/media/ffmpeg/black_bar_detector.h"
#include "clearcut/media/ffmpeg/video_reader.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"
#include "clearcut/provenance/watermark/watermark_key.h"
#include "clearcut/scan/registry.h"
#include "clearcut/scan/scanner.h"

namespace clearcut::bench {
namespace {

using media::VideoFrame;
using media::VideoReader;
using provenance::PdqHasher;
using provenance::PdqResult;
using provenance::PixelView;

// The input file, made on first use unless VIDEO_BENCH_FILE names one; a made file's folder is
// removed at exit.
class Input {
 public:
  static const Input& get() {
    static Input input;
    return input;
  }
  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }

  ~Input() {
    if (!temp_dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(temp_dir_, ec);
    }
  }

 private:
  Input() {
    if (const char* file = std::getenv("VIDEO_BENCH_FILE"); file != nullptr && *file != '\0') {
      path_ = file;
      return;
    }
    std::string dir = (std::filesystem::temp_directory_path() / "video_bench_XXXXXX").string();
    if (mkdtemp(dir.data()) == nullptr) {
      error_ = "cannot make a temporary folder";
      return;
    }
    temp_dir_ = dir;
    path_ = dir + "/testsrc2_320x240.mp4";
    const std::string command =
        "ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i testsrc2=s=320x240:r=25 "
        "-f lavfi -i sine=f=440:r=48000 -frames:v 48 -c:v libx264 -preset ultrafast "
        "-pix_fmt yuv420p -c:a aac -ac 2 -shortest '" +
        path_ + "'";
    if (std::system(command.c_str()) != 0) {
      error_ = "cannot make the input clip with the ffmpeg tool (set VIDEO_BENCH_FILE)";
    }
  }

  std::string path_;
  std::string temp_dir_;
  std::string error_;
};

struct Rate {
  double fps = 0;     // frames per wall-clock second
  double cpu_ms = 0;  // process CPU milliseconds (all threads) per frame
};

// Each benchmark's figures, by name and thread count.
std::map<std::pair<std::string, int>, Rate>& rates() {
  static std::map<std::pair<std::string, int>, Rate> r;
  return r;
}

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Wall and process CPU clocks at the start of a benchmark's timed loop.
struct Start {
  Clock::time_point wall = Clock::now();
  double cpu = process_cpu_seconds();
};

void finish(benchmark::State& state, const std::string& name, int64_t frames, const Start& start) {
  if (frames == 0) {
    return;
  }
  Rate rate;
  rate.fps = static_cast<double>(frames) / seconds_since(start.wall);
  rate.cpu_ms = 1e3 * (process_cpu_seconds() - start.cpu) / static_cast<double>(frames);
  state.SetItemsProcessed(frames);
  state.counters["fps"] = rate.fps;
  state.counters["cpu_ms"] = rate.cpu_ms;
  rates()[{name, static_cast<int>(state.range(0))}] = rate;
}

bool input_ok(benchmark::State& state) {
  if (!Input::get().error().empty()) {
    state.SkipWithError(Input::get().error().c_str());
    return false;
  }
  return true;
}

void BM_BareDecode(benchmark::State& state) {
  if (!input_ok(state)) {
    return;
  }
  const int threads = static_cast<int>(state.range(0));
  int64_t frames = 0;
  const Start start;
  for (auto _ : state) {
    auto n = media::bare_decode(Input::get().path(), threads);
    if (!n.has_value()) {
      state.SkipWithError(n.error().to_string().c_str());
      return;
    }
    frames += *n;
  }
  finish(state, "bare", frames, start);
}

// Reads the input once per iteration, calling `on_frame` for every frame.
template <typename OnFrame>
void read_frames(benchmark::State& state, const std::string& name, OnFrame&& on_frame) {
  if (!input_ok(state)) {
    return;
  }
  const int threads = static_cast<int>(state.range(0));
  int64_t frames = 0;
  const Start start;
  for (auto _ : state) {
    auto reader = VideoReader::open(Input::get().path(), {.thread_count = threads});
    if (!reader.has_value()) {
      state.SkipWithError(reader.error().to_string().c_str());
      return;
    }
    base::Status status = reader->for_each([&](const VideoFrame& frame) -> base::Status {
      ++frames;
      on_frame(frame);
      return {};
    });
    if (!status.has_value()) {
      state.SkipWithError(status.error().to_string().c_str());
      return;
    }
  }
  finish(state, name, frames, start);
}

void BM_ReaderLuma(benchmark::State& state) {
  read_frames(state, "luma",
              [](const VideoFrame& frame) { benchmark::DoNotOptimize(frame.luma.data[0]); });
}

void BM_ReaderPdq(benchmark::State& state) {
  PdqHasher hasher;
  double hash_seconds = 0;
  int64_t hashes = 0;
  PdqResult last;
  read_frames(state, "pdq", [&](const VideoFrame& frame) {
    const double start = thread_cpu_seconds();
    last = hasher.hash(
        PixelView{frame.luma.data, frame.luma.width, frame.luma.height, 1, frame.luma.stride});
    hash_seconds += thread_cpu_seconds() - start;
    ++hashes;
  });
  if (hashes > 0) {
    state.counters["pdq_ms"] = 1e3 * hash_seconds / static_cast<double>(hashes);
    state.SetLabel(last.hash.to_hex().substr(0, 16) + " q" + std::to_string(last.quality));
  }
}

void BM_ReaderTrimPdq(benchmark::State& state) {
  PdqHasher hasher;
  PdqResult last;
  media::BlackBarTracker tracker;
  double trim_seconds = 0;
  int64_t frames = 0;
  read_frames(state, "trim+pdq", [&](const VideoFrame& frame) {
    const double start = thread_cpu_seconds();
    const media::LumaView picture = frame.luma.crop(tracker.update(frame.luma));
    trim_seconds += thread_cpu_seconds() - start;
    ++frames;
    last = hasher.hash(PixelView{picture.data, picture.width, picture.height, 1, picture.stride});
  });
  if (frames > 0) {
    state.counters["trim_ms"] = 1e3 * trim_seconds / static_cast<double>(frames);
  }
}

void BM_ReaderBoxPdq(benchmark::State& state) {
  PdqHasher hasher;
  PdqResult last;
  read_frames(state, "box+pdq", [&](const VideoFrame& frame) {
    last = hasher.hash_box_reduced(
        PixelView{frame.luma.data, frame.luma.width, frame.luma.height, 1, frame.luma.stride},
        provenance::box_reduction_factor(frame.luma.width, frame.luma.height));
  });
}

// The registry BM_Scan matches against: random codes and, as registered assets, the exact PDQ
// hashes of every 48th frame of the input (an asset still that shows up in the cut). Built once,
// before the first timed loop.
struct BenchRegistry {
  scan::Registry registry;
  std::string error;
  int assets = 0;
};

// A synthetic "line" of `seconds` at the analysis rate: a glide through speech's formant range
// over a little noise, different for every seed, so that its fingerprint has landmarks.
std::vector<float> synthetic_line(double seconds, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> noise(0.0f, 0.02f);
  const int rate = 8000;
  std::vector<float> s(static_cast<size_t>(seconds * rate));
  const double a = 300.0 + static_cast<double>(rng() % 500);
  const double b = 1.5 + static_cast<double>(rng() % 50) / 10.0;
  double phase = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    phase += 2 * 3.141592653589793 * (a + 250.0 * std::sin(b * t)) / rate;
    s[i] = 0.2f * static_cast<float>(std::sin(phase)) + noise(rng);
  }
  return s;
}

BenchRegistry make_registry(int lines) {
  BenchRegistry b;
  const bool tiny = std::getenv("VIDEO_BENCH_FILE") == nullptr;
  const char* codes_env = std::getenv("VIDEO_BENCH_CODES");
  const int64_t random_codes = codes_env != nullptr ? std::atoll(codes_env)
                               : tiny               ? 10'000
                                                    : 1'000'000;
  b.registry.production.id = 1;
  b.registry.production.code = "bench";
  std::vector<match::Entry> entries;
  auto reader = VideoReader::open(Input::get().path());
  if (!reader.has_value()) {
    b.error = reader.error().to_string();
    return b;
  }
  PdqHasher hasher;
  base::Status status = reader->for_each([&](const VideoFrame& frame) -> base::Status {
    if (frame.index % 48 != 0) {
      return {};
    }
    PdqResult exact = hasher.hash(
        PixelView{frame.luma.data, frame.luma.width, frame.luma.height, 1, frame.luma.stride});
    domain::Asset asset;
    asset.id = ++b.assets;
    asset.production_id = 1;
    asset.use_case_id = 1;
    asset.file_name = "frame_" + std::to_string(frame.index) + ".png";
    asset.pdq = exact.hash.to_hex();
    asset.pdq_quality = exact.quality;
    asset.status = domain::AssetStatus::kProvisional;
    b.registry.assets.emplace(asset.id, asset);
    entries.push_back(match::Entry{asset.id, match::Code{exact.hash.words()}});
    return {};
  });
  if (!status.has_value()) {
    b.error = status.error().to_string();
    return b;
  }
  std::mt19937_64 rng(2026);
  for (int64_t i = 0; i < random_codes; ++i) {
    entries.push_back(match::Entry{1'000'000'000 + i, match::Code{rng(), rng(), rng(), rng()}});
  }
  auto index = match::MatchIndex::build(entries);
  if (!index.has_value()) {
    b.error = index.error().to_string();
    return b;
  }
  b.registry.index = std::move(*index);
  b.registry.assets_with_pdq = b.assets;
  for (int i = 0; i < lines; ++i) {
    auto fp = audio::fingerprint(synthetic_line(3.0, 7000 + static_cast<uint64_t>(i)));
    if (!fp.has_value() || !b.registry.audio_index.add("line" + std::to_string(i), *fp)) {
      b.error = "a synthetic line did not fingerprint";
      return b;
    }
  }
  return b;
}

const BenchRegistry& bench_registry() {
  static const BenchRegistry built = make_registry(0);
  return built;
}

const BenchRegistry& bench_registry_with_sound() {
  static const BenchRegistry built = [] {
    const char* lines = std::getenv("VIDEO_BENCH_LINES");
    return make_registry(lines != nullptr ? std::atoi(lines) : 200);
  }();
  return built;
}

void run_scan(benchmark::State& state, const scan::ScanOptions& options, const char* name,
              const BenchRegistry& b = bench_registry()) {
  if (!input_ok(state)) {
    return;
  }
  if (!b.error.empty()) {
    state.SkipWithError(b.error.c_str());
    return;
  }
  int64_t frames = 0;
  int64_t hashed = 0;
  int64_t checks = 0;
  int64_t windows = 0;
  size_t findings = 0;
  double audio_seconds = 0;
  const Start start;
  for (auto _ : state) {
    scan::FileReport report =
        scan::scan_file(scan::ScanInput{Input::get().path(), false}, b.registry, options);
    if (!report.error.empty()) {
      state.SkipWithError(report.error.c_str());
      return;
    }
    frames += report.frames_decoded;
    hashed += report.frames_hashed;
    checks += report.watermark_checks;
    windows += report.watermark_windows;
    findings = report.findings.size();
    for (const scan::AudioTrackReport& a : report.audio) {
      audio_seconds += a.seconds;
    }
  }
  finish(state, name, frames, start);
  std::string label = std::to_string(hashed) + "/" + std::to_string(frames) + " frames hashed, " +
                      std::to_string(findings) + " findings of " + std::to_string(b.assets) +
                      " assets, " + std::to_string(b.registry.index.size()) + " codes";
  if (b.registry.audio_index.outputs() > 0) {
    label += ", " + std::to_string(b.registry.audio_index.outputs()) + " lines registered, " +
             std::to_string(std::lround(audio_seconds)) + " s of audio searched";
  }
  if (options.watermark_key) {
    label += ", " + std::to_string(checks) + " watermark checks, " + std::to_string(windows) +
             " windows";
  }
  state.SetLabel(label);
}

void BM_Scan(benchmark::State& state) {
  scan::ScanOptions options;
  options.threads = static_cast<int>(state.range(0));
  options.now = "2026-01-01T00:00:00Z";
  run_scan(state, options, "scan");
}

void BM_ScanWatermark(benchmark::State& state) {
  scan::ScanOptions options;
  options.threads = static_cast<int>(state.range(0));
  options.now = "2026-01-01T00:00:00Z";
  options.watermark_key = *watermark::WatermarkKey::from_passphrase("video bench");
  options.watermark_window_frames = static_cast<int>(state.range(1));
  options.watermark_max_skips = static_cast<int>(state.range(2));
  const bool windows = state.range(1) >= 2;
  const bool every = state.range(2) == 0;
  run_scan(
      state, options,
      windows ? (every ? "scan+win,every" : "scan+win") : (every ? "scan+wm,every" : "scan+wm"));
}

void BM_ScanSound(benchmark::State& state) {
  scan::ScanOptions options;
  options.threads = static_cast<int>(state.range(0));
  options.now = "2026-01-01T00:00:00Z";
  const BenchRegistry& b = bench_registry_with_sound();
  if (!b.error.empty()) {
    state.SkipWithError(b.error.c_str());
    return;
  }
  run_scan(state, options, "scan+sound", b);
}

// The input's video frames, from its stated duration and rate (BM_Sound's unit).
int64_t input_frames() {
  static const int64_t frames = [] {
    auto reader = VideoReader::open(Input::get().path());
    if (!reader.has_value() || !reader->info().duration_seconds) {
      return int64_t{0};
    }
    return static_cast<int64_t>(
        std::llround(*reader->info().duration_seconds * reader->info().frame_rate.to_double()));
  }();
  return frames;
}

void BM_Sound(benchmark::State& state) {
  if (!input_ok(state)) {
    return;
  }
  const BenchRegistry& b = bench_registry_with_sound();
  auto probe = media::probe_audio(Input::get().path());
  if (!b.error.empty() || !probe.has_value() || probe->streams.empty() || input_frames() == 0) {
    state.SkipWithError("the input has no sound or no stated length");
    return;
  }
  const bool marks = state.range(1) != 0;
  const watermark::WatermarkKey key = *watermark::WatermarkKey::from_passphrase("video bench");
  int64_t frames = 0;
  size_t matches = 0;
  const Start start;
  for (auto _ : state) {
    for (const media::AudioStreamInfo& stream : probe->streams) {
      media::AudioDecodeOptions options;
      options.stream_index = stream.stream_index;
      auto decoded = media::decode_audio(Input::get().path(), options);
      auto fp = decoded ? audio::fingerprint(decoded->samples, audio::query_options())
                        : base::Result<audio::Fingerprint>(decoded.error());
      auto found = fp ? b.registry.audio_index.match(*fp, decoded->start_seconds)
                      : base::Result<std::vector<audio::AudioMatch>>(fp.error());
      if (!found.has_value()) {
        state.SkipWithError(found.error().to_string().c_str());
        return;
      }
      matches = found->size();
      if (marks) {
        auto read = audio::scan_watermarks(decoded->samples, decoded->sample_rate, key, {3.0, 3.0});
        if (!read.has_value()) {
          state.SkipWithError(read.error().to_string().c_str());
          return;
        }
      }
    }
    frames += input_frames();
  }
  finish(state, marks ? "sound+wm" : "sound", frames, start);
  state.SetLabel(std::to_string(probe->streams.size()) + " audio stream(s), " +
                 std::to_string(matches) + " matches, " +
                 std::to_string(b.registry.audio_index.outputs()) + " lines registered");
}

// Threads 1 and 2 (the CI machine has 2 cores); more oversubscribe the cores the hash needs.
BENCHMARK(BM_BareDecode)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReaderLuma)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReaderPdq)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReaderTrimPdq)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReaderBoxPdq)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Scan)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScanSound)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Sound)->Args({1, 0})->Args({1, 1})->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScanWatermark)
    ->Args({1, 0, 3})
    ->Args({1, 8, 3})
    ->Args({2, 0, 3})
    ->Args({2, 8, 3})
    ->Args({1, 8, 0})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void print_ratios() {
  struct Column {
    const char* name;   // as given to finish()
    const char* title;  // in the table
  };
  static const Column kColumns[] = {
      {"luma", "(b) luma"},    {"pdq", "(c) pdq"},          {"trim+pdq", "(d) trim"},
      {"box+pdq", "(e) box"},  {"scan", "(f) scan"},        {"scan+wm", "(g) wm"},
      {"scan+win", "(h) win"}, {"scan+sound", "(i) sound"}, {"scan+win,every", "(h) every"}};
  const auto& r = rates();
  bool header = false;
  for (const auto& [key, bare] : r) {
    if (key.first != "bare" || bare.fps <= 0) {
      continue;
    }
    if (!header) {
      std::printf("\n%s\n%-7s %-6s %9s", Input::get().path().c_str(), "threads", "figure",
                  "(a) bare");
      for (const Column& c : kColumns) {
        std::printf(" %9s", c.title);
      }
      for (const Column& c : kColumns) {
        std::printf(" %7.3s/(a)", c.title);
      }
      std::printf("\n");
      header = true;
    }
    const int threads = key.second;
    std::vector<Rate> rates_of;
    for (const Column& c : kColumns) {
      auto it = r.find({c.name, threads});
      rates_of.push_back(it == r.end() ? Rate{} : it->second);
    }
    std::printf("%-7d %-6s %9.1f", threads, "fps", bare.fps);
    for (const Rate& x : rates_of) {
      std::printf(" %9.1f", x.fps);
    }
    for (const Rate& x : rates_of) {
      std::printf(" %11.3f", x.fps / bare.fps);
    }
    std::printf("\n%-7d %-6s %9.2f", threads, "cpu_ms", bare.cpu_ms);
    for (const Rate& x : rates_of) {
      std::printf(" %9.2f", x.cpu_ms);
    }
    for (const Rate& x : rates_of) {
      std::printf(" %11.3f", x.cpu_ms > 0 ? bare.cpu_ms / x.cpu_ms : 0.0);
    }
    std::printf("\n");
    // What sound adds to a scan: (j) against (f), and (i) against (f), CPU per frame.
    const Rate& plain = rates_of[4];
    const Rate& sound = rates_of[7];
    for (const char* part : {"sound", "sound+wm"}) {
      auto alone = r.find({part, 1});
      if (plain.cpu_ms > 0 && alone != r.end() && alone->second.cpu_ms > 0) {
        std::printf("%-7d %s alone (j) %.3f ms a frame: %.1f%% of (f) %.2f ms\n", threads, part,
                    alone->second.cpu_ms, 100.0 * alone->second.cpu_ms / plain.cpu_ms,
                    plain.cpu_ms);
      }
    }
    if (plain.cpu_ms > 0 && sound.cpu_ms > 0) {
      std::printf(
          "%-7d sound adds %.1f%% CPU to the scan ((i) %.2f ms against (f) %.2f ms a frame)\n",
          threads, 100.0 * (sound.cpu_ms / plain.cpu_ms - 1.0), sound.cpu_ms, plain.cpu_ms);
    }
  }
}

}  // namespace
}  // namespace clearcut::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  clearcut::bench::print_ratios();
  return 0;
}
