// What the scanner's watermark check sees in video (bench/README.md, "Watermark windows in the
// scan"): the sync score of single-frame detection on unmarked footage (where the scan's
// escalation threshold must sit above) and on H.264 CRF 28 frames of marked synthetic video
// (per frame: found or not, and the sync score of the misses), and the share of 8-frame windows
// that recover the payload when the window's frames are consecutive or spaced; then the scanner
// itself (scan::scan_file) on cuts of a marked clip between unmarked shots, with single frames
// only and with windows at several escalation scores: how much of the clip its finding covers.
//
//   scan_watermark_eval [--size WxH] [--frames N] [--crf C] [--cuts N] [--passphrase P]
//                       [UNMARKED_VIDEO...]
//
// Unmarked videos are read frame by frame through media::VideoReader, as the scanner reads them;
// every frame is checked. Clips are made with the ffmpeg tool (libx264, -preset medium, 24 fps).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "clearcut/media/ffmpeg/video_reader.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/provenance/watermark/video_watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_attacks.h"
#include "clearcut/provenance/watermark/watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_embedder.h"
#include "clearcut/scan/scanner.h"

namespace {

namespace fs = std::filesystem;
namespace wm = clearcut::watermark;
using clearcut::media::VideoReader;

struct Luma {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> y;
};

std::vector<Luma> read_lumas(const std::string& path, int limit) {
  std::vector<Luma> out;
  auto reader = VideoReader::open(path);
  if (!reader) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), reader.error().to_string().c_str());
    return out;
  }
  for (;;) {
    auto frame = reader->next();
    if (!frame || !frame->has_value() || static_cast<int>(out.size()) >= limit) {
      break;
    }
    const auto& l = (*frame)->luma;
    Luma copy{l.width, l.height, std::vector<uint8_t>(static_cast<size_t>(l.width) * l.height)};
    for (int r = 0; r < l.height; ++r) {
      std::copy_n(l.data + r * l.stride, l.width,
                  copy.y.begin() + static_cast<ptrdiff_t>(r) * l.width);
    }
    out.push_back(std::move(copy));
  }
  return out;
}

void percentiles(const char* what, std::vector<double> v) {
  if (v.empty()) {
    std::printf("%-34s n=0\n", what);
    return;
  }
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    return v[static_cast<size_t>(q * (v.size() - 1))];
  };
  auto share = [&](double t) {
    return 100.0 * static_cast<double>(v.end() - std::lower_bound(v.begin(), v.end(), t)) /
           static_cast<double>(v.size());
  };
  std::printf(
      "%-34s n=%-5zu min %.2f  p10 %.2f  p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  "
      ">=4.5: %.1f%%  >=5: %.1f%%\n",
      what, v.size(), v.front(), at(0.1), at(0.5), at(0.9), at(0.99), v.back(), share(4.5),
      share(5.0));
}

