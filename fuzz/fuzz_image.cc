// Feeds arbitrary bytes to the image decoders (the format is chosen by signature), with and
// without luma output and DCT scaling, and PDQ-hashes whatever decodes: any input must give an
// image or an error, never a crash, a hang, a leak or an inconsistent image.
#include <cstddef>
#include <cstdint>
#include <span>

#include "clearcut/media/image_decoder.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"
#include "clearcut/provenance/pdq/reference_pipeline.h"

namespace {

using clearcut::media::DecodeOptions;
using clearcut::media::PixelFormat;

void decode_and_hash(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  auto image = clearcut::media::decode_image(bytes, options);
  if (!image.has_value()) {
    (void)image.error().to_string();
    return;
  }
  const int expected_channels = options.format == PixelFormat::kLuma ? 1 : 3;
  if (image->width <= 0 || image->height <= 0 || image->channels != expected_channels ||
      image->pixels.size() != image->row_bytes() * image->height) {
    __builtin_trap();
  }
  static clearcut::provenance::PdqHasher hasher;
  auto result = clearcut::provenance::hash_like_reference(
      hasher, {image->pixels.data(), image->width, image->height, image->channels, 0});
  if (result.quality < 0 || result.quality > 100) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  // A million pixels keeps each run fast; larger claims must fail cleanly before allocating.
  constexpr int64_t kMaxPixels = int64_t{1} << 20;
  decode_and_hash(bytes, {.format = PixelFormat::kRgb, .max_pixels = kMaxPixels});
  decode_and_hash(bytes, {.format = PixelFormat::kLuma,
                          .min_side = 16,
                          .max_pixels = kMaxPixels,
                          .jpeg_idct = clearcut::media::JpegIdct::kIntegerFast});
  return 0;
}
