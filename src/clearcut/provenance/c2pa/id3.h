#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/jumbf.h"

namespace clearcut::c2pa {

// An ID3v2 tag at the start of an MP3 (id3v2.3.0 and id3v2.4.0-structure; v2.2 is read, not
// written): "ID3", the version, flags and a synchsafe size of what follows the 10-byte header
// (a v2.4 footer aside), an optional extended header, frames, then zero padding. A manifest
// store is the encapsulated object of a GEOB frame whose MIME type is
// application/x-c2pa-manifest-store (C2PA §A.4, "MP3"; c2pa-rs also reads application/c2pa).
struct Id3Frame {
  std::array<char, 4> id{};  // v2.2 ids have three characters and a NUL
  size_t offset = 0;         // of the frame's header, in the file
  size_t header_size = 0;    // 10 (v2.3, v2.4) or 6 (v2.2)
  size_t data_size = 0;      // as its header says
  uint16_t flags = 0;        // v2.3 and v2.4 format and status flags
  ByteRange range() const { return {offset, header_size + data_size}; }
  std::string_view id_view() const { return {id.data(), id[3] == 0 ? size_t{3} : size_t{4}}; }
};

struct Id3Tag {
  uint8_t major = 0;  // 2, 3 or 4
  uint8_t flags = 0;  // header flags: 0x80 unsynchronisation, 0x40 extended header, 0x10 footer
  size_t size = 0;    // the header's synchsafe size: extended header, frames and padding
  size_t frames_begin = 0;
  size_t frames_end = 0;      // where the frames stop: padding or the tag's end
  size_t end = 0;             // after the tag (and its footer)
  bool extended_crc = false;  // the extended header holds a CRC of the frames
  // A v2.3 tag unsynchronised as a whole (header flag 0x80): the tag with the unsynchronisation
  // undone, which the frames' offsets (and frames_begin, frames_end) index instead of the file.
  std::vector<uint8_t> resynchronised;
  bool unsynchronised() const { return (flags & 0x80) != 0; }
  bool has_footer() const { return major == 4 && (flags & 0x10) != 0; }
  std::vector<Id3Frame> frames;
};

// At most this many frames are read (a tag has tens); more is kInvalidArgument.
inline constexpr size_t kMaxId3Frames = 4096;

// The MIME types a GEOB frame carrying a manifest store has: the one C2PA 2.2 names, which we
// write, and the one newer c2pa-rs writes.
inline constexpr std::string_view kC2paGeobMimeType = "application/x-c2pa-manifest-store";
inline constexpr std::string_view kC2paGeobMimeTypeNew = "application/c2pa";

// True for "ID3" and a version byte of 2, 3 or 4 (10 bytes at least).
bool has_id3(std::span<const uint8_t> asset);

// True when the 4 bytes at `at` are an MPEG audio frame header (ISO/IEC 11172-3 §2.4.2.3,
// 13818-3): 11 sync bits, a valid version, layer I-III (not ADTS AAC's layer 0), a bitrate
// index other than 15 and a valid sampling rate.
bool is_mpeg_audio_frame(std::span<const uint8_t> asset, size_t at);

// The size in bytes of the MPEG audio frame whose header is at `at` (ISO/IEC 11172-3
// §2.4.3.1, 13818-3: from the layer, bitrate, sampling rate and padding bit); nullopt when
// there is no valid header there or its bitrate is "free format" (no size in the header).
std::optional<size_t> mpeg_audio_frame_size(std::span<const uint8_t> asset, size_t at);

// Where an MPEG audio stream starts at or after `from`: the first offset within
// kMaxMpegAudioLeadIn bytes of it where a frame header is followed by two more, each where the
// one before says it ends (junk, a run of zeros or a broken first frame can precede the first
// good frame). A header right at `from` counts on its own when what follows it was not given
// (a short head of the file). nullopt when there is none.
inline constexpr size_t kMaxMpegAudioLeadIn = 64 * 1024;
std::optional<size_t> find_mpeg_audio_stream(std::span<const uint8_t> asset, size_t from);

// Where the ID3v2 tag at the start of `asset` ends (after its padding and footer), from its
// header alone; nullopt without a tag header or with a size that is not synchsafe. The end may
// lie past `asset` when only the file's head was given.
std::optional<size_t> id3_tag_end(std::span<const uint8_t> asset);

// The ID3v2 tag at the start of `asset`. Errors (kInvalidArgument, naming the byte): a tag or a
// frame that runs past the tag or the file, a size byte with its top bit set where a synchsafe
// integer is expected, a frame id other than four of A-Z 0-9, more than kMaxId3Frames frames;
// kUnsupported for v2.2 compression (header flag 0x40).
base::Result<Id3Tag> parse_id3(std::span<const uint8_t> asset);

// The store a tag's C2PA GEOB frame carries: the encapsulated object's bytes, and the frame.
struct Id3C2paObject {
  ByteRange frame;
  ByteRange data;  // in the file: what a data hash excludes
};

// The C2PA GEOB frame of `tag` (parsed from `asset`), nullopt when there is none.
// Errors: kInvalidArgument for two of them (C2PA allows one manifest store), a GEOB whose
// fields are not NUL-terminated or whose text encoding is not 0-3; kUnsupported for a GEOB
// compressed or encrypted (its MIME type cannot be read) or one carrying the store in an
// unsynchronised tag or frame (its bytes in the file are not the store's).
base::Result<std::optional<Id3C2paObject>> find_c2pa_geob(std::span<const uint8_t> asset,
                                                          const Id3Tag& tag);

}  // namespace clearcut::c2pa
