#include "clearcut/provenance/c2pa/cose.h"

#include <memory>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace clearcut::c2pa {

using base::Error;
using base::Result;

std::optional<CoseAlgorithm> cose_algorithm_from_id(int64_t id) {
  switch (id) {
    case -7:
      return CoseAlgorithm::kEs256;
    case -35:
      return CoseAlgorithm::kEs384;
    case -36:
      return CoseAlgorithm::kEs512;
    case -37:
      return CoseAlgorithm::kPs256;
    case -38:
      return CoseAlgorithm::kPs384;
    case -39:
      return CoseAlgorithm::kPs512;
    case -8:
      return CoseAlgorithm::kEd25519;
    default:
      return std::nullopt;
  }
}

int64_t cose_algorithm_id(CoseAlgorithm algorithm) {
  switch (algorithm) {
    case CoseAlgorithm::kEs256:
      return -7;
    case CoseAlgorithm::kEs384:
      return -35;
    case CoseAlgorithm::kEs512:
      return -36;
    case CoseAlgorithm::kPs256:
      return -37;
    case CoseAlgorithm::kPs384:
      return -38;
    case CoseAlgorithm::kPs512:
      return -39;
    case CoseAlgorithm::kEd25519:
      return -8;
  }
  return 0;
}

std::string_view cose_algorithm_name(CoseAlgorithm algorithm) {
  switch (algorithm) {
    case CoseAlgorithm::kEs256:
      return "ES256";
    case CoseAlgorithm::kEs384:
      return "ES384";
    case CoseAlgorithm::kEs512:
      return "ES512";
    case CoseAlgorithm::kPs256:
      return "PS256";
    case CoseAlgorithm::kPs384:
      return "PS384";
    case CoseAlgorithm::kPs512:
      return "PS512";
    case CoseAlgorithm::kEd25519:
      return "Ed25519";
  }
  return "unknown";
}

std::optional<int64_t> CoseSign1::algorithm_id() const {
  const CborValue* alg = protected_header.find(kCoseHeaderAlg);
  if (alg == nullptr) {
    return std::nullopt;
  }
  return alg->as_int();
}

std::vector<std::vector<uint8_t>> CoseSign1::certificate_chain() const {
  const CborValue* chain = protected_header.find(kCoseHeaderX5Chain);
  if (chain == nullptr) {
    chain = protected_header.find("x5chain");
  }
  if (chain == nullptr) {
    chain = unprotected_header.find(kCoseHeaderX5Chain);
  }
  if (chain == nullptr) {
    chain = unprotected_header.find("x5chain");
  }
  std::vector<std::vector<uint8_t>> out;
  if (chain == nullptr) {
    return out;
  }
  // RFC 9360 §2: one certificate as a bstr, several as an array of bstr.
  if (chain->is_bytes()) {
    auto b = chain->bytes_value();
    out.emplace_back(b.begin(), b.end());
  } else if (chain->is_array()) {
    for (const CborValue& cert : chain->items()) {
      if (!cert.is_bytes()) {
        return {};
      }
      auto b = cert.bytes_value();
      out.emplace_back(b.begin(), b.end());
    }
  }
  return out;
}

const CborValue* CoseSign1::unprotected(std::string_view label) const {
  return unprotected_header.find(label);
}

Result<CoseSign1> CoseSign1::parse(std::span<const uint8_t> cbor) {
  CborValue value = CC_TRY(decode_cbor(cbor));
  if (value.type() == CborValue::Type::kTag) {
    if (value.argument() != 18) {
      return base::invalid_argument("COSE: tag " + std::to_string(value.argument()) +
                                    " is not COSE_Sign1 (18)");
    }
    value = value.tag_content();
  }
  if (!value.is_array() || value.size() != 4) {
    return base::invalid_argument("COSE: COSE_Sign1 is not a four-element array");
  }
  CoseSign1 sign1;
  const CborValue& protected_bstr = value.at(0);
  if (!protected_bstr.is_bytes()) {
    return base::invalid_argument("COSE: protected header is not a byte string");
  }
  auto p = protected_bstr.bytes_value();
  sign1.protected_bytes.assign(p.begin(), p.end());
  if (sign1.protected_bytes.empty()) {
    sign1.protected_header = CborValue::map();
  } else {
    sign1.protected_header = CC_TRY(decode_cbor(sign1.protected_bytes));
    if (!sign1.protected_header.is_map()) {
      return base::invalid_argument("COSE: protected header is not a map");
    }
  }
  sign1.unprotected_header = value.at(1);
  if (!sign1.unprotected_header.is_map()) {
    return base::invalid_argument("COSE: unprotected header is not a map");
  }
  if (value.at(2).is_bytes()) {
    auto b = value.at(2).bytes_value();
    sign1.payload = std::vector<uint8_t>(b.begin(), b.end());
  } else if (!value.at(2).is_null()) {
    return base::invalid_argument("COSE: payload is neither a byte string nor nil");
  }
  if (!value.at(3).is_bytes()) {
    return base::invalid_argument("COSE: signature is not a byte string");
  }
  auto s = value.at(3).bytes_value();
  sign1.signature.assign(s.begin(), s.end());
  return sign1;
}

