#include "clearcut/provenance/pdq/reference_pipeline.h"

#include <cstddef>

#include "clearcut/base/result.h"

namespace clearcut::provenance {
namespace {

ptrdiff_t stride_of(const PixelView& v) {
  return v.stride != 0 ? v.stride : static_cast<ptrdiff_t>(v.width) * v.channels;
}

bool all_grey(const PixelView& v) {
  if (v.channels == 1) {
    return true;
  }
  const ptrdiff_t stride = stride_of(v);
  for (int y = 0; y < v.height; ++y) {
    const uint8_t* p = v.data + y * stride;
    for (int x = 0; x < v.width; ++x, p += v.channels) {
      if (p[0] != p[1] || p[0] != p[2]) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

std::vector<uint8_t> resize_nearest(const PixelView& pixels, int width, int height) {
  CC_CHECK(width >= 0 && height >= 0 && pixels.width > 0 && pixels.height > 0);
  const ptrdiff_t stride = stride_of(pixels);
  const int channels = pixels.channels;
  std::vector<uint8_t> out(static_cast<size_t>(width) * height * channels);
  uint8_t* o = out.data();
  for (int y = 0; y < height; ++y) {
    const int64_t sy = static_cast<int64_t>(y) * pixels.height / height;
    const uint8_t* row = pixels.data + sy * stride;
    for (int x = 0; x < width; ++x) {
      const int64_t sx = static_cast<int64_t>(x) * pixels.width / width;
      for (int c = 0; c < channels; ++c) {
        *o++ = row[sx * channels + c];
      }
    }
  }
  return out;
}

PdqResult hash_like_reference(PdqHasher& hasher, const PixelView& pixels) {
  PixelView view = pixels;
  std::vector<uint8_t> shrunk;
  if (view.width > kReferencePreshrinkSide || view.height > kReferencePreshrinkSide) {
    shrunk = resize_nearest(view, kReferencePreshrinkSide, kReferencePreshrinkSide);
    view = {shrunk.data(), kReferencePreshrinkSide, kReferencePreshrinkSide, view.channels, 0};
  }
  if (view.channels != 1 && view.width > 0 && view.height > 0 && all_grey(view)) {
    // The grey path reads channel 0 only: a one-channel view with a pixel-sized step would need
    // a strided source, so take the grey samples out.
    std::vector<uint8_t> grey(static_cast<size_t>(view.width) * view.height);
    const ptrdiff_t stride = stride_of(view);
    for (int y = 0; y < view.height; ++y) {
      for (int x = 0; x < view.width; ++x) {
        grey[static_cast<size_t>(y) * view.width + x] = view.data[y * stride + x * view.channels];
      }
    }
    return hasher.hash(PixelView{grey.data(), view.width, view.height, 1, 0});
  }
  return hasher.hash(view);
}

}  // namespace clearcut::provenance
