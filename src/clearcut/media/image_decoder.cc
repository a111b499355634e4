#include "clearcut/media/image_decoder.h"

#include <cstring>
#include <new>
#include <vector>

#include "clearcut/base/file.h"
#include "clearcut/media/internal/jpeg_decoder.h"
#include "clearcut/media/internal/png_decoder.h"
#include "clearcut/media/internal/webp_decoder.h"

namespace clearcut::media {

std::string_view image_format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kWebp:
      return "WebP";
    case ImageFormat::kUnknown:
      break;
  }
  return "unknown";
}

ImageFormat sniff_image_format(std::span<const uint8_t> bytes) {
  static constexpr uint8_t kPng[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
    return ImageFormat::kJpeg;
  }
  if (bytes.size() >= sizeof(kPng) && std::memcmp(bytes.data(), kPng, sizeof(kPng)) == 0) {
    return ImageFormat::kPng;
  }
  if (bytes.size() >= 12 && std::memcmp(bytes.data(), "RIFF", 4) == 0 &&
      std::memcmp(bytes.data() + 8, "WEBP", 4) == 0) {
    return ImageFormat::kWebp;
  }
  return ImageFormat::kUnknown;
}

base::Result<Image> decode_image(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  try {
    switch (sniff_image_format(bytes)) {
      case ImageFormat::kJpeg:
        return internal::decode_jpeg(bytes, options);
      case ImageFormat::kPng:
        return internal::decode_png(bytes, options);
      case ImageFormat::kWebp:
        return internal::decode_webp(bytes, options);
      case ImageFormat::kUnknown:
        break;
    }
  } catch (const std::bad_alloc&) {
    return base::Error(base::ErrorCode::kUnavailable, "out of memory decoding an image");
  }
  return base::Error(base::ErrorCode::kUnsupported, "not a JPEG, PNG or WebP image");
}

base::Result<Image> decode_image_file(const std::string& path, const DecodeOptions& options) {
  std::vector<uint8_t> bytes = CC_TRY(base::read_file_bytes(path));
  auto image = decode_image(bytes, options);
  if (!image.has_value()) {
    return std::move(image).error().with_context(path);
  }
  return image;
}

}  // namespace clearcut::media
