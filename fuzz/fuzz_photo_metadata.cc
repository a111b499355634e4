// Feeds arbitrary bytes to the photo metadata readers (clearcut::xmp: the XMP label, and EXIF,
// ICC and XMP through exiv2 and expat), derives an upright copy's metadata from what was read and
// writes it into a freshly encoded picture, as `clearcut stamp` does, then reads that back: any
// input must give metadata or an error, never a crash, a hang or a leak, and the copy must read
// again as upright.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "clearcut/media/image.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/provenance/xmp/photo_metadata.h"
#include "clearcut/provenance/xmp/xmp_label.h"

namespace {

// A 16x16 grey JPEG and PNG with no metadata: what the stamper writes a copy's metadata into.
const std::vector<uint8_t>& fresh(bool png) {
  static const std::vector<std::vector<uint8_t>> pictures = [] {
    clearcut::media::Image image;
    image.width = 16;
    image.height = 16;
    image.channels = 3;
    image.pixels.assign(16 * 16 * 3, 128);
    auto jpeg = clearcut::media::encode_jpeg(image, {});
    auto png_bytes = clearcut::media::encode_png(image);
    if (!jpeg.has_value() || !png_bytes.has_value()) {
      __builtin_trap();
    }
    return std::vector<std::vector<uint8_t>>{*jpeg, *png_bytes};
  }();
  return pictures[png ? 1 : 0];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clearcut::xmp;
  const std::span<const uint8_t> input(data, size);
  if (auto label = read_xmp_label(input); !label.has_value()) {
    (void)label.error().to_string();
  }
  auto metadata = read_photo_metadata(input);
  if (!metadata.has_value()) {
    (void)metadata.error().to_string();
    return 0;
  }
  if (metadata->orientation < 1 || metadata->orientation > 8) {
    __builtin_trap();
  }
  auto copy = metadata_for_copy(*metadata, 16, 16, MetadataStrip{.gps = true, .exif = false});
  if (!copy.has_value()) {
    return 0;
  }
  if (copy->orientation != 1) {
    __builtin_trap();
  }
  const bool png = size >= 4 && data[0] == 0x89 && data[1] == 'P';
  auto written = write_photo_metadata(fresh(png), *copy);
  if (!written.has_value()) {
    return 0;
  }
  auto again = read_photo_metadata(*written);
  if (!again.has_value() || again->orientation != 1) {
    __builtin_trap();
  }
  return 0;
}