CborValue CoseSign1::to_cbor() const {
  CborValue array = CborValue::array();
  array.push_back(CborValue::bytes(protected_bytes));
  array.push_back(unprotected_header.is_map() ? unprotected_header : CborValue::map());
  array.push_back(payload ? CborValue::bytes(*payload) : CborValue::null());
  array.push_back(CborValue::bytes(signature));
  return CborValue::tag(18, std::move(array));
}

std::vector<uint8_t> cose_sig_structure(std::string_view context,
                                        std::span<const uint8_t> protected_bytes,
                                        std::span<const uint8_t> payload) {
  CborValue array = CborValue::array();
  array.push_back(CborValue::text(std::string(context)));
  array.push_back(CborValue::bytes(protected_bytes));
  array.push_back(CborValue::bytes(std::vector<uint8_t>{}));
  array.push_back(CborValue::bytes(payload));
  return encode_cbor(array);
}

namespace {

struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct EcdsaSigDeleter {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};

const EVP_MD* digest_for(CoseAlgorithm algorithm) {
  switch (algorithm) {
    case CoseAlgorithm::kEs256:
    case CoseAlgorithm::kPs256:
      return EVP_sha256();
    case CoseAlgorithm::kEs384:
    case CoseAlgorithm::kPs384:
      return EVP_sha384();
    case CoseAlgorithm::kEs512:
    case CoseAlgorithm::kPs512:
      return EVP_sha512();
    case CoseAlgorithm::kEd25519:
      return nullptr;  // EdDSA hashes internally
  }
  return nullptr;
}

bool is_ecdsa(CoseAlgorithm a) {
  return a == CoseAlgorithm::kEs256 || a == CoseAlgorithm::kEs384 || a == CoseAlgorithm::kEs512;
}

bool is_pss(CoseAlgorithm a) {
  return a == CoseAlgorithm::kPs256 || a == CoseAlgorithm::kPs384 || a == CoseAlgorithm::kPs512;
}

// RFC 9053 §2.1: r‖s, each the size of the curve order. OpenSSL verifies DER.
std::optional<std::vector<uint8_t>> raw_ecdsa_to_der(std::span<const uint8_t> raw,
                                                     size_t field_bytes) {
  if (raw.size() != 2 * field_bytes) {
    return std::nullopt;
  }
  std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(raw.data(), static_cast<int>(field_bytes), nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + field_bytes, static_cast<int>(field_bytes), nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  int length = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (length <= 0) {
    return std::nullopt;
  }
  std::vector<uint8_t> der(static_cast<size_t>(length));
  unsigned char* out = der.data();
  i2d_ECDSA_SIG(sig.get(), &out);
  return der;
}

}  // namespace

bool is_der_ecdsa_signature(std::span<const uint8_t> signature) {
  const unsigned char* p = signature.data();
  std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> sig(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(signature.size())));
  return sig != nullptr && p == signature.data() + signature.size();
}

Result<bool> verify_cose_signature(CoseAlgorithm algorithm,
                                   std::span<const uint8_t> certificate_der,
                                   std::span<const uint8_t> to_be_signed,
                                   std::span<const uint8_t> signature) {
  const unsigned char* p = certificate_der.data();
  std::unique_ptr<X509, X509Deleter> cert(
      d2i_X509(nullptr, &p, static_cast<long>(certificate_der.size())));
  if (!cert) {
    ERR_clear_error();
    return base::invalid_argument("signing certificate is not DER X.509");
  }
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(X509_get_pubkey(cert.get()));
  if (!key) {
    return base::invalid_argument("signing certificate has no readable public key");
  }
  int key_type = EVP_PKEY_base_id(key.get());
  std::vector<uint8_t> sig(signature.begin(), signature.end());
  if (is_ecdsa(algorithm)) {
    if (key_type != EVP_PKEY_EC) {
      return base::invalid_argument(std::string(cose_algorithm_name(algorithm)) +
                                    " signature with a non-EC key");
    }
    size_t field_bytes = static_cast<size_t>((EVP_PKEY_get_bits(key.get()) + 7) / 8);
    auto der = raw_ecdsa_to_der(signature, field_bytes);
    if (!der) {
      return false;
    }
    sig = std::move(*der);
  } else if (is_pss(algorithm)) {
    if (key_type != EVP_PKEY_RSA && key_type != EVP_PKEY_RSA_PSS) {
      return base::invalid_argument(std::string(cose_algorithm_name(algorithm)) +
                                    " signature with a non-RSA key");
    }
  } else if (key_type != EVP_PKEY_ED25519) {
    return base::invalid_argument("Ed25519 signature with a non-Ed25519 key");
  }

  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx ||
      EVP_DigestVerifyInit(ctx.get(), &pctx, digest_for(algorithm), nullptr, key.get()) != 1) {
    return base::internal_error("cannot initialise signature verification");
  }
  if (is_pss(algorithm)) {
    // RFC 8230 §2: PSS with MGF1 over the same hash and a salt as long as the hash.
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, digest_for(algorithm)) != 1) {
      return base::internal_error("cannot configure RSA-PSS verification");
    }
  }
  int verdict =
      EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), to_be_signed.data(), to_be_signed.size());
  // A failed verification leaves reasons on this thread's OpenSSL error queue; the verdict
  // says all that matters.
  ERR_clear_error();
  return verdict == 1;
}

}  // namespace clearcut::c2pa
