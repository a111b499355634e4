#include "clearcut/audit/note_signer.h"

#include "clearcut/base/base64.h"
#include "clearcut/crypto/random.h"
#include "clearcut/crypto/secret.h"
#include "clearcut/crypto/signature.h"

namespace clearcut::audit {
namespace {

constexpr std::string_view kSignerKeyPrefix = "PRIVATE+KEY+";

}  // namespace

NoteSigner::NoteSigner(NoteVerifier verifier, std::span<const uint8_t> seed)
    : verifier_(std::move(verifier)) {
  CC_CHECK(seed.size() == seed_.size());
  std::copy(seed.begin(), seed.end(), seed_.begin());
}

NoteSigner::~NoteSigner() {
  crypto::cleanse(seed_);
}

base::Result<NoteSigner> NoteSigner::from_seed(std::string_view name,
                                               std::span<const uint8_t> seed) {
  crypto::PrivateKey key = CC_TRY(crypto::PrivateKey::from_ed25519_seed(seed));
  auto public_key = key.public_key().ed25519_bytes();
  CC_CHECK(public_key.has_value());
  NoteVerifier verifier = CC_TRY(NoteVerifier::from_public_key(name, *public_key));
  return NoteSigner(std::move(verifier), seed);
}

base::Result<NoteSigner> NoteSigner::generate(std::string_view name) {
  std::array<uint8_t, kEd25519SeedSize> seed{};
  CC_TRY(crypto::random_secret_bytes(seed));
  auto signer = from_seed(name, seed);
  crypto::cleanse(seed);
  return signer;
}

base::Result<NoteSigner> NoteSigner::parse(std::string_view signer_key) {
  constexpr std::string_view kFormat = "PRIVATE+KEY+<name>+<key ID>+<key>";
  if (!signer_key.starts_with(kSignerKeyPrefix)) {
    return base::invalid_argument("malformed signer key: want " + std::string(kFormat));
  }
  NoteKeyString key =
      CC_TRY(parse_note_key_string(signer_key.substr(kSignerKeyPrefix.size()), "signer", kFormat));
  auto signer = from_seed(key.name, key.key());
  crypto::cleanse(key.typed_key);
  if (!signer) {
    return base::invalid_argument("malformed signer key: " + signer.error().message());
  }
  if (key.key_id != signer->key_id()) {
    return base::invalid_argument(
        "malformed signer key: the key ID does not match the name and key");
  }
  return signer;
}

std::string NoteSigner::to_string() const {
  std::vector<uint8_t> typed_seed;
  typed_seed.push_back(kEd25519SignatureType);
  typed_seed.insert(typed_seed.end(), seed_.begin(), seed_.end());
  std::string out = std::string(kSignerKeyPrefix) + name() + "+" + key_id_hex(key_id()) + "+" +
                    base::base64_encode(typed_seed);
  crypto::cleanse(typed_seed);
  return out;
}

std::vector<uint8_t> NoteSigner::sign(std::string_view text) const {
  auto key = crypto::PrivateKey::from_ed25519_seed(seed_);
  CC_CHECK(key.has_value());
  auto signature = crypto::sign(
      *key, crypto::SignatureScheme::kEd25519,
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  CC_CHECK(signature.has_value() && signature->size() == kEd25519SignatureSize);
  return std::move(signature).value();
}

}  // namespace clearcut::audit
