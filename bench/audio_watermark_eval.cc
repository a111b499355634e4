// The audio watermark's robustness table (bench/README.md, "Audio watermark"; issue #18's bar):
// N voice tracks, each several espeak-ng sentences (voices and speeds varied, 0.3 s pauses) at
// 48 kHz, are marked with their own payload; then
//
//   line, T          the marked track alone through each transformation T of
//                    audio::testing::transforms() (ffmpeg: AAC and MP3 128k, 48 -> 44.1 kHz,
//                    EQ, level, all at once), read as the scanner reads (decode_audio, mono,
//                    8 kHz), every 3-second window (hop 1 s) inside the track;
//   mix S dB, T      the marked track mixed under a sox music bed at S dB speech-to-music
//                    (0 dB: the bar's; +10 and +20 dB for where it holds), through T;
//   cut lines, T     the marked track cut at random points into lines of 2.5-4 s, each placed
//                    at a random time (not on the mark's frame grid) between stretches of room
//                    tone (-70 dBFS noise), through T, read in the 3-second window centred on
//                    the line.
//
// A window counts when its payload decodes exactly under the key. Then every marked file read
// with another key, and --negative-hours (default 10) of unmarked audio, scanned as the scanner
// would (3 s windows, hop 1 s): the tracks before marking, the music beds and unmarked mixes,
// in random pieces of 10-40 s, each sped up or slowed by 0-15% and at -20..+6 dB, so that the
// hours differ. SNR of the mark (host against mark, all of the track), segmental SNR, the mark
// against the host's masking threshold per band and frame, and CPU time per hour of audio.
//
//   audio_watermark_eval [--tracks N] [--negative-hours H] [--smoke] [--verbose]
//                        [--lines-only] [--strength DB] [--min-snr DB] [--window S]
//                        [--only T1,T2,...] [--mix-db D1,D2,...] [--mix-transforms T1,...]
//
// --strength and --min-snr set AudioWatermarkOptions (the trade-off of README.md's table);
// --lines-only leaves out the mixes; --window reads windows of S seconds instead of 3 (the
// bar's), for what longer reading buys. --only keeps the transformations named (the fast
// loop: "wav,aac128,mp3-128,eq"); --mix-db sets the levels of the extra mix rows (default
// 10,20) and --mix-transforms the transformations they go through (default wav,all).
// --smoke: 1 track, WAV and all transformations at once, cut lines in WAV, 1 minute of
// negatives, for CI (under a minute under ASan); it checks the mechanics, not the bar: no wrong
// payload, no false positive, SNR. The full run exits 1
// when a target of the bar is missed. Needs espeak-ng, sox, ffmpeg.
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "bench/eval_support.h"

#include "clearcut/audio/fft.h"
#include "clearcut/audio/internal/resample.h"
#include "clearcut/audio/internal/test_material.h"
#include "clearcut/audio/internal/watermark_layout.h"
#include "clearcut/audio/watermark.h"
#include "clearcut/media/ffmpeg/audio_reader.h"

namespace {

namespace audio = clearcut::audio;
namespace tm = clearcut::audio::testing;
using clearcut::media::decode_audio;

constexpr int kRate = 48000;

using clearcut::bench::cpu_seconds;
using clearcut::bench::die;
using clearcut::bench::must;

// "a,b,c" as {"a", "b", "c"}.
std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  size_t b = 0;
  while (b <= s.size()) {
    const size_t e = std::min(s.find(',', b), s.size());
    if (e > b) {
      out.push_back(s.substr(b, e - b));
    }
    b = e + 1;
  }
  return out;
}

