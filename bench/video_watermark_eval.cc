// Watermark robustness on generated video, through the path `clearcut stamp` takes for an MP4:
// every frame's luma marked and the clip re-encoded by media::rewrite_video (libx264 CRF 16),
// then the whole stamped clip attacked with the ffmpeg tool as a delivery pipeline would
// (H.264 CRF 28, resize 0.5 and 0.75, crop to 60%, blur, noise, brightness; each written again
// as H.264), decoded, and searched per frame and per window of 8 consecutive frames (the
// scanner's VideoWatermarkDetector). Unmarked sources are searched the same way for false
// positives.
//
//   video_watermark_eval [--frames N] [--size WxH] [--verbose]
//
// Sources (1280x720 by default, 48 frames at 24 fps): FFmpeg's testsrc2 and a Mandelbrot zoom,
// and slow pans over four photographs of the watermark photo set
// (lomiri-wallpapers, /usr/share/backgrounds, CC BY / CC BY-SA / CC0: see the watermark
// README) when installed. Exit 1 when a stamped copy does not read back or an unmarked frame
// reads as marked.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "clearcut/media/ffmpeg/video_reader.h"
#include "clearcut/media/ffmpeg/video_rewriter.h"
#include "clearcut/provenance/watermark/video_watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_embedder.h"
#include "clearcut/provenance/watermark/watermark_key.h"

namespace {

namespace fs = std::filesystem;
namespace wm = clearcut::watermark;
using clearcut::media::RewriteFrame;

constexpr int kWindow = 8;

struct Options {
  int frames = 48;
  int width = 1280;
  int height = 720;
  bool verbose = false;
};

struct Source {
  std::string name;
  std::string input;  // ffmpeg input arguments
};

struct Attack {
  std::string name;
  std::string filter;  // -vf; empty: none
  int crf = 18;        // of the attacked copy
};

struct Tally {
  int frames = 0;
  int frames_found = 0;
  int frames_wrong = 0;  // found with another payload
  int windows = 0;
  int windows_found = 0;
  int windows_wrong = 0;
  double bit_agreement = 0;  // summed over frames: share of payload bits right in the best guess
};

bool run(const std::string& command) {
  return std::system(command.c_str()) == 0;
}

std::string ffmpeg() {
  return "ffmpeg -nostdin -hide_banner -loglevel error -y ";
}

int bits_right(uint64_t a, uint64_t b) {
  return 64 - __builtin_popcountll(a ^ b);
}

// Every frame's luma, tightly packed.
std::vector<std::vector<uint8_t>> read_frames(const std::string& path, int& width, int& height) {
  std::vector<std::vector<uint8_t>> frames;
  auto reader = clearcut::media::VideoReader::open(path);
  if (!reader.has_value()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), reader.error().to_string().c_str());
    return frames;
  }
  auto status =
      reader->for_each([&](const clearcut::media::VideoFrame& f) -> clearcut::base::Status {
        width = f.luma.width;
        height = f.luma.height;
        std::vector<uint8_t> plane(static_cast<size_t>(width) * height);
        for (int y = 0; y < height; ++y) {
          std::memcpy(plane.data() + static_cast<size_t>(y) * width, f.luma.row(y),
                      static_cast<size_t>(width));
        }
        frames.push_back(std::move(plane));
        return {};
      });
  if (!status.has_value()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), status.error().to_string().c_str());
  }
  return frames;
}

// Searches every frame and every run of kWindow consecutive frames for `payload` (0: unmarked,
// anything found is a false positive).
Tally search(const std::string& path, const wm::WatermarkKey& key, uint64_t payload) {
  Tally t;
  int width = 0;
  int height = 0;
  const auto frames = read_frames(path, width, height);
  for (const auto& plane : frames) {
    auto d = wm::detect(clearcut::media::LumaView{plane.data(), width, height, 0}, key);
    if (!d.has_value()) {
      continue;
    }
    ++t.frames;
    t.frames_found += d->found && d->payload == payload;
    t.frames_wrong += d->found && d->payload != payload;
    t.bit_agreement += bits_right(d->best_guess, payload) / 64.0;
  }
  for (size_t start = 0; start + kWindow <= frames.size(); start += kWindow) {
    wm::VideoWatermarkDetector window(key);
    for (size_t i = start; i < start + kWindow; ++i) {
      (void)window.add_frame(clearcut::media::LumaView{frames[i].data(), width, height, 0});
    }
    auto d = window.detect();
    if (!d.has_value()) {
      continue;
    }
    ++t.windows;
    t.windows_found += d->found && d->payload == payload;
    t.windows_wrong += d->found && d->payload != payload;
  }
  return t;
}

