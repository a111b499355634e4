#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "clearcut/provenance/watermark/internal/local_stats.h"

namespace clearcut::watermark::internal {

// Per-pixel embedding gain from the host luma at whole levels (0..255): texture masking (local
// standard deviation over 7 x 7, the window clipped to the image, so flat sky and skin get 0.4
// of the nominal gain and busy texture up to 2.5x) times luminance masking (dark areas, where a
// level step is least visible after display gamma, get up to 35% more; bright areas up to 15%
// more).
//
// Produced row by row from integer box sums (of the luma minus 128), exact whatever order they
// are added in: O(pixels), a few rows of memory. Keeps a pointer to
// the plane, which must outlive it. Not thread-safe; one per image. A float luma (an RGB
// picture's, not a whole level) has its own mask, PerceptualMaskF32.
class PerceptualMask {
 public:
  PerceptualMask(const uint8_t* levels, int width, int height, ptrdiff_t stride);

  // The gains of the next row (width floats, valid until the next call): row 0 first.
  std::span<const float> next_row();

 private:
  // Sums of v - 128 and its square over each pixel's clipped horizontal window, of image row `y`,
  // into the ring slot that row uses.
  void sum_row(int y);
  // Adds (sign 1) or removes (-1) a row's horizontal sums from the column sums.
  void add_to_columns(int y, int sign);

  const uint8_t* levels_;
  int width_;
  int height_;
  ptrdiff_t stride_;
  int next_ = 0;
  std::vector<int32_t> ring_sum_;     // (2r + 1) rows of horizontal sums of v - 128
  std::vector<int32_t> ring_square_;  // and of its square
  std::vector<int32_t> column_sum_;   // their sums over the rows of the current window
  std::vector<int32_t> column_square_;
  std::vector<float> column_weight_;  // 1 / pixels in each column's clipped horizontal window
  std::vector<int16_t> padded_;       // scratch: a row of v - 128 between zeros
  std::vector<uint16_t> padded_square_;
  std::vector<float> gains_;
};

// The same gains from a float luma as it is, its window statistics summed in double
// (LocalStatsRows): rounding an RGB picture's luma to whole levels first would move about one
// marked value in 500 by a level, and with it what a codec downstream makes of the frame.
// Keeps a pointer to the plane, which must outlive it. Not thread-safe; one per image.
class PerceptualMaskF32 {
 public:
  explicit PerceptualMaskF32(const Plane& luma);

  // The gains of the next row (width floats, valid until the next call): row 0 first.
  std::span<const float> next_row();

 private:
  LocalStatsRows stats_;
  std::vector<float> gains_;
};

}  // namespace clearcut::watermark::internal
