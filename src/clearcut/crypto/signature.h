#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/crypto/key.h"

namespace clearcut::crypto {

// Ed25519 is PureEdDSA over the whole message (RFC 8032). ECDSA signatures are r‖s, each
// left-padded to the size of the curve order, as COSE and JOSE write them (RFC 9053 §2.1).
// RSA-PSS uses MGF1 over the same hash and a salt as long as the hash (RFC 8230 §2).
// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) is what JOSE's RS256 means (RFC 7518 §3.3): OpenID
// providers sign ID tokens with it by default.
enum class SignatureScheme {
  kEd25519,
  kEcdsaSha256,
  kEcdsaSha384,
  kEcdsaSha512,
  kRsaPssSha256,
  kRsaPssSha384,
  kRsaPssSha512,
  kRsaPkcs1Sha256,
  kRsaPkcs1Sha384,
  kRsaPkcs1Sha512,
};

// Whether a key of this type can sign or verify under `scheme`.
bool key_fits(KeyType type, SignatureScheme scheme);

// Errors: kInvalidArgument when the key does not fit the scheme, kInternal when OpenSSL fails.
base::Result<std::vector<uint8_t>> sign(const PrivateKey& key, SignatureScheme scheme,
                                        std::span<const uint8_t> message);

// Whether `signature` is the key's signature of `message`; a malformed signature is false.
// Errors (kInvalidArgument) only when the key does not fit the scheme.
base::Result<bool> verify(const PublicKey& key, SignatureScheme scheme,
                          std::span<const uint8_t> message, std::span<const uint8_t> signature);

// True when `signature` is exactly one DER ECDSA-Sig-Value (RFC 3279 §2.2.3).
bool is_der_ecdsa_signature(std::span<const uint8_t> signature);
// An r‖s signature as a DER ECDSA-Sig-Value; nullopt for an empty or odd-sized input.
std::optional<std::vector<uint8_t>> ecdsa_signature_to_der(std::span<const uint8_t> raw);

}  // namespace clearcut::crypto
