#include "clearcut/provenance/xmp/xmp_label.h"

#include <optional>
#include <string>
#include <vector>

#include "clearcut/provenance/xmp/exiv2_image.h"

namespace clearcut::xmp {

using base::Result;

namespace {

constexpr const char* kWhat = "XMP";
constexpr const char* kDigitalSourceTypeKey = "Xmp.Iptc4xmpExt.DigitalSourceType";
constexpr const char* kInstanceIdKey = "Xmp.xmpMM.InstanceID";

// Opens the image in memory and reads its metadata; a packet exiv2 could not parse is an
// error (exiv2 itself only warns and carries on with no XMP).
Result<internal::ImagePtr> open_image(std::span<const uint8_t> asset) {
  internal::ImagePtr image = CC_TRY(internal::open_image(asset, kWhat));
  if (!image->xmpPacket().empty() && image->xmpData().empty()) {
    Exiv2::XmpData probe;
    if (Exiv2::XmpParser::decode(probe, image->xmpPacket()) != 0) {
      return internal::damaged(kWhat, "the XMP packet is not well-formed RDF/XML");
    }
  }
  return image;
}

std::optional<std::string> text_of(const Exiv2::XmpData& data, const char* key) {
  auto it = data.findKey(Exiv2::XmpKey(key));
  if (it == data.end()) {
    return std::nullopt;
  }
  return it->toString();
}

Result<XmpLabel> read_label(std::span<const uint8_t> asset) {
  internal::ImagePtr image = CC_TRY(open_image(asset));
  XmpLabel label;
  label.digital_source_type = text_of(image->xmpData(), kDigitalSourceTypeKey);
  label.instance_id = text_of(image->xmpData(), kInstanceIdKey);
  return label;
}

Result<std::vector<uint8_t>> write_label(std::span<const uint8_t> asset, const XmpLabel& label) {
  internal::ImagePtr image = CC_TRY(open_image(asset));
  Exiv2::XmpData& data = image->xmpData();
  if (label.digital_source_type) {
    data[kDigitalSourceTypeKey] = *label.digital_source_type;
  }
  if (label.instance_id) {
    data[kInstanceIdKey] = *label.instance_id;
  }
  image->writeMetadata();
  return internal::written_bytes(*image, kWhat);
}

}  // namespace

Result<XmpLabel> read_xmp_label(std::span<const uint8_t> asset) {
  return internal::guarded(kWhat, [&] { return read_label(asset); });
}

Result<std::vector<uint8_t>> write_xmp_label(std::span<const uint8_t> asset,
                                             const XmpLabel& label) {
  return internal::guarded(kWhat, [&] { return write_label(asset, label); });
}

}  // namespace clearcut::xmp
