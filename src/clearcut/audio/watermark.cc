#include "clearcut/audio/watermark.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <numbers>
#include <numeric>
#include <string>
#include <utility>

#include "clearcut/audio/fft.h"
#include "clearcut/audio/internal/resample.h"
#include "clearcut/audio/internal/watermark_layout.h"
#include "clearcut/provenance/watermark/internal/keyed_stream.h"
#include "clearcut/provenance/watermark/internal/payload_codec.h"

namespace clearcut::audio {
namespace internal {

int band_of_bin(int bin) {
  static const std::array<int8_t, kWmBinHi> kBand = [] {
    std::array<int8_t, kWmBinHi> t{};
    int b = 0;
    for (int k = 0; k < kWmBinHi; ++k) {
      while (b + 1 < kWmBands && k >= kWmBandEdges[static_cast<size_t>(b + 1)]) {
        ++b;
      }
      t[static_cast<size_t>(k)] = static_cast<int8_t>(b);
    }
    return t;
  }();
  return kBand[static_cast<size_t>(bin)];
}

const std::array<float, kWmFrame>& wm_window() {
  static const std::array<float, kWmFrame> kWindow = [] {
    std::array<float, kWmFrame> w{};
    for (int n = 0; n < kWmFrame; ++n) {
      w[static_cast<size_t>(n)] =
          static_cast<float>(std::sin(std::numbers::pi * (n + 0.5) / kWmFrame));
    }
    return w;
  }();
  return kWindow;
}

WmPattern::WmPattern(const watermark::WatermarkKey& key) {
  watermark::internal::KeyedStream bins(key, "clearcut audio watermark: slots");
  watermark::internal::KeyedStream places(key, "clearcut audio watermark: placement");
  watermark::internal::KeyedStream dithers(key, "clearcut audio watermark: dither");
  // Bins to slots: a keyed shuffle of the band, dealt out in turn, so that every slot has
  // bins in every part of the band; signs alternate along each slot's bins in shuffled order.
  std::array<int, kWmBins> order{};
  std::iota(order.begin(), order.end(), 0);
  for (int i = kWmBins - 1; i > 0; --i) {
    const auto j = static_cast<int>(bins.below(static_cast<uint32_t>(i + 1)));
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
  }
  for (int i = 0; i < kWmBins; ++i) {
    const auto b = static_cast<size_t>(order[static_cast<size_t>(i)]);
    slot[b] = static_cast<int8_t>(i % kWmSlots);
    sign[b] = static_cast<int8_t>((i / kWmSlots) % 2 == 0 ? 1 : -1);
  }
  // Each coded bit's place in the period: a keyed shuffle of the 312 (frame, slot) cells.
  std::array<int, kWmPeriodFrames * kWmSlots> cells{};
  std::iota(cells.begin(), cells.end(), 0);
  for (int i = static_cast<int>(cells.size()) - 1; i > 0; --i) {
    const auto j = static_cast<int>(places.below(static_cast<uint32_t>(i + 1)));
    std::swap(cells[static_cast<size_t>(i)], cells[static_cast<size_t>(j)]);
  }
  for (size_t c = 0; c < cells.size(); ++c) {
    bit[c] = static_cast<uint16_t>(cells[c]);
    dither[c] = static_cast<float>(static_cast<double>(dithers.next() >> 40) / (1 << 24));
  }
}

}  // namespace internal

namespace {

using base::Error;
using base::ErrorCode;
using internal::kWmBandEdges;
using internal::kWmBands;
using internal::kWmBinHi;
using internal::kWmBinLo;
using internal::kWmBins;
using internal::kWmFrame;
using internal::kWmHop;
using internal::kWmPeriodFrames;
using internal::kWmRate;
using internal::kWmSlotBins;
using internal::kWmSlots;
using internal::WmPattern;
using watermark::internal::kCodedBits;

constexpr int kMinRate = 8000;
constexpr int kMaxRate = 192000;
// The quantiser step of a slot's projection (normalised magnitudes, README.md). Under the SNR
// cap of 30 dB, 0.35 read best on the eval's lines: 0.5 and 0.4 need moves shortened to keep
// the SNR (their points land off the lattice), 0.3 to 0.2 leave less margin against a codec.
constexpr double kStep = 0.35;
// The embedder may exceed the masking threshold by at most this factor in amplitude where a
// frame needs it (an onset, where the threshold follows the quieter frame before).
constexpr double kMaxOverThreshold = 4.0;
constexpr int kEmbedPasses = 6;
constexpr int kSnrAttempts = 5;
constexpr int kLagStep = 4;  // the synchronisation search's grid within a hop, in samples
constexpr int kDecodeAttempts = 2;
// Candidates whose lattice fit scores under this (in standard deviations) are decoded as they
// are, without refining their lag to the sample: unmarked audio scores about 3.5 to 4.5.
constexpr double kRefineScore = 4.0;
constexpr float kSilentBand = 1e-12f;  // band power per bin under which a band is silent

base::Status check_rate(int sample_rate) {
  if (sample_rate < kMinRate || sample_rate > kMaxRate) {
    return Error(ErrorCode::kInvalidArgument, "audio watermark: sample rate " +
                                                  std::to_string(sample_rate) +
                                                  " Hz is outside 8000..192000");
  }
  return {};
}

void inverse(const Fft& fft, std::complex<float>* data) {
  const int n = fft.size();
  for (int i = 0; i < n; ++i) {
    data[i] = std::conj(data[i]);
  }
  fft.transform(data);
  const float scale = 1.0f / static_cast<float>(n);
  for (int i = 0; i < n; ++i) {
    data[i] = std::conj(data[i]) * scale;
  }
}

// The forward FFT of one windowed frame starting at `start` (zero outside the samples).
void analyse(const Fft& fft, std::span<const float> x, int64_t start,
             std::vector<std::complex<float>>& frame) {
  const auto& win = internal::wm_window();
  const auto n = static_cast<int64_t>(x.size());
  for (int i = 0; i < kWmFrame; ++i) {
    const int64_t t = start + i;
    const float v = t >= 0 && t < n ? x[static_cast<size_t>(t)] : 0.0f;
    frame[static_cast<size_t>(i)] = {v * win[static_cast<size_t>(i)], 0.0f};
  }
  fft.transform(frame.data());
}

// Band cells back to a windowed frame, added to `out` at `start`.
void synthesise(const Fft& fft, std::vector<std::complex<float>>& frame, int64_t start,
                std::vector<float>& out) {
  for (int k = 0; k < kWmFrame; ++k) {
    if (k < kWmBinLo || k >= kWmBinHi) {
      frame[static_cast<size_t>(k)] = {};
    }
  }
  for (int k = kWmBinLo; k < kWmBinHi; ++k) {
    frame[static_cast<size_t>(kWmFrame - k)] = std::conj(frame[static_cast<size_t>(k)]);
  }
  inverse(fft, frame.data());
  const auto& win = internal::wm_window();
  const auto n = static_cast<int64_t>(out.size());
  for (int i = 0; i < kWmFrame; ++i) {
    const int64_t t = start + i;
    if (t >= 0 && t < n) {
      out[static_cast<size_t>(t)] +=
          frame[static_cast<size_t>(i)].real() * win[static_cast<size_t>(i)];
    }
  }
}

// Mean power per bin of each band of an analysed frame.
std::array<float, kWmBands> band_power(const std::vector<std::complex<float>>& frame) {
  std::array<float, kWmBands> e{};
  for (int b = 0; b < kWmBands; ++b) {
    const int lo = kWmBandEdges[static_cast<size_t>(b)];
    const int hi = kWmBandEdges[static_cast<size_t>(b + 1)];
    double s = 0;
    for (int k = lo; k < hi; ++k) {
      s += std::norm(frame[static_cast<size_t>(k)]);
    }
    e[static_cast<size_t>(b)] = static_cast<float>(s / (hi - lo));
  }
  return e;
}

// The slots' projections of a frame: sum of sign x |X_k| / sqrt(band power) over the slot's
// bins, over sqrt(32). Level- and (band-wise) EQ-invariant. `active` is false in silence.
struct Projections {
  std::array<float, kWmSlots> p{};
  float power = 0;  // in-band power of the frame
};

// Each band bin's unit: its band's mean power in this frame. (A local mean over +-2 bins, to
// cancel an EQ's slope across a band, was tried: the mark's own changes then move the units
// so much that the embedder's passes do not converge; nothing decoded.)
std::array<float, kWmBins> local_power(const std::vector<std::complex<float>>& frame) {
  const std::array<float, kWmBands> band = band_power(frame);
  std::array<float, kWmBins> out{};
  for (int k = kWmBinLo; k < kWmBinHi; ++k) {
    out[static_cast<size_t>(k - kWmBinLo)] = band[static_cast<size_t>(internal::band_of_bin(k))];
  }
  return out;
}

Projections project(const std::vector<std::complex<float>>& frame,
                    const std::array<float, kWmBands>& power, const WmPattern& pattern) {
  Projections out;
  for (int b = 0; b < kWmBands; ++b) {
    out.power += power[static_cast<size_t>(b)];
  }
  const std::array<float, kWmBins> local = local_power(frame);
  const float norm = 1.0f / std::sqrt(static_cast<float>(kWmSlotBins));
  for (int k = kWmBinLo; k < kWmBinHi; ++k) {
    const auto i = static_cast<size_t>(k - kWmBinLo);
    const float l = local[i];
    const float z = l > kSilentBand ? std::abs(frame[static_cast<size_t>(k)]) / std::sqrt(l) : 0.0f;
    out.p[static_cast<size_t>(pattern.slot[i])] += static_cast<float>(pattern.sign[i]) * z * norm;
  }
  return out;
}

std::vector<float> mark_at_analysis_rate(std::span<const float> host8,
                                         const watermark::internal::CodedBits& coded,
                                         const WmPattern& pattern, double step,
                                         double compensation) {
  const Fft fft(kWmFrame);
  const auto n = static_cast<int64_t>(host8.size());
  const int64_t frames = n >= kWmFrame ? (n - kWmFrame) / kWmHop + 1 : 0;
  std::vector<float> mark(static_cast<size_t>(n), 0.0f);
  std::vector<float> marked(host8.begin(), host8.end());
  std::vector<std::array<float, kWmSlots>> target(static_cast<size_t>(frames));
  // Threshold amplitude per band, in units of the band's RMS.
  std::array<float, kWmBands> threshold{};
  for (int b = 0; b < kWmBands; ++b) {
    threshold[static_cast<size_t>(b)] =
        static_cast<float>(std::pow(10.0, -internal::masking_offset_db(b) / 20.0));
  }
  std::vector<std::array<float, kWmBands>> host_power(static_cast<size_t>(frames));
  std::vector<std::complex<float>> frame(kWmFrame);
  std::vector<std::complex<float>> out(kWmFrame);
  for (int pass = 0; pass < kEmbedPasses; ++pass) {
    std::vector<float> correction(static_cast<size_t>(n), 0.0f);
    for (int64_t t = 0; t < frames; ++t) {
      const auto ti = static_cast<size_t>(t);
      analyse(fft, marked, t * kWmHop, frame);
      const std::array<float, kWmBands> power = band_power(frame);
      if (pass == 0) {
        host_power[ti] = power;
      }
      const Projections pr = project(frame, power, pattern);
      if (pr.power <= kSilentBand) {
        continue;
      }
      const int pf = static_cast<int>(t % kWmPeriodFrames);
      // Per-bin weights: the masking threshold's amplitude in units of the band's RMS, lowered
      // where the frame before was quieter (no mark ahead of an onset).
      std::array<float, kWmBands> weight{};
      for (int b = 0; b < kWmBands; ++b) {
        const auto bi = static_cast<size_t>(b);
        float w = threshold[bi];
        if (t > 0 && host_power[ti][bi] > 0) {
          w *= std::sqrt(std::min(1.0f, host_power[ti - 1][bi] / host_power[ti][bi]));
        }
        weight[bi] = power[bi] > kSilentBand ? w : 0.0f;
      }
      std::array<float, kWmSlots> sum_w{};
      for (int k = kWmBinLo; k < kWmBinHi; ++k) {
        sum_w[static_cast<size_t>(pattern.slot[static_cast<size_t>(k - kWmBinLo)])] +=
            weight[static_cast<size_t>(internal::band_of_bin(k))];
      }
      std::array<float, kWmSlots> c{};
      for (int j = 0; j < kWmSlots; ++j) {
        const auto ji = static_cast<size_t>(j);
        const auto cell = static_cast<size_t>(pf * kWmSlots + j);
        if (pass == 0) {
          const double d = coded[pattern.bit[cell]] != 0 ? 0.5 : 0.0;
          const double offset = pattern.dither[cell] + d;
          target[ti][ji] =
              static_cast<float>(step * (std::round(pr.p[ji] / step - offset) + offset));
        }
        if (sum_w[ji] <= 0) {
          continue;
        }
        const double e = compensation * (target[ti][ji] - pr.p[ji]);
        // new |Z_k| = |Z_k| + sign_k * c * w_k moves the projection by c * sum(w) / sqrt(32).
        c[ji] = static_cast<float>(
            std::clamp(e * std::sqrt(static_cast<double>(kWmSlotBins)) / sum_w[ji],
                       -kMaxOverThreshold, kMaxOverThreshold));
      }
      std::fill(out.begin(), out.end(), std::complex<float>());
      const std::array<float, kWmBins> local = local_power(frame);
      for (int k = kWmBinLo; k < kWmBinHi; ++k) {
        const auto i = static_cast<size_t>(k - kWmBinLo);
        const auto b = static_cast<size_t>(internal::band_of_bin(k));
        if (weight[b] <= 0) {
          continue;
        }
        const std::complex<float> x = frame[static_cast<size_t>(k)];
        const float mag = std::abs(x);
        const float delta = static_cast<float>(pattern.sign[i]) *
                            c[static_cast<size_t>(pattern.slot[i])] * weight[b] *
                            std::sqrt(local[i]);
        const float new_mag = std::max(0.0f, mag + delta);
        const std::complex<float> unit = mag > 0 ? x / mag : std::complex<float>(1.0f, 0.0f);
        out[static_cast<size_t>(k)] = unit * (new_mag - mag);
      }
      synthesise(fft, out, t * kWmHop, correction);
    }
    for (size_t i = 0; i < correction.size(); ++i) {
      mark[i] += correction[i];
      marked[i] = host8[i] + mark[i];
    }
  }
  return mark;
}

base::Status check_embed_input(std::span<const float> interleaved, int channels, int sample_rate) {
  CC_TRY(check_rate(sample_rate));
  if (channels < 1 || channels > 8) {
    return Error(ErrorCode::kInvalidArgument,
                 "audio watermark: " + std::to_string(channels) + " channels (1..8)");
  }
  if (interleaved.size() % static_cast<size_t>(channels) != 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "audio watermark: sample count is not a multiple of the channel count");
  }
  if (static_cast<double>(interleaved.size() / static_cast<size_t>(channels)) <
      kMinMarkSeconds * sample_rate) {
    return Error(ErrorCode::kInvalidArgument, "audio watermark: under 0.5 s of audio to mark");
  }
  return {};
}

base::Result<std::vector<float>> to_analysis_rate(std::span<const float> mono, int sample_rate) {
  CC_TRY(check_rate(sample_rate));
  if (sample_rate == kWmRate) {
    return std::vector<float>(mono.begin(), mono.end());
  }
  return internal::Resampler(sample_rate, kWmRate, internal::kWmResampleCutoffHz).run(mono);
}

// The slots' projections of the frames starting at lag + t * kWmHop, t in [t_begin, t_end)
// (frames must lie inside the samples), and each frame's in-band power.
struct LagFrames {
  int lag = 0;
  int64_t first = 0;  // t of the first frame held
  std::vector<Projections> frames;
};

LagFrames lag_frames(std::span<const float> x, int lag, int64_t t_begin, int64_t t_end,
                     const WmPattern& pattern, const Fft& fft) {
  LagFrames f;
  f.lag = lag;
  f.first = t_begin;
  std::vector<std::complex<float>> frame(kWmFrame);
  for (int64_t t = t_begin; t < t_end; ++t) {
    analyse(fft, x, lag + t * kWmHop, frame);
    f.frames.push_back(project(frame, band_power(frame), pattern));
  }
  return f;
}

// The frames at `lag` that lie inside [begin, end): [t_begin, t_end).
std::pair<int64_t, int64_t> frames_inside(int64_t begin, int64_t end, int lag) {
  const int64_t t_begin = begin - lag <= 0 ? 0 : (begin - lag + kWmHop - 1) / kWmHop;
  const int64_t t_end = end - lag - kWmFrame < 0 ? 0 : (end - lag - kWmFrame) / kWmHop + 1;
  return {t_begin, std::max(t_begin, t_end)};
}

// Every lag of the synchronisation grid, over all of `x`: shared by the windows of a scan.
std::vector<LagFrames> all_lags(std::span<const float> x, const WmPattern& pattern,
                                const Fft& fft) {
  std::vector<LagFrames> lags;
  for (int lag = 0; lag < kWmHop; lag += kLagStep) {
    const auto [t_begin, t_end] = frames_inside(0, static_cast<int64_t>(x.size()), lag);
    lags.push_back(lag_frames(x, lag, t_begin, t_end, pattern, fft));
  }
  return lags;
}

// Frames far quieter than the window's mean frame (a pause, digital silence) carry no mark:
// weight 0; others 1.
std::vector<float> frame_weights(const LagFrames& f, int64_t t_begin, int64_t t_end) {
  double mean = 0;
  for (int64_t t = t_begin; t < t_end; ++t) {
    mean += f.frames[static_cast<size_t>(t - f.first)].power;
  }
  mean /= static_cast<double>(std::max<int64_t>(1, t_end - t_begin));
  std::vector<float> w;
  for (int64_t t = t_begin; t < t_end; ++t) {
    const float p = f.frames[static_cast<size_t>(t - f.first)].power;
    w.push_back(p > 1e-4 * mean && p > kSilentBand ? 1.0f : 0.0f);
  }
  return w;
}

struct Placement {
  double metric = -1e300;
  int lag = 0;
  int offset = 0;  // frame t at this lag is pattern frame (t + offset) mod kWmPeriodFrames
};

// How well the projections of frames [t_begin, t_end) sit on the lattice of either bit when
// frame t is pattern frame (t + offset): the sum of cos(4 pi (p / step - dither)), for every
// offset; and the number of frames that count.
std::array<double, kWmPeriodFrames> lattice_fit(const LagFrames& f, int64_t t_begin, int64_t t_end,
                                                const std::vector<float>& weight,
                                                const std::vector<std::complex<float>>& dither) {
  std::array<double, kWmPeriodFrames> fit{};
  for (int64_t t = t_begin; t < t_end; ++t) {
    if (weight[static_cast<size_t>(t - t_begin)] == 0) {
      continue;
    }
    const Projections& pr = f.frames[static_cast<size_t>(t - f.first)];
    std::array<std::complex<float>, kWmSlots> a{};
    for (int j = 0; j < kWmSlots; ++j) {
      const double angle = 4.0 * std::numbers::pi * pr.p[static_cast<size_t>(j)] / kStep;
      a[static_cast<size_t>(j)] = {static_cast<float>(std::cos(angle)),
                                   static_cast<float>(std::sin(angle))};
    }
    const auto base = static_cast<int>(t % kWmPeriodFrames);
    for (int o = 0; o < kWmPeriodFrames; ++o) {
      int pf = base + o;
      pf -= pf >= kWmPeriodFrames ? kWmPeriodFrames : 0;
      const auto* d = &dither[static_cast<size_t>(pf * kWmSlots)];
      float sum = 0;
      for (int j = 0; j < kWmSlots; ++j) {
        sum += a[static_cast<size_t>(j)].real() * d[j].real() -
               a[static_cast<size_t>(j)].imag() * d[j].imag();
      }
      fit[static_cast<size_t>(o)] += sum;
    }
  }
  return fit;
}

struct Reader {
  explicit Reader(const watermark::WatermarkKey& key)
      : pattern(key), codec(key), fft(kWmFrame), dither(pattern.dither.size()) {
    for (size_t c = 0; c < dither.size(); ++c) {
      const double a = -4.0 * std::numbers::pi * pattern.dither[c];
      dither[c] = {static_cast<float>(std::cos(a)), static_cast<float>(std::sin(a))};
    }
  }
  WmPattern pattern;
  watermark::internal::PayloadCodec codec;
  Fft fft;
  std::vector<std::complex<float>> dither;  // exp(-i 4 pi dither), per pattern cell
};

// Reads the window [begin, end) of 8 kHz samples `x`, whose frames at each lag of the grid are
// in `lags`.
AudioWatermarkDetection read_window(std::span<const float> x, int64_t begin, int64_t end,
                                    const std::vector<LagFrames>& lags, const Reader& reader) {
  AudioWatermarkDetection out;
  // 1. Synchronise: the (lag, offset) whose projections best fit a lattice.
  std::vector<Placement> best;
  double active = 0;
  for (const LagFrames& f : lags) {
    const auto [t_begin, t_end] = frames_inside(begin, end, f.lag);
    const std::vector<float> weight = frame_weights(f, t_begin, t_end);
    double w = 0;
    for (float v : weight) {
      w += v;
    }
    active = std::max(active, w);
    const std::array<double, kWmPeriodFrames> fit =
        lattice_fit(f, t_begin, t_end, weight, reader.dither);
    for (int o = 0; o < kWmPeriodFrames; ++o) {
      best.push_back({fit[static_cast<size_t>(o)], f.lag, o});
    }
  }
  if (active == 0) {
    return out;
  }
  std::partial_sort(best.begin(), best.begin() + std::min<size_t>(best.size(), 64), best.end(),
                    [](const Placement& a, const Placement& b) { return a.metric > b.metric; });
  best.resize(std::min<size_t>(best.size(), 64));
  // With no mark, each active frame adds 3 terms of variance 1/2.
  const double sd = std::sqrt(1.5 * active);
  constexpr int64_t kGrid = static_cast<int64_t>(kWmPeriodFrames) * kWmHop;
  std::vector<Placement> tried;
  for (const Placement& cand : best) {
    if (static_cast<int>(tried.size()) >= kDecodeAttempts) {
      break;
    }
    // A placement is a frame grid: where pattern frame 0 starts, modulo the period.
    auto origin = [](const Placement& p) {
      const int64_t o = p.lag - static_cast<int64_t>(p.offset) * kWmHop;
      return ((o % kGrid) + kGrid) % kGrid;
    };
    bool same = false;
    for (const Placement& p : tried) {
      const int64_t d = std::abs(origin(p) - origin(cand));
      same = same || std::min(d, kGrid - d) <= 2 * kLagStep;
    }
    if (same) {
      continue;
    }
    tried.push_back(cand);
    // Refine the lag to the sample (the same grid: frame t at lag - hop is frame t + 1).
    Placement refined = cand;
    auto [t_begin, t_end] = frames_inside(begin, end, cand.lag);
    LagFrames frames = lag_frames(x, cand.lag, t_begin, t_end, reader.pattern, reader.fft);
    const bool refine = cand.metric / sd >= kRefineScore;
    for (int d = -kLagStep / 2; refine && d <= kLagStep / 2; ++d) {
      int lag = cand.lag + d;
      int offset = cand.offset;
      if (d == 0) {
        continue;
      }
      if (lag < 0) {
        lag += kWmHop;
        offset = (offset + kWmPeriodFrames - 1) % kWmPeriodFrames;
      } else if (lag >= kWmHop) {
        lag -= kWmHop;
        offset = (offset + 1) % kWmPeriodFrames;
      }
      const auto [b2, e2] = frames_inside(begin, end, lag);
      LagFrames f = lag_frames(x, lag, b2, e2, reader.pattern, reader.fft);
      const double m = lattice_fit(f, b2, e2, frame_weights(f, b2, e2),
                                   reader.dither)[static_cast<size_t>(offset)];
      if (m > refined.metric) {
        refined = {m, lag, offset};
        frames = std::move(f);
        t_begin = b2;
        t_end = e2;
      }
    }
    // 2. Read: each slot's soft value cos(2 pi (p / step - dither)), > 0 for bit 0.
    const std::vector<float> weight = frame_weights(frames, t_begin, t_end);
    std::array<float, kCodedBits> soft{};
    for (int64_t t = t_begin; t < t_end; ++t) {
      if (weight[static_cast<size_t>(t - t_begin)] == 0) {
        continue;
      }
      const Projections& pr = frames.frames[static_cast<size_t>(t - frames.first)];
      const auto pf = static_cast<size_t>((t + refined.offset) % kWmPeriodFrames);
      for (int j = 0; j < kWmSlots; ++j) {
        const size_t cell = pf * kWmSlots + static_cast<size_t>(j);
        const double phase = 2.0 * std::numbers::pi *
                             (pr.p[static_cast<size_t>(j)] / kStep - reader.pattern.dither[cell]);
        soft[reader.pattern.bit[cell]] += static_cast<float>(std::cos(phase));
      }
    }
    const watermark::internal::DecodedPayload decoded = reader.codec.decode(soft);
    if (tried.size() == 1 || decoded.crc_ok) {
      out.best_guess = decoded.payload;
      out.sync_score = refined.metric / sd;
    }
    if (decoded.crc_ok) {
      out.found = true;
      out.payload = decoded.payload;
      out.confidence = std::max(0.0, decoded.agreement);
      out.bit_errors_corrected = decoded.bit_errors;
      break;
    }
  }
  return out;
}

}  // namespace

