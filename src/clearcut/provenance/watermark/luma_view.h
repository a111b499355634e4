#pragma once

#include <cstddef>
#include <cstdint>

namespace clearcut::watermark {

// A luma plane (0..255 scale), row-major, `stride` elements between row starts (0: tightly
// packed). 8-bit for stills, float for video pipelines that keep frames in float. Non-owning.
struct LumaU8View {
  const uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  ptrdiff_t stride = 0;
};

struct LumaF32View {
  const float* data = nullptr;
  int width = 0;
  int height = 0;
  ptrdiff_t stride = 0;
};

}  // namespace clearcut::watermark
