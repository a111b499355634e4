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

  bool operator==(const XmpLabel&) const = default;
};

// Reads the label from the XMP packet of a JPEG (APP1) or PNG (iTXt XML:com.adobe.xmp) held
// in memory. An asset without XMP, or whose XMP lacks the properties, gives an empty label.
// Errors: kUnsupported for other formats, kInvalidArgument for a damaged file or packet.
// Thread-safe (exiv2 and its XMP toolkit are initialised once, under a lock).
base::Result<XmpLabel> read_xmp_label(std::span<const uint8_t> asset);

// The asset with the label's present fields set in its XMP packet (created when missing),
// everything else in the packet and the file kept. Write it before signing Content
// Credentials: the C2PA hard binding then covers it, and a later change would break it.
// Errors as read_xmp_label.
base::Result<std::vector<uint8_t>> write_xmp_label(std::span<const uint8_t> asset,
                                                   const XmpLabel& label);

}  // namespace clearcut::xmp
