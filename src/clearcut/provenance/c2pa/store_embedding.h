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
// after IHDR (§A.3.2), a top-level C2PA `uuid` box after `ftyp` and any XMP box (§A.5). The
// carrier's size depends only on the store's size, so a writer can lay out the final asset
// before it signs. A plain value; embed() leaves the input untouched.
class StoreEmbedding {
 public:
  // Errors: kUnsupported for formats other than JPEG, PNG, unfragmented ISO BMFF without
  // item locations (HEIF) and WAV, kInvalidArgument when the container is damaged where the
  // store goes (a WAV whose RIFF size disagrees with its length, or that carries a C2PA chunk).
  static base::Result<StoreEmbedding> plan(std::span<const uint8_t> asset,
                                           size_t jpeg_segment_payload = 64000);

  AssetFormat format() const { return format_; }
  // Where the carrier starts in the embedded asset.
  size_t offset() const { return offset_; }
  // Bytes of the carrier of a store of `store_size` bytes: what a data hash excludes.
  size_t carrier_size(size_t store_size) const;
  // What a data hash excludes of that carrier: all of it, but a RIFF chunk's pad byte (C2PA
  // §A.4 excludes the chunk's header and data, as c2pa-rs does; the pad byte is hashed).
  size_t excluded_size(size_t store_size) const;
  // The container structures carrying `store`.
  std::vector<uint8_t> carrier(std::span<const uint8_t> store) const;
  // `asset` with `carrier` inserted at offset(). In BMFF every chunk offset (`stco`, `co64`)
  // and auxiliary-information offset (`saio`) behind the insertion moves with the data; an
  // `stco` entry that would pass 4 GiB is kUnsupported. In RIFF the carrier is the last chunk
  // and the RIFF's size grows by it.
  base::Result<std::vector<uint8_t>> embed(std::span<const uint8_t> asset,
                                           std::span<const uint8_t> carrier) const;

 private:
  AssetFormat format_ = AssetFormat::kUnknown;
  size_t offset_ = 0;
  size_t jpeg_segment_payload_ = 64000;
  std::vector<BmffBox> boxes_;  // BMFF: the input's top-level boxes
};

}  // namespace clearcut::c2pa
