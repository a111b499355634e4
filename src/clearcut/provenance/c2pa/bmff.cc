#include "clearcut/provenance/c2pa/bmff.h"

#include <algorithm>
#include <cstring>

namespace clearcut::c2pa {

using base::Result;

namespace {

// Boxes whose payload is a sequence of boxes (ISO/IEC 14496-12 and HEIF). `meta` is a FullBox.
constexpr std::string_view kContainers[] = {
    "moov", "trak", "tref", "edts", "mdia", "minf", "dinf", "stbl", "mvex", "moof", "traf", "mfra",
    "udta", "meta", "ipro", "sinf", "schi", "iprp", "ipco", "grpl", "strk", "strd", "meco", "mere"};

// FullBox types (version + 24-bit flags first), as far as C2PA exclusions address them.
constexpr std::string_view kFullBoxes[] = {
    "mvhd", "tkhd", "mdhd", "hdlr", "vmhd", "smhd", "hmhd", "nmhd", "sthd", "elng", "dref",
    "stsd", "stts", "ctts", "cslg", "stss", "stsh", "stdp", "elst", "stsz", "stz2", "stsc",
    "stco", "co64", "padb", "subs", "saiz", "saio", "mehd", "trex", "mfhd", "tfhd", "trun",
    "tfra", "mfro", "tfdt", "leva", "trep", "sbgp", "sgpd", "csgp", "cprt", "kind", "meta",
    "xml ", "bxml", "iloc", "pitm", "ipro", "infe", "iinf", "iref", "ipma", "schm", "sidx",
    "ssix", "prft", "emsg", "pssh", "tenc", "senc"};

bool is_one_of(std::string_view type, std::span<const std::string_view> list) {
  return std::find(list.begin(), list.end(), type) != list.end();
}

uint32_t read_u32(std::span<const uint8_t> d, size_t at) {
  return (uint32_t{d[at]} << 24) | (uint32_t{d[at + 1]} << 16) | (uint32_t{d[at + 2]} << 8) |
         uint32_t{d[at + 3]};
}

base::Error malformed(const std::string& message, size_t offset) {
  return base::invalid_argument("BMFF: " + message + " at byte " + std::to_string(offset));
}

Result<BmffBox> read_box(std::span<const uint8_t> data, size_t at, size_t end) {
  if (end - at < 8) {
    return malformed("box header truncated", at);
  }
  BmffBox box;
  uint64_t size = read_u32(data, at);
  std::memcpy(box.type.data(), data.data() + at + 4, 4);
  box.header_size = 8;
  if (size == 1) {
    if (end - at < 16) {
      return malformed("largesize truncated", at);
    }
    size = (uint64_t{read_u32(data, at + 8)} << 32) | read_u32(data, at + 12);
    box.header_size = 16;
  } else if (size == 0) {
    size = end - at;
  }
  if (size < box.header_size || size > end - at) {
    return malformed("box size " + std::to_string(size) + " outside its parent", at);
  }
  box.box = {at, static_cast<size_t>(size)};
  if (box.type_name() == "uuid") {
    if (box.box.length - box.header_size < 16) {
      return malformed("uuid box without usertype", at);
    }
    Uuid user_type;
    std::memcpy(user_type.data(), data.data() + at + box.header_size, 16);
    box.user_type = user_type;
    box.header_size += 16;
  }
  if (is_one_of(box.type_name(), kFullBoxes) && box.box.length - box.header_size >= 4) {
    size_t p = at + box.header_size;
    box.version = data[p];
    box.flags = read_u32(data, p) & 0xFFFFFF;
  }
  return box;
}

// Parses the boxes in [at, end); on any inconsistency returns an error and the caller decides.
Result<std::vector<BmffBox>> read_boxes(std::span<const uint8_t> data, size_t at, size_t end,
                                        int depth) {
  if (depth > 16) {
    return malformed("boxes nested too deeply", at);
  }
  std::vector<BmffBox> boxes;
  while (at < end) {
    BmffBox box = CC_TRY(read_box(data, at, end));
    if (is_one_of(box.type_name(), kContainers)) {
      size_t child_start = box.box.offset + box.header_size;
      if (box.type_name() == "meta") {
        child_start += 4;  // FullBox header
      }
      if (child_start <= box.box.end()) {
        auto children = read_boxes(data, child_start, box.box.end(), depth + 1);
        if (children.has_value()) {
          box.children = std::move(children).value();
        }
      }
    }
    at = box.box.end();
    boxes.push_back(std::move(box));
  }
  return boxes;
}

}  // namespace

Result<std::vector<BmffBox>> parse_bmff(std::span<const uint8_t> data) {
  return read_boxes(data, 0, data.size(), 0);
}

std::vector<const BmffBox*> find_bmff_boxes(const std::vector<BmffBox>& boxes,
                                            std::string_view xpath) {
  std::vector<const BmffBox*> current;
  std::vector<const std::vector<BmffBox>*> levels = {&boxes};
  if (xpath.empty() || xpath.front() != '/') {
    return {};
  }
  xpath.remove_prefix(1);
  while (true) {
    size_t slash = xpath.find('/');
    std::string_view step = xpath.substr(0, slash);
    size_t index = 0;  // 0 = every match
    size_t bracket = step.find('[');
    if (bracket != std::string_view::npos) {
      std::string_view digits = step.substr(bracket + 1);
      if (digits.empty() || digits.back() != ']') {
        return {};
      }
      digits.remove_suffix(1);
      index = 0;
      for (char c : digits) {
        if (c < '0' || c > '9' || index > 1000000) {
          return {};
        }
        index = index * 10 + static_cast<size_t>(c - '0');
      }
      if (index == 0) {
        return {};
      }
      step = step.substr(0, bracket);
    }
    if (step.size() != 4) {
      return {};
    }
    current.clear();
    for (const std::vector<BmffBox>* level : levels) {
      size_t seen = 0;
      for (const BmffBox& box : *level) {
        if (box.type_name() == step) {
          ++seen;
          if (index == 0 || seen == index) {
            current.push_back(&box);
          }
        }
      }
    }
    if (slash == std::string_view::npos) {
      return current;
    }
    xpath.remove_prefix(slash + 1);
    levels.clear();
    for (const BmffBox* box : current) {
      levels.push_back(&box->children);
    }
  }
}

}  // namespace clearcut::c2pa
