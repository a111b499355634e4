#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::c2pa {

using Uuid = std::array<uint8_t, 16>;

// A byte range inside one buffer (the manifest store or the asset), by offset so that it
// stays meaningful when the buffer moves.
struct ByteRange {
  size_t offset = 0;
  size_t length = 0;
  size_t end() const { return offset + length; }
  bool operator==(const ByteRange&) const = default;
};

// The JUMBF type UUID for a four-character code: 4CC + 0011-0010-8000-00AA00389B71
// (ISO/IEC 19566-5 §B.2; C2PA §11.1.3 uses it for c2pa, c2ma, c2cl, cbor, json...).
Uuid jumbf_type_uuid(std::string_view four_cc);

// C2PA §11.1.4.x: the UUID of an embedded-file assertion (thumbnails), not of the 4CC form.
inline constexpr Uuid kEmbeddedFileUuid = {0x40, 0xCB, 0x0C, 0x32, 0xBB, 0x8A, 0x48, 0x9D,
                                           0xA7, 0x0B, 0x2A, 0xD6, 0xF4, 0x7F, 0x43, 0x69};

// The description box (`jumd`) of a superbox: ISO/IEC 19566-5 §A.3.
struct JumbfDescription {
  static constexpr uint8_t kRequestable = 0x01;
  static constexpr uint8_t kHasLabel = 0x02;
  static constexpr uint8_t kHasId = 0x04;
  static constexpr uint8_t kHasSignature = 0x08;
  static constexpr uint8_t kHasPrivateBox = 0x10;

  Uuid type{};
  uint8_t toggles = 0;
  std::string label;  // empty when the label toggle is off
  std::optional<uint32_t> id;
  std::optional<std::array<uint8_t, 32>> signature;  // SHA-256 of the superbox contents
  std::optional<ByteRange> private_box;              // whole box, e.g. the C2PA salt `c2sh`
};

// One JUMBF box. A superbox (`jumb`) has a description and children; any other box is
// content (`cbor`, `json`, `bfdb`, `bidb`, `uuid`, ...) whose bytes are `payload`.
// Ranges refer to the buffer given to parse_jumbf.
struct JumbfBox {
  std::array<char, 4> type{};
  ByteRange box;                   // the whole box, header included
  ByteRange payload;               // after the LBox/TBox(/XLBox) header
  JumbfDescription description;    // superboxes only
  std::vector<JumbfBox> children;  // superboxes only: the boxes after the description

  bool is_superbox() const;
  std::string_view type_name() const { return {type.data(), type.size()}; }
  const std::string& label() const { return description.label; }
  // The first child superbox with `label`, or null.
  const JumbfBox* find_child(std::string_view label) const;
  // The first content child of box type `four_cc`, or null.
  const JumbfBox* find_content(std::string_view four_cc) const;
};

struct JumbfLimits {
  int max_depth = 16;
  size_t max_boxes = 1 << 16;
};

// Parses the superbox at the start of `data` (bytes after it are ignored). Strictly checks
// every length against its parent; malformed input is an Error (kInvalidArgument).
base::Result<JumbfBox> parse_jumbf(std::span<const uint8_t> data, JumbfLimits limits = {});

// Writing, for the manifest writer and for tests that build samples. A box with a 32-bit
// LBox (or XLBox when the box exceeds 4 GiB) around `payload`.
std::vector<uint8_t> encode_jumbf_box(std::string_view four_cc, std::span<const uint8_t> payload);

// A superbox: a description box (requestable, labelled; with a private `c2sh` salt box when
// `salt` is given, C2PA §8.4.2.3) followed by the already-encoded `children`.
std::vector<uint8_t> encode_jumbf_superbox(const Uuid& type, std::string_view label,
                                           const std::vector<std::vector<uint8_t>>& children,
                                           std::span<const uint8_t> salt = {});

// Bytes of `range` within `data`; the range must lie inside (checked).
std::span<const uint8_t> slice(std::span<const uint8_t> data, ByteRange range);

}  // namespace clearcut::c2pa
