#include "clearcut/media/internal/webp_decoder.h"

#include <string>

#include <webp/decode.h>

#include "clearcut/media/internal/decode_common.h"

namespace clearcut::media::internal {
namespace {

std::string status_text(VP8StatusCode status) {
  switch (status) {
    case VP8_STATUS_OK:
      return "ok";
    case VP8_STATUS_OUT_OF_MEMORY:
      return "out of memory";
    case VP8_STATUS_INVALID_PARAM:
      return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR:
      return "bitstream error";
    case VP8_STATUS_UNSUPPORTED_FEATURE:
      return "unsupported feature";
    case VP8_STATUS_SUSPENDED:
      return "suspended";
    case VP8_STATUS_USER_ABORT:
      return "aborted";
    case VP8_STATUS_NOT_ENOUGH_DATA:
      return "truncated: the data ends before the image does";
  }
  return "unknown error";
}

}  // namespace

base::Result<Image> decode_webp(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  WebPBitstreamFeatures features;
  VP8StatusCode status = WebPGetFeatures(bytes.data(), bytes.size(), &features);
  if (status != VP8_STATUS_OK) {
    return malformed("WebP", status_text(status));
  }
  if (features.has_animation) {
    return base::Error(base::ErrorCode::kUnsupported, "WebP: animated images are not supported");
  }
  CC_TRY(check_dimensions("WebP", features.width, features.height, options));

  // Decoding straight into our buffer; alpha, if any, is dropped like for PNG. libwebp's own Y
  // plane is limited-range BT.601, so luma is computed from RGB instead.
  Image image;
  image.width = features.width;
  image.height = features.height;
  image.channels = 3;
  image.pixels.resize(image.row_bytes() * image.height);
  WebPDecoderConfig config;
  if (WebPInitDecoderConfig(&config) == 0) {
    return base::internal_error("WebP: library version mismatch");
  }
  config.output.colorspace = MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = image.pixels.data();
  config.output.u.RGBA.stride = static_cast<int>(image.row_bytes());
  config.output.u.RGBA.size = image.pixels.size();
  status = WebPDecode(bytes.data(), bytes.size(), &config);
  WebPFreeDecBuffer(&config.output);
  if (status != VP8_STATUS_OK) {
    return malformed("WebP", status_text(status));
  }
  if (options.format == PixelFormat::kLuma) {
    const size_t n = static_cast<size_t>(image.width) * image.height;
    rgb_to_luma(image.pixels.data(), n, 3, image.pixels.data());
    image.pixels.resize(n);
    image.pixels.shrink_to_fit();
    image.channels = 1;
  }
  return image;
}

}  // namespace clearcut::media::internal
