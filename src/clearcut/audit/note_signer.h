#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/audit/note_key.h"
#include "clearcut/audit/note_verifier.h"
#include "clearcut/base/result.h"

namespace clearcut::audit {

// An Ed25519 private key that signs notes under a key name. Holds the 32-byte seed, which is
// wiped when the object dies; never log it. Immutable after construction; safe to share.
class NoteSigner {
 public:
  // A fresh key pair from OpenSSL's CSPRNG; fails with kUnavailable if it cannot be seeded.
  static base::Result<NoteSigner> generate(std::string_view name);
  // Parses a signer key, `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte seed)>` (the
  // skey format of golang.org/x/mod/sumdb/note); the key ID must match.
  static base::Result<NoteSigner> parse(std::string_view signer_key);
  static base::Result<NoteSigner> from_seed(std::string_view name, std::span<const uint8_t> seed);

  NoteSigner(const NoteSigner& other) = default;
  NoteSigner& operator=(const NoteSigner& other) = default;
  ~NoteSigner();

  const std::string& name() const { return verifier_.name(); }
  uint32_t key_id() const { return verifier_.key_id(); }
  const NoteVerifier& verifier() const { return verifier_; }

  // The signer key string that parse() reads. Secret.
  std::string to_string() const;

  // The 64-byte Ed25519 signature of `text` (RFC 8032; deterministic).
  std::vector<uint8_t> sign(std::string_view text) const;

 private:
  NoteSigner(NoteVerifier verifier, std::span<const uint8_t> seed);

  NoteVerifier verifier_;
  std::array<uint8_t, kEd25519SeedSize> seed_{};
};

}  // namespace clearcut::audit
