#pragma once

// Internal to clearcut::media: shared by the format decoders.

#include <cstdint>
#include <string>
#include <string_view>

#include "clearcut/base/result.h"
#include "clearcut/media/image_decoder.h"

namespace clearcut::media::internal {

// kInvalidArgument: the bytes are not a well-formed image of the format.
inline base::Error malformed(std::string_view format, std::string_view detail) {
  return base::invalid_argument(std::string(format) + ": " + std::string(detail));
}

// Refuses empty images and ones larger than options.max_pixels, before allocating.
inline base::Status check_dimensions(std::string_view format, int64_t width, int64_t height,
                                     const DecodeOptions& options) {
  if (width <= 0 || height <= 0) {
    return malformed(format, "empty image");
  }
  if (width * height > options.max_pixels) {
    return base::Error(base::ErrorCode::kUnsupported,
                       std::string(format) + ": " + std::to_string(width) + "x" +
                           std::to_string(height) + " is over the limit of " +
                           std::to_string(options.max_pixels) + " pixels");
  }
  return {};
}

}  // namespace clearcut::media::internal
