#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "clearcut/audit/note_key.h"
#include "clearcut/base/result.h"

namespace clearcut::audit {

// An Ed25519 public key that checks signed-note signatures: a name, its 4-byte key ID and the
// key. Immutable value; safe to share between threads.
class NoteVerifier {
 public:
  // Parses a verifier key, `<name>+<hex key ID>+<base64(0x01 || 32-byte public key)>` (the
  // vkey format of golang.org/x/mod/sumdb/note); the key ID must match the name and key.
  static base::Result<NoteVerifier> parse(std::string_view verifier_key);
  static base::Result<NoteVerifier> from_public_key(std::string_view name,
                                                    std::span<const uint8_t> public_key);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  const std::array<uint8_t, kEd25519PublicKeySize>& public_key() const { return public_key_; }

  // The verifier key string that parse() reads.
  std::string to_string() const;

  // Whether `signature` (64 bytes, without the key ID) is this key's Ed25519 signature of
  // `text`. Strict RFC 8032 verification (OpenSSL); anything else is false.
  bool verify(std::string_view text, std::span<const uint8_t> signature) const;

 private:
  NoteVerifier(std::string name, const std::array<uint8_t, kEd25519PublicKeySize>& public_key);

  std::string name_;
  uint32_t key_id_ = 0;
  std::array<uint8_t, kEd25519PublicKeySize> public_key_{};
};

}  // namespace clearcut::audit
