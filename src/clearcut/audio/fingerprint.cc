#include "clearcut/audio/fingerprint.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>

#include "clearcut/audio/fft.h"

namespace clearcut::audio {
namespace {

using base::Error;

// Frames per density block (about 1 s at the default hop) and per processing chunk (a multiple
// of the block, so that chunking never splits a block and results do not depend on it).
constexpr int kBlockFrames = 64;
constexpr int kChunkFrames = 64 * kBlockFrames;

base::Status check(const FingerprintOptions& o) {
  auto bad = [](const char* field, const std::string& expected) {
    return base::invalid_argument(std::string(field) + ": expected " + expected).with_field(field);
  };
  if (o.sample_rate < 1000 || o.sample_rate > 192000) {
    return bad("sample_rate", "1000 to 192000 Hz");
  }
  if (o.window < 64 || o.window > 8192 || (o.window & (o.window - 1)) != 0) {
    return bad("window", "a power of two from 64 to 8192 samples");
  }
  if (o.hop < 1 || o.hop > o.window) {
    return bad("hop", "1 to window samples");
  }
  if (o.min_bin < 1 || o.max_bin > 255 || o.max_bin > o.window / 2 || o.min_bin >= o.max_bin) {
    return bad("max_bin", "1 <= min_bin < max_bin <= min(255, window / 2)");
  }
  if (o.whiten_frames < 1 || o.peak_bins < 1 || o.peak_frames < 1) {
    return bad("peak_bins", "whiten_frames, peak_bins and peak_frames of at least 1");
  }
  if (o.peaks_per_second < 1 || o.fan_out < 1) {
    return bad("peaks_per_second", "peaks_per_second and fan_out of at least 1");
  }
  if (o.max_pair_frames < 1 || o.max_pair_frames > 63 || o.max_pair_bins < 0) {
    return bad("max_pair_frames", "1 to 63 frames");
  }
  return {};
}

// Sliding maximum of `in[i * stride]` over +-radius for i < count, into out (same layout).
void sliding_max(const float* in, float* out, int count, int stride, int radius) {
  for (int i = 0; i < count; ++i) {
    const int lo = std::max(0, i - radius);
    const int hi = std::min(count - 1, i + radius);
    float m = in[static_cast<ptrdiff_t>(lo) * stride];
    for (int j = lo + 1; j <= hi; ++j) {
      m = std::max(m, in[static_cast<ptrdiff_t>(j) * stride]);
    }
    out[static_cast<ptrdiff_t>(i) * stride] = m;
  }
}

class Landmarker {
 public:
  Landmarker(std::span<const float> samples, const FingerprintOptions& o)
      : samples_(samples),
        o_(o),
        fft_(o.window),
        bins_(o.max_bin - o.min_bin + 1),
        window_(static_cast<size_t>(o.window)),
        buffer_(static_cast<size_t>(o.window)) {
    double sum = 0;
    for (int i = 0; i < o.window; ++i) {
      // Periodic Hann.
      const double w = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / o.window);
      window_[static_cast<size_t>(i)] = static_cast<float>(w);
      sum += w;
    }
    // A full-scale sine at a bin's centre reads 0 dB.
    gain_ = static_cast<float>(2.0 / sum);
    frames_ = samples.empty()
                  ? 0
                  : static_cast<int32_t>((samples.size() + static_cast<size_t>(o.hop) - 1) /
                                         static_cast<size_t>(o.hop));
  }

  Fingerprint run() {
    Fingerprint out;
    out.sample_rate = o_.sample_rate;
    out.hop = o_.hop;
    out.frames = frames_;
    for (int32_t c0 = 0; c0 < frames_; c0 += kChunkFrames) {
      chunk(c0, std::min<int32_t>(frames_, c0 + kChunkFrames), out.peaks);
    }
    out.landmarks = pair_peaks(out.peaks, o_);
    return out;
  }

 private:
  // dB spectrum of frame t into row (bins_ values).
  void spectrum(int32_t t, float* row) {
    const size_t start = static_cast<size_t>(t) * static_cast<size_t>(o_.hop);
    for (int i = 0; i < o_.window; ++i) {
      const size_t s = start + static_cast<size_t>(i);
      const float x = s < samples_.size() ? samples_[s] : 0.0f;
      buffer_[static_cast<size_t>(i)] = {x * window_[static_cast<size_t>(i)], 0.0f};
    }
    fft_.transform(buffer_.data());
    for (int b = 0; b < bins_; ++b) {
      const std::complex<float> v = buffer_[static_cast<size_t>(o_.min_bin + b)];
      const float power = (v.real() * v.real() + v.imag() * v.imag()) * gain_ * gain_;
      row[b] = 10.0f * std::log10(power + 1e-12f);  // floor at -120 dB
    }
  }

