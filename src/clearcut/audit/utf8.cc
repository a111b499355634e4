#include "clearcut/audit/utf8.h"

#include <cstdint>

namespace clearcut::audit {

bool next_code_point(std::string_view text, size_t& pos, char32_t& code_point) {
  if (pos >= text.size()) {
    return false;
  }
  auto byte = [&](size_t i) {
    return static_cast<uint8_t>(text[i]);
  };
  uint8_t lead = byte(pos);
  size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if (lead < 0x80) {
    code_point = lead;
    pos += 1;
    return true;
  } else if ((lead & 0xe0) == 0xc0) {
    length = 2;
    value = lead & 0x1f;
    minimum = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3;
    value = lead & 0x0f;
    minimum = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4;
    value = lead & 0x07;
    minimum = 0x10000;
  } else {
    return false;
  }
  if (text.size() - pos < length) {
    return false;
  }
  for (size_t i = 1; i < length; ++i) {
    uint8_t continuation = byte(pos + i);
    if ((continuation & 0xc0) != 0x80) {
      return false;
    }
    value = (value << 6) | (continuation & 0x3f);
  }
  if (value < minimum || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
    return false;
  }
  code_point = value;
  pos += length;
  return true;
}

bool is_valid_utf8(std::string_view text) {
  size_t pos = 0;
  char32_t code_point = 0;
  while (pos < text.size()) {
    if (!next_code_point(text, pos, code_point)) {
      return false;
    }
  }
  return true;
}

bool is_unicode_space(char32_t c) {
  // The White_Space property of the Unicode Character Database (PropList.txt).
  return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
         c == 0x3000;
}

}  // namespace clearcut::audit
