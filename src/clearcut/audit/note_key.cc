#include "clearcut/audit/note_key.h"

#include <cstdio>

#include "clearcut/base/base64.h"
#include "clearcut/base/hex.h"
#include "clearcut/base/utf8.h"
#include "clearcut/crypto/secret.h"
#include "clearcut/crypto/sha256.h"

namespace clearcut::audit {

namespace {

// The Unicode White_Space property (PropList.txt): the spaces a key name must not contain.
bool is_unicode_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
         c == 0x3000;
}

// Decodes the code point at text[pos] of text known to be well-formed UTF-8.
char32_t decode_at(std::string_view text, size_t& pos) {
  auto byte = [&](size_t i) {
    return static_cast<uint8_t>(text[i]);
  };
  uint8_t lead = byte(pos);
  size_t length = lead < 0x80 ? 1 : (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3 : 4;
  char32_t value = length == 1 ? lead : lead & (0x7f >> length);
  for (size_t i = 1; i < length; ++i) {
    value = (value << 6) | (byte(pos + i) & 0x3f);
  }
  pos += length;
  return value;
}

}  // namespace

bool is_valid_key_name(std::string_view name) {
  if (name.empty() || base::find_invalid_utf8(name).has_value()) {
    return false;
  }
  for (size_t pos = 0; pos < name.size();) {
    char32_t c = decode_at(name, pos);
    if (is_unicode_space(c) || c == U'+') {
      return false;
    }
  }
  return true;
}

uint32_t note_key_id(std::string_view name, uint8_t signature_type,
                     std::span<const uint8_t> public_key) {
  crypto::Sha256 hasher;
  hasher.update(name);
  hasher.update(std::string_view("\n"));
  hasher.update(std::span<const uint8_t>(&signature_type, 1));
  hasher.update(public_key);
  crypto::Sha256Digest digest = hasher.finish();
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

base::Result<NoteKeyString> parse_note_key_string(std::string_view text, std::string_view kind,
                                                  std::string_view format) {
  auto malformed = [&](std::string_view why) {
    return base::invalid_argument("malformed " + std::string(kind) + " key: " + std::string(why));
  };
  auto fields = split_key_string(text);
  if (!fields) {
    return malformed("want " + std::string(format));
  }
  auto id = parse_key_id_hex(fields->key_id);
  if (!id) {
    return malformed("the key ID is not 8 hex digits");
  }
  auto key = base::base64_decode(fields->key);
  if (!key || key->empty()) {
    return malformed("the key is not canonical base64");
  }
  if ((*key)[0] != kEd25519SignatureType) {
    uint8_t type = (*key)[0];
    crypto::cleanse(*key);
    return base::Error(base::ErrorCode::kUnsupported,
                       std::string(kind) + " key of signature type " + std::to_string(type) +
                           "; only Ed25519 (1) is supported");
  }
  return NoteKeyString{fields->name, *id, std::move(*key)};
}

}  // namespace clearcut::audit
