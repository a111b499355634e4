// Audio fingerprints against Chromaprint (bench/README.md, "Audio fingerprints"): N espeak-ng
// lines (AI voice lines, 2-4 s, several voices and speeds) are registered; mixes of a sox music
// bed with four registered lines and one unregistered line each, at 0 dB speech-to-music, go
// through each transformation of issue #18 (ffmpeg: AAC and MP3 128k, 48 -> 44.1 kHz, EQ,
// level, all at once), and both systems search them:
//
//   clearcut::audio: landmarks of the mix looked up in the LandmarkIndex of the lines.
//   Chromaprint (libchromaprint, the raw fingerprint): each line's fingerprint slid over the
//   mix's, the offset with the lowest bit error rate (BER) taken, a match below a threshold:
//   --chromaprint-ber B, or by default just below the best wrong placement's BER in the same
//   run (Chromaprint then makes no false match; its recall at our false-match rate).
//
// A line is found when a match names it within 0.5 s of where it starts; start and end errors
// are measured on those. Any other match is false. Then --negative-minutes (default 30) of
// unregistered speech over other music, also pitched 6% up and down, where every match is false.
// Time is CPU time per hour of mix audio, fingerprinting and searching (decoding, common to both,
// apart).
//
//   audio_fingerprint_eval [--lines N] [--smoke] [--keep DIR] [--verbose] [--chromaprint-ber B]
//                          [--negative-minutes M]
//
// --smoke: 8 lines, two transformations, no negatives, for CI (a few seconds). Needs espeak-ng,
// sox, ffmpeg.
#include <chromaprint.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "bench/eval_support.h"

#include "clearcut/audio/fingerprint.h"
#include "clearcut/audio/internal/test_material.h"
#include "clearcut/audio/landmark_index.h"
#include "clearcut/media/ffmpeg/audio_reader.h"

namespace {

namespace audio = clearcut::audio;
namespace tm = clearcut::audio::testing;
using clearcut::media::decode_audio;

constexpr size_t kMinChromaItems = 8;

using clearcut::bench::cpu_seconds;
using clearcut::bench::die;
using clearcut::bench::must;

// Chromaprint's raw fingerprint of mono PCM at its own rate.
std::vector<uint32_t> chromaprint_raw(const std::vector<float>& samples, int rate,
                                      double* item_seconds) {
  ChromaprintContext* ctx = chromaprint_new(CHROMAPRINT_ALGORITHM_DEFAULT);
  chromaprint_start(ctx, rate, 1);
  std::vector<int16_t> pcm(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    pcm[i] = static_cast<int16_t>(std::clamp(samples[i] * 32767.0f, -32768.0f, 32767.0f));
  }
  chromaprint_feed(ctx, pcm.data(), static_cast<int>(pcm.size()));
  chromaprint_finish(ctx);
  uint32_t* raw = nullptr;
  int size = 0;
  std::vector<uint32_t> out;
  if (chromaprint_get_raw_fingerprint(ctx, &raw, &size) == 1 && raw != nullptr) {
    out.assign(raw, raw + size);
    chromaprint_dealloc(raw);
  }
  *item_seconds = chromaprint_get_item_duration_ms(ctx) / 1000.0;
  chromaprint_free(ctx);
  return out;
}

struct Slide {
  int offset = -1;
  double ber = 1.0;
};

// The offset of `needle` in `hay` with the lowest bit error rate.
Slide best_offset(const std::vector<uint32_t>& needle, const std::vector<uint32_t>& hay) {
  Slide best;
  if (needle.empty() || hay.size() < needle.size()) {
    return best;
  }
  for (size_t o = 0; o + needle.size() <= hay.size(); ++o) {
    int bits = 0;
    for (size_t i = 0; i < needle.size(); ++i) {
      bits += std::popcount(needle[i] ^ hay[o + i]);
    }
    const double ber = bits / (32.0 * static_cast<double>(needle.size()));
    if (ber < best.ber) {
      best = {static_cast<int>(o), ber};
    }
  }
  return best;
}

struct Line {
  std::string id;
  std::string path;
  double duration = 0;
  audio::Fingerprint fp;
  std::vector<uint32_t> chroma;
};

struct Truth {
  size_t line = 0;  // index into lines
  double start = 0;
  double end = 0;
};

struct Mix {
  std::string path;
  std::vector<Truth> truth;
};

struct Row {
  std::string transform;
  int expected = 0;
  int found = 0;
  int false_matches = 0;
  std::vector<double> start_err, end_err;
  int min_true_score = 1 << 30;  // the weakest found line's score
  int max_false_score = 0;       // the strongest wrong placement's, thresholds off
  double min_true_peaks = 1.0;   // the same for AudioMatch::peak_match
  double max_false_peaks = 0.0;
  std::vector<std::pair<double, bool>> chroma;  // per line and mix: best BER, right placement
  int chroma_found = 0;
  int chroma_false = 0;
  double chroma_threshold = 0;
  int chroma_no_fp = 0;
  double audio_seconds = 0;
  double decode_cpu = 0;
  double ours_cpu = 0;
  double chroma_cpu = 0;
};

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) {
    s += x;
  }
  return v.empty() ? 0 : s / static_cast<double>(v.size());
}
double max_of(const std::vector<double>& v) {
  return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}
