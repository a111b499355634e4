#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "clearcut/base/result.h"
#include "clearcut/media/image.h"

namespace clearcut::media {

enum class ImageFormat { kUnknown, kJpeg, kPng, kWebp };

std::string_view image_format_name(ImageFormat format);

// The container format from the first bytes (signatures), without parsing further.
ImageFormat sniff_image_format(std::span<const uint8_t> bytes);

enum class PixelFormat {
  kRgb,   // 3 channels; grey sources are replicated, alpha dropped
  kLuma,  // 1 channel: JPEG's own Y when it has one, else BT.601 luma of the RGB
};

// libjpeg's inverse DCTs. kIntegerSlow, libjpeg's default, reproduces the pixels behind the PDQ
// reference's expected hashes (fixtures/pdq) exactly; kFloat does not on some of them.
enum class JpegIdct { kIntegerSlow, kIntegerFast, kFloat };

struct DecodeOptions {
  PixelFormat format = PixelFormat::kRgb;
  // When > 0, a JPEG may be decoded at a reduced size M/8 (libjpeg DCT scaling, much cheaper than
  // decoding and then resizing), the smallest for which each side stays at least
  // min(min_side, its full size). Other formats always decode at full size.
  int min_side = 0;
  // Images with more pixels (at full size) are refused before pixel memory is allocated.
  int64_t max_pixels = int64_t{1} << 27;
  JpegIdct jpeg_idct = JpegIdct::kIntegerSlow;
};

// Decodes a JPEG (baseline, progressive; grey, YCbCr, RGB, CMYK), PNG (any colour type and bit
// depth, interlaced or not) or still WebP (lossy or lossless) into 8-bit pixels. EXIF orientation
// is not applied. Malformed or truncated input is an error (kInvalidArgument), never a crash;
// unknown formats, animations and images over max_pixels are kUnsupported. Thread-safe.
base::Result<Image> decode_image(std::span<const uint8_t> bytes, const DecodeOptions& options = {});

// Reads and decodes a file: kNotFound if it does not exist, kUnavailable if it cannot be read.
base::Result<Image> decode_image_file(const std::string& path, const DecodeOptions& options = {});

}  // namespace clearcut::media
