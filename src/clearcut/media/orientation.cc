#include "clearcut/media/orientation.h"

#include <cstddef>
#include <cstdint>

namespace clearcut::media {

Orientation orientation_from_tag(int value) {
  return value >= 1 && value <= 8 ? static_cast<Orientation>(value) : Orientation::kNormal;
}

Image apply_orientation(Image image, Orientation orientation) {
  if (orientation == Orientation::kNormal) {
    return image;
  }
  const int w = image.width;
  const int h = image.height;
  const bool swaps = orientation >= Orientation::kTransposed;
  Image out{swaps ? h : w, swaps ? w : h, image.channels, {}};
  out.pixels.resize(out.row_bytes() * static_cast<size_t>(out.height));

  // Every orientation maps the displayed (x, y) to a stored pixel affinely: the stored pixel of
  // the displayed origin, and how far one step right and one step down move in stored pixels.
  const ptrdiff_t right_px = image.channels;                // one stored column
  const ptrdiff_t down_px = ptrdiff_t{w} * image.channels;  // one stored row
  ptrdiff_t origin = 0;
  ptrdiff_t step_x = right_px;
  ptrdiff_t step_y = down_px;
  const ptrdiff_t last_col = ptrdiff_t{w - 1} * right_px;
  const ptrdiff_t last_row = ptrdiff_t{h - 1} * down_px;
  switch (orientation) {
    case Orientation::kNormal:
      break;
    case Orientation::kMirrored:
      origin = last_col;
      step_x = -right_px;
      break;
    case Orientation::kRotated180:
      origin = last_row + last_col;
      step_x = -right_px;
      step_y = -down_px;
      break;
    case Orientation::kFlipped:
      origin = last_row;
      step_y = -down_px;
      break;
    case Orientation::kTransposed:  // displayed (x, y) is stored (y, x)
      step_x = down_px;
      step_y = right_px;
      break;
    case Orientation::kRotated90Cw:  // stored (y, h-1-x)
      origin = last_row;
      step_x = -down_px;
      step_y = right_px;
      break;
    case Orientation::kTransversed:  // stored (w-1-y, h-1-x)
      origin = last_row + last_col;
      step_x = -down_px;
      step_y = -right_px;
      break;
    case Orientation::kRotated90Ccw:  // stored (w-1-y, x)
      origin = last_col;
      step_x = down_px;
      step_y = -right_px;
      break;
  }
  const uint8_t* src = image.pixels.data();
  uint8_t* dst = out.pixels.data();
  const size_t c = static_cast<size_t>(image.channels);
  for (int y = 0; y < out.height; ++y) {
    ptrdiff_t at = origin + step_y * y;
    for (int x = 0; x < out.width; ++x, at += step_x, dst += c) {
      for (size_t k = 0; k < c; ++k) {
        dst[k] = src[at + static_cast<ptrdiff_t>(k)];
      }
    }
  }
  return out;
}

}  // namespace clearcut::media
