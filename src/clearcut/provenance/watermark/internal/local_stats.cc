#include "clearcut/provenance/watermark/internal/local_stats.h"

#include <algorithm>
#include <cmath>

namespace clearcut::watermark::internal {
namespace {

// One dimension of the box: out[i] = mean of in[i - r .. i + r] clipped to [0, n).
// Sums run in double; planes are stored in float.
template <typename In>
void box_1d(const In* in, int n, ptrdiff_t in_step, int r, float* out, ptrdiff_t out_step) {
  double sum = 0;
  int lo = 0;
  int hi = -1;  // current window [lo, hi]
  for (int i = 0; i < n; ++i) {
    const int want_hi = std::min(n - 1, i + r);
    const int want_lo = std::max(0, i - r);
    while (hi < want_hi) {
      ++hi;
      sum += in[hi * in_step];
    }
    while (lo < want_lo) {
      sum -= in[lo * in_step];
      ++lo;
    }
    out[i * out_step] = static_cast<float>(sum / (hi - lo + 1));
  }
}

// Box mean of f(plane) for f applied per pixel.
template <typename F>
std::vector<float> box_of(const Plane& p, int radius, F f) {
  const int w = p.width;
  const int h = p.height;
  std::vector<double> row_in(w);
  std::vector<float> horizontal(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    const float* src = p.data + y * p.stride;
    for (int x = 0; x < w; ++x) {
      row_in[x] = f(src[x]);
    }
    box_1d(row_in.data(), w, 1, radius, horizontal.data() + static_cast<size_t>(y) * w, 1);
  }
  std::vector<float> out(static_cast<size_t>(w) * h);
  for (int x = 0; x < w; ++x) {
    box_1d(horizontal.data() + x, h, w, radius, out.data() + x, w);
  }
  return out;
}

}  // namespace

std::vector<float> box_mean(const Plane& plane, int radius) {
  return box_of(plane, radius, [](float v) { return double{v}; });
}

LocalStats local_stats(const Plane& plane, int radius) {
  // Centred on mid-grey so that the variance does not cancel between two large numbers.
  const std::vector<float> m =
      box_of(plane, radius, [](float v) { return static_cast<double>(v) - 128.0; });
  const std::vector<float> m2 = box_of(plane, radius, [](float v) {
    const double d = static_cast<double>(v) - 128.0;
    return d * d;
  });
  LocalStats s;
  s.mean.resize(m.size());
  s.stddev.resize(m.size());
  for (size_t i = 0; i < m.size(); ++i) {
    s.mean[i] = m[i] + 128.0f;
    s.stddev[i] = std::sqrt(std::max(0.0f, m2[i] - m[i] * m[i]));
  }
  return s;
}

}  // namespace clearcut::watermark::internal
