#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clearcut::xmp {

// What an XMP packet says about AI, read the way the tools that write XMP behave rather than as
// strict XMP: the Adobe XMP toolkit (under exiv2) refuses a whole packet in which one
// property appears twice (an attribute and an element of the same name, or two rdf:Description
// blocks about the same subject that both set it), which photo tools routinely write; the packet
// is still well-formed XML and every other reader (exiftool among them) takes it. This reader
// parses the XML with namespaces (expat) and picks the two properties out wherever an
// rdf:Description carries them, as an attribute or as an element (text or rdf:resource).
struct PacketLabel {
  // Iptc4xmpExt:DigitalSourceType. When the packet gives several, one that names AI
  // involvement wins (a label is never lost to a later, plainer duplicate).
  std::optional<std::string> digital_source_type;
  std::optional<std::string> instance_id;  // xmpMM:InstanceID
  // Set when the packet is not well-formed XML (or breaks a limit): why, with line and column.
  // The source type then comes from a search of the text for an IPTC digital source type URI.
  std::string damage;
  // The packet's text names the DigitalSourceType property: with `damage` set and no
  // `digital_source_type`, a label is there that could not be read.
  bool mentions_source_type = false;
};

// Limits on untrusted packets: larger packets are damage, as is nesting deeper than this.
inline constexpr size_t kMaxPacketBytes = size_t{16} << 20;
inline constexpr int kMaxPacketDepth = 64;

// Never fails: damage is reported in the result. Entity declarations (and so entity expansion)
// and DOCTYPEs are refused as damage: XMP has none.
PacketLabel read_packet_label(std::string_view packet);

// Whether the source type URI says AI was involved (IPTC's trainedAlgorithmicMedia,
// compositeWithTrainedAlgorithmicMedia, algorithmicMedia, ...).
bool names_ai(std::string_view digital_source_type);

}  // namespace clearcut::xmp
