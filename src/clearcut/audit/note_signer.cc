#include "clearcut/audit/note_signer.h"

#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "clearcut/audit/base64.h"

namespace clearcut::audit {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

std::unique_ptr<EVP_PKEY, PkeyDeleter> private_key(std::span<const uint8_t> seed) {
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  CC_CHECK(key != nullptr);
  return key;
}

constexpr std::string_view kSignerKeyPrefix = "PRIVATE+KEY+";

}  // namespace

NoteSigner::NoteSigner(NoteVerifier verifier, std::span<const uint8_t> seed)
    : verifier_(std::move(verifier)) {
  CC_CHECK(seed.size() == seed_.size());
  std::copy(seed.begin(), seed.end(), seed_.begin());
}

NoteSigner::~NoteSigner() {
  OPENSSL_cleanse(seed_.data(), seed_.size());
}

base::Result<NoteSigner> NoteSigner::from_seed(std::string_view name,
                                               std::span<const uint8_t> seed) {
  if (seed.size() != kEd25519SeedSize) {
    return base::invalid_argument("an Ed25519 seed is 32 bytes, not " +
                                  std::to_string(seed.size()));
  }
  auto key = private_key(seed);
  std::array<uint8_t, kEd25519PublicKeySize> public_key{};
  size_t length = public_key.size();
  CC_CHECK(EVP_PKEY_get_raw_public_key(key.get(), public_key.data(), &length) == 1);
  CC_CHECK(length == public_key.size());
  NoteVerifier verifier = CC_TRY(NoteVerifier::from_public_key(name, public_key));
  return NoteSigner(std::move(verifier), seed);
}

base::Result<NoteSigner> NoteSigner::generate(std::string_view name) {
  std::array<uint8_t, kEd25519SeedSize> seed{};
  if (RAND_priv_bytes(seed.data(), static_cast<int>(seed.size())) != 1) {
    return base::Error(base::ErrorCode::kUnavailable, "the random number generator failed");
  }
  auto signer = from_seed(name, seed);
  OPENSSL_cleanse(seed.data(), seed.size());
  return signer;
}

base::Result<NoteSigner> NoteSigner::parse(std::string_view signer_key) {
  // Messages never quote the key: it is secret.
  auto malformed = [](std::string why) {
    return base::invalid_argument("malformed signer key: " + std::move(why));
  };
  if (!signer_key.starts_with(kSignerKeyPrefix)) {
    return malformed("want PRIVATE+KEY+<name>+<key ID>+<key>");
  }
  auto fields = split_key_string(signer_key.substr(kSignerKeyPrefix.size()));
  if (!fields) {
    return malformed("want PRIVATE+KEY+<name>+<key ID>+<key>");
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
    OPENSSL_cleanse(key->data(), key->size());
    return base::Error(base::ErrorCode::kUnsupported, "signer key of signature type " +
                                                          std::to_string((*key)[0]) +
                                                          "; only Ed25519 (1) is supported");
  }
  auto signer = from_seed(fields->name, std::span<const uint8_t>(*key).subspan(1));
  OPENSSL_cleanse(key->data(), key->size());
  if (!signer) {
    return malformed(signer.error().message());
  }
  if (*id != signer->key_id()) {
    return malformed("the key ID does not match the name and key");
  }
  return signer;
}

std::string NoteSigner::to_string() const {
  std::vector<uint8_t> typed_seed;
  typed_seed.push_back(kEd25519SignatureType);
  typed_seed.insert(typed_seed.end(), seed_.begin(), seed_.end());
  std::string out = std::string(kSignerKeyPrefix) + name() + "+" + key_id_hex(key_id()) + "+" +
                    base64_encode(typed_seed);
  OPENSSL_cleanse(typed_seed.data(), typed_seed.size());
  return out;
}

std::vector<uint8_t> NoteSigner::sign(std::string_view text) const {
  auto key = private_key(seed_);
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  CC_CHECK(ctx != nullptr);
  CC_CHECK(EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1);
  std::vector<uint8_t> signature(kEd25519SignatureSize);
  size_t length = signature.size();
  CC_CHECK(EVP_DigestSign(ctx.get(), signature.data(), &length,
                          reinterpret_cast<const unsigned char*>(text.data()), text.size()) == 1);
  CC_CHECK(length == kEd25519SignatureSize);
  return signature;
}

}  // namespace clearcut::audit
