#include "clearcut/provenance/watermark/internal/tile_reader.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "clearcut/base/result.h"

namespace clearcut::watermark::internal {
namespace {

constexpr size_t kCells = static_cast<size_t>(kTile) * kTile;
constexpr double kWhitenPower = 0.3;

// Signed frequency index of FFT bin k.
int signed_bin(int k) {
  return k < kTile / 2 ? k : k - kTile;
}

// The ring (rounded radius in bins) of each cell of a tile's spectrum. sqrt of an integer is
// correctly rounded and never within rounding of a half, so this is lround(hypot(v, u)).
const std::array<uint8_t, kCells>& rings() {
  static const std::array<uint8_t, kCells> kTable = [] {
    std::array<uint8_t, kCells> t{};
    for (int v = 0; v < kTile; ++v) {
      for (int u = 0; u < kTile; ++u) {
        const int sv = signed_bin(v);
        const int su = signed_bin(u);
        t[static_cast<size_t>(v) * kTile + u] =
            static_cast<uint8_t>(std::lround(std::sqrt(static_cast<double>(sv * sv + su * su))));
      }
    }
    return t;
  }();
  return kTable;
}

// Per-coordinate splat targets: image coordinate i lands between tile cells lo and lo + 1.
struct Splat {
  std::vector<int> lo;
  std::vector<double> w_lo;
  std::vector<double> weight;  // total weight each tile cell receives along this axis
};

Splat splat_axis(int start, int count, double scale) {
  Splat s;
  s.lo.resize(count);
  s.w_lo.resize(count);
  s.weight.assign(kTile, 0.0);
  for (int i = 0; i < count; ++i) {
    const double u = (start + i + 0.5) / scale - 0.5;
    const double f = std::floor(u);
    int lo = static_cast<int>(std::fmod(f, kTile));
    if (lo < 0) {
      lo += kTile;
    }
    const double frac = u - f;
    s.lo[i] = lo;
    s.w_lo[i] = 1.0 - frac;
    s.weight[lo] += 1.0 - frac;
    s.weight[(lo + 1) % kTile] += frac;
  }
  return s;
}

// At scale 1 every pixel lands on one cell with weight 1 (and 0 on its neighbour): the same
// sums as the bilinear splat below, without its multiplications and zero additions, and in runs
// of consecutive cells that the compiler vectorises.
void fold_unscaled(const Plane& residual, const Region& region, const Splat& sx, const Splat& sy,
                   std::vector<double>& row, std::vector<double>& sum) {
  for (int j = 0; j < region.height; ++j) {
    std::fill(row.begin(), row.end(), 0.0);
    const float* src = residual.data + (region.y + j) * residual.stride + region.x;
    for (int i = 0; i < region.width;) {
      const int lo = sx.lo[i];
      const int run = std::min(region.width - i, kTile - lo);
      double* cells = row.data() + lo;
      const float* in = src + i;
      for (int t = 0; t < run; ++t) {
        cells[t] += in[t];
      }
      i += run;
    }
    double* out = sum.data() + static_cast<size_t>(sy.lo[j]) * kTile;
    for (int u = 0; u < kTile; ++u) {
      out[u] += row[u];
    }
  }
}

// Each pixel splats onto the two cells around it along each axis, weighted by nearness.
void fold_bilinear(const Plane& residual, const Region& region, const Splat& sx, const Splat& sy,
                   std::vector<double>& row, std::vector<double>& sum) {
  for (int j = 0; j < region.height; ++j) {
    std::fill(row.begin(), row.end(), 0.0);
    const float* src = residual.data + (region.y + j) * residual.stride + region.x;
    for (int i = 0; i < region.width; ++i) {
      const double v = src[i];
      const double a = sx.w_lo[i] * v;
      row[sx.lo[i]] += a;
      row[(sx.lo[i] + 1) % kTile] += v - a;
    }
    const double wy = sy.w_lo[j];
    double* lo = sum.data() + static_cast<size_t>(sy.lo[j]) * kTile;
    double* hi = sum.data() + static_cast<size_t>((sy.lo[j] + 1) % kTile) * kTile;
    for (int u = 0; u < kTile; ++u) {
      lo[u] += wy * row[u];
      hi[u] += (1.0 - wy) * row[u];
    }
  }
}

}  // namespace

TileReader::TileReader(const WatermarkKey& key)
    : pattern_(key),
      fft_(kTile),
      sync_spectrum_(kCells),
      spectrum_(kCells),
      work_(kCells),
      sum_(kCells),
      row_(kTile) {
  const std::vector<float>& sync = pattern_.sync_tile();
  for (size_t i = 0; i < kCells; ++i) {
    sync_spectrum_[i] = Complex(sync[i], 0.0f);
  }
  fft_.forward(sync_spectrum_);
  for (Complex& c : sync_spectrum_) {
    c = std::conj(c);
  }
}

void TileReader::fold(const Plane& residual, const Region& region, double scale) {
  CC_CHECK(scale > 0 && region.width > 0 && region.height > 0);
  const Splat sx = splat_axis(region.x, region.width, scale);
  const Splat sy = splat_axis(region.y, region.height, scale);
  std::fill(sum_.begin(), sum_.end(), 0.0);
  if (scale == 1.0) {
    fold_unscaled(residual, region, sx, sy, row_, sum_);
  } else {
    fold_bilinear(residual, region, sx, sy, row_, sum_);
  }
  // Weights are separable: cell (v, u) received sy.weight[v] * sx.weight[u]. Cells with little
  // weight (scales under 1 leave gaps between splats) take the weighted mean of their 3 x 3
  // neighbourhood instead: normalised convolution.
  double mean_weight = 0;
  for (int v = 0; v < kTile; ++v) {
    for (int u = 0; u < kTile; ++u) {
      mean_weight += sy.weight[v] * sx.weight[u];
    }
  }
  mean_weight /= static_cast<double>(kCells);
  for (int v = 0; v < kTile; ++v) {
    for (int u = 0; u < kTile; ++u) {
      double w = sy.weight[v] * sx.weight[u];
      double s = sum_[static_cast<size_t>(v) * kTile + u];
      if (w < 0.25 * mean_weight) {
        w = 0;
        s = 0;
        for (int dv = -1; dv <= 1; ++dv) {
          const int vv = (v + dv + kTile) % kTile;
          for (int du = -1; du <= 1; ++du) {
            const int uu = (u + du + kTile) % kTile;
            w += sy.weight[vv] * sx.weight[uu];
            s += sum_[static_cast<size_t>(vv) * kTile + uu];
          }
        }
      }
      spectrum_[static_cast<size_t>(v) * kTile + u] =
          Complex(w > 0 ? static_cast<float>(s / w) : 0.0f, 0.0f);
    }
  }
  fft_.forward(spectrum_);
  // Whiten part way: divide by the radially averaged power to the 0.3. Not at all, and the
  // host's low frequencies that survived folding dominate; fully (power 1, the matched filter
  // for stationary noise), and frequencies a codec wiped out get the most weight. 0.3 read the
  // most chips right after H.264 in the evaluation (0.5 and 0.25 were close behind).
  const std::array<uint8_t, kCells>& ring = rings();
  std::array<double, kTile> ring_power{};
  std::array<int, kTile> ring_count{};
  for (size_t i = 0; i < kCells; ++i) {
    ring_power[ring[i]] += std::norm(spectrum_[i]);
    ++ring_count[ring[i]];
  }
  // The divisor of each ring, worked out once per ring rather than per cell (the same values).
  std::array<float, kTile> divisor{};
  for (int r = 1; r < kTile; ++r) {
    const double p = ring_count[r] > 0 ? ring_power[r] / ring_count[r] : 0.0;
    divisor[r] = p > 0 ? static_cast<float>(std::pow(p, kWhitenPower)) : 0.0f;
  }
  for (size_t i = 0; i < kCells; ++i) {
    Complex& c = spectrum_[i];
    c = divisor[ring[i]] == 0.0f ? Complex(0, 0) : c / divisor[ring[i]];
  }
}

SyncPeak TileReader::locate() {
  for (size_t i = 0; i < kCells; ++i) {
    work_[i] = spectrum_[i] * sync_spectrum_[i];
  }
  fft_.inverse(work_);
  double sum = 0;
  double sum2 = 0;
  size_t best = 0;
  for (size_t i = 0; i < kCells; ++i) {
    const double c = work_[i].real();
    sum += c;
    sum2 += c * c;
    if (c > work_[best].real()) {
      best = i;
    }
  }
  const double mean = sum / kCells;
  const double sd = std::sqrt(std::max(1e-30, sum2 / kCells - mean * mean));
  SyncPeak peak;
  peak.score = (work_[best].real() - mean) / sd;
  const int by = static_cast<int>(best / kTile);
  const int bx = static_cast<int>(best % kTile);
  auto at = [&](int y, int x) {
    return static_cast<double>(
        work_[static_cast<size_t>((y + kTile) % kTile) * kTile + (x + kTile) % kTile].real());
  };
  // Parabolic interpolation through the peak and its neighbours, per axis.
  auto vertex = [](double l, double c, double r) {
    const double d = l - 2 * c + r;
    return d < 0 ? std::clamp(0.5 * (l - r) / d, -0.5, 0.5) : 0.0;
  };
  peak.dx = bx + vertex(at(by, bx - 1), at(by, bx), at(by, bx + 1));
  peak.dy = by + vertex(at(by - 1, bx), at(by, bx), at(by + 1, bx));
  return peak;
}

std::array<float, kCodedBits> TileReader::read(const SyncPeak& peak) {
  // Shift the folded tile so the synchronisation pattern sits at phase 0:
  // aligned(t) = folded(t + d), i.e. multiply the spectrum by e^{+2 pi i k.d / kTile}.
  for (int v = 0; v < kTile; ++v) {
    for (int u = 0; u < kTile; ++u) {
      const double a =
          2.0 * std::numbers::pi * (signed_bin(v) * peak.dy + signed_bin(u) * peak.dx) / kTile;
      const size_t i = static_cast<size_t>(v) * kTile + u;
      work_[i] =
          spectrum_[i] * Complex(static_cast<float>(std::cos(a)), static_cast<float>(std::sin(a)));
    }
  }
  fft_.inverse(work_);
  std::vector<float> aligned(kCells);
  for (size_t i = 0; i < kCells; ++i) {
    aligned[i] = work_[i].real();
  }
  std::array<float, kChips> chips;
  TilePattern::analyse(aligned, chips);
  double sync_gain = 0;
  for (int p = 0; p < kChips; ++p) {
    sync_gain += chips[p] * pattern_.sync_chip(p);
  }
  sync_gain /= kChips;
  std::array<float, kCodedBits> soft{};
  for (int p = 0; p < kChips; ++p) {
    const double message = chips[p] - sync_gain * pattern_.sync_chip(p);
    soft[pattern_.coded_bit_of(p)] += static_cast<float>(message * pattern_.message_sign(p));
  }
  return soft;
}

}  // namespace clearcut::watermark::internal
