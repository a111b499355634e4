#include "clearcut/provenance/watermark/watermark_detector.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "clearcut/provenance/watermark/internal/mark_search.h"
#include "clearcut/provenance/watermark/internal/scale_search.h"

namespace clearcut::watermark {
namespace {

constexpr int kMaxHalvings = 2;
// Pictures are halved while the half is at least this tall: a 720p frame once, a 4000x3000
// still twice.
constexpr int kMinHalvedSide = 360;
// read_image_at halves the picture while the mark's scale in it is above this.
constexpr double kMaxReadScale = 1.5;

// Searches for a mark in the plane as it is (scales 0.4 to 2 of the tile), or reads it at
// `scale` only when that is set.
WatermarkDetection search_level(const internal::Plane& luma, const WatermarkKey& key,
                                double scale = 0) {
  const internal::Region area = internal::analysis_area(luma.width, luma.height);
  const internal::Plane crop{luma.data + area.y * luma.stride + area.x, area.width, area.height,
                             luma.stride};
  if (scale > 0) {
    const std::vector<float> residual = internal::whiten(crop);
    const internal::Plane plane{residual.data(), area.width, area.height, area.width};
    return internal::read_at(plane, area, key, scale);
  }
  return internal::search_picture(crop, area, key, internal::kMinPictureCombScore);
}

// The plane at half its size, each pixel the mean of a 2 x 2 block (an odd last row or column
// is dropped).
std::vector<float> halved(const internal::Plane& luma, int& width, int& height) {
  width = luma.width / 2;
  height = luma.height / 2;
  std::vector<float> out(static_cast<size_t>(width) * height);
  for (int y = 0; y < height; ++y) {
    const float* a = luma.data + static_cast<ptrdiff_t>(2 * y) * luma.stride;
    const float* b = a + luma.stride;
    float* o = out.data() + static_cast<size_t>(y) * width;
    for (int x = 0; x < width; ++x) {
      o[x] = 0.25f * (a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1]);
    }
  }
  return out;
}

base::Status check_plane(const internal::Plane& luma) {
  if (luma.data == nullptr || luma.width <= 0 || luma.height <= 0 || luma.stride < luma.width) {
    return base::invalid_argument("watermark detect: malformed luma view");
  }
  if (luma.width < kMinDetectSide || luma.height < kMinDetectSide) {
    return base::invalid_argument("watermark detect: image is " + std::to_string(luma.width) + "x" +
                                  std::to_string(luma.height) + ", the detector needs at least " +
                                  std::to_string(kMinDetectSide) + "x" +
                                  std::to_string(kMinDetectSide));
  }
  return {};
}

base::Result<WatermarkDetection> detect_plane(const internal::Plane& luma,
                                              const WatermarkKey& key) {
  CC_TRY(check_plane(luma));
  WatermarkDetection first = search_level(luma, key);
  if (first.found) {
    return first;
  }
  // A mark with an enlarged tile (a still marked at tile_scale_for, seen near its own size)
  // lies past scale 2: halving the picture brings it into range.
  std::vector<float> level;
  internal::Plane plane = luma;
  double factor = 1;
  for (int k = 1; k <= kMaxHalvings && std::min(plane.width, plane.height) / 2 >= kMinHalvedSide;
       ++k) {
    int width = 0;
    int height = 0;
    level = halved(plane, width, height);
    plane = internal::Plane{level.data(), width, height, width};
    factor *= 2;
    WatermarkDetection found = search_level(plane, key);
    if (found.found) {
      found.scale *= factor;
      found.offset_x *= factor;
      found.offset_y *= factor;
      return found;
    }
  }
  return first;
}

// BT.601 luma of an RGB image, tightly packed.
std::vector<float> luma_of(const media::Image& image) {
  const size_t count = static_cast<size_t>(image.width) * image.height;
  std::vector<float> luma(count);
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* p = image.pixels.data() + 3 * i;
    luma[i] = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
  }
  return luma;
}

std::vector<float> grey_of(const media::Image& image) {
  return std::vector<float>(image.pixels.begin(), image.pixels.end());
}

