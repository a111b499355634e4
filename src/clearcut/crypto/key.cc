#include "clearcut/crypto/key.h"

#include <openssl/pem.h>

#include "clearcut/crypto/internal/openssl_ptr.h"

namespace clearcut::crypto {

namespace internal {

EVP_PKEY* Access::pkey(const PublicKey& key) {
  return key.holder_->pkey.get();
}

EVP_PKEY* Access::pkey(const PrivateKey& key) {
  return key.holder_->pkey.get();
}

PublicKey Access::public_key(PkeyPtr pkey) {
  auto holder = std::make_shared<KeyHolder>();
  holder->pkey = std::move(pkey);
  return PublicKey(std::move(holder));
}

PrivateKey Access::private_key(PkeyPtr pkey) {
  auto holder = std::make_shared<KeyHolder>();
  holder->pkey = std::move(pkey);
  return PrivateKey(std::move(holder));
}

}  // namespace internal

namespace {

// EVP_EC_gen would do, but its macro casts away const (clang -Wcast-qual).
internal::PkeyPtr generate_ec_key(const char* group) {
  internal::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_group_name(ctx.get(), group) != 1 ||
      EVP_PKEY_generate(ctx.get(), &key) != 1) {
    return nullptr;
  }
  return internal::PkeyPtr(key);
}

internal::PkeyPtr generate_pkey(KeyKind kind) {
  switch (kind) {
    case KeyKind::kP256:
      return generate_ec_key("P-256");
    case KeyKind::kP384:
      return generate_ec_key("P-384");
    case KeyKind::kP521:
      return generate_ec_key("P-521");
    case KeyKind::kRsa2048:
      return internal::PkeyPtr(EVP_RSA_gen(2048));
    case KeyKind::kEd25519:
      return internal::PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  }
  return nullptr;
}

}  // namespace

PublicKey::PublicKey(std::shared_ptr<const internal::KeyHolder> holder)
    : holder_(std::move(holder)) {}

base::Result<PublicKey> PublicKey::from_ed25519(std::span<const uint8_t> raw) {
  if (raw.size() != kEd25519PublicKeySize) {
    return base::invalid_argument("an Ed25519 public key is 32 bytes, not " +
                                  std::to_string(raw.size()));
  }
  internal::PkeyPtr key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size()));
  if (!key) {
    return internal::invalid("not an Ed25519 public key");
  }
  return internal::Access::public_key(std::move(key));
}

KeyType PublicKey::type() const {
  switch (EVP_PKEY_get_base_id(holder_->pkey.get())) {
    case EVP_PKEY_EC:
      return KeyType::kEc;
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
      return KeyType::kRsa;
    case EVP_PKEY_ED25519:
      return KeyType::kEd25519;
    default:
      return KeyType::kOther;
  }
}

int PublicKey::bits() const {
  return EVP_PKEY_get_bits(holder_->pkey.get());
}

std::optional<std::string> PublicKey::ec_curve_name() const {
  if (type() != KeyType::kEc) {
    return std::nullopt;
  }
  char group[64] = {};
  size_t length = 0;
  if (EVP_PKEY_get_group_name(holder_->pkey.get(), group, sizeof group, &length) != 1) {
    return std::nullopt;
  }
  return std::string(group, length);
}

std::optional<std::array<uint8_t, kEd25519PublicKeySize>> PublicKey::ed25519_bytes() const {
  if (type() != KeyType::kEd25519) {
    return std::nullopt;
  }
  std::array<uint8_t, kEd25519PublicKeySize> raw{};
  size_t length = raw.size();
  if (EVP_PKEY_get_raw_public_key(holder_->pkey.get(), raw.data(), &length) != 1 ||
      length != raw.size()) {
    return std::nullopt;
  }
  return raw;
}

PrivateKey::PrivateKey(std::shared_ptr<const internal::KeyHolder> holder)
    : holder_(std::move(holder)) {}

base::Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
  internal::BioPtr bio = internal::memory_bio(pem);
  internal::PkeyPtr key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, internal::no_passphrase, nullptr));
  if (!key) {
    return internal::invalid(
        "no readable unencrypted PEM private key (encrypted keys are not supported)");
  }
  return internal::Access::private_key(std::move(key));
}

base::Result<PrivateKey> PrivateKey::from_ed25519_seed(std::span<const uint8_t> seed) {
  if (seed.size() != kEd25519SeedSize) {
    return base::invalid_argument("an Ed25519 seed is 32 bytes, not " +
                                  std::to_string(seed.size()));
  }
  internal::PkeyPtr key(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (!key) {
    return internal::internal("cannot make an Ed25519 key");
  }
  return internal::Access::private_key(std::move(key));
}

base::Result<PrivateKey> PrivateKey::generate(KeyKind kind) {
  internal::PkeyPtr key = generate_pkey(kind);
  if (!key) {
    return internal::internal("key generation failed");
  }
  return internal::Access::private_key(std::move(key));
}

PublicKey PrivateKey::public_key() const {
  return PublicKey(holder_);
}

base::Result<std::string> PrivateKey::to_pem() const {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), holder_->pkey.get(), nullptr, nullptr, 0,
                                            nullptr, nullptr) != 1) {
    return internal::internal("cannot write the private key");
  }
  return internal::bio_text(bio.get());
}

}  // namespace clearcut::crypto
