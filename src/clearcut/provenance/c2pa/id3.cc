#include "clearcut/provenance/c2pa/id3.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace clearcut::c2pa {
namespace {

constexpr size_t kHeaderSize = 10;

// v2.3 frame flags (id3v2.3.0 §3.3.1): compression, encryption, grouping identity.
constexpr uint16_t kV3Compressed = 0x0080;
constexpr uint16_t kV3Encrypted = 0x0040;
constexpr uint16_t kV3Grouped = 0x0020;
// v2.4 frame flags (id3v2.4.0-structure §4.1.2).
constexpr uint16_t kV4Grouped = 0x0040;
constexpr uint16_t kV4Compressed = 0x0008;
constexpr uint16_t kV4Encrypted = 0x0004;
constexpr uint16_t kV4Unsynchronised = 0x0002;
constexpr uint16_t kV4DataLength = 0x0001;

base::Error damaged(const std::string& message, size_t offset) {
  return base::invalid_argument("ID3v2: " + message + " at byte " + std::to_string(offset));
}

uint32_t read_be32(std::span<const uint8_t> d, size_t at) {
  return (uint32_t{d[at]} << 24) | (uint32_t{d[at + 1]} << 16) | (uint32_t{d[at + 2]} << 8) |
         uint32_t{d[at + 3]};
}

// id3v2.4.0-structure §6.2: 28 bits in four bytes whose top bits are clear.
base::Result<size_t> read_synchsafe(std::span<const uint8_t> d, size_t at, std::string_view what) {
  size_t value = 0;
  for (size_t i = 0; i < 4; ++i) {
    if ((d[at + i] & 0x80) != 0) {
      return damaged(std::string(what) + " is not a synchsafe integer (byte " + std::to_string(i) +
                         " is " + std::to_string(d[at + i]) + ", expected below 128)",
                     at);
    }
    value = (value << 7) | d[at + i];
  }
  return value;
}

// id3v2.4.0-structure §6.1: every 0xFF 0x00 stands for 0xFF.
std::vector<uint8_t> resynchronise(std::span<const uint8_t> bytes) {
  std::vector<uint8_t> out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    out.push_back(bytes[i]);
    if (bytes[i] == 0xFF && i + 1 < bytes.size() && bytes[i + 1] == 0x00) {
      ++i;
    }
  }
  return out;
}

bool valid_id_char(uint8_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The length of a string in `encoding` (id3v2.4.0-structure §4: 0 ISO-8859-1 and 3 UTF-8 end
// with one NUL, 1 UTF-16 and 2 UTF-16BE with two on an even offset), its terminator included;
// nullopt when it has none.
std::optional<size_t> terminated_length(std::span<const uint8_t> bytes, uint8_t encoding) {
  if (encoding == 0 || encoding == 3) {
    const auto nul = std::find(bytes.begin(), bytes.end(), uint8_t{0});
    if (nul == bytes.end()) {
      return std::nullopt;
    }
    return static_cast<size_t>(nul - bytes.begin()) + 1;
  }
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
    if (bytes[i] == 0 && bytes[i + 1] == 0) {
      return i + 2;
    }
  }
  return std::nullopt;
}

}  // namespace

bool has_id3(std::span<const uint8_t> asset) {
  return asset.size() >= kHeaderSize && std::memcmp(asset.data(), "ID3", 3) == 0 && asset[3] >= 2 &&
         asset[3] <= 4;
}

bool is_mpeg_audio_frame(std::span<const uint8_t> asset, size_t at) {
  if (at > asset.size() || asset.size() - at < 4) {
    return false;
  }
  const uint8_t b1 = asset[at + 1];
  const uint8_t b2 = asset[at + 2];
  const int version = (b1 >> 3) & 3;  // 0 MPEG-2.5, 1 reserved, 2 MPEG-2, 3 MPEG-1
  const int layer = (b1 >> 1) & 3;    // 0 reserved (ADTS), 1 III, 2 II, 3 I
  return asset[at] == 0xFF && (b1 & 0xE0) == 0xE0 && version != 1 && layer != 0 &&
         (b2 >> 4) != 0xF && ((b2 >> 2) & 3) != 3;
}

