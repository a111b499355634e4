#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace clearcut::audit {

// C2SP signed-note §Signature types: 0x01 is Ed25519 over the note text.
inline constexpr uint8_t kEd25519SignatureType = 0x01;
inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SeedSize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;

// C2SP signed-note §Format: a key name is non-empty UTF-8 with no Unicode spaces and no '+'.
bool is_valid_key_name(std::string_view name);

// C2SP signed-note §Signatures: SHA-256(key name || 0x0A || signature type || public key)[:4],
// read as a big-endian uint32.
uint32_t note_key_id(std::string_view name, uint8_t signature_type,
                     std::span<const uint8_t> public_key);

// "%08x" of a key ID, as key strings write it; parse_key_id_hex reads exactly 8 hex digits.
std::string key_id_hex(uint32_t key_id);
std::optional<uint32_t> parse_key_id_hex(std::string_view text);

// The fields of a key string `<name>+<hex key ID>+<base64 key>`, split at the first two '+'
// (names and key IDs have none; base64 may). nullopt when there are fewer than two.
struct KeyStringFields {
  std::string_view name;
  std::string_view key_id;
  std::string_view key;
};
std::optional<KeyStringFields> split_key_string(std::string_view text);

}  // namespace clearcut::audit
