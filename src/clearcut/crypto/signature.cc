#include "clearcut/crypto/signature.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "clearcut/crypto/internal/openssl_ptr.h"

namespace clearcut::crypto {

namespace {

bool is_ecdsa(SignatureScheme s) {
  return s == SignatureScheme::kEcdsaSha256 || s == SignatureScheme::kEcdsaSha384 ||
         s == SignatureScheme::kEcdsaSha512;
}

bool is_pss(SignatureScheme s) {
  return s == SignatureScheme::kRsaPssSha256 || s == SignatureScheme::kRsaPssSha384 ||
         s == SignatureScheme::kRsaPssSha512;
}

bool is_pkcs1(SignatureScheme s) {
  return s == SignatureScheme::kRsaPkcs1Sha256 || s == SignatureScheme::kRsaPkcs1Sha384 ||
         s == SignatureScheme::kRsaPkcs1Sha512;
}

const EVP_MD* md_of(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::kEcdsaSha256:
    case SignatureScheme::kRsaPssSha256:
    case SignatureScheme::kRsaPkcs1Sha256:
      return EVP_sha256();
    case SignatureScheme::kEcdsaSha384:
    case SignatureScheme::kRsaPssSha384:
    case SignatureScheme::kRsaPkcs1Sha384:
      return EVP_sha384();
    case SignatureScheme::kEcdsaSha512:
    case SignatureScheme::kRsaPssSha512:
    case SignatureScheme::kRsaPkcs1Sha512:
      return EVP_sha512();
    case SignatureScheme::kEd25519:
      break;
  }
  return nullptr;  // EdDSA hashes the message itself
}

base::Status set_pss_padding(EVP_PKEY_CTX* pctx, SignatureScheme scheme) {
  if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md_of(scheme)) != 1) {
    return internal::internal("cannot set RSA-PSS padding");
  }
  return {};
}

// The width of r and of s: the size of the curve order in bytes.
size_t ecdsa_width(EVP_PKEY* key) {
  return static_cast<size_t>((EVP_PKEY_get_bits(key) + 7) / 8);
}

base::Result<std::vector<uint8_t>> der_to_raw(std::span<const uint8_t> der, size_t width) {
  const unsigned char* p = der.data();
  internal::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) {
    return internal::internal("cannot read the ECDSA signature");
  }
  std::vector<uint8_t> raw(2 * width);
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), static_cast<int>(width)) < 0 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + width, static_cast<int>(width)) < 0) {
    return internal::internal("ECDSA signature does not fit the curve");
  }
  return raw;
}

base::Status check_fit(KeyType type, SignatureScheme scheme) {
  if (!key_fits(type, scheme)) {
    return base::invalid_argument("the key does not fit the signature scheme");
  }
  return {};
}

}  // namespace

bool key_fits(KeyType type, SignatureScheme scheme) {
  if (is_ecdsa(scheme)) {
    return type == KeyType::kEc;
  }
  if (is_pss(scheme) || is_pkcs1(scheme)) {
    return type == KeyType::kRsa;
  }
  return type == KeyType::kEd25519;
}

base::Result<std::vector<uint8_t>> sign(const PrivateKey& key, SignatureScheme scheme,
                                        std::span<const uint8_t> message) {
  CC_TRY(check_fit(key.public_key().type(), scheme));
  EVP_PKEY* pkey = internal::Access::pkey(key);
  internal::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, md_of(scheme), nullptr, pkey) != 1) {
    return internal::internal("cannot start signing");
  }
  if (is_pss(scheme)) {
    CC_TRY(set_pss_padding(pctx, scheme));
  }
  if (is_pkcs1(scheme) && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return internal::internal("cannot set RSA PKCS#1 v1.5 padding");
  }
  size_t length = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &length, message.data(), message.size()) != 1) {
    return internal::internal("cannot size the signature");
  }
  std::vector<uint8_t> signature(length);
  if (EVP_DigestSign(ctx.get(), signature.data(), &length, message.data(), message.size()) != 1) {
    return internal::internal("signing failed");
  }
  signature.resize(length);
  if (!is_ecdsa(scheme)) {
    return signature;
  }
  return der_to_raw(signature, ecdsa_width(pkey));
}

base::Result<bool> verify(const PublicKey& key, SignatureScheme scheme,
                          std::span<const uint8_t> message, std::span<const uint8_t> signature) {
  CC_TRY(check_fit(key.type(), scheme));
  EVP_PKEY* pkey = internal::Access::pkey(key);
  std::vector<uint8_t> encoded(signature.begin(), signature.end());
  if (is_ecdsa(scheme)) {
    // OpenSSL verifies DER.
    if (signature.size() != 2 * ecdsa_width(pkey)) {
      return false;
    }
    auto der = ecdsa_signature_to_der(signature);
    if (!der) {
      return false;
    }
    encoded = std::move(*der);
  }
  internal::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, md_of(scheme), nullptr, pkey) != 1) {
    ERR_clear_error();
    return base::internal_error("cannot initialise signature verification");
  }
  if (is_pss(scheme)) {
    CC_TRY(set_pss_padding(pctx, scheme));
  }
  if (is_pkcs1(scheme) && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return internal::internal("cannot set RSA PKCS#1 v1.5 padding");
  }
  int verdict =
      EVP_DigestVerify(ctx.get(), encoded.data(), encoded.size(), message.data(), message.size());
  // A failed verification leaves its reasons on the queue; the verdict says all that matters.
  ERR_clear_error();
  return verdict == 1;
}

bool is_der_ecdsa_signature(std::span<const uint8_t> signature) {
  const unsigned char* p = signature.data();
  internal::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(signature.size())));
  ERR_clear_error();
  return sig != nullptr && p == signature.data() + signature.size();
}

std::optional<std::vector<uint8_t>> ecdsa_signature_to_der(std::span<const uint8_t> raw) {
  if (raw.empty() || raw.size() % 2 != 0) {
    return std::nullopt;
  }
  size_t width = raw.size() / 2;
  internal::EcdsaSigPtr sig(ECDSA_SIG_new());
  internal::BignumPtr r(BN_bin2bn(raw.data(), static_cast<int>(width), nullptr));
  internal::BignumPtr s(BN_bin2bn(raw.data() + width, static_cast<int>(width), nullptr));
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return std::nullopt;
  }
  // sig owns them now.
  static_cast<void>(r.release());
  static_cast<void>(s.release());
  int length = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (length <= 0) {
    return std::nullopt;
  }
  std::vector<uint8_t> der(static_cast<size_t>(length));
  unsigned char* out = der.data();
  i2d_ECDSA_SIG(sig.get(), &out);
  return der;
}

}  // namespace clearcut::crypto
