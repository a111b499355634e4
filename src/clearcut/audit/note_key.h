#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/crypto/key.h"

namespace clearcut::audit {

// C2SP signed-note §Signature types: 0x01 is Ed25519 over the note text.
inline constexpr uint8_t kEd25519SignatureType = 0x01;
using crypto::kEd25519PublicKeySize;
using crypto::kEd25519SeedSize;
using crypto::kEd25519SignatureSize;

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

// A key string `<name>+<hex key ID>+<base64(signature type || key)>` read as far as signer
// and verifier keys go alike: the ID is 8 hex digits, the key canonical base64 whose first
// byte is the Ed25519 signature type (other types are kUnsupported).
// `kind` ("signer", "verifier") and `format` name the key in messages, which never quote it.
// The key bytes are wiped on every failure, since a signer's are secret.
struct NoteKeyString {
  std::string_view name;
  uint32_t key_id = 0;
  std::vector<uint8_t> typed_key;  // the signature type, then the key

  std::span<const uint8_t> key() const { return std::span<const uint8_t>(typed_key).subspan(1); }
};
base::Result<NoteKeyString> parse_note_key_string(std::string_view text, std::string_view kind,
                                                  std::string_view format);

}  // namespace clearcut::audit
