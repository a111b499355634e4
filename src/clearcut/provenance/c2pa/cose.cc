#include "clearcut/provenance/c2pa/cose.h"

#include "clearcut/crypto/certificate.h"
#include "clearcut/crypto/signature.h"

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

bool is_ecdsa(CoseAlgorithm a) {
  return a == CoseAlgorithm::kEs256 || a == CoseAlgorithm::kEs384 || a == CoseAlgorithm::kEs512;
}

bool is_pss(CoseAlgorithm a) {
  return a == CoseAlgorithm::kPs256 || a == CoseAlgorithm::kPs384 || a == CoseAlgorithm::kPs512;
}

}  // namespace

crypto::SignatureScheme signature_scheme(CoseAlgorithm algorithm) {
  switch (algorithm) {
    case CoseAlgorithm::kEs256:
      return crypto::SignatureScheme::kEcdsaSha256;
    case CoseAlgorithm::kEs384:
      return crypto::SignatureScheme::kEcdsaSha384;
    case CoseAlgorithm::kEs512:
      return crypto::SignatureScheme::kEcdsaSha512;
    case CoseAlgorithm::kPs256:
      return crypto::SignatureScheme::kRsaPssSha256;
    case CoseAlgorithm::kPs384:
      return crypto::SignatureScheme::kRsaPssSha384;
    case CoseAlgorithm::kPs512:
      return crypto::SignatureScheme::kRsaPssSha512;
    case CoseAlgorithm::kEd25519:
      break;
  }
  return crypto::SignatureScheme::kEd25519;
}

Result<bool> verify_cose_signature(CoseAlgorithm algorithm,
                                   std::span<const uint8_t> certificate_der,
                                   std::span<const uint8_t> to_be_signed,
                                   std::span<const uint8_t> signature) {
  auto cert = crypto::Certificate::from_der(certificate_der);
  if (!cert) {
    return base::invalid_argument("signing certificate is not DER X.509");
  }
  auto key = cert->public_key();
  if (!key) {
    return base::invalid_argument("signing certificate has no readable public key");
  }
  crypto::KeyType key_type = key->type();
  if (is_ecdsa(algorithm)) {
    if (key_type != crypto::KeyType::kEc) {
      return base::invalid_argument(std::string(cose_algorithm_name(algorithm)) +
                                    " signature with a non-EC key");
    }
  } else if (is_pss(algorithm)) {
    if (key_type != crypto::KeyType::kRsa) {
      return base::invalid_argument(std::string(cose_algorithm_name(algorithm)) +
                                    " signature with a non-RSA key");
    }
  } else if (key_type != crypto::KeyType::kEd25519) {
    return base::invalid_argument("Ed25519 signature with a non-Ed25519 key");
  }
  return crypto::verify(*key, signature_scheme(algorithm), to_be_signed, signature);
}

}  // namespace clearcut::c2pa
