#include "clearcut/audit/note_verifier.h"

#include "clearcut/base/base64.h"
#include "clearcut/crypto/signature.h"

namespace clearcut::audit {

NoteVerifier::NoteVerifier(std::string name,
                           const std::array<uint8_t, kEd25519PublicKeySize>& public_key)
    : name_(std::move(name)),
      key_id_(note_key_id(name_, kEd25519SignatureType, public_key)),
      public_key_(public_key) {}

base::Result<NoteVerifier> NoteVerifier::from_public_key(std::string_view name,
                                                         std::span<const uint8_t> public_key) {
  if (!is_valid_key_name(name)) {
    return base::invalid_argument("invalid key name (empty, a space or '+')");
  }
  if (public_key.size() != kEd25519PublicKeySize) {
    return base::invalid_argument("an Ed25519 public key is 32 bytes, not " +
                                  std::to_string(public_key.size()));
  }
  std::array<uint8_t, kEd25519PublicKeySize> key{};
  std::copy(public_key.begin(), public_key.end(), key.begin());
  return NoteVerifier(std::string(name), key);
}

base::Result<NoteVerifier> NoteVerifier::parse(std::string_view verifier_key) {
  NoteKeyString key =
      CC_TRY(parse_note_key_string(verifier_key, "verifier", "<name>+<key ID>+<key>"));
  NoteVerifier verifier = CC_TRY(from_public_key(key.name, key.key()));
  if (key.key_id != verifier.key_id()) {
    return base::invalid_argument(
        "malformed verifier key: the key ID does not match the name and key");
  }
  return verifier;
}

std::string NoteVerifier::to_string() const {
  std::vector<uint8_t> typed_key;
  typed_key.push_back(kEd25519SignatureType);
  typed_key.insert(typed_key.end(), public_key_.begin(), public_key_.end());
  return name_ + "+" + key_id_hex(key_id_) + "+" + base::base64_encode(typed_key);
}

bool NoteVerifier::verify(std::string_view text, std::span<const uint8_t> signature) const {
  if (signature.size() != kEd25519SignatureSize) {
    return false;
  }
  auto key = crypto::PublicKey::from_ed25519(public_key_);
  if (!key) {
    return false;
  }
  // Ed25519 is one-shot: the whole text is signed (RFC 8032 PureEdDSA).
  auto verdict = crypto::verify(
      *key, crypto::SignatureScheme::kEd25519,
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
      signature);
  return verdict.has_value() && *verdict;
}

}  // namespace clearcut::audit
