#pragma once

#include <cstdint>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/media/image.h"

namespace clearcut::media {

// Small encoders, enough to make test images, fuzzing seeds and thumbnails. Images must have 1 or 3
// channels (else kInvalidArgument). Thread-safe.

struct JpegEncodeOptions {
  int quality = 90;  // 1..100
  bool progressive = false;
  bool subsample_chroma = true;  // 4:2:0, libjpeg's default; false for 4:4:4
  // Stores RGB as CMYK (no black, Adobe's inverted convention), as print workflows do.
  bool cmyk = false;
};

base::Result<std::vector<uint8_t>> encode_jpeg(const Image& image,
                                               const JpegEncodeOptions& options = {});
base::Result<std::vector<uint8_t>> encode_png(const Image& image);
// Lossy at `quality` (0..100) unless `lossless`.
base::Result<std::vector<uint8_t>> encode_webp(const Image& image, int quality = 90,
                                               bool lossless = false);

}  // namespace clearcut::media
