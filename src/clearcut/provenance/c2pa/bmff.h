#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/jumbf.h"

namespace clearcut::c2pa {

// One ISO BMFF box (ISO/IEC 14496-12 §4.2) with the children of the known container boxes.
// Offsets are into the file. Version and flags are set for known FullBox types.
struct BmffBox {
  std::array<char, 4> type{};
  ByteRange box;           // header included
  size_t header_size = 0;  // 8, 16 (largesize), plus 16 for `uuid` usertype
  std::optional<Uuid> user_type;
  std::optional<uint8_t> version;
  std::optional<uint32_t> flags;  // 24 bits
  std::vector<BmffBox> children;

  std::string_view type_name() const { return {type.data(), type.size()}; }
};

// The top-level boxes of a BMFF file, their containers parsed recursively. A truncated or
// inconsistent top-level box is an error; a container whose contents do not parse as boxes is
// kept as a leaf (the C2PA hash only needs the boxes it can address).
base::Result<std::vector<BmffBox>> parse_bmff(std::span<const uint8_t> data);

// The boxes at a C2PA exclusion `xpath` (C2PA §18.6.2): "/moov/trak/mdia/minf/stbl/stco",
// each step a 4CC optionally followed by a 1-based "[n]". Returns pointers into `boxes`.
std::vector<const BmffBox*> find_bmff_boxes(const std::vector<BmffBox>& boxes,
                                            std::string_view xpath);

}  // namespace clearcut::c2pa
