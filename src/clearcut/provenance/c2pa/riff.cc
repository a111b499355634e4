#include "clearcut/provenance/c2pa/riff.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace clearcut::c2pa {
namespace {

uint32_t read_le32(std::span<const uint8_t> d, size_t at) {
  return uint32_t{d[at]} | (uint32_t{d[at + 1]} << 8) | (uint32_t{d[at + 2]} << 16) |
         (uint32_t{d[at + 3]} << 24);
}

base::Error damaged(const std::string& message, size_t offset) {
  return base::invalid_argument("RIFF: " + message + " at byte " + std::to_string(offset));
}

}  // namespace

bool is_riff(std::span<const uint8_t> asset) {
  return asset.size() >= 12 && std::memcmp(asset.data(), "RIFF", 4) == 0;
}

base::Result<RiffFile> parse_riff(std::span<const uint8_t> asset) {
  if (asset.size() >= 4 && std::memcmp(asset.data(), "RF64", 4) == 0) {
    return base::Error(base::ErrorCode::kUnsupported,
                       "RF64 (a WAV over 4 GiB) cannot carry Content Credentials here");
  }
  if (!is_riff(asset)) {
    return damaged("expected \"RIFF\", a size and a form type", 0);
  }
  RiffFile file;
  std::memcpy(file.form.data(), asset.data() + 8, 4);
  const size_t declared = read_le32(asset, 4);
  if (declared < 4 || declared > asset.size() - 8) {
    return damaged("the RIFF size (" + std::to_string(declared) + ") runs past the file's " +
                       std::to_string(asset.size()) + " bytes",
                   4);
  }
  file.riff_end = 8 + declared;
  for (size_t pos = 12; pos < file.riff_end;) {
    if (file.riff_end - pos < 8) {
      return damaged("a chunk header runs past the RIFF's end", pos);
    }
    if (file.chunks.size() == kMaxRiffChunks) {
      return damaged("more than " + std::to_string(kMaxRiffChunks) + " chunks", pos);
    }
    RiffChunk chunk;
    std::memcpy(chunk.id.data(), asset.data() + pos, 4);
    chunk.offset = pos;
    chunk.data_size = read_le32(asset, pos + 4);
    if (chunk.data_size > file.riff_end - pos - 8) {
      return damaged("chunk \"" + std::string(chunk.id_view()) + "\" of " +
                         std::to_string(chunk.data_size) + " bytes runs past the RIFF's end",
                     pos);
    }
    // The pad byte after odd data; a last chunk without it is tolerated (common in the wild).
    pos += std::min(chunk.range().length, file.riff_end - pos);
    file.chunks.push_back(chunk);
  }
  return file;
}

}  // namespace clearcut::c2pa
