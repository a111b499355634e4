// Video scan throughput against the physical limit, bare FFmpeg decoding of the same file on the
// same decoder threads (ARCHITECTURE.md, "Performance: how it is measured"):
//   (a) BM_BareDecode     plain libav* demux + decode, frames dropped (clearcut::bare_decode)
//   (b) BM_ReaderLuma     VideoReader handing every frame's luma view to a callback
//   (c) BM_ReaderPdq      (b) + a PDQ hash of every frame's full luma on the calling thread
//                         (pdq_ms: the hash's CPU time per frame)
//   (d) BM_ReaderTrimPdq  (c) on the picture inside black bars (BlackBarTracker; trim_ms: its
//                         CPU time per frame)
//   (e) BM_ReaderQuarterPdq  (c) on a 4x4 box average of the luma (1080p: 480x270), to show what
//                         a cheaper hash input would buy; its hashes differ from (c)'s by a
//                         few bits, so registry and scan would both have to use it
// The argument is the decoder's thread count. Frames/s are wall-clock (decoding is threaded);
// cpu_ms is the process's CPU time per frame over all threads, which a loaded machine disturbs
// less. After the run a table sets (b), (c), (d) against (a) both ways: by frames/s, and by CPU
// per frame (the frames/s ratio a machine whose cores the scan saturates would see).
//
// Input: VIDEO_BENCH_FILE=path, else a tiny 320x240 H.264 clip made with the ffmpeg tool at
// start, so that CI's smoke run stays short. A 1080p input for real figures:
//   ffmpeg -f lavfi -i "testsrc2=s=1920x1080:r=24000/1001,noise=alls=10:allf=t" -t 25
//          -c:v libx264 -crf 20 -pix_fmt yuv420p noisy_1080p.mp4      (one command)
//   VIDEO_BENCH_FILE=noisy_1080p.mp4 build/release/bench/video_bench --benchmark_min_time=5
#include <stdlib.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "clearcut/media/ffmpeg/bare_decode.h"
#include "clearcut/media/ffmpeg/black_bar_detector.h"
#include "clearcut/media/ffmpeg/video_reader.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"

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
        "-frames:v 48 -c:v libx264 -preset ultrafast -pix_fmt yuv420p '" +
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

// The mean of each 4x4 block (the last partial blocks dropped), into `out`.
media::LumaView quarter(const media::LumaView& in, std::vector<uint8_t>& out) {
  const int w = in.width / 4;
  const int h = in.height / 4;
  out.resize(static_cast<size_t>(w) * static_cast<size_t>(h));
  std::vector<uint16_t> sums(static_cast<size_t>(w));
  for (int y = 0; y < h; ++y) {
    std::fill(sums.begin(), sums.end(), uint16_t{0});
    for (int r = 0; r < 4; ++r) {
      const uint8_t* row = in.row(4 * y + r);
      for (int x = 0; x < w; ++x) {
        sums[x] = static_cast<uint16_t>(sums[x] + row[4 * x] + row[4 * x + 1] + row[4 * x + 2] +
                                        row[4 * x + 3]);
      }
    }
    uint8_t* o = out.data() + static_cast<size_t>(y) * w;
    for (int x = 0; x < w; ++x) {
      o[x] = static_cast<uint8_t>((sums[x] + 8) >> 4);
    }
  }
  return media::LumaView{out.data(), w, h, w};
}

void BM_ReaderQuarterPdq(benchmark::State& state) {
  PdqHasher hasher;
  PdqResult last;
  std::vector<uint8_t> small;
  read_frames(state, "quarter", [&](const VideoFrame& frame) {
    const media::LumaView q = quarter(frame.luma, small);
    last = hasher.hash(PixelView{q.data, q.width, q.height, 1, q.stride});
  });
}

// Threads 1 and 2 (the CI machine has 2 cores); more oversubscribe the cores the hash needs.
BENCHMARK(BM_BareDecode)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReaderLuma)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReaderPdq)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReaderTrimPdq)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReaderQuarterPdq)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

void print_ratios() {
  const auto& r = rates();
  bool header = false;
  for (const auto& [key, bare] : r) {
    if (key.first != "bare" || bare.fps <= 0) {
      continue;
    }
    if (!header) {
      std::printf("\n%s\n%-7s %-6s %9s %9s %9s %9s %9s %7s %7s %7s %7s\n",
                  Input::get().path().c_str(), "threads", "figure", "(a) bare", "(b) luma",
                  "(c) pdq", "(d) trim", "(e) qtr", "(b)/(a)", "(c)/(a)", "(d)/(a)", "(e)/(a)");
      header = true;
    }
    const int threads = key.second;
    auto get = [&](const char* name) {
      auto it = r.find({name, threads});
      return it == r.end() ? Rate{} : it->second;
    };
    const Rate b = get("luma");
    const Rate c = get("pdq");
    const Rate d = get("trim+pdq");
    const Rate e = get("quarter");
    std::printf("%-7d %-6s %9.1f %9.1f %9.1f %9.1f %9.1f %7.3f %7.3f %7.3f %7.3f\n", threads, "fps",
                bare.fps, b.fps, c.fps, d.fps, e.fps, b.fps / bare.fps, c.fps / bare.fps,
                d.fps / bare.fps, e.fps / bare.fps);
    auto inverse = [&](const Rate& x) {
      return x.cpu_ms > 0 ? bare.cpu_ms / x.cpu_ms : 0.0;
    };
    std::printf("%-7d %-6s %9.2f %9.2f %9.2f %9.2f %9.2f %7.3f %7.3f %7.3f %7.3f\n", threads,
                "cpu_ms", bare.cpu_ms, b.cpu_ms, c.cpu_ms, d.cpu_ms, e.cpu_ms, inverse(b),
                inverse(c), inverse(d), inverse(e));
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
