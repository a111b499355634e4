#include "clearcut/provenance/watermark/internal/scale_search.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <numbers>

#include "clearcut/base/result.h"
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

// The ring (rounded radius in bins) of every bin of an n x n spectrum, and how many bins each
// ring holds. sqrt of an integer is correctly rounded and never within rounding of a half, so
// this is lround(hypot(sy, sx)).
struct Rings {
  std::vector<uint16_t> ring;
  std::vector<int> count;
};

Rings make_rings(int n) {
  Rings r;
  r.ring.resize(static_cast<size_t>(n) * n);
  r.count.assign(static_cast<size_t>(n), 0);  // radius < n / sqrt(2) + 1
  for (int ky = 0; ky < n; ++ky) {
    const int sy = ky < n / 2 ? ky : ky - n;
    for (int kx = 0; kx < n; ++kx) {
      const int sx = kx < n / 2 ? kx : kx - n;
      const auto ring =
          static_cast<uint16_t>(std::lround(std::sqrt(static_cast<double>(sy * sy + sx * sx))));
      r.ring[static_cast<size_t>(ky) * n + kx] = ring;
      ++r.count[ring];
    }
  }
  return r;
}

// The comb's scales and, per lattice point, the first scale from which its samples lie under
// kMaxFrequency (the frequency falls as the scale grows), for an n x n window.
struct Comb {
  struct Point {
    int m = 0;
    int n = 0;
    double weight = 0;
    size_t first_scale = 0;
  };
  std::vector<double> scales;
  std::vector<double> bins_per_cycle;  // n / (kTile * scale): bins per cycle of the tile
  std::vector<double> weight;          // the summed weight of the points each scale samples
  std::vector<Point> points;
};

Comb make_comb(int n) {
  Comb c;
  for (double s = kMinScale; s <= kMaxScale * 1.0001; s *= kStep) {
    c.scales.push_back(s);
    c.bins_per_cycle.push_back(n / (kTile * s));
  }
  c.weight.assign(c.scales.size(), 0.0);
  for (const LatticePoint& p : lattice()) {
    Comb::Point point{p.m, p.n, p.weight, c.scales.size()};
    for (size_t k = 0; k < c.scales.size(); ++k) {
      const double period = kTile * c.scales[k];
      const bool inside =
          std::fabs(p.m / period) <= kMaxFrequency && std::fabs(p.n / period) <= kMaxFrequency;
      if (inside) {
        point.first_scale = std::min(point.first_scale, k);
        c.weight[k] += p.weight;
      }
      CC_CHECK(inside || point.first_scale == c.scales.size());
    }
    c.points.push_back(point);
  }
  return c;
}

// Windows are 64 to kMaxWindow bins a side, powers of two.
int size_index(int n) {
  int index = 0;
  while ((64 << index) < n) {
    ++index;
  }
  CC_CHECK((64 << index) == n && n <= kMaxWindow);
  return index;
}

const Rings& rings_of(int n) {
  static const std::array<Rings, 4> kTables = {make_rings(64), make_rings(128), make_rings(256),
                                               make_rings(512)};
  return kTables[size_index(n)];
}

const Comb& comb_of(int n) {
  static const std::array<Comb, 4> kTables = {make_comb(64), make_comb(128), make_comb(256),
                                              make_comb(512)};
  return kTables[size_index(n)];
}

