#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/jumbf.h"

namespace clearcut::c2pa {

// The top level of a RIFF file (WAV; C2PA §A.4 also names WebP and AVI): "RIFF", the size of
// what follows (little-endian), the form type ("WAVE"), then chunks of a four-character id, a
// little-endian data size, the data and a pad byte when the size is odd. A manifest store is the
// data of the top-level chunk "C2PA", the last chunk of the file.
struct RiffChunk {
  std::array<char, 4> id{};
  size_t offset = 0;     // of the chunk's id
  size_t data_size = 0;  // as its header says
  // The whole chunk: header, data and pad byte.
  ByteRange range() const { return {offset, 8 + data_size + (data_size & 1)}; }
  std::string_view id_view() const { return {id.data(), id.size()}; }
};

struct RiffFile {
  std::array<char, 4> form{};  // "WAVE", "WEBP", "AVI "
  size_t riff_end = 0;         // 8 + the RIFF header's size
  std::vector<RiffChunk> chunks;
};

// At most this many top-level chunks are read (a WAV has a handful); more is kInvalidArgument.
inline constexpr size_t kMaxRiffChunks = 4096;

// True for "RIFF" ... form at the start of `asset` (12 bytes at least).
bool is_riff(std::span<const uint8_t> asset);

// The top-level chunks. Errors (kInvalidArgument, naming the byte): a header or a chunk that
// runs past the file or past the RIFF size, too many chunks; kUnsupported for RF64 (WAV over
// 4 GiB). Bytes after the RIFF's end (some writers leave them) are not read.
base::Result<RiffFile> parse_riff(std::span<const uint8_t> asset);

}  // namespace clearcut::c2pa
