#include "clearcut/provenance/c2pa/jumbf.h"

#include <algorithm>
#include <cstring>

namespace clearcut::c2pa {

using base::Result;

Uuid jumbf_type_uuid(std::string_view four_cc) {
  CC_CHECK(four_cc.size() == 4);
  Uuid uuid = {0, 0, 0, 0, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
  std::memcpy(uuid.data(), four_cc.data(), 4);
  return uuid;
}

bool JumbfBox::is_superbox() const {
  return type_name() == "jumb";
}

const JumbfBox* JumbfBox::find_child(std::string_view wanted) const {
  for (const JumbfBox& child : children) {
    if (child.is_superbox() && child.description.label == wanted) {
      return &child;
    }
  }
  return nullptr;
}

const JumbfBox* JumbfBox::find_content(std::string_view four_cc) const {
  for (const JumbfBox& child : children) {
    if (child.type_name() == four_cc) {
      return &child;
    }
  }
  return nullptr;
}

std::span<const uint8_t> slice(std::span<const uint8_t> data, ByteRange range) {
  CC_CHECK(range.offset <= data.size() && range.length <= data.size() - range.offset);
  return data.subspan(range.offset, range.length);
}

namespace {

base::Error malformed(const std::string& message, size_t offset) {
  return base::invalid_argument("JUMBF: " + message + " at byte " + std::to_string(offset));
}

uint32_t read_u32(std::span<const uint8_t> d, size_t at) {
  return (uint32_t{d[at]} << 24) | (uint32_t{d[at + 1]} << 16) | (uint32_t{d[at + 2]} << 8) |
         uint32_t{d[at + 3]};
}

struct BoxHeader {
  std::array<char, 4> type{};
  size_t header_size = 0;
  size_t box_size = 0;
};

// ISO/IEC 19566-5 §A.2 (same box header as ISO BMFF): LBox 0 = to the end, 1 = XLBox follows.
Result<BoxHeader> read_header(std::span<const uint8_t> data, size_t at, size_t end) {
  if (end - at < 8) {
    return malformed("box header truncated", at);
  }
  BoxHeader h;
  uint64_t lbox = read_u32(data, at);
  std::memcpy(h.type.data(), data.data() + at + 4, 4);
  h.header_size = 8;
  if (lbox == 1) {
    if (end - at < 16) {
      return malformed("XLBox truncated", at);
    }
    lbox = (uint64_t{read_u32(data, at + 8)} << 32) | read_u32(data, at + 12);
    h.header_size = 16;
  } else if (lbox == 0) {
    lbox = end - at;
  }
  if (lbox < h.header_size || lbox > end - at) {
    return malformed("box length " + std::to_string(lbox) + " outside its parent", at);
  }
  h.box_size = static_cast<size_t>(lbox);
  return h;
}

class Parser {
 public:
  Parser(std::span<const uint8_t> data, JumbfLimits limits) : data_(data), limits_(limits) {}

  Result<JumbfBox> superbox(size_t at, size_t end, int depth) {
    if (depth > limits_.max_depth) {
      return malformed("superboxes nested deeper than " + std::to_string(limits_.max_depth), at);
    }
    BoxHeader h = CC_TRY(read_header(data_, at, end));
    if (std::memcmp(h.type.data(), "jumb", 4) != 0) {
      return malformed("expected a jumb superbox", at);
    }
    CC_TRY(count_box(at));
    JumbfBox box;
    box.type = h.type;
    box.box = {at, h.box_size};
    box.payload = {at + h.header_size, h.box_size - h.header_size};

    size_t pos = box.payload.offset;
    size_t box_end = box.box.end();
    BoxHeader dh = CC_TRY(read_header(data_, pos, box_end));
    if (std::memcmp(dh.type.data(), "jumd", 4) != 0) {
      return malformed("superbox does not start with a jumd description box", pos);
    }
    box.description = CC_TRY(description(pos + dh.header_size, pos + dh.box_size));
    pos += dh.box_size;

    while (pos < box_end) {
      BoxHeader ch = CC_TRY(read_header(data_, pos, box_end));
      if (std::memcmp(ch.type.data(), "jumb", 4) == 0) {
        box.children.push_back(CC_TRY(superbox(pos, pos + ch.box_size, depth + 1)));
      } else {
        CC_TRY(count_box(pos));
        JumbfBox content;
        content.type = ch.type;
        content.box = {pos, ch.box_size};
        content.payload = {pos + ch.header_size, ch.box_size - ch.header_size};
        box.children.push_back(std::move(content));
      }
      pos += ch.box_size;
    }
    return box;
  }

 private:
  base::Status count_box(size_t at) {
    if (++boxes_ > limits_.max_boxes) {
      return malformed("more than " + std::to_string(limits_.max_boxes) + " boxes", at);
    }
    return {};
  }

  // ISO/IEC 19566-5 §A.3: type UUID, toggles, then the optional fields in toggle order.
  Result<JumbfDescription> description(size_t at, size_t end) {
    JumbfDescription d;
    if (end - at < 17) {
      return malformed("description box shorter than 17 bytes", at);
    }
    std::memcpy(d.type.data(), data_.data() + at, 16);
    d.toggles = data_[at + 16];
    size_t pos = at + 17;
    if (d.toggles & JumbfDescription::kHasLabel) {
      const uint8_t* begin = data_.data() + pos;
      const uint8_t* stop = data_.data() + end;
      const uint8_t* nul = std::find(begin, stop, uint8_t{0});
      if (nul == stop) {
        return malformed("label is not NUL-terminated", pos);
      }
      d.label.assign(begin, nul);
      pos += d.label.size() + 1;
    }
    if (d.toggles & JumbfDescription::kHasId) {
      if (end - pos < 4) {
        return malformed("description ID truncated", pos);
      }
      d.id = read_u32(data_, pos);
      pos += 4;
    }
    if (d.toggles & JumbfDescription::kHasSignature) {
      if (end - pos < 32) {
        return malformed("description signature truncated", pos);
      }
      std::array<uint8_t, 32> signature;
      std::memcpy(signature.data(), data_.data() + pos, 32);
      d.signature = signature;
      pos += 32;
    }
    if (d.toggles & JumbfDescription::kHasPrivateBox) {
      BoxHeader ph = CC_TRY(read_header(data_, pos, end));
      d.private_box = ByteRange{pos, ph.box_size};
      pos += ph.box_size;
    }
    return d;
  }

  std::span<const uint8_t> data_;
  JumbfLimits limits_;
  size_t boxes_ = 0;
};

}  // namespace

std::vector<uint8_t> encode_jumbf_box(std::string_view four_cc, std::span<const uint8_t> payload) {
  CC_CHECK(four_cc.size() == 4);
  uint64_t size = payload.size() + 8;
  bool large = size > 0xFFFFFFFFu;
  if (large) {
    size += 8;
  }
  // Sized once and filled in place: byte-wise push_back into an empty vector trips GCC 12's
  // -Wstringop-overflow at -O3.
  size_t header = large ? 16 : 8;
  std::vector<uint8_t> out(header + payload.size());
  uint32_t lbox = large ? 1 : static_cast<uint32_t>(size);
  for (size_t i = 0; i < 4; ++i) {
    out[i] = static_cast<uint8_t>(lbox >> (24 - 8 * i));
    out[4 + i] = static_cast<uint8_t>(four_cc[i]);
  }
  if (large) {
    for (size_t i = 0; i < 8; ++i) {
      out[8 + i] = static_cast<uint8_t>(size >> (56 - 8 * i));
    }
  }
  std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(header));
  return out;
}

std::vector<uint8_t> encode_jumbf_superbox(const Uuid& type, std::string_view label,
                                           const std::vector<std::vector<uint8_t>>& children,
                                           std::span<const uint8_t> salt) {
  std::vector<uint8_t> description(type.begin(), type.end());
  uint8_t toggles = JumbfDescription::kRequestable | JumbfDescription::kHasLabel;
  if (!salt.empty()) {
    toggles |= JumbfDescription::kHasPrivateBox;
  }
  description.push_back(toggles);
  description.insert(description.end(), label.begin(), label.end());
  description.push_back(0);
  if (!salt.empty()) {
    std::vector<uint8_t> salt_box = encode_jumbf_box("c2sh", salt);
    description.insert(description.end(), salt_box.begin(), salt_box.end());
  }
  std::vector<uint8_t> payload = encode_jumbf_box("jumd", description);
  for (const std::vector<uint8_t>& child : children) {
    payload.insert(payload.end(), child.begin(), child.end());
  }
  return encode_jumbf_box("jumb", payload);
}

Result<JumbfBox> parse_jumbf(std::span<const uint8_t> data, JumbfLimits limits) {
  if (data.size() < 8) {
    return malformed("shorter than a box header", 0);
  }
  Parser parser(data, limits);
  BoxHeader h = CC_TRY(read_header(data, 0, data.size()));
  return parser.superbox(0, h.box_size, 0);
}

}  // namespace clearcut::c2pa
