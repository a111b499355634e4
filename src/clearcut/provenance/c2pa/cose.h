#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/crypto/signature.h"
#include "clearcut/provenance/c2pa/cbor.h"

namespace clearcut::c2pa {

// The signature algorithms C2PA allows (§13.2.1), by COSE id (RFC 9053).
enum class CoseAlgorithm { kEs256, kEs384, kEs512, kPs256, kPs384, kPs512, kEd25519 };

std::optional<CoseAlgorithm> cose_algorithm_from_id(int64_t id);
int64_t cose_algorithm_id(CoseAlgorithm algorithm);
std::string_view cose_algorithm_name(CoseAlgorithm algorithm);  // "ES256", ...
// How an algorithm signs: ES* as r‖s (RFC 9053 §2.1), PS* as RFC 8230 §2 has it.
crypto::SignatureScheme signature_scheme(CoseAlgorithm algorithm);

// COSE header labels C2PA uses.
inline constexpr int64_t kCoseHeaderAlg = 1;
inline constexpr int64_t kCoseHeaderX5Chain = 33;

// A COSE_Sign1 (RFC 9052 §4.2) as C2PA stores it (§13.2): tag 18, detached payload.
// `protected_bytes` are the serialized protected header exactly as signed.
struct CoseSign1 {
  std::vector<uint8_t> protected_bytes;
  CborValue protected_header;  // decoded map (empty map when the bstr is empty)
  CborValue unprotected_header;
  std::optional<std::vector<uint8_t>> payload;  // nullopt when detached (nil)
  std::vector<uint8_t> signature;

  // Label 1 from the protected header (C2PA requires it there), as an integer id.
  std::optional<int64_t> algorithm_id() const;
  // x5chain (label 33, or the deprecated text label "x5chain"), protected header first,
  // leaf certificate first. Empty when absent.
  std::vector<std::vector<uint8_t>> certificate_chain() const;
  // A header parameter with a text label from the unprotected bucket ("sigTst2", "rVals"...).
  const CborValue* unprotected(std::string_view label) const;

  // Accepts the tagged (18) and untagged forms.
  static base::Result<CoseSign1> parse(std::span<const uint8_t> cbor);
  CborValue to_cbor() const;
};

// RFC 9052 §4.4 Sig_structure for COSE_Sign1 with empty external AAD:
// [context, body_protected, h'', payload]. `context` is "Signature1" to sign a claim and
// "CounterSignature" for the data a C2PA time-stamp covers (§10.3.2.5).
std::vector<uint8_t> cose_sig_structure(std::string_view context,
                                        std::span<const uint8_t> protected_bytes,
                                        std::span<const uint8_t> payload);

// Verifies `signature` over `to_be_signed` with the public key of `certificate_der`.
// ECDSA signatures are the raw r‖s of RFC 9053 §2.1. Returns false for a wrong signature;
// an Error when the certificate cannot be read or its key does not fit the algorithm.
base::Result<bool> verify_cose_signature(CoseAlgorithm algorithm,
                                         std::span<const uint8_t> certificate_der,
                                         std::span<const uint8_t> to_be_signed,
                                         std::span<const uint8_t> signature);

// True when `signature` parses as a DER ECDSA-Sig-Value, the encoding C2PA forbids for ES*
// (validators report signingCredential.invalid).
using crypto::is_der_ecdsa_signature;

}  // namespace clearcut::c2pa
