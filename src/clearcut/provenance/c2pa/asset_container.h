#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/jumbf.h"

namespace clearcut::c2pa {

enum class AssetFormat { kUnknown, kJpeg, kPng, kBmff, kRiff, kMp3 };

std::string_view asset_format_name(AssetFormat format);

// Recognises JPEG, PNG, ISO BMFF (MP4, M4A, MOV, HEIF...), RIFF (WAV, WebP, AVI) and MP3 by
// their first bytes. MP3: MPEG audio frames (find_mpeg_audio_stream: three in a row, after up to
// 64 KiB of junk, or one at the start of a head too short to hold more), after an ID3v2 tag if
// there is one; a tag followed by anything else (FLAC, ADTS AAC) is kUnknown. When `asset` is a
// head that ends inside the tag, kMp3 is presumed: read the file past the tag to be sure.
AssetFormat detect_asset_format(std::span<const uint8_t> asset);

// A manifest store found inside an asset (C2PA Appendix A): the JUMBF bytes, reassembled when
// the container split them, and where they sit in the asset.
struct EmbeddedStore {
  AssetFormat format = AssetFormat::kUnknown;
  std::vector<uint8_t> jumbf;
  // The container structures that carry the store, in file order: JPEG each APP11 segment
  // from its marker on; PNG the whole `caBX` chunk; BMFF the whole C2PA `uuid` box; RIFF the
  // `C2PA` chunk's header and data (a pad byte after odd data is hashed); MP3 the encapsulated
  // object of the C2PA GEOB frame (its frame header and fields are hashed). A
  // `c2pa.hash.data` hard binding excludes exactly these bytes (C2PA §A.3, §A.4).
  std::vector<ByteRange> carriers;
};

// Finds the C2PA manifest store. nullopt when the asset has none; an Error with kUnsupported
// for an unrecognised format and kInvalidArgument for a container too damaged to read.
// JPEG: APP11 segments with CI "JP" whose box is a `c2pa` superbox, one box instance (En)
// reassembled by packet sequence (Z), the repeated LBox/TBox of continuation packets dropped
// (C2PA §A.3.1, ISO/IEC 19566-5 Annex B). PNG: the `caBX` chunk (§A.3.2). BMFF: the top-level
// `uuid` box d8fec3d6-1b0e-483c-9297-5828877ec481 with purpose "manifest" (§A.5). RIFF: the
// top-level chunk `C2PA` (§A.4). MP3: the ID3v2 GEOB frame of MIME type
// application/x-c2pa-manifest-store (§A.4; id3.h), none in a file without an ID3v2 tag.
base::Result<std::optional<EmbeddedStore>> find_manifest_store(std::span<const uint8_t> asset);

}  // namespace clearcut::c2pa