void add(Tally& into, const Tally& t) {
  into.frames += t.frames;
  into.frames_found += t.frames_found;
  into.frames_wrong += t.frames_wrong;
  into.windows += t.windows;
  into.windows_found += t.windows_found;
  into.windows_wrong += t.windows_wrong;
  into.bit_agreement += t.bit_agreement;
}

double percent(int part, int whole) {
  return whole == 0 ? 0.0 : 100.0 * part / whole;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--frames" && i + 1 < argc) {
      o.frames = std::atoi(argv[++i]);
    } else if (a == "--size" && i + 1 < argc) {
      if (std::sscanf(argv[++i], "%dx%d", &o.width, &o.height) != 2) {
        std::fprintf(stderr, "--size WxH\n");
        return 2;
      }
    } else if (a == "--verbose") {
      o.verbose = true;
    } else {
      std::fprintf(stderr, "usage: video_watermark_eval [--frames N] [--size WxH] [--verbose]\n");
      return 2;
    }
  }
  if (!run("ffmpeg -version >/dev/null 2>&1")) {
    std::fprintf(stderr, "video_watermark_eval: needs the ffmpeg tool\n");
    return 2;
  }
  auto key = wm::WatermarkKey::from_passphrase("video watermark eval");
  if (!key.has_value()) {
    return 2;
  }
  const fs::path dir = fs::temp_directory_path() / ("clearcut-vwm-" + std::to_string(::getpid()));
  fs::create_directories(dir);

  const std::string size = std::to_string(o.width) + "x" + std::to_string(o.height);
  const std::string scale = std::to_string(o.width) + ":" + std::to_string(o.height);
  std::vector<Source> sources = {
      {"testsrc2", "-f lavfi -i testsrc2=size=" + size + ":rate=24"},
      {"mandelbrot", "-f lavfi -i mandelbrot=size=" + size + ":rate=24:start_scale=0.3"},
  };
  for (const char* photo : {"/usr/share/backgrounds/aitzgorri_by_Aitzol_Berasategi.jpg",
                            "/usr/share/backgrounds/Bridge_by_Sander_Klootwijk.jpg",
                            "/usr/share/backgrounds/Wine_by_Jakkub_Mede.jpg",
                            "/usr/share/backgrounds/sunset_by_Aitzol_Berasategi.jpg"}) {
    if (fs::exists(photo)) {
      // A slow pan across the photograph, as a generated establishing shot would move.
      sources.push_back({fs::path(photo).stem().string(),
                         "-loop 1 -framerate 24 -i '" + std::string(photo) +
                             "' -vf 'scale=" + std::to_string(o.width * 5 / 4) + ":" +
                             std::to_string(o.height * 5 / 4) +
                             ":force_original_aspect_ratio=increase,crop=" + scale +
                             ":x='\\''t*20'\\'':y='\\''t*10'\\'''"});
    }
  }
  const std::vector<Attack> attacks = {
      {"stamped copy (CRF 16)", "", 0},
      {"h264 crf28", "", 28},
      {"resize 0.5", "scale=iw/2:ih/2", 18},
      {"resize 0.75", "scale=iw*3/4:ih*3/4", 18},
      {"crop 60% centre", "crop=iw*0.6:ih*0.6", 18},
      {"blur gauss s=1", "gblur=sigma=1", 18},
      {"noise s=5", "noise=alls=5:allf=t", 18},
      {"brightness +20%", "eq=brightness=0.08", 18},
      {"brightness -20%", "eq=brightness=-0.08", 18},
  };

  std::map<std::string, Tally> by_attack;
  Tally unmarked;
  double psnr_sum = 0;
  double psnr_min = 1e9;
  int psnr_frames = 0;
  bool ok = true;
  uint64_t payload = 0x5eedc0ffee000000ULL;
  for (const Source& source : sources) {
    const std::string original = (dir / (source.name + ".mp4")).string();
    if (!run(ffmpeg() + source.input + " -frames:v " + std::to_string(o.frames) +
             " -c:v libx264 -crf 12 -pix_fmt yuv420p '" + original + "'")) {
      std::fprintf(stderr, "cannot make %s\n", source.name.c_str());
      ok = false;
      continue;
    }
    ++payload;
    const std::string stamped = (dir / (source.name + ".stamped.mp4")).string();
    auto done = clearcut::media::rewrite_video(
        original, stamped, {}, [&](const RewriteFrame& f) -> clearcut::base::Status {
          auto marked = CC_TRY(wm::embed(
              clearcut::media::LumaView{f.luma, f.width, f.height, f.stride}, payload, *key));
          double se = 0;
          for (int y = 0; y < f.height; ++y) {
            uint8_t* row = f.luma + y * f.stride;
            const uint8_t* m = marked.data() + static_cast<size_t>(y) * f.width;
            for (int x = 0; x < f.width; ++x) {
              const double d = static_cast<double>(m[x]) - row[x];
              se += d * d;
              row[x] = m[x];
            }
          }
          const double mse = se / (static_cast<double>(f.width) * f.height);
          const double psnr = mse > 0 ? 10 * std::log10(255.0 * 255.0 / mse) : 99.0;
          psnr_sum += psnr;
          psnr_min = std::min(psnr_min, psnr);
          ++psnr_frames;
          return {};
        });
    if (!done.has_value()) {
      std::fprintf(stderr, "%s: %s\n", source.name.c_str(), done.error().to_string().c_str());
      ok = false;
      continue;
    }
    add(unmarked, search(original, *key, 0));
    for (const Attack& attack : attacks) {
      std::string attacked = stamped;
      if (attack.crf > 0) {
        attacked = (dir / (source.name + "." + std::to_string(&attack - attacks.data()) + ".mp4"))
                       .string();
        const std::string vf = attack.filter.empty() ? "" : " -vf '" + attack.filter + "'";
        if (!run(ffmpeg() + "-i '" + stamped + "'" + vf + " -c:v libx264 -crf " +
                 std::to_string(attack.crf) + " -pix_fmt yuv420p '" + attacked + "'")) {
          std::fprintf(stderr, "%s: attack %s failed\n", source.name.c_str(), attack.name.c_str());
          ok = false;
          continue;
        }
      }
      const Tally t = search(attacked, *key, payload);
      if (o.verbose) {
        std::printf("  %-14s %-22s frames %3d/%3d windows %d/%d\n", source.name.c_str(),
                    attack.name.c_str(), t.frames_found, t.frames, t.windows_found, t.windows);
      }
      if (attack.crf == 0 && t.windows_found != t.windows) {
        ok = false;  // the stamp's own read-back would fail
      }
      add(by_attack[attack.name], t);
    }
  }

  std::printf(
      "inputs: %zu generated clips of %d frames at %s (24 fps), stamped as clearcut stamp "
      "does (rewrite_video, libx264 CRF 16)\n",
      sources.size(), o.frames, size.c_str());
  std::printf("PSNR of the mark in luma, per frame before encoding: mean %.2f dB, min %.2f dB\n\n",
              psnr_frames ? psnr_sum / psnr_frames : 0.0, psnr_min);
  std::printf("  %-22s %7s %9s %8s %9s %10s\n", "attack (then H.264)", "frames", "detected",
              "bit acc", "8-frame", "detected");
  for (const Attack& attack : attacks) {
    const Tally& t = by_attack[attack.name];
    std::printf("  %-22s %7d %8.1f%% %8.4f %9d %9.1f%%\n", attack.name.c_str(), t.frames,
                percent(t.frames_found, t.frames), t.frames ? t.bit_agreement / t.frames : 0.0,
                t.windows, percent(t.windows_found, t.windows));
    if (t.frames_wrong + t.windows_wrong > 0) {
      std::printf("    WRONG PAYLOAD: %d frames, %d windows\n", t.frames_wrong, t.windows_wrong);
      ok = false;
    }
  }
  const int false_positives = unmarked.frames_found + unmarked.frames_wrong +
                              unmarked.windows_found + unmarked.windows_wrong;
  std::printf("\nFalse positives on the unmarked sources: %d (%d frames and %d windows searched)\n",
              false_positives, unmarked.frames, unmarked.windows);
  ok = ok && false_positives == 0;
  std::error_code ec;
  fs::remove_all(dir, ec);
  return ok ? 0 : 1;
}