  void chunk(int32_t c0, int32_t c1, std::vector<Peak>& peaks) {
    const int32_t pf = o_.peak_frames;
    const int32_t w = o_.whiten_frames;
    // Whitened values are needed for [zlo, zhi); their means for frames +-w around those.
    const int32_t zlo = std::max<int32_t>(0, c0 - pf);
    const int32_t zhi = std::min<int32_t>(frames_, c1 + pf);
    const int32_t lo = std::max<int32_t>(0, zlo - w);
    const int32_t hi = std::min<int32_t>(frames_, zhi + w);
    const size_t nb = static_cast<size_t>(bins_);
    db_.assign(static_cast<size_t>(hi - lo) * nb, 0.0f);
    for (int32_t t = lo; t < hi; ++t) {
      spectrum(t, db_.data() + static_cast<size_t>(t - lo) * nb);
    }
    // Per-bin running sums over time, then each frame minus its bin's mean over +-w frames
    // (clipped at the ends of the audio, never at chunk edges).
    prefix_.assign(static_cast<size_t>(hi - lo + 1) * nb, 0.0);
    for (int32_t t = lo; t < hi; ++t) {
      const size_t r = static_cast<size_t>(t - lo);
      for (size_t b = 0; b < nb; ++b) {
        prefix_[(r + 1) * nb + b] = prefix_[r * nb + b] + db_[r * nb + b];
      }
    }
    const int32_t zn = zhi - zlo;
    z_.assign(static_cast<size_t>(zn) * nb, 0.0f);
    for (int32_t t = zlo; t < zhi; ++t) {
      const int32_t a = std::max<int32_t>(0, t - w) - lo;
      const int32_t e = std::min<int32_t>(frames_, t + w + 1) - lo;
      const double inv = 1.0 / (e - a);
      const size_t r = static_cast<size_t>(t - lo);
      for (size_t b = 0; b < nb; ++b) {
        const double mean =
            (prefix_[static_cast<size_t>(e) * nb + b] - prefix_[static_cast<size_t>(a) * nb + b]) *
            inv;
        z_[static_cast<size_t>(t - zlo) * nb + b] = db_[r * nb + b] - static_cast<float>(mean);
      }
    }
    // Box maximum, separably: across bins, then across frames.
    across_.resize(z_.size());
    box_.resize(z_.size());
    for (int32_t r = 0; r < zn; ++r) {
      sliding_max(z_.data() + static_cast<size_t>(r) * nb,
                  across_.data() + static_cast<size_t>(r) * nb, bins_, 1, o_.peak_bins);
    }
    for (size_t b = 0; b < nb; ++b) {
      sliding_max(across_.data() + b, box_.data() + b, zn, bins_, o_.peak_frames);
    }
    // Candidates per density block, the strongest kept.
    const int keep =
        std::max(1, static_cast<int>(std::lround(static_cast<double>(o_.peaks_per_second) *
                                                 kBlockFrames * o_.hop / o_.sample_rate)));
    for (int32_t b0 = c0; b0 < c1; b0 += kBlockFrames) {
      const int32_t b1 = std::min<int32_t>(c1, b0 + kBlockFrames);
      block_.clear();
      for (int32_t t = b0; t < b1; ++t) {
        const size_t zr = static_cast<size_t>(t - zlo) * nb;
        const size_t dr = static_cast<size_t>(t - lo) * nb;
        for (size_t b = 0; b < nb; ++b) {
          const float v = z_[zr + b];
          if (v >= o_.min_prominence_db && v >= box_[zr + b] && db_[dr + b] >= o_.floor_dbfs) {
            block_.push_back(Peak{t, o_.min_bin + static_cast<int32_t>(b), v});
          }
        }
      }
      if (static_cast<int>(block_.size()) > keep) {
        std::nth_element(block_.begin(), block_.begin() + keep, block_.end(),
                         [](const Peak& x, const Peak& y) {
                           if (x.prominence_db != y.prominence_db) {
                             return x.prominence_db > y.prominence_db;
                           }
                           return x.frame != y.frame ? x.frame < y.frame : x.bin < y.bin;
                         });
        block_.resize(static_cast<size_t>(keep));
        std::sort(block_.begin(), block_.end(), [](const Peak& x, const Peak& y) {
          return x.frame != y.frame ? x.frame < y.frame : x.bin < y.bin;
        });
      }
      peaks.insert(peaks.end(), block_.begin(), block_.end());
    }
  }

  std::span<const float> samples_;
  const FingerprintOptions& o_;
  Fft fft_;
  int bins_;
  int32_t frames_ = 0;
  float gain_ = 1.0f;
  std::vector<float> window_;
  std::vector<std::complex<float>> buffer_;
  std::vector<float> db_, z_, across_, box_;
  std::vector<double> prefix_;
  std::vector<Peak> block_;
};

}  // namespace

FingerprintOptions query_options() {
  FingerprintOptions o;
  o.peaks_per_second = kQueryPeaksPerSecond;
  o.fan_out = kQueryFanOut;
  return o;
}

std::vector<Landmark> pair_peaks(std::span<const Peak> peaks, const FingerprintOptions& options) {
  std::vector<Landmark> landmarks;
  for (size_t i = 0; i < peaks.size(); ++i) {
    int made = 0;
    for (size_t j = i + 1; j < peaks.size() && made < options.fan_out; ++j) {
      const int dt = peaks[j].frame - peaks[i].frame;
      if (dt > options.max_pair_frames) {
        break;
      }
      if (dt < 1 || std::abs(peaks[j].bin - peaks[i].bin) > options.max_pair_bins) {
        continue;
      }
      landmarks.push_back(Landmark{landmark_hash(peaks[i].bin, peaks[j].bin, dt), peaks[i].frame});
      ++made;
    }
  }
  return landmarks;
}

uint32_t landmark_hash(int f1, int f2, int dt) {
  return (static_cast<uint32_t>(f1 & 255) << 14) | (static_cast<uint32_t>(f2 & 255) << 6) |
         static_cast<uint32_t>(dt & 63);
}

base::Result<Fingerprint> fingerprint(std::span<const float> samples,
                                      const FingerprintOptions& options) {
  CC_TRY(check(options));
  Landmarker landmarker(samples, options);
  return landmarker.run();
}

}  // namespace clearcut::audio
