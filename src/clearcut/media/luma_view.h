#pragma once

// The one borrowed luma plane every module passes pictures in: the decoders hand it out, PDQ
// hashes it, the watermark reads and marks it, the scanner crops it. It lives in media/ as a
// header-only target, clearcut::luma, with nothing behind it: provenance (pdq, watermark) sits
// beside media in the layering and must not link image or video decoding to take a picture.

#include <algorithm>
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
  Rect united(const Rect& other) const {
    if (other.empty()) {
      return *this;
    }
    if (empty()) {
      return other;
    }
    const int left = std::min(x, other.x);
    const int top = std::min(y, other.y);
    const int right = std::max(x + width, other.x + other.width);
    const int bottom = std::max(y + height, other.y + other.height);
    return Rect{left, top, right - left, bottom - top};
  }

  friend bool operator==(const Rect&, const Rect&) = default;
};

// A borrowed luma plane on the 0..255 scale, row-major: `stride` samples between row starts, 0
// for tightly packed. 8-bit as decoded (LumaView); float where a pipeline keeps frames in float
// (LumaF32View: PDQ's reference input, the watermark's averaged frames). The owner of the
// samples says how long a view stays valid (the video reader: until its next frame).
template <typename Sample>
struct BasicLumaView {
  const Sample* data = nullptr;
  int width = 0;
  int height = 0;
  ptrdiff_t stride = 0;

  ptrdiff_t row_stride() const { return stride != 0 ? stride : width; }
  const Sample* row(int y) const { return data + y * row_stride(); }
  Sample at(int x, int y) const { return row(y)[x]; }
  Rect bounds() const { return Rect{0, 0, width, height}; }

  // The part of the view inside `rect`, clipped to the view; shares the samples.
  BasicLumaView crop(const Rect& rect) const {
    const int left = std::clamp(rect.x, 0, width);
    const int top = std::clamp(rect.y, 0, height);
    const auto right = static_cast<int>(
        std::clamp<int64_t>(int64_t{rect.x} + std::max(rect.width, 0), left, width));
    const auto bottom = static_cast<int>(
        std::clamp<int64_t>(int64_t{rect.y} + std::max(rect.height, 0), top, height));
    BasicLumaView out;
    out.width = right - left;
    out.height = bottom - top;
    out.stride = row_stride();
    out.data = data == nullptr || out.width == 0 || out.height == 0 ? nullptr : row(top) + left;
    return out;
  }
};

using LumaView = BasicLumaView<uint8_t>;
using LumaF32View = BasicLumaView<float>;

}  // namespace clearcut::media