// Encodes shots of synthetic video (each `frames` frames of its seed, marked with `payload` when
// it is not 0) as one H.264 clip at 24 fps; false when ffmpeg fails.
struct Shot {
  int frames;
  uint64_t seed;
  uint64_t payload;
};
bool encode(const std::vector<Shot>& shots, int width, int height, int crf,
            const wm::WatermarkKey& key, const std::string& out) {
  const fs::path dir = fs::path(out).parent_path() / "frames";
  fs::create_directories(dir);
  int n = 0;
  for (const Shot& shot : shots) {
    for (int f = 0; f < shot.frames; ++f) {
      clearcut::media::Image frame = wm::testing::synthetic_frame(width, height, f, shot.seed);
      if (shot.payload != 0) {
        frame = *wm::embed_image(frame, shot.payload, key);
      }
      auto png = clearcut::media::encode_png(frame);
      char name[32];
      std::snprintf(name, sizeof name, "in%04d.png", n++);
      std::ofstream((dir / name).string(), std::ios::binary)
          .write(reinterpret_cast<const char*>(png->data()),
                 static_cast<std::streamsize>(png->size()));
    }
  }
  const std::string command = "ffmpeg -nostdin -v error -y -framerate 24 -i " +
                              (dir / "in%04d.png").string() + " -c:v libx264 -crf " +
                              std::to_string(crf) + " -pix_fmt yuv420p " + out;
  const bool ok = std::system(command.c_str()) == 0;
  fs::remove_all(dir);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  int width = 1280;
  int height = 720;
  int frames = 96;
  int crf = 28;
  int cuts = 6;
  std::string passphrase = "scan watermark eval";
  std::vector<std::string> unmarked;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--size" && i + 1 < argc) {
      std::sscanf(argv[++i], "%dx%d", &width, &height);
    } else if (arg == "--frames" && i + 1 < argc) {
      frames = std::atoi(argv[++i]);
    } else if (arg == "--passphrase" && i + 1 < argc) {
      passphrase = argv[++i];
    } else if (arg == "--cuts" && i + 1 < argc) {
      cuts = std::atoi(argv[++i]);
    } else if (arg == "--crf" && i + 1 < argc) {
      crf = std::atoi(argv[++i]);
    } else {
      unmarked.push_back(arg);
    }
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress when piped
  auto key = *wm::WatermarkKey::from_passphrase(passphrase);

  for (const std::string& path : unmarked) {
    std::vector<double> scores;
    for (const Luma& l : read_lumas(path, 100000)) {
      auto d = wm::detect(clearcut::media::LumaView{l.y.data(), l.width, l.height, 0}, key);
      if (d && d->found) {
        std::printf("FALSE POSITIVE in %s\n", path.c_str());
      }
      if (d) {
        scores.push_back(d->sync_score);
      }
    }
    percentiles(("unmarked " + fs::path(path).filename().string()).c_str(), scores);
  }

  const fs::path dir =
      fs::temp_directory_path() / ("clearcut_scan_wm_eval_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const uint64_t payload = 0x0123456789abcdefULL;
  const std::string clip = (dir / "clip.mp4").string();
  if (!encode({{frames, 5, payload}}, width, height, crf, key, clip)) {
    std::fprintf(stderr, "ffmpeg failed\n");
    return 1;
  }
  std::vector<Luma> lumas = read_lumas(clip, frames);
  std::vector<double> hit_scores;
  std::vector<double> miss_scores;
  std::string pattern;
  for (const Luma& l : lumas) {
    auto d = wm::detect(clearcut::media::LumaView{l.y.data(), l.width, l.height, 0}, key);
    const bool ok = d && d->found && d->payload == payload;
    (ok ? hit_scores : miss_scores).push_back(d ? d->sync_score : 0);
    pattern += ok ? '#' : '.';
  }
  std::printf("marked %dx%d crf %d, %zu frames: %zu found per frame\n  %s\n", width, height, crf,
              lumas.size(), hit_scores.size(), pattern.c_str());
  percentiles("marked, found: sync", hit_scores);
  percentiles("marked, missed: sync", miss_scores);
  for (int spacing : {1, 2, 3}) {
    constexpr int kWindow = 8;
    int windows = 0;
    int found = 0;
    std::vector<double> scores;
    for (int start = 0; start + (kWindow - 1) * spacing < static_cast<int>(lumas.size()); ++start) {
      wm::VideoWatermarkDetector video(key);
      for (int k = 0; k < kWindow; ++k) {
        const Luma& l = lumas[static_cast<size_t>(start + k * spacing)];
        (void)video.add_frame(clearcut::media::LumaView{l.y.data(), l.width, l.height, 0});
      }
      auto d = video.detect();
      ++windows;
      if (d && d->found && d->payload == payload) {
        ++found;
      }
      scores.push_back(d ? d->sync_score : 0);
    }
    std::printf("8-frame windows, spacing %d: %d of %d found\n", spacing, found, windows);
    percentiles("  window sync", scores);
  }

  // Cuts: 2 s of unmarked host, a 4 s marked clip starting 0.1 s later each cut (so that the
  // once-a-second checks land at different places in it), 2 s of host.
  struct Setting {
    const char* name;
    int window;
    double score;
  };
  const std::vector<Setting> settings = {{"single frames", 0, 0},
                                         {"windows, score 4.5", 8, 4.5},
                                         {"windows, score 5.0", 8, 5.0},
                                         {"windows, score 5.5", 8, 5.5}};
  std::vector<double> covered(settings.size());
  std::vector<double> overrun(settings.size());
  std::vector<int> found(settings.size());
  std::vector<int64_t> windows(settings.size());
  std::vector<int64_t> checks(settings.size());
  clearcut::scan::Registry registry;
  registry.production.id = 1;
  clearcut::domain::Asset asset;
  asset.id = 1;
  asset.production_id = 1;
  asset.file_name = "clip.mp4";
  asset.watermark_payload = payload;
  registry.assets.emplace(1, asset);
  registry.by_watermark.emplace(payload, 1);
  for (int c = 0; c < cuts; ++c) {
    const int lead = 48 + 12 * c / 5;  // 2.0 .. 2.5 s
    const int first = lead;
    const int last = lead + 95;
    const std::string cut = (dir / "cut.mp4").string();
    if (!encode({{lead, 100 + static_cast<uint64_t>(c), 0},
                 {96, 200 + static_cast<uint64_t>(c), payload},
                 {48, 300 + static_cast<uint64_t>(c), 0}},
                width, height, crf, key, cut)) {
      return 1;
    }
    for (size_t i = 0; i < settings.size(); ++i) {
      clearcut::scan::ScanOptions options;
      options.watermark_key = key;
      options.watermark_window_frames = settings[i].window;
      options.watermark_window_score = settings[i].score;
      options.now = "2026-01-01T00:00:00Z";
      const clearcut::scan::FileReport report =
          clearcut::scan::scan_file(clearcut::scan::ScanInput{cut, false}, registry, options);
      int64_t in = 0;
      int64_t out = 0;
      for (const auto& f : report.findings) {
        if (f.asset_id != 1) {
          std::printf("FINDING OF ANOTHER ASSET in cut %d\n", c);
          continue;
        }
        in += std::max<int64_t>(
            0, std::min<int64_t>(f.last_frame, last) - std::max<int64_t>(f.first_frame, first) + 1);
        out += (f.last_frame - f.first_frame + 1) -
               std::max<int64_t>(0, std::min<int64_t>(f.last_frame, last) -
                                        std::max<int64_t>(f.first_frame, first) + 1);
      }
      found[i] += in > 0 ? 1 : 0;
      covered[i] += static_cast<double>(in) / 96.0;
      overrun[i] += static_cast<double>(out) / 24.0;
      windows[i] += report.watermark_windows;
      checks[i] += report.watermark_checks;
    }
  }
  fs::remove_all(dir);
  std::printf("\nscan of %d cuts (4 s marked clip between unmarked shots):\n", cuts);
  std::printf("  %-20s %7s %12s %14s %8s %8s\n", "setting", "found", "clip covered",
              "beyond it (s)", "checks", "windows");
  for (size_t i = 0; i < settings.size(); ++i) {
    std::printf("  %-20s %3d/%-3d %11.1f%% %14.2f %8lld %8lld\n", settings[i].name, found[i], cuts,
                100.0 * covered[i] / cuts, overrun[i] / cuts, static_cast<long long>(checks[i]),
                static_cast<long long>(windows[i]));
  }
  return 0;
}
