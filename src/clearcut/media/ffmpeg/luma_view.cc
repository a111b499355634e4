#include "clearcut/media/ffmpeg/luma_view.h"

#include <algorithm>

namespace clearcut::media {

Rect Rect::united(const Rect& other) const {
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

LumaView LumaView::crop(const Rect& rect) const {
  const int left = std::clamp(rect.x, 0, width);
  const int top = std::clamp(rect.y, 0, height);
  const auto right =
      static_cast<int>(std::clamp<int64_t>(int64_t{rect.x} + std::max(rect.width, 0), left, width));
  const auto bottom = static_cast<int>(
      std::clamp<int64_t>(int64_t{rect.y} + std::max(rect.height, 0), top, height));
  LumaView out;
  out.width = right - left;
  out.height = bottom - top;
  out.stride = stride;
  out.data = data == nullptr || out.width == 0 || out.height == 0 ? nullptr : row(top) + left;
  return out;
}

}  // namespace clearcut::media
