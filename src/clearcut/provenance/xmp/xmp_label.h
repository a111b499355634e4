#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::xmp {

// The XMP properties that label an asset as AI output (IPTC Photo Metadata 2023.1,
// Iptc4xmpExt namespace http://iptc.org/std/Iptc4xmpExt/2008-02-29/) and identify this
// rendition (XMP Media Management; C2PA §10.2.2 reuses it as the claim's instanceID).
struct XmpLabel {
  std::optional<std::string> digital_source_type;  // Iptc4xmpExt:DigitalSourceType, a URI
  std::optional<std::string> instance_id;          // xmpMM:InstanceID, e.g. "xmp:iid:<uuid>"
  // Reading only. Set when the packet is not well-formed XML: why (xmp_packet.h). The source
  // type then comes from a search of the packet's text, and the instance id is not read.
  std::string damage{};
  // The damaged packet names the DigitalSourceType property but no value could be read: a
  // label is there and nobody can tell what it says.
  bool source_type_unreadable = false;

  bool operator==(const XmpLabel&) const = default;
};

// Reads the label from the XMP packet of a JPEG (APP1) or PNG (iTXt XML:com.adobe.xmp) held
// in memory, as photo tools write it: a property repeated (which the XMP toolkit refuses) is
// read, and a damaged packet is reported in `damage`, not as an error (xmp_packet.h). An asset
// without XMP, or whose XMP lacks the properties, gives an empty label.
// Errors: kUnsupported for other formats, kInvalidArgument for a file exiv2 cannot open.
// Thread-safe (exiv2 and its XMP toolkit are initialised once, under a lock).
base::Result<XmpLabel> read_xmp_label(std::span<const uint8_t> asset);

// The asset with the label's present fields set in its XMP packet (created when missing),
// everything else in the packet and the file kept. Write it before signing Content
// Credentials: the C2PA hard binding then covers it, and a later change would break it.
// Errors as read_xmp_label, and kInvalidArgument for a packet the XMP toolkit cannot parse
// (rewriting it would drop what it holds).
base::Result<std::vector<uint8_t>> write_xmp_label(std::span<const uint8_t> asset,
                                                   const XmpLabel& label);

}  // namespace clearcut::xmp
