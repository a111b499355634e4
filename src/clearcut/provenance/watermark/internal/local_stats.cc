#include "clearcut/provenance/watermark/internal/local_stats.h"

#include <algorithm>
#include <cmath>

namespace clearcut::watermark::internal {

LocalStatsRows::LocalStatsRows(const Plane& plane, int radius)
    : plane_(plane),
      radius_(radius),
      slots_(2 * radius + 2),
      ring_(static_cast<size_t>(2 * radius + 2) * 2 * plane.width),
      sums_(2 * static_cast<size_t>(plane.width), 0.0),
      row_in_(2 * static_cast<size_t>(plane.width)),
      mean_(static_cast<size_t>(plane.width)),
      stddev_(static_cast<size_t>(plane.width)) {}

void LocalStatsRows::horizontal(int y) {
  const int w = plane_.width;
  const int r = radius_;
  const float* src = plane_.data + y * plane_.stride;
  // Centred on mid-grey so that the variance does not cancel between two large numbers.
  for (int x = 0; x < w; ++x) {
    const double d = static_cast<double>(src[x]) - 128.0;
    row_in_[2 * static_cast<size_t>(x)] = d;
    row_in_[2 * static_cast<size_t>(x) + 1] = d * d;
  }
  float* mean = ring_.data() + static_cast<size_t>(y % slots_) * 2 * w;
  float* square = mean + w;
  double sum = 0;
  double sum2 = 0;
  int lo = 0;
  int hi = -1;  // current window [lo, hi]
  for (int x = 0; x < w; ++x) {
    const int want_hi = std::min(w - 1, x + r);
    const int want_lo = std::max(0, x - r);
    while (hi < want_hi) {
      ++hi;
      sum += row_in_[2 * static_cast<size_t>(hi)];
      sum2 += row_in_[2 * static_cast<size_t>(hi) + 1];
    }
    while (lo < want_lo) {
      sum -= row_in_[2 * static_cast<size_t>(lo)];
      sum2 -= row_in_[2 * static_cast<size_t>(lo) + 1];
      ++lo;
    }
    const double count = hi - lo + 1;
    mean[x] = static_cast<float>(sum / count);
    square[x] = static_cast<float>(sum2 / count);
  }
}

LocalStatsRows::Row LocalStatsRows::next_row() {
  const int w = plane_.width;
  const int y = next_++;
  const int want_hi = std::min(plane_.height - 1, y + radius_);
  const int want_lo = std::max(0, y - radius_);
  double* sum = sums_.data();
  double* sum2 = sums_.data() + w;
  while (hi_ < want_hi) {
    ++hi_;
    horizontal(hi_);
    const float* mean = ring_.data() + static_cast<size_t>(hi_ % slots_) * 2 * w;
    const float* square = mean + w;
    for (int x = 0; x < w; ++x) {
      sum[x] += mean[x];
      sum2[x] += square[x];
    }
  }
  while (lo_ < want_lo) {
    const float* mean = ring_.data() + static_cast<size_t>(lo_ % slots_) * 2 * w;
    const float* square = mean + w;
    for (int x = 0; x < w; ++x) {
      sum[x] -= mean[x];
      sum2[x] -= square[x];
    }
    ++lo_;
  }
  const double count = hi_ - lo_ + 1;
  float* out_mean = mean_.data();
  float* out_stddev = stddev_.data();
  for (int x = 0; x < w; ++x) {
    const auto m = static_cast<float>(sum[x] / count);
    const auto m2 = static_cast<float>(sum2[x] / count);
    out_stddev[x] = std::sqrt(std::max(0.0f, m2 - m * m));
    out_mean[x] = m + 128.0f;
  }
  return {mean_, stddev_};
}

}  // namespace clearcut::watermark::internal
