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
  static const std::vector<LatticePoint> points = make_lattice();
  return points;
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
  auto ring_of = [n](int ky, int kx) {
    const int sy = ky < n / 2 ? ky : ky - n;
    const int sx = kx < n / 2 ? kx : kx - n;
    return static_cast<int>(std::lround(std::hypot(sy, sx)));
  };
  for (int ky = 0; ky < n; ++ky) {
    for (int kx = 0; kx < n; ++kx) {
      const size_t i = static_cast<size_t>(ky) * n + kx;
      power[i] = std::norm(spectrum[i]);
      const int r = ring_of(ky, kx);
      ring_sum[r] += power[i];
      ++ring_count[r];
    }
  }
  for (int ky = 0; ky < n; ++ky) {
    for (int kx = 0; kx < n; ++kx) {
      const int r = ring_of(ky, kx);
      const double mean = ring_sum[r] / ring_count[r];
      float& p = power[static_cast<size_t>(ky) * n + kx];
      p = mean > 0 ? static_cast<float>(p / mean) : 0.0f;
    }
  }
  auto sample = [&](double fy, double fx) {  // bilinear in bins, wrapped
    const double by = fy * n;
    const double bx = fx * n;
    const double y = std::floor(by);
    const double x = std::floor(bx);
    const double ay = by - y;
    const double ax = bx - x;
    auto at = [&](int yy, int xx) {
      return static_cast<double>(
          power[static_cast<size_t>(((yy % n) + n) % n) * n + ((xx % n) + n) % n]);
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
  std::vector<double> score(scales.size(), 0.0);
  for (size_t k = 0; k < scales.size(); ++k) {
    const double period = kTile * scales[k];
    double sum = 0;
    double weight = 0;
    for (const LatticePoint& p : lattice()) {
      const double fy = p.m / period;
      const double fx = p.n / period;
      if (std::fabs(fy) > kMaxFrequency || std::fabs(fx) > kMaxFrequency) {
        continue;
      }
      sum += p.weight * sample(fy, fx);
      weight += p.weight;
    }
    score[k] = weight > 0 ? sum / weight : 0.0;
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