// The power spectrum of the tapered side x side window at (x0, y0) of `residual`, zero-padded
// to n x n, for the n / 2 + 1 non-negative horizontal frequencies (row-major, n / 2 + 1 a row).
// Two real rows go through one complex FFT (the real row as the real part, the next as the
// imaginary part) and are told apart by conjugate symmetry; only the columns kept are then
// transformed: about half the work of a complex 2-D FFT.
std::vector<float> half_power_spectrum(const Plane& residual, int x0, int y0, int side, int n,
                                       const std::vector<double>& window) {
  const int half = n / 2 + 1;
  const Fft fft(n);
  std::vector<Complex> rows(static_cast<size_t>(n) * half, Complex(0, 0));
  std::vector<Complex> z(n);
  for (int y = 0; y < side; y += 2) {
    for (int x = 0; x < n; ++x) {
      const auto value = [&](int row) {
        return row < side && x < side
                   ? static_cast<float>(residual.at(x0 + x, y0 + row) * window[x] * window[row])
                   : 0.0f;
      };
      z[x] = Complex(value(y), value(y + 1));
    }
    fft.forward(z.data());
    Complex* a = rows.data() + static_cast<size_t>(y) * half;
    Complex* b = a + half;
    for (int k = 0; k < half; ++k) {
      const Complex zk = z[k];
      const Complex zm = std::conj(z[(n - k) & (n - 1)]);
      a[k] = 0.5f * (zk + zm);
      b[k] = Complex(0.0f, -0.5f) * (zk - zm);  // y + 1 < n: n is even
    }
  }
  std::vector<Complex> column(n);
  std::vector<float> power(static_cast<size_t>(n) * half);
  for (int k = 0; k < half; ++k) {
    for (int y = 0; y < n; ++y) {
      column[y] = rows[static_cast<size_t>(y) * half + k];
    }
    fft.forward(column.data());
    for (int y = 0; y < n; ++y) {
      power[static_cast<size_t>(y) * half + k] = std::norm(column[y]);
    }
  }
  return power;
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
  std::vector<double> window(side);
  for (int i = 0; i < side; ++i) {
    window[i] = taper(i, side);
  }
  const std::vector<float> power_half = half_power_spectrum(residual, x0, y0, side, n, window);
  // The other half mirrors it: a real window's spectrum is conjugate-symmetric.
  const int half = n / 2 + 1;
  std::vector<float> power(static_cast<size_t>(n) * n);
  for (int ky = 0; ky < n; ++ky) {
    for (int kx = 0; kx < n; ++kx) {
      power[static_cast<size_t>(ky) * n + kx] =
          kx < half ? power_half[static_cast<size_t>(ky) * half + kx]
                    : power_half[static_cast<size_t>((n - ky) % n) * half + (n - kx)];
    }
  }
  // Power, whitened by its mean over each ring of equal radius.
  const Rings& r = rings_of(n);
  std::vector<double> ring_mean(r.count.size(), 0.0);
  for (size_t i = 0; i < power.size(); ++i) {
    ring_mean[r.ring[i]] += power[i];
  }
  for (size_t k = 0; k < ring_mean.size(); ++k) {
    ring_mean[k] = r.count[k] > 0 ? ring_mean[k] / r.count[k] : 0.0;
  }
  for (size_t i = 0; i < power.size(); ++i) {
    const double mean = ring_mean[r.ring[i]];
    float& p = power[i];
    p = mean > 0 ? static_cast<float>(p / mean) : 0.0f;
  }
  // Lattice points outside, scales inside: one point's samples over the scales lie along a ray
  // of the spectrum (cache-friendly), and the per-scale sums, each still taken over the points
  // in the same order, do not wait on one another. Which samples lie under kMaxFrequency and
  // the weight each scale sums to depend only on the window size (comb_of).
  const Comb& comb = comb_of(n);
  const size_t scale_count = comb.scales.size();
  std::vector<double> sum(scale_count, 0.0);
  const int mask = n - 1;  // n is a power of two: masking wraps like ((k % n) + n) % n
  auto at = [&](int y, int x) {
    return static_cast<double>(power[static_cast<size_t>(y & mask) * n + (x & mask)]);
  };
  for (const Comb::Point& p : comb.points) {
    for (size_t k = p.first_scale; k < scale_count; ++k) {
      // Bilinear in bins; |by| and |bx| stay under n / 2, so by + n is positive and its
      // truncation is the floor (up to a rounding at an integer, where either neighbour reads).
      const double by = p.m * comb.bins_per_cycle[k];
      const double bx = p.n * comb.bins_per_cycle[k];
      const int iy = static_cast<int>(by + n) - n;
      const int ix = static_cast<int>(bx + n) - n;
      const double ay = by - iy;
      const double ax = bx - ix;
      const double v = (1 - ay) * ((1 - ax) * at(iy, ix) + ax * at(iy, ix + 1)) +
                       ay * ((1 - ax) * at(iy + 1, ix) + ax * at(iy + 1, ix + 1));
      sum[k] += p.weight * v;
    }
  }
  const std::vector<double>& scales = comb.scales;
  std::vector<double> score(scale_count, 0.0);
  for (size_t k = 0; k < scale_count; ++k) {
    score[k] = comb.weight[k] > 0 ? sum[k] / comb.weight[k] : 0.0;
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
