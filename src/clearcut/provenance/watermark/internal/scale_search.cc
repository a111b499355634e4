#include "clearcut/provenance/watermark/internal/scale_search.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include "clearcut/provenance/watermark/internal/fft.h"
#include "clearcut/provenance/watermark/internal/tile_pattern.h"

namespace clearcut::watermark::internal {
namespace {

constexpr int kMaxWindow = 512;
constexpr double kStep = 1.0025;
constexpr double kMaxFrequency = 0.48;  // cycles per pixel; beyond, resizing left nothing

struct LatticePoint {
  int m = 0;  // vertical tile frequency index (cycles per tile)
  int n = 0;  // horizontal
  double weight = 0;
};

// Energy the band puts at tile frequency (m, n) for random chips: sum over the band of
// |DFT of the basis row u at m|^2 * |... of v at n|^2.
std::vector<LatticePoint> make_lattice() {
  const auto& c = dct8_basis();
  std::array<std::array<double, kTile>, 4> power{};  // power[u][m] for u = 0..3
  for (int u = 0; u < 4; ++u) {
    for (int m = 0; m < kTile; ++m) {
      std::complex<double> s = 0;
      for (int x = 0; x < kBlock; ++x) {
        s +=
            static_cast<double>(c[u][x]) * std::polar(1.0, -2.0 * std::numbers::pi * m * x / kTile);
      }
      power[u][m] = std::norm(s);
    }
  }
  std::vector<LatticePoint> points;
  double best = 0;
  for (int m = -kTile / 2 + 1; m < kTile / 2; ++m) {
    for (int n = 0; n < kTile / 2; ++n) {
      if (n == 0 && m <= 0) {
        continue;  // half plane: the spectrum of a real image is symmetric
      }
      double e = 0;
      for (const auto& uv : kBand) {
        e += power[uv[0]][(m + kTile) % kTile] * power[uv[1]][n];
      }
      points.push_back({m, n, e});
      best = std::max(best, e);
    }
  }
  std::erase_if(points, [&](const LatticePoint& p) { return p.weight < 0.2 * best; });
  return points;
}

const std::vector<LatticePoint>& lattice() {
  static const std::vector<LatticePoint> kPoints = make_lattice();
  return kPoints;
}

double taper(int i, int n) {
  // Tukey window: flat in the middle, cosine over the outer eighth on each side.
  const int edge = std::max(1, n / 8);
  if (i < edge) {
    return 0.5 - 0.5 * std::cos(std::numbers::pi * (i + 0.5) / edge);
  }
  if (i >= n - edge) {
    return 0.5 - 0.5 * std::cos(std::numbers::pi * (n - i - 0.5) / edge);
  }
  return 1.0;
}

}  // namespace

std::vector<ScaleCandidate> scale_candidates(const Plane& residual, int max_candidates) {
  const int side = std::min({residual.width, residual.height, kMaxWindow});
  int n = 64;
  while (n < side) {
    n *= 2;
  }
  const int x0 = (residual.width - side) / 2;
  const int y0 = (residual.height - side) / 2;
  std::vector<Complex> spectrum(static_cast<size_t>(n) * n, Complex(0, 0));
  std::vector<double> window(side);
  for (int i = 0; i < side; ++i) {
    window[i] = taper(i, side);
  }
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      spectrum[static_cast<size_t>(y) * n + x] =
          Complex(static_cast<float>(residual.at(x0 + x, y0 + y) * window[x] * window[y]), 0.0f);
    }
  }
  Fft2d fft(n);
  fft.forward(spectrum);
  // Power, whitened by its mean over each ring of equal radius.
  std::vector<float> power(spectrum.size());
  const int rings = n;  // radius < n / sqrt(2) + 1
  std::vector<double> ring_sum(rings, 0.0);
  std::vector<int> ring_count(rings, 0);
  // Ring of each bin: sqrt of an integer is correctly rounded and never within rounding of a
  // half, so this is lround(hypot(sy, sx)), for a fraction of the cost.
  std::vector<int> ring(spectrum.size());
  for (int ky = 0; ky < n; ++ky) {
    const int sy = ky < n / 2 ? ky : ky - n;
    for (int kx = 0; kx < n; ++kx) {
      const int sx = kx < n / 2 ? kx : kx - n;
      ring[static_cast<size_t>(ky) * n + kx] =
          static_cast<int>(std::lround(std::sqrt(static_cast<double>(sy * sy + sx * sx))));
    }
  }
  for (size_t i = 0; i < spectrum.size(); ++i) {
    power[i] = std::norm(spectrum[i]);
    ring_sum[ring[i]] += power[i];
    ++ring_count[ring[i]];
  }
  for (size_t i = 0; i < spectrum.size(); ++i) {
    const double mean = ring_sum[ring[i]] / ring_count[ring[i]];
    float& p = power[i];
    p = mean > 0 ? static_cast<float>(p / mean) : 0.0f;
  }
  auto sample = [&](double fy, double fx) {  // bilinear in bins, wrapped
    const double by = fy * n;
    const double bx = fx * n;
    const double y = std::floor(by);
    const double x = std::floor(bx);
    const double ay = by - y;
    const double ax = bx - x;
    // n is a power of two: masking wraps like ((k % n) + n) % n, without the divisions.
    const int mask = n - 1;
    auto at = [&](int yy, int xx) {
      return static_cast<double>(power[static_cast<size_t>(yy & mask) * n + (xx & mask)]);
    };
    const int iy = static_cast<int>(y);
    const int ix = static_cast<int>(x);
    return (1 - ay) * ((1 - ax) * at(iy, ix) + ax * at(iy, ix + 1)) +
           ay * ((1 - ax) * at(iy + 1, ix) + ax * at(iy + 1, ix + 1));
  };

  std::vector<double> scales;
  for (double s = kMinScale; s <= kMaxScale * 1.0001; s *= kStep) {
    scales.push_back(s);
  }
  // Lattice points outside, scales inside: one point's samples over the scales lie along a ray
  // of the spectrum (cache-friendly), and the per-scale sums, each still taken over the points
  // in the same order, do not wait on one another.
  std::vector<double> sum(scales.size(), 0.0);
  std::vector<double> weight(scales.size(), 0.0);
  for (const LatticePoint& p : lattice()) {
    for (size_t k = 0; k < scales.size(); ++k) {
      const double period = kTile * scales[k];
      const double fy = p.m / period;
      const double fx = p.n / period;
      if (std::fabs(fy) > kMaxFrequency || std::fabs(fx) > kMaxFrequency) {
        continue;
      }
      sum[k] += p.weight * sample(fy, fx);
      weight[k] += p.weight;
    }
  }
  std::vector<double> score(scales.size(), 0.0);
  for (size_t k = 0; k < scales.size(); ++k) {
    score[k] = weight[k] > 0 ? sum[k] / weight[k] : 0.0;
  }
  // Robust standardisation: (score - median) / MAD.
  std::vector<double> sorted = score;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const double median = sorted[sorted.size() / 2];
  for (double& d : sorted) {
    d = std::fabs(d - median);
  }
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const double mad = std::max(1e-9, sorted[sorted.size() / 2]);

  std::vector<ScaleCandidate> peaks;
  for (size_t k = 1; k + 1 < scales.size(); ++k) {
    if (score[k] >= score[k - 1] && score[k] > score[k + 1]) {
      // Parabola through the three scores, in steps of the log-spaced grid.
      const double d = score[k - 1] - 2 * score[k] + score[k + 1];
      const double offset =
          d < 0 ? std::clamp(0.5 * (score[k - 1] - score[k + 1]) / d, -0.5, 0.5) : 0.0;
      peaks.push_back({scales[k] * std::pow(kStep, offset), (score[k] - median) / mad});
    }
  }
  std::sort(peaks.begin(), peaks.end(),
            [](const ScaleCandidate& a, const ScaleCandidate& b) { return a.score > b.score; });
  if (static_cast<int>(peaks.size()) > max_candidates) {
    peaks.resize(max_candidates);
  }
  return peaks;
}

}  // namespace clearcut::watermark::internal