double share_within(const std::vector<double>& v, double limit) {
  return v.empty() ? 0
                   : static_cast<double>(
                         std::count_if(v.begin(), v.end(), [&](double x) { return x <= limit; })) /
                         static_cast<double>(v.size());
}

}  // namespace

int main(int argc, char** argv) {
  int n_lines = 40;
  bool smoke = false;
  bool verbose = false;
  double chroma_ber = 0;
  int negative_minutes = 30;
  std::string keep;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--lines" && i + 1 < argc) {
      n_lines = std::atoi(argv[++i]);
    } else if (a == "--smoke") {
      smoke = true;
    } else if (a == "--verbose") {
      verbose = true;
    } else if (a == "--chromaprint-ber" && i + 1 < argc) {
      chroma_ber = std::atof(argv[++i]);
    } else if (a == "--negative-minutes" && i + 1 < argc) {
      negative_minutes = std::atoi(argv[++i]);
    } else if (a == "--keep" && i + 1 < argc) {
      keep = argv[++i];
    } else {
      die("usage: audio_fingerprint_eval [--lines N] [--smoke] [--verbose] "
          "[--chromaprint-ber B] [--negative-minutes M] [--keep DIR]");
    }
  }
  if (smoke) {
    n_lines = 8;
    negative_minutes = 0;
  }
  n_lines = std::max(4, n_lines - n_lines % 4);
  const std::string missing = tm::missing_tools();
  if (!missing.empty()) {
    die("needs " + missing + " (scripts/bootstrap installs them)");
  }
  tm::TempDir temp;
  const std::string dir = keep.empty() ? temp.path() : keep;

  // Lines: sentence i mod 20, voice i mod 7, speed 130..190; plus one unregistered line a mix.
  const size_t n_mixes = static_cast<size_t>(n_lines) / 4;
  std::vector<Line> lines;
  for (int i = 0; i < n_lines + static_cast<int>(n_mixes); ++i) {
    Line line;
    line.id = "line" + std::to_string(i);
    line.path = dir + "/" + line.id + ".wav";
    const auto& s = tm::sentences()[static_cast<size_t>(i) % tm::sentences().size()];
    const auto& v = tm::voices()[static_cast<size_t>(i * 3 + i / 20) % tm::voices().size()];
    must(tm::speak(s, v, 130 + (i * 13) % 61, line.path), "espeak-ng");
    auto decoded = must(decode_audio(line.path), line.path);
    line.duration = decoded.duration_seconds();
    line.fp = must(audio::fingerprint(decoded.samples), "fingerprint");
    clearcut::media::AudioDecodeOptions at11k;
    at11k.sample_rate = 11025;
    double item = 0;
    line.chroma =
        chromaprint_raw(must(decode_audio(line.path, at11k), line.path).samples, 11025, &item);
    // A handful of items is no evidence (a 2-item fingerprint lands under any BER threshold
    // somewhere in 32 s of music): under kMinChromaItems (1 s) it counts as none.
    if (line.chroma.size() < kMinChromaItems) {
      line.chroma.clear();
    }
    lines.push_back(std::move(line));
  }
  audio::LandmarkIndex index;
  for (int i = 0; i < n_lines; ++i) {
    must(index.add(lines[static_cast<size_t>(i)].id, lines[static_cast<size_t>(i)].fp), "add");
  }

  // Mixes: 32 s beds, registered lines 4k..4k+3 at about 2, 9, 16, 23 s, the unregistered line
  // somewhere between.
  std::vector<Mix> mixes;
  for (size_t m = 0; m < n_mixes; ++m) {
    const std::string bed = dir + "/bed" + std::to_string(m) + ".wav";
    must(tm::music_bed(32.0, static_cast<int>(m), bed), "sox");
    Mix mix;
    mix.path = dir + "/mix" + std::to_string(m) + ".wav";
    std::vector<tm::Placement> placements;
    for (size_t k = 0; k < 4; ++k) {
      const size_t li = m * 4 + k;
      const double at =
          1.5 + 7.0 * static_cast<double>(k) + 0.37 * static_cast<double>((m + k) % 3);
      placements.push_back({lines[li].path, at});
      mix.truth.push_back({li, at, at + lines[li].duration});
    }
    // The unregistered line overlaps nothing registered: in the last gap, shortened if need be.
    placements.push_back({lines[static_cast<size_t>(n_lines) + m].path, 29.0});
    must(tm::mix(bed, placements, mix.path), "mix");
    mixes.push_back(std::move(mix));
  }
  // A bed with no speech at all, searched too (false matches only).
  {
    const std::string bed = dir + "/bed_only.wav";
    must(tm::music_bed(32.0, 99, bed), "sox");
    mixes.push_back({bed, {}});
  }

  std::vector<tm::Transform> transforms = tm::transforms();
  if (smoke) {
    transforms = {transforms[0], transforms.back()};
  }
  std::vector<Row> rows;
  for (const tm::Transform& t : transforms) {
    Row row;
    row.transform = t.name;
    for (size_t m = 0; m < mixes.size(); ++m) {
      const Mix& mix = mixes[m];
      const std::string path =
          must(tm::apply(t, mix.path, dir + "/mix" + std::to_string(m) + "-" + t.name), "ffmpeg");
      double c0 = cpu_seconds();
      auto decoded = must(decode_audio(path), path);
      clearcut::media::AudioDecodeOptions at11k;
      at11k.sample_rate = 11025;
      auto decoded11 = must(decode_audio(path, at11k), path);
      row.decode_cpu += cpu_seconds() - c0;
      row.audio_seconds += decoded.duration_seconds();
      row.expected += static_cast<int>(mix.truth.size());

      c0 = cpu_seconds();
      auto fp = must(audio::fingerprint(decoded.samples, audio::query_options()), "fingerprint");
      auto found = must(index.match(fp, decoded.start_seconds), "match");
      row.ours_cpu += cpu_seconds() - c0;
      // The same search with no thresholds: how far the weakest wrong placement is below them.
      audio::MatchOptions loose;
      loose.min_score = 1;
      loose.min_coverage = 0;
      loose.min_peak_match = 0;
      for (const audio::AudioMatch& f :
           must(index.match(fp, decoded.start_seconds, loose), "match")) {
        bool right = false;
        for (const Truth& tr : mix.truth) {
          right = right ||
                  (lines[tr.line].id == f.output_id && std::abs(f.start_seconds - tr.start) < 0.5);
        }
        if (!right) {
          row.max_false_score = std::max(row.max_false_score, f.score);
          if (f.score >= audio::MatchOptions{}.min_score) {
            row.max_false_peaks = std::max(row.max_false_peaks, f.peak_match);
          }
        }
      }
      std::vector<bool> hit(mix.truth.size(), false);
      for (const audio::AudioMatch& f : found) {
        bool ok = false;
        for (size_t k = 0; k < mix.truth.size(); ++k) {
          const Truth& tr = mix.truth[k];
          if (!hit[k] && lines[tr.line].id == f.output_id &&
              std::abs(f.start_seconds - tr.start) < 0.5) {
            hit[k] = ok = true;
            row.min_true_score = std::min(row.min_true_score, f.score);
            row.min_true_peaks = std::min(row.min_true_peaks, f.peak_match);
            row.start_err.push_back(std::abs(f.start_seconds - tr.start));
            row.end_err.push_back(std::abs(f.end_seconds - tr.end));
          }
        }
        if (!ok) {
          ++row.false_matches;
        }
        if (verbose) {
          std::printf("  %s mix%zu: %s %.3f-%.3f score %d coverage %.2f peaks %.2f%s\n",
                      t.name.c_str(), m, f.output_id.c_str(), f.start_seconds, f.end_seconds,
                      f.score, f.coverage, f.peak_match, ok ? "" : " FALSE");
        }
      }
      for (size_t k = 0; k < hit.size(); ++k) {
        row.found += hit[k] ? 1 : 0;
        if (verbose && !hit[k]) {
          std::printf("  %s mix%zu: missed %s at %.3f\n", t.name.c_str(), m,
                      lines[mix.truth[k].line].id.c_str(), mix.truth[k].start);
        }
      }

      // Chromaprint: every registered line slid over the mix.
      c0 = cpu_seconds();
      double item = 0;
      const std::vector<uint32_t> hay = chromaprint_raw(decoded11.samples, 11025, &item);
      for (int i = 0; i < n_lines; ++i) {
        const Line& line = lines[static_cast<size_t>(i)];
        const Slide s = best_offset(line.chroma, hay);
        if (s.offset < 0) {
          continue;
        }
        const double at = s.offset * item;
        bool ok = false;
        for (const Truth& tr : mix.truth) {
          if (lines[tr.line].id == line.id && std::abs(at - tr.start) < 0.5) {
            ok = true;
          }
        }
        row.chroma.emplace_back(s.ber, ok);
        if (verbose && s.ber < 0.3) {
          std::printf("  %s mix%zu: chromaprint %s at %.3f BER %.3f%s\n", t.name.c_str(), m,
                      line.id.c_str(), at, s.ber, ok ? "" : " WRONG");
        }
      }
      row.chroma_cpu += cpu_seconds() - c0;
      for (const Truth& tr : mix.truth) {
        row.chroma_no_fp += lines[tr.line].chroma.empty() ? 1 : 0;
      }
    }
    // Chromaprint's threshold: the one given, or with --chromaprint-ber 0 just below the best
    // wrong placement's bit error rate (no false match: recall at the same false-match rate as
    // ours).
    double threshold = chroma_ber;
    if (threshold <= 0) {
      threshold = 1.0;
      for (const auto& [ber, ok] : row.chroma) {
        if (!ok) {
          threshold = std::min(threshold, ber);
        }
      }
    }
    row.chroma_threshold = threshold;
    for (const auto& [ber, ok] : row.chroma) {
      if (ber < threshold) {
        (ok ? row.chroma_found : row.chroma_false) += 1;
      }
    }
    rows.push_back(std::move(row));
  }

  // Negatives: unregistered speech over other music, searched with the thresholds (false
  // matches) and without (the strongest wrong placement). The sentences are the registered
  // lines' own, in voices no registered line of that sentence has: the hardest unrelated speech
  // this material has. Each 60 s bed also goes at 6% higher and lower pitch (asetrate).
  int negative_false = 0;
  int negative_max_score = 0;
  double negative_max_peaks = 0;
  double negative_seconds = 0;
  const int negative_beds = (negative_minutes + 2) / 3;
  for (int b = 0; b < negative_beds; ++b) {
    const std::string bed = dir + "/negative_bed" + std::to_string(b) + ".wav";
    must(tm::music_bed(60.0, 1000 + b, bed), "sox");
    std::vector<tm::Placement> placements;
    for (int j = 0; j < 6; ++j) {
      const int sentence = (b * 6 + j) % static_cast<int>(tm::sentences().size());
      // Registered lines of this sentence have voices 3s and 3s + 5 (mod 7); these never do.
      const int voice = (3 * sentence + 2 + 2 * (j % 2)) % static_cast<int>(tm::voices().size());
      const std::string path =
          dir + "/negative" + std::to_string(b) + "_" + std::to_string(j) + ".wav";
      must(tm::speak(tm::sentences()[static_cast<size_t>(sentence)],
                     tm::voices()[static_cast<size_t>(voice)], 145 + 7 * j, path),
           "espeak-ng");
      placements.push_back({path, 2.0 + 9.5 * j});
    }
    const std::string mixed = dir + "/negative_mix" + std::to_string(b) + ".wav";
    must(tm::mix(bed, placements, mixed), "mix");
    for (const char* rate : {"", "1.06", "0.94"}) {
      std::string path = mixed;
      if (*rate != '\0') {
        path = dir + "/negative_mix" + std::to_string(b) + "_" + rate + ".wav";
        must(tm::run("ffmpeg -nostdin -y -i " + tm::quoted(mixed) + " -af asetrate=48000*" + rate +
                     ",aresample=48000 " + tm::quoted(path)),
             "ffmpeg");
      }
      auto decoded = must(decode_audio(path), path);
      negative_seconds += decoded.duration_seconds();
      auto fp = must(audio::fingerprint(decoded.samples, audio::query_options()), "fingerprint");
      for (const audio::AudioMatch& f : must(index.match(fp, decoded.start_seconds), "match")) {
        ++negative_false;
        if (verbose) {
          std::printf("  negative %s: %s %.3f-%.3f score %d peaks %.2f FALSE\n", path.c_str(),
                      f.output_id.c_str(), f.start_seconds, f.end_seconds, f.score, f.peak_match);
        }
      }
      audio::MatchOptions loose;
      loose.min_score = 1;
      loose.min_coverage = 0;
      loose.min_peak_match = 0;
      for (const audio::AudioMatch& f :
           must(index.match(fp, decoded.start_seconds, loose), "match")) {
        negative_max_score = std::max(negative_max_score, f.score);
        if (f.score >= audio::MatchOptions{}.min_score) {
          negative_max_peaks = std::max(negative_max_peaks, f.peak_match);
        }
      }
    }
  }

  std::printf(
      "audio fingerprints: %d registered lines (%.1f-%.1f s), %zu mixes of 32 s at 0 dB "
      "speech-to-music (+1 unregistered line each) and 1 music-only bed; %zu landmarks "
      "indexed\n",
      n_lines,
      std::min_element(lines.begin(), lines.begin() + n_lines,
                       [](const Line& a, const Line& b) { return a.duration < b.duration; })
          ->duration,
      std::max_element(lines.begin(), lines.begin() + n_lines,
                       [](const Line& a, const Line& b) { return a.duration < b.duration; })
          ->duration,
      n_mixes, index.landmarks());
  std::printf(
      "\n| transform | clearcut recall | start err mean / max (s) | end err mean / max (s) "
      "| ends within 0.1 s | false | weakest found / strongest wrong: score, peak match (of those "
      "scoring >= min_score) | "
      "Chromaprint recall | false | BER threshold | clearcut CPU s/h | "
      "Chromaprint CPU s/h | decode CPU s/h |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");  // 13 columns
  for (const Row& r : rows) {
    const double per_hour = 3600.0 / r.audio_seconds;
    std::vector<double> both = r.start_err;
    both.insert(both.end(), r.end_err.begin(), r.end_err.end());
    std::printf(
        "| %s | %d/%d (%.1f%%) | %.3f / %.3f | %.3f / %.3f | %.1f%% | %d | %d / %d, %.2f / %.2f | "
        "%d/%d (%.1f%%) | %d | %.3f | %.2f | %.2f | %.2f |\n",
        r.transform.c_str(), r.found, r.expected, 100.0 * r.found / r.expected, mean(r.start_err),
        max_of(r.start_err), mean(r.end_err), max_of(r.end_err), 100.0 * share_within(both, 0.1),
        r.false_matches, r.min_true_score == (1 << 30) ? 0 : r.min_true_score, r.max_false_score,
        r.min_true_peaks, r.max_false_peaks, r.chroma_found, r.expected,
        100.0 * r.chroma_found / r.expected, r.chroma_false, r.chroma_threshold,
        r.ours_cpu * per_hour, r.chroma_cpu * per_hour, r.decode_cpu * per_hour);
  }
  if (negative_seconds > 0) {
    std::printf(
        "\nnegatives: %.1f minutes of unregistered speech (the same sentences in other "
        "voices) at 0 dB over other music, also pitched 6%% up and down: %d false "
        "matches; strongest wrong placement's score %d, peak match %.2f (of those scoring >= "
        "min_score; thresholds off)\n",
        negative_seconds / 60.0, negative_false, negative_max_score, negative_max_peaks);
  }
  int no_fp = 0;
  for (int i = 0; i < n_lines; ++i) {
    no_fp += lines[static_cast<size_t>(i)].chroma.empty() ? 1 : 0;
  }
  std::printf(
      "\nChromaprint gave no fingerprint of %zu items (1 s) or more for %d of the %d "
      "lines (too short for it). "
      "clearcut's thresholds: score >= %d, coverage >= %.2f, peak match >= %.2f.\n",
      kMinChromaItems, no_fp, n_lines, audio::MatchOptions{}.min_score,
      audio::MatchOptions{}.min_coverage, audio::MatchOptions{}.min_peak_match);
  return 0;
}
