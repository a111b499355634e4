#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace clearcut::base {

// Lower-case hexadecimal of `bytes`.
std::string to_hex(std::span<const uint8_t> bytes);

// Parses hexadecimal (either case); nullopt when the text has an odd length or a non-hex digit.
std::optional<std::vector<uint8_t>> from_hex(std::string_view text);

}  // namespace clearcut::base
