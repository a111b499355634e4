#include "clearcut/provenance/watermark/internal/local_stats.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace clearcut::watermark::internal {
namespace {

// Box means of K functions of the plane at once: out[k][i] = mean of f_k(plane) over the window
// around pixel i, clipped to the image. Separable running sums in double (planes are stored in
// float): along each row, then down the columns, both passes walking rows so that no pass
// strides down a column (a cache miss per pixel on a 1080p plane). Every sum adds the entering
// value before dropping the leaving one, so the results do not depend on how the passes are
// arranged.
template <size_t K, typename F>
std::array<std::vector<float>, K> box_means(const Plane& p, int r, F f) {
  const int w = p.width;
  const int h = p.height;
  const size_t n = static_cast<size_t>(w) * h;
  std::array<std::vector<float>, K> horizontal;
  for (auto& plane : horizontal) {
    plane.resize(n);
  }
  std::vector<std::array<double, K>> row_in(w);
  for (int y = 0; y < h; ++y) {
    const float* src = p.data + y * p.stride;
    for (int x = 0; x < w; ++x) {
      row_in[x] = f(src[x]);
    }
    std::array<double, K> sum{};
    int lo = 0;
    int hi = -1;  // current window [lo, hi]
    for (int x = 0; x < w; ++x) {
      const int want_hi = std::min(w - 1, x + r);
      const int want_lo = std::max(0, x - r);
      while (hi < want_hi) {
        ++hi;
        for (size_t k = 0; k < K; ++k) {
          sum[k] += row_in[hi][k];
        }
      }
      while (lo < want_lo) {
        for (size_t k = 0; k < K; ++k) {
          sum[k] -= row_in[lo][k];
        }
        ++lo;
      }
      const double count = hi - lo + 1;
      for (size_t k = 0; k < K; ++k) {
        horizontal[k][static_cast<size_t>(y) * w + x] = static_cast<float>(sum[k] / count);
      }
    }
  }

  std::array<std::vector<float>, K> out;
  for (auto& plane : out) {
    plane.resize(n);
  }
  std::vector<double> sum(K * static_cast<size_t>(w), 0.0);
  int lo = 0;
  int hi = -1;  // rows in the window: [lo, hi]
  for (int y = 0; y < h; ++y) {
    const int want_hi = std::min(h - 1, y + r);
    const int want_lo = std::max(0, y - r);
    while (hi < want_hi) {
      ++hi;
      for (size_t k = 0; k < K; ++k) {
        const float* row = horizontal[k].data() + static_cast<size_t>(hi) * w;
        double* s = sum.data() + k * w;
        for (int x = 0; x < w; ++x) {
          s[x] += row[x];
        }
      }
    }
    while (lo < want_lo) {
      for (size_t k = 0; k < K; ++k) {
        const float* row = horizontal[k].data() + static_cast<size_t>(lo) * w;
        double* s = sum.data() + k * w;
        for (int x = 0; x < w; ++x) {
          s[x] -= row[x];
        }
      }
      ++lo;
    }
    const double count = hi - lo + 1;
    for (size_t k = 0; k < K; ++k) {
      const double* s = sum.data() + k * w;
      float* dst = out[k].data() + static_cast<size_t>(y) * w;
      for (int x = 0; x < w; ++x) {
        dst[x] = static_cast<float>(s[x] / count);
      }
    }
  }
  return out;
}

}  // namespace

std::vector<float> box_mean(const Plane& plane, int radius) {
  auto [mean] = box_means<1>(plane, radius, [](float v) { return std::array<double, 1>{v}; });
  return std::move(mean);
}

LocalStats local_stats(const Plane& plane, int radius) {
  // Centred on mid-grey so that the variance does not cancel between two large numbers.
  auto [m, m2] = box_means<2>(plane, radius, [](float v) {
    const double d = static_cast<double>(v) - 128.0;
    return std::array<double, 2>{d, d * d};
  });
  LocalStats s;
  s.mean = std::move(m);
  s.stddev = std::move(m2);
  for (size_t i = 0; i < s.mean.size(); ++i) {
    const float mean = s.mean[i];
    s.stddev[i] = std::sqrt(std::max(0.0f, s.stddev[i] - mean * mean));
    s.mean[i] = mean + 128.0f;
  }
  return s;
}

}  // namespace clearcut::watermark::internal
