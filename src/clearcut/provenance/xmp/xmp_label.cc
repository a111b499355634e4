#include "clearcut/provenance/xmp/xmp_label.h"

#include <optional>
#include <string>
#include <vector>

#include "clearcut/provenance/xmp/exiv2_image.h"
#include "clearcut/provenance/xmp/xmp_packet.h"

namespace clearcut::xmp {

using base::Result;

namespace {

constexpr const char* kWhat = "XMP";
constexpr const char* kDigitalSourceTypeKey = "Xmp.Iptc4xmpExt.DigitalSourceType";
constexpr const char* kInstanceIdKey = "Xmp.xmpMM.InstanceID";

// Opens the image in memory and reads its metadata (exiv2 only warns about a packet it cannot
// parse and carries on with no XMP data; the packet's text stays available).
Result<internal::ImagePtr> open_image(std::span<const uint8_t> asset) {
  internal::ImagePtr image = CC_TRY(internal::open_image(asset, kWhat));
  return image;
}

Result<XmpLabel> read_label(std::span<const uint8_t> asset) {
  internal::ImagePtr image = CC_TRY(open_image(asset));
  PacketLabel packet = read_packet_label(image->xmpPacket());
  XmpLabel label;
  label.digital_source_type = std::move(packet.digital_source_type);
  label.instance_id = std::move(packet.instance_id);
  label.source_type_unreadable =
      !packet.damage.empty() && packet.mentions_source_type && !label.digital_source_type;
  label.damage = std::move(packet.damage);
  return label;
}

Result<std::vector<uint8_t>> write_label(std::span<const uint8_t> asset, const XmpLabel& label) {
  internal::ImagePtr image = CC_TRY(open_image(asset));
  if (!image->xmpPacket().empty() && image->xmpData().empty()) {
    Exiv2::XmpData probe;
    if (Exiv2::XmpParser::decode(probe, image->xmpPacket()) != 0) {
      return internal::damaged(kWhat,
                               "the XMP toolkit cannot parse the packet (a repeated property?)");
    }
  }
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
