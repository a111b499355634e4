#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace clearcut::media {

// Decoded 8-bit pixels. A plain value.
struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;             // 1: luma or grey; 3: RGB
  std::vector<uint8_t> pixels;  // row-major, tightly packed: width * channels bytes per row

  size_t row_bytes() const { return static_cast<size_t>(width) * channels; }
};

// Full-range BT.601 luma of RGB, rounded as libjpeg rounds it (Y = 0.299 R + 0.587 G + 0.114 B),
// so that a JPEG decoded to luma and one decoded to RGB and then converted agree closely.
// `luma` may alias `rgb` (each output byte lies at or before the input it comes from).
void rgb_to_luma(const uint8_t* rgb, size_t pixel_count, int channels, uint8_t* luma);

}  // namespace clearcut::media