base::Status check_image(const media::Image& image) {
  if ((image.channels != 1 && image.channels != 3) ||
      image.pixels.size() != image.row_bytes() * static_cast<size_t>(image.height)) {
    return base::invalid_argument("watermark detect: need a well-formed 1- or 3-channel image");
  }
  return {};
}

// A tightly packed float copy of 8-bit luma.
std::vector<float> float_plane(const media::LumaView& luma) {
  const ptrdiff_t stride = luma.row_stride();
  std::vector<float> plane(static_cast<size_t>(luma.width) * luma.height);
  for (int y = 0; y < luma.height; ++y) {
    const uint8_t* src = luma.data + y * stride;
    std::copy(src, src + luma.width, plane.begin() + static_cast<ptrdiff_t>(y) * luma.width);
  }
  return plane;
}

// read_image_at on a tightly packed float luma, which it may halve in place of.
base::Result<WatermarkDetection> read_plane_at(std::vector<float> level, int width, int height,
                                               const WatermarkKey& key, double tile_scale) {
  if (!(tile_scale > 0 && tile_scale <= 8)) {
    return base::invalid_argument("watermark read: tile scale must lie in (0, 8]");
  }
  internal::Plane plane{level.data(), width, height, width};
  CC_TRY(check_plane(plane));
  double factor = 1;
  // An enlarged tile reads as well or better in the halved picture (the 2 x 2 means drop host
  // detail the mark does not use), from a quarter of the pixels.
  while (tile_scale / factor > kMaxReadScale &&
         std::min(plane.width, plane.height) / 2 >= kMinHalvedSide) {
    int half_width = 0;
    int half_height = 0;
    level = halved(plane, half_width, half_height);
    plane = internal::Plane{level.data(), half_width, half_height, half_width};
    factor *= 2;
  }
  WatermarkDetection found = search_level(plane, key, tile_scale / factor);
  if (found.found) {
    found.scale *= factor;
    found.offset_x *= factor;
    found.offset_y *= factor;
  }
  return found;
}

}  // namespace

double max_detect_scale(int width, int height) {
  double scale = internal::kMaxScale;
  for (int k = 1; k <= kMaxHalvings && std::min(width, height) / 2 >= kMinHalvedSide; ++k) {
    width /= 2;
    height /= 2;
    scale *= 2;
  }
  return scale;
}

base::Result<WatermarkDetection> detect(const media::LumaF32View& luma, const WatermarkKey& key) {
  return detect_plane(internal::Plane{luma.data, luma.width, luma.height, luma.row_stride()}, key);
}

base::Result<WatermarkDetection> detect(const media::LumaView& luma, const WatermarkKey& key) {
  if (luma.data == nullptr || luma.width <= 0 || luma.height <= 0) {
    return base::invalid_argument("watermark detect: malformed luma view");
  }
  const std::vector<float> plane = float_plane(luma);
  return detect(media::LumaF32View{plane.data(), luma.width, luma.height, 0}, key);
}

base::Result<WatermarkDetection> detect_image(const media::Image& image, const WatermarkKey& key) {
  CC_TRY(check_image(image));
  const std::vector<float> luma = image.channels == 1 ? grey_of(image) : luma_of(image);
  return detect(media::LumaF32View{luma.data(), image.width, image.height, 0}, key);
}

base::Result<WatermarkDetection> read_image_at(const media::Image& image, const WatermarkKey& key,
                                               double tile_scale) {
  CC_TRY(check_image(image));
  std::vector<float> luma = image.channels == 1 ? grey_of(image) : luma_of(image);
  return read_plane_at(std::move(luma), image.width, image.height, key, tile_scale);
}

base::Result<WatermarkDetection> read_at(const media::LumaView& luma, const WatermarkKey& key,
                                         double tile_scale) {
  if (luma.data == nullptr || luma.width <= 0 || luma.height <= 0) {
    return base::invalid_argument("watermark read: malformed luma view");
  }
  return read_plane_at(float_plane(luma), luma.width, luma.height, key, tile_scale);
}

}  // namespace clearcut::watermark
