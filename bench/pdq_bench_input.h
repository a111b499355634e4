#pragma once

// Deterministic synthetic frames for the PDQ benchmarks, shared by pdq_bench.cc and
// pdq_reference_driver.cc so that clearcut and the reference hash exactly the same pixels.

#include <cmath>
#include <cstdint>
#include <vector>

namespace clearcut::bench {

// Interleaved 8-bit RGB: smooth gradients and waves (what the DCT keys on) plus pixel noise.
inline std::vector<uint8_t> synthetic_rgb(int width, int height) {
  std::vector<uint8_t> rgb(static_cast<size_t>(width) * height * 3);
  uint32_t state = 12345;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < 3; ++c) {
        state = state * 1664525u + 1013904223u;
        const double u = static_cast<double>(x) / width;
        const double v = static_cast<double>(y) / height;
        const double base = 128 + 60 * std::sin(6.0 * u + 2.0 * c) * std::cos(4.0 * v - c) +
                            40 * (u - v) + 15 * std::sin(40.0 * u * v);
        const int value = static_cast<int>(base) + static_cast<int>(state >> 28) - 8;
        rgb[(static_cast<size_t>(y) * width + x) * 3 + c] =
            static_cast<uint8_t>(value < 0     ? 0
                                 : value > 255 ? 255
                                               : value);
      }
    }
  }
  return rgb;
}

// Float luma of synthetic_rgb as the reference computes it (0.299 R + 0.587 G + 0.114 B).
inline std::vector<float> synthetic_luma(int width, int height) {
  const std::vector<uint8_t> rgb = synthetic_rgb(width, height);
  std::vector<float> luma(static_cast<size_t>(width) * height);
  const float r = static_cast<float>(0.299);
  const float g = static_cast<float>(0.587);
  const float b = static_cast<float>(0.114);
  for (size_t i = 0; i < luma.size(); ++i) {
    luma[i] = r * static_cast<float>(rgb[3 * i]) + g * static_cast<float>(rgb[3 * i + 1]) +
              b * static_cast<float>(rgb[3 * i + 2]);
  }
  return luma;
}

}  // namespace clearcut::bench
