#include "clearcut/provenance/c2pa/store_embedding.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "clearcut/provenance/c2pa/id3.h"
#include "clearcut/provenance/c2pa/riff.h"

namespace clearcut::c2pa {

using base::Result;

namespace {

constexpr Uuid kC2paBmffUuid = {0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C,
                                0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81};
constexpr Uuid kXmpBmffUuid = {0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8,
                               0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC};
constexpr uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

// JPEG XT box data per APP11 segment: the 16-bit length counts itself, CI, En and Z (10
// bytes), and continuation packets repeat the superbox's LBox and TBox (8 more).
constexpr size_t kApp11MaxPayload = 0xFFFF - 10 - 8;
// The box instance number c2pa-rs uses, kept for readers that look for it.
constexpr uint16_t kApp11Instance = 0x0211;
constexpr std::string_view kBmffPurpose = "manifest";
// uuid box: header 8, usertype 16, FullBox 4, purpose and its NUL, first-Merkle-box offset 8.
constexpr size_t kBmffCarrierOverhead = 8 + 16 + 4 + kBmffPurpose.size() + 1 + 8;

// The GEOB frame's fields before the store (id3v2.4.0-frames §4.15): text encoding 0
// (ISO-8859-1), the MIME type, filename and content description, each NUL-terminated; c2pa-rs
// names the object so too.
constexpr std::string_view kGeobFilename = "c2pa";
constexpr std::string_view kGeobDescription = "c2pa manifest store";
constexpr size_t kGeobFieldsSize =
    1 + kC2paGeobMimeType.size() + 1 + kGeobFilename.size() + 1 + kGeobDescription.size() + 1;
// The largest synchsafe integer (id3v2.4.0-structure §6.2): 28 bits.
constexpr size_t kMaxSynchsafe = (size_t{1} << 28) - 1;

uint32_t read_u32(std::span<const uint8_t> d, size_t at) {
  return (uint32_t{d[at]} << 24) | (uint32_t{d[at + 1]} << 16) | (uint32_t{d[at + 2]} << 8) |
         uint32_t{d[at + 3]};
}

uint64_t read_u64(std::span<const uint8_t> d, size_t at) {
  return (uint64_t{read_u32(d, at)} << 32) | read_u32(d, at + 4);
}

void put_u16(std::vector<uint8_t>* out, size_t v) {
  out->push_back(static_cast<uint8_t>(v >> 8));
  out->push_back(static_cast<uint8_t>(v));
}

void put_u32(std::vector<uint8_t>* out, uint64_t v) {
  for (int i = 3; i >= 0; --i) {
    out->push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
}

void write_u32(std::vector<uint8_t>* out, size_t at, uint64_t v) {
  for (int i = 0; i < 4; ++i) {
    (*out)[at + static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (24 - 8 * i));
  }
}

// Sizes past 28 bits are masked here and refused by embed().
void write_synchsafe(std::vector<uint8_t>* out, size_t at, size_t v) {
  for (size_t i = 0; i < 4; ++i) {
    (*out)[at + i] = static_cast<uint8_t>((v >> (7 * (3 - i))) & 0x7F);
  }
}

void write_u64(std::vector<uint8_t>* out, size_t at, uint64_t v) {
  write_u32(out, at, v >> 32);
  write_u32(out, at + 4, v & 0xFFFFFFFFu);
}

base::Error damaged(std::string_view format, const std::string& message, size_t offset) {
  return base::invalid_argument(std::string(format) + ": " + message + " at byte " +
                                std::to_string(offset));
}

// ISO/IEC 10918-1 §B.1: after SOI, the APP0 (JFIF) and APP1 (Exif, XMP) segments that
// readers expect first; the store goes right behind them, as c2pa-rs puts it behind APP0.
Result<size_t> jpeg_insertion_offset(std::span<const uint8_t> asset) {
  size_t pos = 2;
  while (true) {
    if (asset.size() - pos < 4 || asset[pos] != 0xFF) {
      return damaged("JPEG", "expected a marker segment", pos);
    }
    uint8_t marker = asset[pos + 1];
    if (marker != 0xE0 && marker != 0xE1) {
      return pos;
    }
    size_t length = (size_t{asset[pos + 2]} << 8) | asset[pos + 3];
    if (length < 2 || length > asset.size() - pos - 2) {
      return damaged("JPEG", "segment length outside the file", pos);
    }
    pos += 2 + length;
  }
}

// C2PA §A.3.2: `caBX` should precede IDAT; right after IHDR always does.
Result<size_t> png_insertion_offset(std::span<const uint8_t> asset) {
  constexpr size_t kIhdrEnd = sizeof kPngSignature + 12 + 13;
  if (asset.size() < kIhdrEnd || read_u32(asset, 8) != 13 ||
      std::memcmp(asset.data() + 12, "IHDR", 4) != 0) {
    return damaged("PNG", "IHDR is not the first chunk", sizeof kPngSignature);
  }
  return kIhdrEnd;
}

// CRC-32 of PNG chunks (ISO/IEC 15948 Annex D), over type and data.
uint32_t png_crc(std::span<const uint8_t> bytes) {
  static const std::array<uint32_t, 256> kTable = [] {
    std::array<uint32_t, 256> table{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) {
        c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      }
      table[n] = c;
    }
    return table;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (uint8_t b : bytes) {
    crc = kTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
  }
  return crc ^ 0xFFFFFFFFu;
}

bool has_box(const std::vector<BmffBox>& boxes, std::string_view type) {
  return std::any_of(boxes.begin(), boxes.end(),
                     [&](const BmffBox& b) { return b.type_name() == type; });
}

// ISO/IEC 14496-12 §8.7.5 (stco, co64) and §8.7.9 (saio): absolute file offsets, moved by
// `delta` when they point at or behind the insertion.
Result<void> move_offsets(const std::vector<BmffBox>& boxes, std::vector<uint8_t>* out,
                          size_t insertion, uint64_t delta) {
  const std::string stbl = "/moov/trak/mdia/minf/stbl/";
  // Boxes are found in the input; in the output those behind the insertion moved by delta.
  auto output_offset = [&](const BmffBox* box) {
    return box->box.offset >= insertion ? box->box.offset + delta : box->box.offset;
  };
  for (std::string_view type : {"stco", "co64"}) {
    size_t width = type == "stco" ? 4 : 8;
    for (const BmffBox* box : find_bmff_boxes(boxes, stbl + std::string(type))) {
      if (box->box.length < box->header_size + 8) {  // version, flags, entry count
        return damaged("BMFF", std::string(type) + " box truncated", box->box.offset);
      }
      size_t payload = output_offset(box) + box->header_size + 4;  // after version and flags
      size_t end = output_offset(box) + box->box.length;
      uint64_t count = read_u32(*out, payload);
      if (count > (end - payload - 4) / width) {
        return damaged("BMFF", std::string(type) + " entry count beyond the box", box->box.offset);
      }
      for (uint64_t i = 0; i < count; ++i) {
        size_t at = payload + 4 + i * width;
        uint64_t value = width == 4 ? read_u32(*out, at) : read_u64(*out, at);
        if (value < insertion) {
          continue;
        }
        if (width == 4) {
          if (value + delta > 0xFFFFFFFFu) {
            return base::Error(base::ErrorCode::kUnsupported,
                               "BMFF: a chunk offset would pass 4 GiB after the manifest is "
                               "inserted (stco would need to become co64)");
          }
          write_u32(out, at, value + delta);
        } else {
          write_u64(out, at, value + delta);
        }
      }
    }
  }
  for (const BmffBox* box : find_bmff_boxes(boxes, stbl + "saio")) {
    if (box->box.length < box->header_size + 8) {
      return damaged("BMFF", "saio box truncated", box->box.offset);
    }
    size_t at = output_offset(box) + box->header_size;
    size_t end = output_offset(box) + box->box.length;
    uint8_t version = (*out)[at];
    uint32_t flags = read_u32(*out, at) & 0xFFFFFF;
    at += 4 + ((flags & 1) != 0 ? 8 : 0);  // aux_info_type and its parameter
    size_t width = version == 0 ? 4 : 8;
    if (end < at + 4) {
      return damaged("BMFF", "saio box truncated", box->box.offset);
    }
    uint64_t count = read_u32(*out, at);
    at += 4;
    if (count > (end - at) / width) {
      return damaged("BMFF", "saio entry count beyond the box", box->box.offset);
    }
    for (uint64_t i = 0; i < count; ++i, at += width) {
      uint64_t value = width == 4 ? read_u32(*out, at) : read_u64(*out, at);
      if (value < insertion) {
        continue;
      }
      if (width == 4 && value + delta > 0xFFFFFFFFu) {
        return base::Error(base::ErrorCode::kUnsupported,
                           "BMFF: an auxiliary information offset would pass 4 GiB");
      }
      if (width == 4) {
        write_u32(out, at, value + delta);
      } else {
        write_u64(out, at, value + delta);
      }
    }
  }
  return {};
}

}  // namespace

Result<StoreEmbedding> StoreEmbedding::plan(std::span<const uint8_t> asset,
                                            size_t jpeg_segment_payload) {
  if (jpeg_segment_payload == 0 || jpeg_segment_payload > kApp11MaxPayload) {
    return base::invalid_argument("JPEG segment payload must be 1.." +
                                  std::to_string(kApp11MaxPayload) + " bytes");
  }
  StoreEmbedding plan;
  plan.format_ = detect_asset_format(asset);
  plan.jpeg_segment_payload_ = jpeg_segment_payload;
  switch (plan.format_) {
    case AssetFormat::kJpeg:
      plan.offset_ = CC_TRY(jpeg_insertion_offset(asset));
      return plan;
    case AssetFormat::kPng:
      plan.offset_ = CC_TRY(png_insertion_offset(asset));
      return plan;
    case AssetFormat::kBmff: {
      plan.boxes_ = CC_TRY(parse_bmff(asset));
      if (plan.boxes_.empty() || plan.boxes_.front().type_name() != "ftyp") {
        return damaged("BMFF", "the file does not start with ftyp", 0);
      }
      if (has_box(plan.boxes_, "moof") || has_box(plan.boxes_, "sidx")) {
        return base::Error(base::ErrorCode::kUnsupported,
                           "fragmented MP4 needs Merkle-tree hashing, which is not written");
      }
      if (has_box(plan.boxes_, "meta")) {
        return base::Error(base::ErrorCode::kUnsupported,
                           "BMFF with a top-level meta box (HEIF items) is not written");
      }
      // C2PA §A.5: the XMP box, when there is one, stays right after ftyp, before the store.
      size_t i = 1;
      while (i < plan.boxes_.size() && plan.boxes_[i].type_name() == "uuid" &&
             plan.boxes_[i].user_type == kXmpBmffUuid) {
        ++i;
      }
      plan.offset_ = plan.boxes_[i - 1].box.end();
      return plan;
    }
    case AssetFormat::kRiff: {
      // C2PA §A.4: the store is the last chunk of the RIFF. The file must end where its RIFF
      // size says, so that the chunk appended is inside it.
      const RiffFile riff = CC_TRY(parse_riff(asset));
      if (std::string_view(riff.form.data(), 4) != "WAVE") {
        return base::Error(base::ErrorCode::kUnsupported,
                           "of RIFF files, Content Credentials are written into WAV only");
      }
      for (const RiffChunk& chunk : riff.chunks) {
        if (chunk.id_view() == "C2PA") {
          return damaged("RIFF", "a C2PA chunk is there already", chunk.offset);
        }
      }
      if (riff.riff_end != asset.size()) {
        return damaged("RIFF",
                       std::to_string(asset.size() - riff.riff_end) +
                           " bytes after the RIFF's end (its size field disagrees with the file)",
                       riff.riff_end);
      }
      plan.offset_ = asset.size() + (asset.size() & 1);  // chunks start on even bytes
      return plan;
    }
    case AssetFormat::kMp3: {
      // C2PA §A.4: a GEOB frame in the ID3v2 tag that starts the file; a new tag without one.
      size_t audio_at = 0;
      if (has_id3(asset)) {
        const Id3Tag tag = CC_TRY(parse_id3(asset));
        auto refuse = [](const std::string& why) {
          return base::Error(base::ErrorCode::kUnsupported,
                             "MP3: Content Credentials are not written into an ID3v2 tag " + why);
        };
        if (tag.major == 2) {
          return refuse("of version 2.2 (its frames have three-character ids; no GEOB)");
        }
        if (tag.unsynchronised()) {
          return refuse("that is unsynchronised (header flag 0x80)");
        }
        if (tag.extended_crc) {
          return refuse("whose extended header holds a CRC of its frames (a new frame breaks it)");
        }
        if (const auto geob = CC_TRY(find_c2pa_geob(asset, tag)); geob) {
          return damaged("MP3", "a C2PA GEOB frame is there already", geob->frame.offset);
        }
        plan.id3_major_ = tag.major;
        plan.id3_footer_ = tag.has_footer();
        plan.id3_end_ = tag.end;
        plan.offset_ = tag.frames_end;  // behind the frames, before padding or footer
        audio_at = tag.end;
      }
      if (!is_mpeg_audio_frame(asset, audio_at)) {
        return base::Error(base::ErrorCode::kUnsupported,
                           "MP3: expected an MPEG audio frame header at byte " +
                               std::to_string(audio_at) +
                               (audio_at > 0 ? " (after the ID3v2 tag)" : ""));
      }
      return plan;
    }
    case AssetFormat::kUnknown:
      break;
  }
  return base::Error(base::ErrorCode::kUnsupported,
                     "Content Credentials are written into JPEG, PNG, MP4, WAV and MP3 only");
}

size_t StoreEmbedding::id3_prefix_size() const {
  if (format_ != AssetFormat::kMp3) {
    return 0;
  }
  return (id3_major_ == 0 ? 10 : 0) + 10 + kGeobFieldsSize;  // tag header, frame header
}

size_t StoreEmbedding::carrier_size(size_t store_size) const {
  switch (format_) {
    case AssetFormat::kJpeg: {
      size_t segments = (store_size + jpeg_segment_payload_ - 1) / jpeg_segment_payload_;
      // Marker, length, CI, En, Z per segment; LBox and TBox again in each continuation.
      return store_size + segments * 12 + (segments - 1) * 8;
    }
    case AssetFormat::kPng:
      return store_size + 12;
    case AssetFormat::kBmff:
      return store_size + kBmffCarrierOverhead;
    case AssetFormat::kRiff:
      return 8 + store_size + (store_size & 1);  // id, little-endian size, data, pad byte
    case AssetFormat::kMp3:
      return id3_prefix_size() + store_size;
    case AssetFormat::kUnknown:
      break;
  }
  CC_CHECK(false);
  return 0;
}

size_t StoreEmbedding::excluded_size(size_t store_size) const {
  switch (format_) {
    case AssetFormat::kRiff:
      return 8 + store_size;
    case AssetFormat::kMp3:
      return store_size;
    default:
      return carrier_size(store_size);
  }
}

std::vector<uint8_t> StoreEmbedding::carrier(std::span<const uint8_t> store) const {
  CC_CHECK(store.size() >= 8 && store.size() < (uint64_t{1} << 32));
  std::vector<uint8_t> out;
  out.reserve(carrier_size(store.size()));
  switch (format_) {
    case AssetFormat::kJpeg: {
      // C2PA §A.3.1, ISO/IEC 19566-5 Annex B: packets numbered from 1, every one after the
      // first repeating the superbox's LBox and TBox.
      uint32_t sequence = 1;
      for (size_t at = 0; at < store.size(); at += jpeg_segment_payload_, ++sequence) {
        size_t n = std::min(jpeg_segment_payload_, store.size() - at);
        size_t repeated = at > 0 ? 8 : 0;
        out.push_back(0xFF);
        out.push_back(0xEB);
        put_u16(&out, 2 + 8 + repeated + n);
        out.push_back('J');
        out.push_back('P');
        put_u16(&out, kApp11Instance);
        put_u32(&out, sequence);
        out.insert(out.end(), store.begin(), store.begin() + static_cast<std::ptrdiff_t>(repeated));
        out.insert(out.end(), store.begin() + static_cast<std::ptrdiff_t>(at),
                   store.begin() + static_cast<std::ptrdiff_t>(at + n));
      }
      break;
    }
    case AssetFormat::kPng: {
      put_u32(&out, store.size());
      size_t type_at = out.size();
      out.insert(out.end(), {'c', 'a', 'B', 'X'});
      out.insert(out.end(), store.begin(), store.end());
      put_u32(&out, png_crc(std::span<const uint8_t>(out).subspan(type_at)));
      break;
    }
    case AssetFormat::kBmff: {
      put_u32(&out, store.size() + kBmffCarrierOverhead);
      out.insert(out.end(), {'u', 'u', 'i', 'd'});
      out.insert(out.end(), kC2paBmffUuid.begin(), kC2paBmffUuid.end());
      put_u32(&out, 0);  // FullBox version 0, flags 0
      out.insert(out.end(), kBmffPurpose.begin(), kBmffPurpose.end());
      out.push_back(0);
      out.insert(out.end(), 8, 0);  // no auxiliary Merkle boxes
      out.insert(out.end(), store.begin(), store.end());
      break;
    }
    case AssetFormat::kRiff: {
      // Sized first and written in place (GCC 12 at -O3 misreads inserts into a fresh vector).
      out.resize(carrier_size(store.size()), 0);  // the pad byte, if any, stays 0
      std::memcpy(out.data(), "C2PA", 4);
      for (size_t i = 0; i < 4; ++i) {
        out[4 + i] = static_cast<uint8_t>(store.size() >> (8 * i));
      }
      std::copy(store.begin(), store.end(), out.begin() + 8);
      break;
    }
    case AssetFormat::kMp3: {
      out.resize(carrier_size(store.size()), 0);
      const size_t frame_data = kGeobFieldsSize + store.size();
      size_t at = 0;
      if (id3_major_ == 0) {
        // id3v2.4.0-structure §3.1: "ID3", version 4.0, no flags, the synchsafe tag size.
        std::memcpy(out.data(), "ID3\x04\x00\x00", 6);
        write_synchsafe(&out, 6, 10 + frame_data);
        at = 10;
      }
      std::memcpy(out.data() + at, "GEOB", 4);
      if (id3_major_ == 3) {
        write_u32(&out, at + 4, frame_data);  // v2.3 frame sizes are plain 32-bit
      } else {
        write_synchsafe(&out, at + 4, frame_data);
      }
      at += 10;  // the two flag bytes stay 0
      at += 1;   // text encoding 0
      for (std::string_view field : {kC2paGeobMimeType, kGeobFilename, kGeobDescription}) {
        std::copy(field.begin(), field.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
        at += field.size() + 1;
      }
      CC_CHECK(at == id3_prefix_size());
      std::copy(store.begin(), store.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
      break;
    }
    case AssetFormat::kUnknown:
      CC_CHECK(false);
  }
  CC_CHECK(out.size() == carrier_size(store.size()));
  return out;
}

Result<std::vector<uint8_t>> StoreEmbedding::embed(std::span<const uint8_t> asset,
                                                   std::span<const uint8_t> carrier) const {
  CC_CHECK(offset_ <= asset.size() + 1);
  std::vector<uint8_t> out;
  out.reserve(asset.size() + 1 + carrier.size());
  if (format_ == AssetFormat::kRiff) {
    // The RIFF grows by the chunk (and the pad byte an odd last chunk lacked).
    out.resize(offset_ + carrier.size(), 0);
    std::copy(asset.begin(), asset.end(), out.begin());
    std::copy(carrier.begin(), carrier.end(), out.begin() + static_cast<std::ptrdiff_t>(offset_));
    const uint64_t size = out.size() - 8;
    if (size > 0xFFFFFFFFu) {
      return base::Error(base::ErrorCode::kUnsupported,
                         "the WAV with its Content Credentials would pass 4 GiB");
    }
    for (int i = 0; i < 4; ++i) {
      out[4 + static_cast<size_t>(i)] = static_cast<uint8_t>(size >> (8 * i));
    }
    return out;
  }
  out.insert(out.end(), asset.begin(), asset.begin() + static_cast<std::ptrdiff_t>(offset_));
  out.insert(out.end(), carrier.begin(), carrier.end());
  out.insert(out.end(), asset.begin() + static_cast<std::ptrdiff_t>(offset_), asset.end());
  if (format_ == AssetFormat::kBmff) {
    CC_TRY(move_offsets(boxes_, &out, offset_, carrier.size()));
  }
  if (format_ == AssetFormat::kMp3) {
    // The tag grows by the frame: its header's size, and its footer's (the tag's last 10 bytes).
    const size_t tag_size = id3_major_ == 0 ? carrier.size() - 10
                                            : ((size_t{asset[6]} << 21) | (size_t{asset[7]} << 14) |
                                               (size_t{asset[8]} << 7) | size_t{asset[9]}) +
                                                  carrier.size();
    if (tag_size > kMaxSynchsafe || carrier.size() - id3_prefix_size() > kMaxSynchsafe) {
      return base::Error(base::ErrorCode::kUnsupported,
                         "MP3: the ID3v2 tag with the manifest store would pass 256 MiB (" +
                             std::to_string(tag_size) + " bytes)");
    }
    if (id3_major_ != 0) {
      write_synchsafe(&out, 6, tag_size);
      if (id3_footer_) {
        write_synchsafe(&out, id3_end_ - 10 + carrier.size() + 6, tag_size);
      }
    }
  }
  return out;
}

}  // namespace clearcut::c2pa