base::Result<std::vector<float>> watermark_signal(std::span<const float> interleaved, int channels,
                                                  int sample_rate, uint64_t payload,
                                                  const watermark::WatermarkKey& key,
                                                  const AudioWatermarkOptions& options) {
  CC_TRY(check_embed_input(interleaved, channels, sample_rate));
  const size_t frames = interleaved.size() / static_cast<size_t>(channels);
  std::vector<float> mono(frames);
  double host_power = 0;
  for (size_t i = 0; i < frames; ++i) {
    float s = 0;
    for (int c = 0; c < channels; ++c) {
      const float v = interleaved[i * static_cast<size_t>(channels) + static_cast<size_t>(c)];
      s += v;
      host_power += static_cast<double>(v) * v;
    }
    mono[i] = s / static_cast<float>(channels);
  }
  host_power /= static_cast<double>(channels);
  const std::vector<float> host8 = CC_TRY(to_analysis_rate(mono, sample_rate));
  const WmPattern pattern(key);
  const watermark::internal::PayloadCodec codec(key);
  const watermark::internal::CodedBits coded = codec.encode(payload);
  double compensation = std::pow(10.0, options.strength_db / 20.0);
  std::vector<float> mark;
  // At most a few tries: a host whose energy lies mostly in the band can need a weaker mark to
  // keep its SNR. The step stays (the detector knows it); each projection moves only part of
  // the way to its lattice point (distortion-compensated quantisation).
  for (int attempt = 0; attempt < kSnrAttempts; ++attempt) {
    const std::vector<float> mark8 =
        mark_at_analysis_rate(host8, coded, pattern, kStep, std::min(1.0, compensation));
    mark =
        sample_rate == kWmRate
            ? mark8
            : internal::Resampler(kWmRate, sample_rate, internal::kWmResampleCutoffHz).run(mark8);
    mark.resize(frames, 0.0f);
    double mark_power = 0;
    for (float v : mark) {
      mark_power += static_cast<double>(v) * v;
    }
    if (mark_power <= 0 || host_power <= 0) {
      break;
    }
    const double snr = 10.0 * std::log10(host_power / mark_power);
    if (snr >= options.min_snr_db) {
      break;
    }
    if (attempt == kSnrAttempts - 1) {
      // Still short: scale the mark itself (the lattice suffers a little; the SNR is kept).
      const auto scale =
          static_cast<float>(std::pow(10.0, (snr - options.min_snr_db - 0.05) / 20.0));
      for (float& v : mark) {
        v *= scale;
      }
      break;
    }
    compensation =
        std::min(1.0, compensation) * std::pow(10.0, -(options.min_snr_db - snr + 0.2) / 20.0);
  }
  return mark;
}

