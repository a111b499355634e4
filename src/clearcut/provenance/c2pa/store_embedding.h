#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/asset_container.h"
#include "clearcut/provenance/c2pa/bmff.h"

namespace clearcut::c2pa {

// Where a manifest store goes into an asset and what carries it there (C2PA Appendix A):
// JPEG APP11 segments after the leading APP0/APP1 segments (§A.3.1), a PNG `caBX` chunk right
// after IHDR (§A.3.2), a top-level C2PA `uuid` box after `ftyp` and any XMP box (§A.5), a WAV's
// last chunk `C2PA` (§A.4), an MP3's ID3v2 GEOB frame (§A.4: behind the frames of its tag, or
// in a new ID3v2.4 tag at the front of a file without one). The
// carrier's size depends only on the store's size, so a writer can lay out the final asset
// before it signs. A plain value; embed() leaves the input untouched.
class StoreEmbedding {
 public:
  // Errors: kUnsupported for formats other than JPEG, PNG, unfragmented ISO BMFF without
  // item locations (HEIF), WAV and MP3 (nor an MP3 whose ID3v2 tag is v2.2, unsynchronised or
  // has a CRC of its frames, or whose tag is not followed by an MPEG audio frame),
  // kInvalidArgument when the container is damaged where the store goes (a WAV whose RIFF size
  // disagrees with its length, or that carries a C2PA chunk; an MP3 whose tag does not parse or
  // carries a C2PA GEOB frame).
  static base::Result<StoreEmbedding> plan(std::span<const uint8_t> asset,
                                           size_t jpeg_segment_payload = 64000);

  AssetFormat format() const { return format_; }
  // Where the carrier starts in the embedded asset.
  size_t offset() const { return offset_; }
  // Where what a data hash excludes starts: offset(), but in an MP3 the store within its GEOB
  // frame (the tag and frame headers and the GEOB's fields before it are hashed, as c2pa-rs
  // hashes them).
  size_t excluded_offset() const { return offset_ + id3_prefix_size(); }
  // Bytes of the carrier of a store of `store_size` bytes: what a data hash excludes.
  size_t carrier_size(size_t store_size) const;
  // What a data hash excludes of that carrier: all of it, but a RIFF chunk's pad byte (C2PA
  // §A.4 excludes the chunk's header and data, as c2pa-rs does; the pad byte is hashed) and
  // an MP3's headers (the store only).
  size_t excluded_size(size_t store_size) const;
  // The container structures carrying `store`.
  std::vector<uint8_t> carrier(std::span<const uint8_t> store) const;
  // `asset` with `carrier` inserted at offset(). In BMFF every chunk offset (`stco`, `co64`)
  // and auxiliary-information offset (`saio`) behind the insertion moves with the data; an
  // `stco` entry that would pass 4 GiB is kUnsupported. In RIFF the carrier is the last chunk
  // and the RIFF's size grows by it. In an MP3 with a tag, the tag's size (and its footer's)
  // grows by the frame; a tag that would pass 256 MiB is kUnsupported.
  base::Result<std::vector<uint8_t>> embed(std::span<const uint8_t> asset,
                                           std::span<const uint8_t> carrier) const;

 private:
  AssetFormat format_ = AssetFormat::kUnknown;
  size_t offset_ = 0;
  size_t jpeg_segment_payload_ = 64000;
  std::vector<BmffBox> boxes_;  // BMFF: the input's top-level boxes
  // MP3: the input's tag version (0: no tag, a v2.4 tag is written) and whether it has a footer.
  uint8_t id3_major_ = 0;
  bool id3_footer_ = false;
  size_t id3_end_ = 0;  // after the input's tag and its footer

  // MP3: the carrier's bytes before the store (a new tag's header, the GEOB frame's header and
  // its fields); 0 for other formats.
  size_t id3_prefix_size() const;
};

}  // namespace clearcut::c2pa