std::optional<size_t> mpeg_audio_frame_size(std::span<const uint8_t> asset, size_t at) {
  if (!is_mpeg_audio_frame(asset, at)) {
    return std::nullopt;
  }
  // Bitrates in kbit/s by index 1-14: MPEG-1 layers I, II, III; MPEG-2 and 2.5 layer I; their
  // layers II and III.
  static constexpr uint16_t kBitrates[5][14] = {
      {32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
      {32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
      {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
      {32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
      {8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}};
  static constexpr uint32_t kRates[3] = {44100, 48000, 32000};  // MPEG-1; halved, quartered
  const uint8_t b1 = asset[at + 1];
  const uint8_t b2 = asset[at + 2];
  const int version = (b1 >> 3) & 3;  // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
  const int layer = 4 - ((b1 >> 1) & 3);
  const int bitrate_index = b2 >> 4;
  if (bitrate_index == 0) {
    return std::nullopt;
  }
  const bool mpeg1 = version == 3;
  const int table = mpeg1 ? layer - 1 : (layer == 1 ? 3 : 4);
  const uint32_t bitrate = uint32_t{kBitrates[table][bitrate_index - 1]} * 1000;
  const uint32_t rate = kRates[(b2 >> 2) & 3] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
  const uint32_t padding = (b2 >> 1) & 1;
  if (layer == 1) {
    return size_t{(12 * bitrate / rate + padding) * 4};
  }
  const uint32_t per_bit = (layer == 3 && !mpeg1) ? 72 : 144;
  return size_t{per_bit * bitrate / rate + padding};
}

std::optional<size_t> find_mpeg_audio_stream(std::span<const uint8_t> asset, size_t from) {
  const size_t last = std::min(asset.size(), from + kMaxMpegAudioLeadIn);
  for (size_t at = from; at < last; ++at) {
    if (asset[at] != 0xFF || !is_mpeg_audio_frame(asset, at)) {
      continue;
    }
    size_t next = at;
    int chained = 0;
    for (; chained < 3; ++chained) {
      std::optional<size_t> size = mpeg_audio_frame_size(asset, next);
      if (!size) {
        break;
      }
      next += *size;
    }
    const bool head_only = chained >= 1 && next + 4 > asset.size();
    if (chained == 3 || (at == from && (head_only || !mpeg_audio_frame_size(asset, at)))) {
      return at;
    }
  }
  return std::nullopt;
}

std::optional<size_t> id3_tag_end(std::span<const uint8_t> asset) {
  if (!has_id3(asset)) {
    return std::nullopt;
  }
  auto size = read_synchsafe(asset, 6, "the tag size");
  if (!size) {
    return std::nullopt;
  }
  const bool footer = asset[3] == 4 && (asset[5] & 0x10) != 0;
  return kHeaderSize + *size + (footer ? kHeaderSize : 0);
}

base::Result<Id3Tag> parse_id3(std::span<const uint8_t> asset) {
  if (!has_id3(asset)) {
    return damaged("expected \"ID3\", a major version of 2, 3 or 4, flags and a size", 0);
  }
  Id3Tag tag;
  tag.major = asset[3];
  tag.flags = asset[5];
  tag.size = CC_TRY(read_synchsafe(asset, 6, "the tag size"));
  const size_t footer = tag.has_footer() ? kHeaderSize : 0;
  if (tag.size + footer > asset.size() - kHeaderSize) {
    return damaged("the tag size (" + std::to_string(tag.size) + ") runs past the file's " +
                       std::to_string(asset.size()) + " bytes",
                   6);
  }
  tag.end = kHeaderSize + tag.size + footer;
  if (tag.major == 2 && (tag.flags & 0x40) != 0) {
    return base::Error(base::ErrorCode::kUnsupported,
                       "ID3v2: a v2.2 tag with compression (header flag 0x40) is not read");
  }

  // In v2.2 and v2.3 unsynchronisation covers the whole tag, frame headers included; v2.4
  // unsynchronises frame by frame, and its frame sizes count the bytes as stored.
  std::span<const uint8_t> bytes = asset;
  size_t body_end = kHeaderSize + tag.size;
  if (tag.unsynchronised() && tag.major < 4) {
    tag.resynchronised.assign(asset.begin(), asset.begin() + kHeaderSize);
    std::vector<uint8_t> body = resynchronise(asset.subspan(kHeaderSize, tag.size));
    tag.resynchronised.insert(tag.resynchronised.end(), body.begin(), body.end());
    bytes = tag.resynchronised;
    body_end = bytes.size();
  }

  size_t pos = kHeaderSize;
  if ((tag.flags & 0x40) != 0) {
    if (body_end - pos < 6) {
      return damaged("the extended header runs past the tag's end", pos);
    }
    if (tag.major == 3) {
      // id3v2.3.0 §3.2: a size that excludes itself (6, or 10 with a CRC), flags, padding size.
      const size_t ext = read_be32(bytes, pos);
      if ((ext != 6 && ext != 10) || ext > body_end - pos - 4) {
        return damaged("the extended header's size is " + std::to_string(ext) +
                           ", expected 6 or 10 within the tag",
                       pos);
      }
      tag.extended_crc = (bytes[pos + 4] & 0x80) != 0;
      pos += 4 + ext;
    } else {
      // id3v2.4.0-structure §3.2: a synchsafe size that counts itself, then flag bytes.
      const size_t ext = CC_TRY(read_synchsafe(bytes, pos, "the extended header's size"));
      if (ext < 6 || ext > body_end - pos) {
        return damaged("the extended header's size is " + std::to_string(ext) +
                           ", expected 6 or more within the tag",
                       pos);
      }
      tag.extended_crc = (bytes[pos + 5] & 0x20) != 0;
      pos += ext;
    }
  }
  tag.frames_begin = pos;

  const size_t header_size = tag.major == 2 ? 6 : 10;
  const size_t id_size = tag.major == 2 ? 3 : 4;
  while (pos < body_end && bytes[pos] != 0) {  // a zero byte starts the padding
    if (body_end - pos < header_size) {
      return damaged("a frame header runs past the tag's end", pos);
    }
    if (tag.frames.size() == kMaxId3Frames) {
      return damaged("more than " + std::to_string(kMaxId3Frames) + " frames", pos);
    }
    Id3Frame frame;
    frame.offset = pos;
    frame.header_size = header_size;
    for (size_t i = 0; i < id_size; ++i) {
      if (!valid_id_char(bytes[pos + i])) {
        return damaged("a frame id has byte " + std::to_string(bytes[pos + i]) + ", expected " +
                           std::to_string(id_size) + " characters of A-Z 0-9",
                       pos);
      }
      frame.id[i] = static_cast<char>(bytes[pos + i]);
    }
    if (tag.major == 2) {
      frame.data_size =
          (size_t{bytes[pos + 3]} << 16) | (size_t{bytes[pos + 4]} << 8) | size_t{bytes[pos + 5]};
    } else {
      frame.data_size = tag.major == 3 ? read_be32(bytes, pos + 4)
                                       : CC_TRY(read_synchsafe(bytes, pos + 4, "a frame size"));
      frame.flags = static_cast<uint16_t>((bytes[pos + 8] << 8) | bytes[pos + 9]);
    }
    if (frame.data_size > body_end - pos - header_size) {
      return damaged("frame \"" + std::string(frame.id_view()) + "\" of " +
                         std::to_string(frame.data_size) + " bytes runs past the tag's end",
                     pos);
    }
    pos += header_size + frame.data_size;
    tag.frames.push_back(frame);
  }
  tag.frames_end = pos;
  return tag;
}

base::Result<std::optional<Id3C2paObject>> find_c2pa_geob(std::span<const uint8_t> asset,
                                                          const Id3Tag& tag) {
  const std::span<const uint8_t> bytes =
      tag.resynchronised.empty() ? asset : std::span<const uint8_t>(tag.resynchronised);
  const std::string_view geob = tag.major == 2 ? "GEO" : "GEOB";
  std::optional<Id3C2paObject> found;
  for (const Id3Frame& frame : tag.frames) {
    if (frame.id_view() != geob) {
      continue;
    }
    // What stands between the frame header and the content: a group id, a data length.
    size_t skip = 0;
    bool unsynchronised = !tag.resynchronised.empty();
    if (tag.major == 3) {
      if ((frame.flags & (kV3Compressed | kV3Encrypted)) != 0) {
        return base::Error(base::ErrorCode::kUnsupported,
                           "ID3v2: the GEOB frame at byte " + std::to_string(frame.offset) +
                               " is compressed or encrypted; whether it carries a manifest "
                               "store cannot be told");
      }
      skip = (frame.flags & kV3Grouped) != 0 ? 1 : 0;
    } else if (tag.major == 4) {
      if ((frame.flags & (kV4Compressed | kV4Encrypted)) != 0) {
        return base::Error(base::ErrorCode::kUnsupported,
                           "ID3v2: the GEOB frame at byte " + std::to_string(frame.offset) +
                               " is compressed or encrypted; whether it carries a manifest "
                               "store cannot be told");
      }
      skip =
          ((frame.flags & kV4Grouped) != 0 ? 1 : 0) + ((frame.flags & kV4DataLength) != 0 ? 4 : 0);
      unsynchronised = (frame.flags & kV4Unsynchronised) != 0;
    }
    if (skip > frame.data_size) {
      return damaged("the GEOB frame is shorter than its flags' fields", frame.offset);
    }
    const size_t content_at = frame.offset + frame.header_size + skip;
    std::span<const uint8_t> content = bytes.subspan(content_at, frame.data_size - skip);
    std::vector<uint8_t> resynchronised;
    if (unsynchronised && tag.resynchronised.empty()) {
      resynchronised = resynchronise(content);
      content = resynchronised;
    }
    // id3v2.4.0-frames §4.15: text encoding, MIME type (ISO-8859-1), filename, content
    // description (in the encoding), then the object.
    if (content.empty() || content[0] > 3) {
      return damaged("the GEOB frame's text encoding is " +
                         (content.empty() ? std::string("missing") : std::to_string(content[0])) +
                         ", expected 0-3",
                     frame.offset);
    }
    const uint8_t encoding = content[0];
    size_t at = 1;
    const std::optional<size_t> mime = terminated_length(content.subspan(at), 0);
    if (!mime) {
      return damaged("the GEOB frame's MIME type is not NUL-terminated", frame.offset);
    }
    const std::string_view mime_type(reinterpret_cast<const char*>(content.data() + at), *mime - 1);
    if (mime_type != kC2paGeobMimeType && mime_type != kC2paGeobMimeTypeNew) {
      continue;
    }
    if (unsynchronised) {
      return base::Error(base::ErrorCode::kUnsupported,
                         "ID3v2: the GEOB frame at byte " + std::to_string(frame.offset) +
                             " carries a manifest store in unsynchronised bytes, which a data "
                             "hash over the file cannot exclude");
    }
    at += *mime;
    for (const char* field : {"filename", "content description"}) {
      const std::optional<size_t> n = terminated_length(content.subspan(at), encoding);
      if (!n) {
        return damaged("the C2PA GEOB frame's " + std::string(field) + " is not terminated",
                       frame.offset);
      }
      at += *n;
    }
    if (found) {
      return damaged("a second GEOB frame carrying a manifest store (C2PA allows one)",
                     frame.offset);
    }
    found = Id3C2paObject{frame.range(), {content_at + at, content.size() - at}};
  }
  return found;
}

}  // namespace clearcut::c2pa