base::Result<std::vector<float>> embed_watermark(std::span<const float> interleaved, int channels,
                                                 int sample_rate, uint64_t payload,
                                                 const watermark::WatermarkKey& key,
                                                 const AudioWatermarkOptions& options) {
  const std::vector<float> mark =
      CC_TRY(watermark_signal(interleaved, channels, sample_rate, payload, key, options));
  std::vector<float> out(interleaved.begin(), interleaved.end());
  for (size_t i = 0; i < mark.size(); ++i) {
    for (int c = 0; c < channels; ++c) {
      out[i * static_cast<size_t>(channels) + static_cast<size_t>(c)] += mark[i];
    }
  }
  return out;
}

base::Result<AudioWatermarkDetection> detect_watermark(std::span<const float> mono, int sample_rate,
                                                       const watermark::WatermarkKey& key) {
  const std::vector<float> x = CC_TRY(to_analysis_rate(mono, sample_rate));
  if (x.size() < static_cast<size_t>(kWmRate)) {
    return Error(ErrorCode::kInvalidArgument, "audio watermark: under 1 s of audio to read");
  }
  const Reader reader(key);
  const auto n = static_cast<int64_t>(x.size());
  AudioWatermarkDetection d = read_window(x, 0, n, all_lags(x, reader.pattern, reader.fft), reader);
  d.start_seconds = 0;
  d.end_seconds = static_cast<double>(mono.size()) / sample_rate;
  return d;
}

