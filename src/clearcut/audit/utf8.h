#pragma once

#include <cstddef>
#include <string_view>

namespace clearcut::audit {

// Decodes the UTF-8 code point at text[pos] into `code_point` and advances `pos`. Returns false,
// leaving `pos` alone, on an ill-formed sequence: truncated, overlong, a surrogate, or above
// U+10FFFF.
bool next_code_point(std::string_view text, size_t& pos, char32_t& code_point);

// Whether the whole text is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

// Unicode White_Space characters, the spaces a signed-note key name must not contain.
bool is_unicode_space(char32_t code_point);

}  // namespace clearcut::audit
