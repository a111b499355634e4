#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace clearcut::base {

// The byte offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), or nullopt when all of `text` is.
std::optional<size_t> find_invalid_utf8(std::string_view text);

}  // namespace clearcut::base