base::Result<std::vector<AudioWatermarkDetection>> scan_watermarks(
    std::span<const float> mono, int sample_rate, const watermark::WatermarkKey& key,
    const AudioWatermarkScanOptions& options) {
  const std::vector<float> x = CC_TRY(to_analysis_rate(mono, sample_rate));
  if (x.size() < static_cast<size_t>(kWmRate)) {
    return Error(ErrorCode::kInvalidArgument, "audio watermark: under 1 s of audio to read");
  }
  if (!(options.window_seconds >= 1.0) || !(options.hop_seconds > 0.0)) {
    return Error(ErrorCode::kInvalidArgument,
                 "audio watermark: window under 1 s or hop not positive");
  }
  const Reader reader(key);
  const std::vector<LagFrames> lags = all_lags(x, reader.pattern, reader.fft);
  const auto n = static_cast<int64_t>(x.size());
  const int64_t window = std::min<int64_t>(n, std::llround(options.window_seconds * kWmRate));
  const int64_t hop = std::max<int64_t>(1, std::llround(options.hop_seconds * kWmRate));
  std::vector<int64_t> starts;
  for (int64_t s = 0; s + window <= n; s += hop) {
    starts.push_back(s);
  }
  if (starts.back() + window < n) {
    starts.push_back(n - window);  // the tail
  }
  std::vector<AudioWatermarkDetection> found;
  for (int64_t s : starts) {
    AudioWatermarkDetection d = read_window(x, s, s + window, lags, reader);
    if (d.found) {
      d.start_seconds = static_cast<double>(s) / kWmRate;
      d.end_seconds = static_cast<double>(s + window) / kWmRate;
      found.push_back(d);
    }
  }
  return found;
}

}  // namespace clearcut::audio
