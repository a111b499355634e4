#include "clearcut/audit/note_verifier.h"

#include <memory>

#include <openssl/evp.h>

#include "clearcut/audit/base64.h"

namespace clearcut::audit {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

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
  auto malformed = [](std::string why) {
    return base::invalid_argument("malformed verifier key: " + std::move(why));
  };
  auto fields = split_key_string(verifier_key);
  if (!fields) {
    return malformed("want <name>+<key ID>+<key>");
  }
  auto id = parse_key_id_hex(fields->key_id);
  if (!id) {
    return malformed("the key ID is not 8 hex digits");
  }
  auto key = base64_decode(fields->key);
  if (!key || key->empty()) {
    return malformed("the key is not canonical base64");
  }
  if ((*key)[0] != kEd25519SignatureType) {
    return base::Error(base::ErrorCode::kUnsupported, "verifier key of signature type " +
                                                          std::to_string((*key)[0]) +
                                                          "; only Ed25519 (1) is supported");
  }
  NoteVerifier verifier =
      CC_TRY(from_public_key(fields->name, std::span<const uint8_t>(*key).subspan(1)));
  if (*id != verifier.key_id()) {
    return malformed("the key ID does not match the name and key");
  }
  return verifier;
}

std::string NoteVerifier::to_string() const {
  std::vector<uint8_t> typed_key;
  typed_key.push_back(kEd25519SignatureType);
  typed_key.insert(typed_key.end(), public_key_.begin(), public_key_.end());
  return name_ + "+" + key_id_hex(key_id_) + "+" + base64_encode(typed_key);
}

bool NoteVerifier::verify(std::string_view text, std::span<const uint8_t> signature) const {
  if (signature.size() != kEd25519SignatureSize) {
    return false;
  }
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, public_key_.data(), public_key_.size()));
  if (!key) {
    return false;
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  CC_CHECK(ctx != nullptr);
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    return false;
  }
  // Ed25519 is one-shot: the whole text goes to EVP_DigestVerify (RFC 8032 PureEdDSA).
  return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                          reinterpret_cast<const unsigned char*>(text.data()), text.size()) == 1;
}

}  // namespace clearcut::audit
