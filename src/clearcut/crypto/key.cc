#include "clearcut/crypto/key.h"

#include <algorithm>
#include <functional>

#include <openssl/core_names.h>
#include <openssl/param_build.h>
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

using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, internal::OpenSslFree<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, internal::OpenSslFree<OSSL_PARAM_free>>;

internal::BignumPtr bignum(std::span<const uint8_t> bytes) {
  return internal::BignumPtr(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
}

// A public key of `type` ("RSA", "EC") from the parameters `build` pushes.
internal::PkeyPtr public_key_from(const char* type,
                                  const std::function<bool(OSSL_PARAM_BLD*)>& build) {
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || !build(bld.get())) {
    return nullptr;
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  internal::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return internal::PkeyPtr(key);
}

std::vector<uint8_t> bignum_bytes(const BIGNUM* bn, size_t width) {
  size_t size = std::max(width, static_cast<size_t>(BN_num_bytes(bn)));
  std::vector<uint8_t> out(size);
  BN_bn2binpad(bn, out.data(), static_cast<int>(size));
  return out;
}

// JOSE's curve names and OpenSSL's, with the size of each field in bytes.
struct Curve {
  const char* jose;
  const char* openssl;
  size_t width;
};
constexpr Curve kCurves[] = {
    {"P-256", "prime256v1", 32}, {"P-384", "secp384r1", 48}, {"P-521", "secp521r1", 66}};

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

base::Result<PublicKey> PublicKey::from_rsa(const RsaComponents& components) {
  internal::BignumPtr n = bignum(components.n);
  internal::BignumPtr e = bignum(components.e);
  if (!n || !e) {
    return internal::internal("cannot read the RSA key's numbers");
  }
  int bits = BN_num_bits(n.get());
  if (bits < 2048 || bits > 8192) {
    return base::invalid_argument("an RSA key has 2048 to 8192 bits, not " + std::to_string(bits));
  }
  if (!BN_is_odd(e.get()) || BN_is_one(e.get()) || BN_num_bits(e.get()) > 64) {
    return base::invalid_argument("an RSA key's exponent is odd, above 1 and at most 64 bits");
  }
  internal::PkeyPtr key = public_key_from("RSA", [&](OSSL_PARAM_BLD* bld) {
    return OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n.get()) == 1 &&
           OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e.get()) == 1;
  });
  if (!key) {
    return internal::invalid("not an RSA public key");
  }
  return internal::Access::public_key(std::move(key));
}

base::Result<PublicKey> PublicKey::from_ec(const EcPoint& point) {
  const Curve* curve = nullptr;
  for (const Curve& c : kCurves) {
    if (point.curve == c.jose) {
      curve = &c;
    }
  }
  if (curve == nullptr) {
    return base::invalid_argument("expected the curve P-256, P-384 or P-521, not \"" + point.curve +
                                  "\"");
  }
  if (point.x.size() != curve->width || point.y.size() != curve->width) {
    return base::invalid_argument("a " + point.curve + " point has coordinates of " +
                                  std::to_string(curve->width) + " bytes");
  }
  std::vector<uint8_t> encoded;  // SEC 1 §2.3.3, uncompressed
  encoded.reserve(1 + 2 * curve->width);
  encoded.push_back(0x04);
  encoded.insert(encoded.end(), point.x.begin(), point.x.end());
  encoded.insert(encoded.end(), point.y.begin(), point.y.end());
  internal::PkeyPtr key = public_key_from("EC", [&](OSSL_PARAM_BLD* bld) {
    return OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve->openssl, 0) ==
               1 &&
           OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, encoded.data(),
                                            encoded.size()) == 1;
  });
  if (!key) {
    return internal::invalid("not a point on " + point.curve);
  }
  internal::PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    return internal::invalid("not a point on " + point.curve);
  }
  return internal::Access::public_key(std::move(key));
}

std::optional<RsaComponents> PublicKey::rsa_components() const {
  if (type() != KeyType::kRsa) {
    return std::nullopt;
  }
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  bool ok = EVP_PKEY_get_bn_param(holder_->pkey.get(), OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
            EVP_PKEY_get_bn_param(holder_->pkey.get(), OSSL_PKEY_PARAM_RSA_E, &e) == 1;
  internal::BignumPtr own_n(n);
  internal::BignumPtr own_e(e);
  if (!ok) {
    return std::nullopt;
  }
  return RsaComponents{bignum_bytes(n, 0), bignum_bytes(e, 0)};
}

std::optional<EcPoint> PublicKey::ec_point() const {
  std::optional<std::string> group = ec_curve_name();
  if (!group) {
    return std::nullopt;
  }
  for (const Curve& curve : kCurves) {
    if (*group != curve.openssl) {
      continue;
    }
    BIGNUM* x = nullptr;
    BIGNUM* y = nullptr;
    bool ok = EVP_PKEY_get_bn_param(holder_->pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
              EVP_PKEY_get_bn_param(holder_->pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1;
    internal::BignumPtr own_x(x);
    internal::BignumPtr own_y(y);
    if (!ok) {
      return std::nullopt;
    }
    return EcPoint{curve.jose, bignum_bytes(x, curve.width), bignum_bytes(y, curve.width)};
  }
  return std::nullopt;
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
