#include "clearcut/media/thumbnail.h"

#include <algorithm>

#include "clearcut/media/image_encoder.h"

namespace clearcut::media {

Image fit_within(const Image& image, int max_side) {
  if (max_side < 1 || (image.width <= max_side && image.height <= max_side)) {
    return image;
  }
  const int64_t w = image.width;
  const int64_t h = image.height;
  Image out;
  out.channels = image.channels;
  out.width =
      static_cast<int>(w >= h ? max_side : std::max<int64_t>(1, (w * max_side + h / 2) / h));
  out.height =
      static_cast<int>(h >= w ? max_side : std::max<int64_t>(1, (h * max_side + w / 2) / w));
  out.pixels.resize(out.row_bytes() * static_cast<size_t>(out.height));
  const int c = image.channels;
  std::vector<uint64_t> sums(static_cast<size_t>(c));
  for (int oy = 0; oy < out.height; ++oy) {
    // Each output pixel averages the input box that maps onto it; boxes tile the input exactly.
    const int64_t y0 = oy * h / out.height;
    const int64_t y1 = std::max(y0 + 1, (oy + 1) * h / out.height);
    for (int ox = 0; ox < out.width; ++ox) {
      const int64_t x0 = ox * w / out.width;
      const int64_t x1 = std::max(x0 + 1, (ox + 1) * w / out.width);
      std::fill(sums.begin(), sums.end(), 0);
      for (int64_t y = y0; y < y1; ++y) {
        const uint8_t* row = image.pixels.data() + static_cast<size_t>(y) * image.row_bytes();
        for (int64_t x = x0; x < x1; ++x) {
          for (int k = 0; k < c; ++k) {
            sums[static_cast<size_t>(k)] += row[static_cast<size_t>(x) * c + k];
          }
        }
      }
      const uint64_t count = static_cast<uint64_t>((y1 - y0) * (x1 - x0));
      uint8_t* dst = out.pixels.data() + static_cast<size_t>(oy) * out.row_bytes() +
                     static_cast<size_t>(ox) * c;
      for (int k = 0; k < c; ++k) {
        dst[k] = static_cast<uint8_t>((sums[static_cast<size_t>(k)] + count / 2) / count);
      }
    }
  }
  return out;
}

Image grey_image(const uint8_t* luma, int width, int height, int stride, bool full_range) {
  Image out{width, height, 1, {}};
  out.pixels.resize(static_cast<size_t>(width) * static_cast<size_t>(height));
  for (int y = 0; y < height; ++y) {
    const uint8_t* row = luma + static_cast<ptrdiff_t>(y) * stride;
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(y) * width;
    if (full_range) {
      std::copy(row, row + width, dst);
      continue;
    }
    for (int x = 0; x < width; ++x) {
      const int v = (std::clamp(int{row[x]}, 16, 235) - 16) * 255;
      dst[x] = static_cast<uint8_t>((v + 109) / 219);
    }
  }
  return out;
}

base::Result<std::vector<uint8_t>> encode_thumbnail(const Image& image,
                                                    const ThumbnailOptions& options) {
  if (image.width <= 0 || image.height <= 0 || (image.channels != 1 && image.channels != 3) ||
      image.pixels.size() < image.row_bytes() * static_cast<size_t>(image.height)) {
    return base::invalid_argument("a thumbnail needs a non-empty image of 1 or 3 channels");
  }
  const Image small = fit_within(image, options.max_side);
  JpegEncodeOptions jpeg;
  for (jpeg.quality = std::clamp(options.quality, 1, 100);; jpeg.quality -= 20) {
    std::vector<uint8_t> bytes = CC_TRY(encode_jpeg(small, jpeg));
    if (bytes.size() <= options.max_bytes) {
      return bytes;
    }
    if (jpeg.quality <= 20) {
      return base::Error(base::ErrorCode::kResourceExhausted,
                         "the thumbnail is over " + std::to_string(options.max_bytes) +
                             " bytes even at JPEG quality " + std::to_string(jpeg.quality));
    }
  }
}

}  // namespace clearcut::media
