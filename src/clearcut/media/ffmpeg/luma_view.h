#pragma once

#include <cstddef>
#include <cstdint>

namespace clearcut::media {

// A rectangle of pixels: columns [x, x + width), rows [y, y + height).
struct Rect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;

  bool empty() const { return width <= 0 || height <= 0; }
  int64_t area() const { return empty() ? 0 : int64_t{width} * height; }
  // The smallest rectangle holding both (an empty one holds nothing).
  Rect united(const Rect& other) const;

  friend bool operator==(const Rect&, const Rect&) = default;
};

// A borrowed 8-bit luma plane: `stride` bytes (> 0) between row starts. The video reader hands
// out views of the decoder's own buffers; the owner says how long they stay valid.
struct LumaView {
  const uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  ptrdiff_t stride = 0;

  const uint8_t* row(int y) const { return data + y * stride; }
  uint8_t at(int x, int y) const { return row(y)[x]; }
  Rect bounds() const { return Rect{0, 0, width, height}; }
  // The part of the view inside `rect`, clipped to the view; shares the pixels.
  LumaView crop(const Rect& rect) const;
};

}  // namespace clearcut::media
