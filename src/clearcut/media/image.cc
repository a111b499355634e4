#include "clearcut/media/image.h"

namespace clearcut::media {

void rgb_to_luma(const uint8_t* rgb, size_t pixel_count, int channels, uint8_t* luma) {
  // libjpeg's fixed-point constants (jccolor.c): round(coefficient * 2^16).
  constexpr uint32_t kR = 19595;
  constexpr uint32_t kG = 38470;
  constexpr uint32_t kB = 7471;
  for (size_t i = 0; i < pixel_count; ++i) {
    const uint8_t* p = rgb + i * channels;
    luma[i] = static_cast<uint8_t>((kR * p[0] + kG * p[1] + kB * p[2] + 32768) >> 16);
  }
}

}  // namespace clearcut::media
