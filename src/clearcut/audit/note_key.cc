#include "clearcut/audit/note_key.h"

#include <cstdio>

#include "clearcut/audit/utf8.h"
#include "clearcut/base/hex.h"
#include "clearcut/base/sha256.h"

namespace clearcut::audit {

bool is_valid_key_name(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  size_t pos = 0;
  char32_t c = 0;
  while (pos < name.size()) {
    if (!next_code_point(name, pos, c) || is_unicode_space(c) || c == U'+') {
      return false;
    }
  }
  return true;
}

uint32_t note_key_id(std::string_view name, uint8_t signature_type,
                     std::span<const uint8_t> public_key) {
  base::Sha256 hasher;
  hasher.update(name);
  hasher.update(std::string_view("\n"));
  hasher.update(std::span<const uint8_t>(&signature_type, 1));
  hasher.update(public_key);
  base::Sha256Digest digest = hasher.finish();
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) | (uint32_t{digest[2]} << 8) |
         uint32_t{digest[3]};
}

std::string key_id_hex(uint32_t key_id) {
  char buffer[9];
  std::snprintf(buffer, sizeof(buffer), "%08x", key_id);
  return buffer;
}

std::optional<uint32_t> parse_key_id_hex(std::string_view text) {
  if (text.size() != 8) {
    return std::nullopt;
  }
  auto bytes = base::from_hex(text);
  if (!bytes) {
    return std::nullopt;
  }
  return (uint32_t{(*bytes)[0]} << 24) | (uint32_t{(*bytes)[1]} << 16) |
         (uint32_t{(*bytes)[2]} << 8) | uint32_t{(*bytes)[3]};
}

std::optional<KeyStringFields> split_key_string(std::string_view text) {
  size_t first = text.find('+');
  if (first == std::string_view::npos) {
    return std::nullopt;
  }
  size_t second = text.find('+', first + 1);
  if (second == std::string_view::npos) {
    return std::nullopt;
  }
  return KeyStringFields{text.substr(0, first), text.substr(first + 1, second - first - 1),
                         text.substr(second + 1)};
}

}  // namespace clearcut::audit
