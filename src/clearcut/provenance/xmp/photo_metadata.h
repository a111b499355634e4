#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::xmp {

// The metadata of a photo that a re-encoded copy of it carries, each block as bytes: EXIF
// (JPEG APP1 "Exif", PNG eXIf), the ICC colour profile (JPEG APP2 ICC_PROFILE, PNG iCCP) and
// the XMP packet; and the orientation viewers apply to its pixels. A plain value.
struct PhotoMetadata {
  int orientation = 1;        // EXIF Orientation (TIFF tag 274), 1..8; 1 when absent or invalid
  std::vector<uint8_t> exif;  // a TIFF structure (byte order, IFD0 and the IFDs it points to)
  std::vector<uint8_t> icc;   // an ICC profile
  std::string xmp;            // an XMP packet the XMP toolkit parses
  // What the photo holds that a copy cannot carry, one sentence each.
  std::vector<std::string> notes;
};

// Reads the metadata of a JPEG or PNG held in memory; empty blocks where it has none. The
// orientation comes from EXIF, else from XMP tiff:Orientation. A packet the XMP toolkit cannot
// parse is left out, with a note. Errors: kUnsupported (other formats), kInvalidArgument (a file
// exiv2 cannot open, damaged EXIF). Thread-safe.
base::Result<PhotoMetadata> read_photo_metadata(std::span<const uint8_t> asset);

// What a copy leaves out at the user's request.
struct MetadataStrip {
  bool gps = false;   // the GPS IFD (Exif.GPSInfo.*) and XMP exif:GPS* properties
  bool exif = false;  // all EXIF, and XMP's copies of it (exif:, exifEX:, tiff:, aux:), GPS too
};

// The metadata of an upright copy of a photo: `width` x `height` pixels, already turned as the
// photo's orientation said (media::apply_orientation) and encoded as RGB. Its orientation is 1
// (EXIF, and XMP tiff:Orientation when present), its pixel dimensions (EXIF and XMP, when
// present) are the copy's; the EXIF thumbnail (IFD1, the original picture unturned) and
// xmpMM:InstanceID (which names the original's rendition) are dropped; an ICC profile of any
// colour space but RGB is dropped with a note (it would misdescribe the copy's pixels); then
// `strip` applies. Errors: kInvalidArgument (blocks exiv2 cannot parse). Thread-safe.
base::Result<PhotoMetadata> metadata_for_copy(const PhotoMetadata& original, int width, int height,
                                              const MetadataStrip& strip);

// `asset` (a JPEG or PNG) with `metadata` written in: its EXIF and ICC profile replace any the
// asset has, and the XMP properties join the asset's packet, where properties already set
// (a label written before) win. JPEG through exiv2; PNG's XMP through exiv2, then iCCP and eXIf
// chunks after IHDR (exiv2 0.27 writes PNG EXIF as an ImageMagick text chunk, which browsers do
// not read, and an ICC profile without a name, which libpng rejects). Write it before signing
// Content Credentials, as the label. Errors as read_photo_metadata. Thread-safe.
base::Result<std::vector<uint8_t>> write_photo_metadata(std::span<const uint8_t> asset,
                                                        const PhotoMetadata& metadata);

}  // namespace clearcut::xmp
