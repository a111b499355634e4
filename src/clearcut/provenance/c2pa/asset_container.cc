#include "clearcut/provenance/c2pa/asset_container.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "clearcut/provenance/c2pa/bmff.h"
#include "clearcut/provenance/c2pa/id3.h"
#include "clearcut/provenance/c2pa/riff.h"

namespace clearcut::c2pa {

using base::Result;

namespace {

constexpr Uuid kC2paBmffUuid = {0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C,
                                0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81};
constexpr uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

uint16_t read_u16(std::span<const uint8_t> d, size_t at) {
  return static_cast<uint16_t>((d[at] << 8) | d[at + 1]);
}

uint32_t read_u32(std::span<const uint8_t> d, size_t at) {
  return (uint32_t{d[at]} << 24) | (uint32_t{d[at + 1]} << 16) | (uint32_t{d[at + 2]} << 8) |
         uint32_t{d[at + 3]};
}

base::Error damaged(std::string_view format, const std::string& message, size_t offset) {
  return base::invalid_argument(std::string(format) + ": " + message + " at byte " +
                                std::to_string(offset));
}

// True when `box` (at least its first 32 bytes) is a jumb superbox typed as a manifest store.
bool is_c2pa_superbox(std::span<const uint8_t> box) {
  size_t at = 0;
  if (box.size() < 8 || std::memcmp(box.data() + 4, "jumb", 4) != 0) {
    return false;
  }
  at = read_u32(box, 0) == 1 ? 16 : 8;
  if (box.size() < at + 8 + 16 || std::memcmp(box.data() + at + 4, "jumd", 4) != 0) {
    return false;
  }
  Uuid type;
  std::memcpy(type.data(), box.data() + at + 8, 16);
  return type == jumbf_type_uuid("c2pa");
}

struct App11Packet {
  uint32_t sequence;
  ByteRange segment;  // marker included
  ByteRange box_data;
};

Result<std::optional<EmbeddedStore>> find_in_jpeg(std::span<const uint8_t> asset) {
  std::map<uint16_t, std::vector<App11Packet>> instances;
  size_t pos = 2;
  while (pos < asset.size()) {
    if (asset[pos] != 0xFF) {
      return damaged("JPEG", "expected a marker", pos);
    }
    size_t marker_at = pos;
    while (pos < asset.size() && asset[pos] == 0xFF) {
      ++pos;  // fill bytes (ITU T.81 §B.1.1.2)
    }
    if (pos >= asset.size()) {
      break;
    }
    uint8_t marker = asset[pos++];
    if (marker == 0xD9 || marker == 0xDA) {
      break;  // EOI, or SOS: entropy-coded data follows; C2PA segments precede it
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      continue;  // standalone markers carry no length
    }
    if (asset.size() - pos < 2) {
      return damaged("JPEG", "segment length truncated", pos);
    }
    uint16_t length = read_u16(asset, pos);
    if (length < 2 || length > asset.size() - pos) {
      return damaged("JPEG", "segment length outside the file", pos);
    }
    // APP11 carrying JUMBF: CI "JP", En (box instance), Z (packet sequence), box data.
    if (marker == 0xEB && length >= 2 + 8 && asset[pos + 2] == 'J' && asset[pos + 3] == 'P') {
      App11Packet packet;
      uint16_t instance = read_u16(asset, pos + 4);
      packet.sequence = read_u32(asset, pos + 6);
      packet.segment = {marker_at, pos + length - marker_at};
      packet.box_data = {pos + 10, static_cast<size_t>(length) - 10};
      instances[instance].push_back(packet);
    }
    pos += length;
  }

  for (auto& [instance, packets] : instances) {
    std::stable_sort(
        packets.begin(), packets.end(),
        [](const App11Packet& a, const App11Packet& b) { return a.sequence < b.sequence; });
    std::span<const uint8_t> first = slice(asset, packets.front().box_data);
    if (!is_c2pa_superbox(first)) {
      continue;
    }
    EmbeddedStore store;
    store.format = AssetFormat::kJpeg;
    // Continuation packets repeat the superbox's LBox and TBox (and XLBox) before their data.
    size_t repeated_header = read_u32(first, 0) == 1 ? 16 : 8;
    for (size_t i = 0; i < packets.size(); ++i) {
      const App11Packet& packet = packets[i];
      if (i > 0 && packet.sequence == packets[i - 1].sequence) {
        return damaged("JPEG", "duplicate APP11 packet sequence number", packet.segment.offset);
      }
      std::span<const uint8_t> data = slice(asset, packet.box_data);
      if (i > 0) {
        if (data.size() < repeated_header) {
          return damaged("JPEG", "APP11 continuation shorter than its box header",
                         packet.segment.offset);
        }
        data = data.subspan(repeated_header);
      }
      store.jumbf.insert(store.jumbf.end(), data.begin(), data.end());
      store.carriers.push_back(packet.segment);
    }
    std::sort(store.carriers.begin(), store.carriers.end(),
              [](const ByteRange& a, const ByteRange& b) { return a.offset < b.offset; });
    return std::optional<EmbeddedStore>(std::move(store));
  }
  return std::optional<EmbeddedStore>();
}

Result<std::optional<EmbeddedStore>> find_in_png(std::span<const uint8_t> asset) {
  size_t pos = sizeof kPngSignature;
  while (pos < asset.size()) {
    if (asset.size() - pos < 12) {
      return damaged("PNG", "chunk truncated", pos);
    }
    uint32_t length = read_u32(asset, pos);
    if (length > asset.size() - pos - 12) {
      return damaged("PNG", "chunk length outside the file", pos);
    }
    std::string_view type(reinterpret_cast<const char*>(asset.data() + pos + 4), 4);
    if (type == "caBX") {
      EmbeddedStore store;
      store.format = AssetFormat::kPng;
      auto data = asset.subspan(pos + 8, length);
      store.jumbf.assign(data.begin(), data.end());
      store.carriers.push_back({pos, size_t{length} + 12});
      return std::optional<EmbeddedStore>(std::move(store));
    }
    if (type == "IEND") {
      break;
    }
    pos += size_t{length} + 12;
  }
  return std::optional<EmbeddedStore>();
}

Result<std::optional<EmbeddedStore>> find_in_bmff(std::span<const uint8_t> asset) {
  auto boxes = parse_bmff(asset);
  if (!boxes.has_value()) {
    return std::move(boxes).error();
  }
  for (const BmffBox& box : *boxes) {
    if (box.type_name() != "uuid" || box.user_type != kC2paBmffUuid) {
      continue;
    }
    // C2PA §A.5: FullBox version and flags, purpose (NUL-terminated), and for "manifest" a
    // 64-bit offset to the first auxiliary (Merkle) uuid box, then the manifest store.
    size_t pos = box.box.offset + box.header_size;
    size_t end = box.box.end();
    if (end - pos < 4) {
      return damaged("BMFF", "C2PA uuid box truncated", box.box.offset);
    }
    pos += 4;
    const uint8_t* nul = std::find(asset.data() + pos, asset.data() + end, uint8_t{0});
    if (nul == asset.data() + end) {
      return damaged("BMFF", "C2PA uuid box purpose is not NUL-terminated", pos);
    }
    std::string purpose(asset.data() + pos, nul);
    pos = static_cast<size_t>(nul - asset.data()) + 1;
    if (purpose != "manifest") {
      continue;
    }
    if (end - pos < 8) {
      return damaged("BMFF", "C2PA uuid box truncated", box.box.offset);
    }
    pos += 8;
    EmbeddedStore store;
    store.format = AssetFormat::kBmff;
    store.jumbf.assign(asset.begin() + static_cast<std::ptrdiff_t>(pos),
                       asset.begin() + static_cast<std::ptrdiff_t>(end));
    store.carriers.push_back(box.box);
    return std::optional<EmbeddedStore>(std::move(store));
  }
  return std::optional<EmbeddedStore>();
}

Result<std::optional<EmbeddedStore>> find_in_riff(std::span<const uint8_t> asset) {
  const RiffFile riff = CC_TRY(parse_riff(asset));
  for (const RiffChunk& chunk : riff.chunks) {
    if (chunk.id_view() == "C2PA") {
      EmbeddedStore store;
      store.format = AssetFormat::kRiff;
      auto data = asset.subspan(chunk.offset + 8, chunk.data_size);
      store.jumbf.assign(data.begin(), data.end());
      // The chunk's header and data; its pad byte is hashed (C2PA §A.4, as c2pa-rs reads it).
      store.carriers.push_back({chunk.offset, 8 + chunk.data_size});
      return std::optional<EmbeddedStore>(std::move(store));
    }
  }
  return std::optional<EmbeddedStore>();
}

Result<std::optional<EmbeddedStore>> find_in_mp3(std::span<const uint8_t> asset) {
  if (!has_id3(asset)) {
    return std::optional<EmbeddedStore>();  // a bare MPEG stream has nowhere to carry one
  }
  const Id3Tag tag = CC_TRY(parse_id3(asset));
  const std::optional<Id3C2paObject> object = CC_TRY(find_c2pa_geob(asset, tag));
  if (!object) {
    return std::optional<EmbeddedStore>();
  }
  EmbeddedStore store;
  store.format = AssetFormat::kMp3;
  auto data = slice(asset, object->data);
  store.jumbf.assign(data.begin(), data.end());
  // The object only: the tag and frame headers around it are hashed (as c2pa-rs locates it).
  store.carriers.push_back(object->data);
  return std::optional<EmbeddedStore>(std::move(store));
}

}  // namespace

std::string_view asset_format_name(AssetFormat format) {
  switch (format) {
    case AssetFormat::kJpeg:
      return "jpeg";
    case AssetFormat::kPng:
      return "png";
    case AssetFormat::kBmff:
      return "bmff";
    case AssetFormat::kRiff:
      return "riff";
    case AssetFormat::kMp3:
      return "mp3";
    case AssetFormat::kUnknown:
      break;
  }
  return "unknown";
}

AssetFormat detect_asset_format(std::span<const uint8_t> asset) {
  if (asset.size() >= 3 && asset[0] == 0xFF && asset[1] == 0xD8 && asset[2] == 0xFF) {
    return AssetFormat::kJpeg;
  }
  if (asset.size() >= sizeof kPngSignature &&
      std::memcmp(asset.data(), kPngSignature, sizeof kPngSignature) == 0) {
    return AssetFormat::kPng;
  }
  if (asset.size() >= 8) {
    std::string_view type(reinterpret_cast<const char*>(asset.data() + 4), 4);
    if (type == "ftyp" || type == "styp") {
      return AssetFormat::kBmff;
    }
  }
  if (is_riff(asset) || (asset.size() >= 4 && std::memcmp(asset.data(), "RF64", 4) == 0)) {
    return AssetFormat::kRiff;
  }
  // MP3: an ID3v2 tag and then MPEG audio, or the audio alone, either maybe after some junk.
  // Other formats take an ID3v2 tag in front too (FLAC, ADTS AAC): what follows the tag decides.
  size_t audio_from = 0;
  if (std::optional<size_t> tag_end = id3_tag_end(asset)) {
    if (*tag_end + 4 > asset.size()) {
      return AssetFormat::kMp3;  // only the head of the file: the reader looks again
    }
    audio_from = *tag_end;
  }
  if (find_mpeg_audio_stream(asset, audio_from)) {
    return AssetFormat::kMp3;
  }
  return AssetFormat::kUnknown;
}

Result<std::optional<EmbeddedStore>> find_manifest_store(std::span<const uint8_t> asset) {
  switch (detect_asset_format(asset)) {
    case AssetFormat::kJpeg:
      return find_in_jpeg(asset);
    case AssetFormat::kPng:
      return find_in_png(asset);
    case AssetFormat::kBmff:
      return find_in_bmff(asset);
    case AssetFormat::kRiff:
      return find_in_riff(asset);
    case AssetFormat::kMp3:
      return find_in_mp3(asset);
    case AssetFormat::kUnknown:
      break;
  }
  return base::Error(base::ErrorCode::kUnsupported,
                     "not a JPEG, PNG, ISO BMFF, RIFF or MP3 asset; no C2PA container to search");
}

}  // namespace clearcut::c2pa
