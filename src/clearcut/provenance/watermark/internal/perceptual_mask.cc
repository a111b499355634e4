#include "clearcut/provenance/watermark/internal/perceptual_mask.h"

#include <algorithm>
#include <cmath>

namespace clearcut::watermark::internal {
namespace {

constexpr int kRadius = 3;  // 7 x 7 window
constexpr int kRows = 2 * kRadius + 1;
constexpr float kTextureReference = 6.0f;  // local sigma for gain 1
constexpr float kMinGain = 0.4f;
constexpr float kMaxGain = 2.5f;

// Sums over each pixel's window of a row held between kRadius zeros on either side.
template <typename T>
void window_sums(const T* padded, int width, int32_t* out) {
  for (int x = 0; x < width; ++x) {
    int32_t sum = 0;
    for (int k = 0; k < kRows; ++k) {
      sum += padded[x + k];
    }
    out[x] = sum;
  }
}

// The gain of a pixel whose window has this mean and standard deviation (README.md,
// "Perceptual masking"). Divisions, not multiplications by reciprocals, so that the gains are
// those the embedder has always produced; branch-free, so that the row loops vectorise.
inline float gain(float mean, float stddev) {
  const float sigma_gain = stddev / kTextureReference;
  const float texture = sigma_gain < kMinGain   ? kMinGain
                        : sigma_gain > kMaxGain ? kMaxGain
                                                : sigma_gain;
  const float dark = (80.0f - mean) / 80.0f;
  const float bright = (mean - 176.0f) / 79.0f;
  const float luminance =
      1.0f + 0.35f * (dark > 0.0f ? dark : 0.0f) + 0.15f * (bright > 0.0f ? bright : 0.0f);
  return texture * luminance;
}

}  // namespace

PerceptualMask::PerceptualMask(const uint8_t* levels, int width, int height, ptrdiff_t stride)
    : levels_(levels),
      width_(width),
      height_(height),
      stride_(stride),
      ring_sum_(static_cast<size_t>(kRows) * width),
      ring_square_(static_cast<size_t>(kRows) * width),
      column_sum_(static_cast<size_t>(width)),
      column_square_(static_cast<size_t>(width)),
      column_weight_(static_cast<size_t>(width)),
      padded_(static_cast<size_t>(width) + 2 * kRadius, 0),
      padded_square_(static_cast<size_t>(width) + 2 * kRadius, 0),
      gains_(static_cast<size_t>(width)) {
  for (int x = 0; x < width; ++x) {
    const int count = std::min(width - 1, x + kRadius) - std::max(0, x - kRadius) + 1;
    column_weight_[x] = 1.0f / static_cast<float>(count);
  }
  // The window of row 0: rows 0..r.
  for (int y = 0; y <= kRadius && y < height; ++y) {
    sum_row(y);
    add_to_columns(y, 1);
  }
}

void PerceptualMask::sum_row(int y) {
  const int width = width_;  // a local: the stores below could alias the member
  const uint8_t* src = levels_ + y * stride_;
  // The row between kRadius zeros on either side: a window running over an edge then sums
  // what the clipped window holds.
  int16_t* value = padded_.data() + kRadius;
  uint16_t* square = padded_square_.data() + kRadius;
  for (int x = 0; x < width; ++x) {
    // Centred, so that the float variance below cancels less; 16 bits hold v and v^2 (at most
    // 2^14), and SSE2 multiplies 16-bit lanes but not 32-bit ones.
    const auto v = static_cast<int16_t>(src[x] - 128);
    value[x] = v;
    square[x] = static_cast<uint16_t>(v * v);
  }
  window_sums(padded_.data(), width, ring_sum_.data() + static_cast<size_t>(y % kRows) * width);
  window_sums(padded_square_.data(), width,
              ring_square_.data() + static_cast<size_t>(y % kRows) * width);
}

void PerceptualMask::add_to_columns(int y, int sign) {
  const int32_t* sum = ring_sum_.data() + static_cast<size_t>(y % kRows) * width_;
  const int32_t* square = ring_square_.data() + static_cast<size_t>(y % kRows) * width_;
  int32_t* column_sum = column_sum_.data();
  int32_t* column_square = column_square_.data();
  const int width = width_;
  // Two loops rather than a multiplication by the sign: SSE2 has no 32-bit vector multiply.
  if (sign > 0) {
    for (int x = 0; x < width; ++x) {
      column_sum[x] += sum[x];
      column_square[x] += square[x];
    }
  } else {
    for (int x = 0; x < width; ++x) {
      column_sum[x] -= sum[x];
      column_square[x] -= square[x];
    }
  }
}

std::span<const float> PerceptualMask::next_row() {
  const int y = next_++;
  if (y > 0) {
    // Slide the window down a row: drop row y - r - 1, take in row y + r (same ring slot).
    if (y - kRadius - 1 >= 0) {
      add_to_columns(y - kRadius - 1, -1);
    }
    if (y + kRadius < height_) {
      sum_row(y + kRadius);
      add_to_columns(y + kRadius, 1);
    }
  }
  const int rows = std::min(height_ - 1, y + kRadius) - std::max(0, y - kRadius) + 1;
  const float row_weight = 1.0f / static_cast<float>(rows);
  const int32_t* column_sum = column_sum_.data();
  const int32_t* column_square = column_square_.data();
  const float* column_weight = column_weight_.data();
  float* gains = gains_.data();
  const int width = width_;
  for (int x = 0; x < width; ++x) {
    const float weight = row_weight * column_weight[x];  // 1 / pixels in the window
    const float centred_mean = static_cast<float>(column_sum[x]) * weight;
    const float variance =
        static_cast<float>(column_square[x]) * weight - centred_mean * centred_mean;
    gains[x] = gain(centred_mean + 128.0f, std::sqrt(variance > 0.0f ? variance : 0.0f));
  }
  return gains_;
}

PerceptualMaskF32::PerceptualMaskF32(const Plane& luma)
    : stats_(luma, kRadius), gains_(static_cast<size_t>(luma.width)) {}

std::span<const float> PerceptualMaskF32::next_row() {
  const LocalStatsRows::Row row = stats_.next_row();
  for (size_t x = 0; x < gains_.size(); ++x) {
    gains_[x] = gain(row.mean[x], row.stddev[x]);
  }
  return gains_;
}

}  // namespace clearcut::watermark::internal