bool listed(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::vector<float> decode(const std::string& path, int rate) {
  clearcut::media::AudioDecodeOptions o;
  o.sample_rate = rate;
  return must(decode_audio(path, o), "decode " + path).samples;
}

uint64_t payload_of(int i) {
  uint64_t z = 0x9e3779b97f4a7c15ull * static_cast<uint64_t>(i + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  return z ^ (z >> 27);
}

struct Track {
  std::vector<float> host;
  std::vector<float> marked;
  uint64_t payload = 0;
  std::string host_path, marked_path, bed_path;
  double seconds = 0;
};

struct Row {
  std::string name;
  int windows = 0;
  int exact = 0;
  int wrong = 0;  // found with another payload
  double sync = 0;
  double confidence = 0;  // over found windows
  bool held = true;       // held to the bar's 95%
};

// Reads windows of `seconds` (hop 1 s) inside [from, to) of 8 kHz samples, or the windows
// centred on each of `centres`.
double window_seconds = 3.0;  // --window

void read_windows(const std::vector<float>& x, double from, double to, uint64_t payload,
                  const clearcut::watermark::WatermarkKey& key, Row& row,
                  const std::vector<double>& centres = {}) {
  const int rate = clearcut::media::kAnalysisSampleRate;
  std::vector<double> starts;
  if (centres.empty()) {
    for (double s = from; s + window_seconds <= to + 1e-9; s += 1.0) {
      starts.push_back(s);
    }
  } else {
    for (double c : centres) {
      starts.push_back(c - window_seconds / 2);
    }
  }
  for (double s : starts) {
    const auto b = static_cast<size_t>(std::max(0.0, s) * rate);
    const size_t n = std::min<size_t>(static_cast<size_t>(window_seconds * rate),
                                      x.size() - std::min(x.size(), b));
    if (n < static_cast<size_t>(rate)) {
      continue;
    }
    const auto d =
        must(audio::detect_watermark(std::span<const float>(x).subspan(b, n), rate, key), "detect");
    ++row.windows;
    row.sync += d.sync_score;
    if (d.found && d.payload == payload) {
      ++row.exact;
      row.confidence += d.confidence;
    } else if (d.found) {
      ++row.wrong;
    }
  }
}

// The mark against the host's masking threshold per band and frame (at 8 kHz, the frames and
// bands of the mark's layout), over cells where the host's band is within 60 dB of its loudest.
struct Perceptual {
  std::vector<double> ratio_db;  // mark band power over threshold, per cell
  void add(const std::vector<float>& host48, const std::vector<float>& mark48) {
    namespace in = audio::internal;
    const in::Resampler down(kRate, in::kWmRate, in::kWmResampleCutoffHz);
    const std::vector<float> h = down.run(host48);
    const std::vector<float> m = down.run(mark48);
    const audio::Fft fft(in::kWmFrame);
    const auto& win = in::wm_window();
    std::vector<std::complex<float>> fh(in::kWmFrame);
    std::vector<std::complex<float>> fm(in::kWmFrame);
    std::vector<std::array<double, in::kWmBands>> hp, mp;
    double loudest = 0;
    for (size_t s = 0; s + in::kWmFrame <= h.size(); s += in::kWmHop) {
      for (int i = 0; i < in::kWmFrame; ++i) {
        fh[static_cast<size_t>(i)] = {h[s + static_cast<size_t>(i)] * win[static_cast<size_t>(i)],
                                      0};
        fm[static_cast<size_t>(i)] = {m[s + static_cast<size_t>(i)] * win[static_cast<size_t>(i)],
                                      0};
      }
      fft.transform(fh.data());
      fft.transform(fm.data());
      std::array<double, in::kWmBands> a{}, b{};
      for (int k = in::kWmBinLo; k < in::kWmBinHi; ++k) {
        const auto band = static_cast<size_t>(in::band_of_bin(k));
        a[band] += std::norm(fh[static_cast<size_t>(k)]);
        b[band] += std::norm(fm[static_cast<size_t>(k)]);
      }
      for (double v : a) {
        loudest = std::max(loudest, v);
      }
      hp.push_back(a);
      mp.push_back(b);
    }
    for (size_t f = 0; f < hp.size(); ++f) {
      for (int band = 0; band < in::kWmBands; ++band) {
        const double e = hp[f][static_cast<size_t>(band)];
        if (e < loudest * 1e-6 || e <= 0) {
          continue;
        }
        const double threshold = e * std::pow(10.0, -in::masking_offset_db(band) / 10);
        ratio_db.push_back(
            10 * std::log10(std::max(mp[f][static_cast<size_t>(band)], 1e-30) / threshold));
      }
    }
  }
};

double snr_db(const std::vector<float>& host, const std::vector<float>& marked) {
  double h = 0, d = 0;
  for (size_t i = 0; i < host.size(); ++i) {
    h += static_cast<double>(host[i]) * host[i];
    d += static_cast<double>(marked[i] - host[i]) * (marked[i] - host[i]);
  }
  return 10 * std::log10(h / d);
}

// Segmental SNR: 20 ms frames where the host is within 50 dB of its loudest frame, each
// frame's SNR clipped to [-10, 35] dB, averaged.
void segmental(const std::vector<float>& host, const std::vector<float>& marked,
               std::vector<double>& out) {
  const size_t w = kRate / 50;
  std::vector<std::pair<double, double>> frames;
  double loudest = 0;
  for (size_t s = 0; s + w <= host.size(); s += w) {
    double h = 0, d = 0;
    for (size_t i = s; i < s + w; ++i) {
      h += static_cast<double>(host[i]) * host[i];
      d += static_cast<double>(marked[i] - host[i]) * (marked[i] - host[i]);
    }
    frames.emplace_back(h, d);
    loudest = std::max(loudest, h);
  }
  for (const auto& [h, d] : frames) {
    if (h > loudest * 1e-5) {
      out.push_back(std::clamp(10 * std::log10(h / std::max(d, 1e-30)), -10.0, 35.0));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  int tracks = 10;
  double negative_hours = 10;
  bool smoke = false;
  bool verbose = false;
  bool lines_only = false;
  audio::AudioWatermarkOptions options;
  std::vector<std::string> only;
  std::vector<double> mix_levels = {10.0, 20.0};
  std::vector<std::string> mix_transforms = {"wav", "all"};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--only" && i + 1 < argc) {
      only = split_list(argv[++i]);
    } else if (a == "--mix-db" && i + 1 < argc) {
      mix_levels.clear();
      for (const std::string& v : split_list(argv[++i])) {
        mix_levels.push_back(std::atof(v.c_str()));
      }
    } else if (a == "--mix-transforms" && i + 1 < argc) {
      mix_transforms = split_list(argv[++i]);
    } else if (a == "--min-snr" && i + 1 < argc) {
      options.min_snr_db = std::atof(argv[++i]);
    } else if (a == "--strength" && i + 1 < argc) {
      options.strength_db = std::atof(argv[++i]);
    } else if (a == "--window" && i + 1 < argc) {
      window_seconds = std::atof(argv[++i]);
    } else if (a == "--lines-only") {
      lines_only = true;
    } else if (a == "--tracks" && i + 1 < argc) {
      tracks = std::atoi(argv[++i]);
    } else if (a == "--negative-hours" && i + 1 < argc) {
      negative_hours = std::atof(argv[++i]);
    } else if (a == "--smoke") {
      smoke = true;
    } else if (a == "--verbose") {
      verbose = true;
    } else {
      std::fprintf(stderr,
                   "usage: audio_watermark_eval [--tracks N] [--negative-hours H] [--smoke] "
                   "[--verbose] [--lines-only] [--strength DB] [--min-snr DB] [--window S] "
                   "[--only T1,T2] [--mix-db D1,D2] [--mix-transforms T1,T2]\n");
      return 2;
    }
  }
  if (smoke) {
    tracks = 1;
    negative_hours = 1.0 / 60;
  }
  if (const std::string missing = tm::missing_tools(); !missing.empty()) {
    die("missing tools: " + missing);
  }
  const auto key =
      must(clearcut::watermark::WatermarkKey::from_passphrase("audio watermark eval"), "key");
  const auto other_key =
      must(clearcut::watermark::WatermarkKey::from_passphrase("another deployment"), "key");
  tm::TempDir dir;
  std::mt19937 rng(18);
  const auto& sentences = tm::sentences();
  const auto& voices = tm::voices();

  // 1. Voice tracks, marked.
  std::vector<Track> set;
  double embed_cpu = 0;
  double embedded_seconds = 0;
  std::vector<double> snrs, segs;
  Perceptual perceptual;
  const int per_track = smoke ? 2 : 4;
  for (int t = 0; t < tracks; ++t) {
    Track tr;
    tr.host.assign(kRate / 5, 0.0f);
    for (int s = 0; s < per_track; ++s) {
      const size_t idx = static_cast<size_t>(t * per_track + s);
      const std::string path = dir.path() + "/s" + std::to_string(idx) + ".wav";
      must(tm::speak(sentences[idx % sentences.size()],
                     voices[(idx * 3 + static_cast<size_t>(t)) % voices.size()],
                     140 + static_cast<int>((idx * 7) % 5) * 10, path),
           "espeak-ng");
      const std::vector<float> line = decode(path, kRate);
      tr.host.insert(tr.host.end(), line.begin(), line.end());
      tr.host.insert(tr.host.end(), static_cast<size_t>(kRate * 0.3), 0.0f);
    }
    tr.seconds = static_cast<double>(tr.host.size()) / kRate;
    tr.payload = payload_of(t);
    const double c0 = cpu_seconds();
    tr.marked = must(audio::embed_watermark(tr.host, 1, kRate, tr.payload, key, options), "embed");
    embed_cpu += cpu_seconds() - c0;
    embedded_seconds += tr.seconds;
    snrs.push_back(snr_db(tr.host, tr.marked));
    segmental(tr.host, tr.marked, segs);
    std::vector<float> mark(tr.host.size());
    for (size_t i = 0; i < mark.size(); ++i) {
      mark[i] = tr.marked[i] - tr.host[i];
    }
    perceptual.add(tr.host, mark);
    tr.host_path = dir.path() + "/host" + std::to_string(t) + ".wav";
    tr.marked_path = dir.path() + "/marked" + std::to_string(t) + ".wav";
    tr.bed_path = dir.path() + "/bed" + std::to_string(t) + ".wav";
    must(tm::write_float_wav(tr.host_path, tr.host, kRate), "write");
    must(tm::write_float_wav(tr.marked_path, tr.marked, kRate), "write");
    must(tm::music_bed(tr.seconds + 2.0, t + 1, tr.bed_path), "sox");
    if (verbose) {
      std::printf("track %d: %.1f s, SNR %.2f dB\n", t, tr.seconds, snrs.back());
    }
    set.push_back(std::move(tr));
  }

  // 2. The rows.
  std::vector<tm::Transform> transforms = tm::transforms();
  if (smoke) {
    transforms = {transforms[0], transforms[7]};
  }
  if (!only.empty()) {
    std::erase_if(transforms, [&](const tm::Transform& t) { return !listed(only, t.name); });
    if (transforms.empty()) {
      die("--only names no transformation");
    }
  }
  std::vector<Row> rows;
  int other_key_found = 0;
  int other_key_windows = 0;
  const int rate8 = clearcut::media::kAnalysisSampleRate;
  for (const tm::Transform& tf : transforms) {
    Row line{"line, " + tf.name};
    Row mix0{"mix 0 dB, " + tf.name};
    for (size_t t = 0; t < set.size(); ++t) {
      const Track& tr = set[t];
      const std::string stem = dir.path() + "/x" + std::to_string(t) + "_" + tf.name;
      const std::vector<float> a =
          decode(must(tm::apply(tf, tr.marked_path, stem + "_line"), "ffmpeg"), rate8);
      read_windows(a, 0, tr.seconds, tr.payload, key, line);
      if (lines_only) {
        continue;
      }
      const std::string mix_path = dir.path() + "/mix" + std::to_string(t) + ".wav";
      must(tm::mix(tr.bed_path, {{tr.marked_path, 1.0}}, mix_path), "mix");
      const std::vector<float> m =
          decode(must(tm::apply(tf, mix_path, stem + "_mix"), "ffmpeg"), rate8);
      read_windows(m, 1.0, 1.0 + tr.seconds, tr.payload, key, mix0);
      if (tf.name == "wav") {
        Row other{"other key"};
        read_windows(a, 0, tr.seconds, ~0ull, other_key, other);
        read_windows(m, 1.0, 1.0 + tr.seconds, ~0ull, other_key, other);
        other_key_found += other.wrong;
        other_key_windows += other.windows;
      }
    }
    rows.push_back(line);
    rows.push_back(mix0);
  }
  for (double db : mix_levels) {
    if (lines_only || smoke) {
      break;
    }
    for (const tm::Transform& tf : transforms) {
      if (!listed(mix_transforms, tf.name)) {
        continue;
      }
      char name[64];
      std::snprintf(name, sizeof name, "mix %+.0f dB, %s", db, tf.name.c_str());
      Row row{name};
      row.held = false;
      for (size_t t = 0; t < set.size(); ++t) {
        const Track& tr = set[t];
        const std::string mix_path = dir.path() + "/mixdb" + std::to_string(t) + ".wav";
        must(tm::mix(tr.bed_path, {{tr.marked_path, 1.0}}, mix_path, db), "mix");
        const std::vector<float> m =
            decode(must(tm::apply(tf, mix_path, dir.path() + "/xdb" + std::to_string(t)), "ffmpeg"),
                   rate8);
        read_windows(m, 1.0, 1.0 + tr.seconds, tr.payload, key, row);
      }
      rows.push_back(row);
    }
  }
  for (const tm::Transform& tf : transforms) {
    if (tf.name != "wav" && tf.name != "aac128" && tf.name != "all") {
      continue;
    }
    if (smoke && tf.name != "wav") {
      continue;
    }
    Row row{"cut lines, " + tf.name};
    for (size_t t = 0; t < set.size(); ++t) {
      const Track& tr = set[t];
      std::uniform_real_distribution<double> len(2.5, 4.0), jitter(0.0, 2.0);
      std::normal_distribution<float> hiss(0.0f, 3e-4f);  // -70 dBFS room tone
      std::vector<float> out;
      std::vector<double> centres;
      double cut = std::uniform_real_distribution<double>(0.0, 0.7)(rng);
      double at = 1.0;
      while (cut + 2.5 < tr.seconds) {
        const double l = std::min(len(rng), tr.seconds - cut);
        at += jitter(rng);
        const auto b = static_cast<size_t>(cut * kRate);
        const auto e = static_cast<size_t>((cut + l) * kRate);
        const auto where = static_cast<size_t>(at * kRate);
        out.resize(where + (e - b), 0.0f);
        std::copy(tr.marked.begin() + static_cast<std::ptrdiff_t>(b),
                  tr.marked.begin() + static_cast<std::ptrdiff_t>(e),
                  out.begin() + static_cast<std::ptrdiff_t>(where));
        centres.push_back(at + l / 2);
        at += l + 1.0;
        cut += l;
      }
      out.resize(static_cast<size_t>((at + 1.0) * kRate), 0.0f);
      for (float& v : out) {
        v += hiss(rng);
      }
      const std::string mix_path = dir.path() + "/cutmix" + std::to_string(t) + ".wav";
      must(tm::write_float_wav(mix_path, out, kRate), "write");
      const std::vector<float> m = decode(
          must(tm::apply(tf, mix_path, dir.path() + "/xcut" + std::to_string(t)), "ffmpeg"), rate8);
      read_windows(m, 0, 0, tr.payload, key, row, centres);
    }
    rows.push_back(row);
  }

  // 3. Negatives: unmarked audio, scanned.
  std::vector<std::vector<float>> sources;
  for (size_t t = 0; t < set.size(); ++t) {
    sources.push_back(decode(set[t].host_path, rate8));
    sources.push_back(decode(set[t].bed_path, rate8));
    const std::string um = dir.path() + "/umix" + std::to_string(t) + ".wav";
    must(tm::mix(set[t].bed_path, {{set[t].host_path, 1.0}}, um), "mix");
    sources.push_back(decode(um, rate8));
  }
  const auto total = static_cast<int64_t>(negative_hours * 3600 * rate8);
  const int64_t chunk = static_cast<int64_t>(600) * rate8;
  int64_t made = 0;
  int negatives_found = 0;
  int64_t negative_windows = 0;
  double detect_cpu = 0;
  while (made < total) {
    std::vector<float> x;
    const int64_t want = std::min(chunk, total - made);
    while (static_cast<int64_t>(x.size()) < want) {
      const auto& src = sources[std::uniform_int_distribution<size_t>(0, sources.size() - 1)(rng)];
      const double speed = std::uniform_real_distribution<double>(0.85, 1.15)(rng);
      const float gain = static_cast<float>(
          std::pow(10.0, std::uniform_real_distribution<double>(-20, 6)(rng) / 20));
      const int to = static_cast<int>(std::lround(rate8 / speed));
      std::vector<float> piece = audio::internal::Resampler(rate8, to, 3200.0).run(src);
      const double len = std::uniform_real_distribution<double>(10, 40)(rng);
      const size_t n = std::min(piece.size(), static_cast<size_t>(len * rate8));
      const size_t start = std::uniform_int_distribution<size_t>(0, piece.size() - n)(rng);
      for (size_t i = start; i < start + n; ++i) {
        x.push_back(gain * piece[i]);
      }
    }
    x.resize(static_cast<size_t>(want));
    const double c0 = cpu_seconds();
    const auto found = must(audio::scan_watermarks(x, rate8, key), "scan");
    detect_cpu += cpu_seconds() - c0;
    negatives_found += static_cast<int>(found.size());
    negative_windows += (want - 3 * rate8) / rate8 + 1;
    made += want;
  }

  // 4. Report.
  std::sort(snrs.begin(), snrs.end());
  double snr_mean = 0, seg_mean = 0;
  for (double v : snrs) {
    snr_mean += v;
  }
  snr_mean /= static_cast<double>(snrs.size());
  for (double v : segs) {
    seg_mean += v;
  }
  seg_mean /= static_cast<double>(std::max<size_t>(1, segs.size()));
  std::vector<double>& r = perceptual.ratio_db;
  std::sort(r.begin(), r.end());
  double r_mean = 0;
  size_t over = 0;
  for (double v : r) {
    r_mean += v;
    over += v > 0 ? 1 : 0;
  }
  r_mean /= static_cast<double>(std::max<size_t>(1, r.size()));
  const double r95 = r.empty() ? 0 : r[r.size() * 95 / 100];
  std::printf("tracks: %d of %.1f s mean (espeak-ng, %d sentences each, 48 kHz mono)\n", tracks,
              embedded_seconds / tracks, per_track);
  std::printf("SNR of the mark: mean %.2f dB, min %.2f dB; segmental SNR %.2f dB\n", snr_mean,
              snrs.front(), seg_mean);
  std::printf(
      "mark against the masking threshold (tone masking noise, per band and 32 ms frame, %zu "
      "cells): mean %.1f dB, 95th percentile %.1f dB, %.1f%% of cells above\n",
      r.size(), r_mean, r95, 100.0 * static_cast<double>(over) / std::max<size_t>(1, r.size()));
  std::printf(
      "\n| condition | windows | payload exact | wrong payload | mean sync | mean conf |\n");
  std::printf("|---|---|---|---|---|---|\n");
  bool met = true;
  std::string missed;
  for (const Row& row : rows) {
    const double share = row.windows == 0 ? 0 : 100.0 * row.exact / row.windows;
    std::printf("| %s | %d | %d (%.1f%%) | %d | %.1f | %.3f |\n", row.name.c_str(), row.windows,
                row.exact, share, row.wrong, row.sync / std::max(1, row.windows),
                row.confidence / std::max(1, row.exact));
    const bool checked = row.held && !smoke;
    if (checked && share < 95.0) {
      met = false;
      missed += (missed.empty() ? "" : ", ") + row.name;
    }
    if (row.wrong > 0) {
      met = false;
      missed += (missed.empty() ? "" : ", ") + row.name + " (wrong payload)";
    }
  }
  std::printf("\nother key: %d found in %d windows\n", other_key_found, other_key_windows);
  std::printf("negatives: %.2f hours of unmarked audio (%lld windows of 3 s, hop 1 s): %d found\n",
              negative_hours, static_cast<long long>(negative_windows), negatives_found);
  std::printf(
      "CPU: embed %.1f s per hour of 48 kHz mono audio; detect %.1f s per hour (8 kHz, "
      "3 s windows, hop 1 s)\n",
      embed_cpu / embedded_seconds * 3600, detect_cpu / (negative_hours * 3600) * 3600);
  if (other_key_found > 0 || negatives_found > 0) {
    met = false;
    missed += (missed.empty() ? "" : ", ") + std::string("false positives");
  }
  if (snrs.front() < 30.0) {
    met = false;
    missed += (missed.empty() ? "" : ", ") + std::string("SNR");
  }
  std::printf("%s: %s%s\n",
              smoke ? "smoke checks (no wrong payload, no false positive, SNR >= 30 dB)"
                    : "targets (>= 95% exact per row held to the bar, no false positive, SNR >= "
                      "30 dB)",
              met ? "met" : "missed: ", missed.c_str());
  return met ? 0 : 1;
}
