#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::crypto {

namespace internal {
struct Access;
struct KeyHolder;
}  // namespace internal

enum class KeyType { kEc, kRsa, kEd25519, kOther };

// The key pairs generate() makes: EC on the NIST curves, RSA of 2048 bits, Ed25519.
enum class KeyKind { kP256, kP384, kP521, kRsa2048, kEd25519 };

// RFC 8032 §5.1.5: an Ed25519 private key is a 32-byte seed, its public key 32 bytes.
inline constexpr size_t kEd25519SeedSize = 32;
inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;

// An RSA public key's modulus and exponent, unsigned big-endian without leading zeros (as a
// JWK's "n" and "e" carry them, RFC 7518 §6.3.1).
struct RsaComponents {
  std::vector<uint8_t> n;
  std::vector<uint8_t> e;
};

// An EC public key's point: the curve's JOSE name ("P-256", "P-384", "P-521") and x and y, each
// left-padded to the size of the field (RFC 7518 §6.2.1).
struct EcPoint {
  std::string curve;
  std::vector<uint8_t> x;
  std::vector<uint8_t> y;
};

// A public key. Immutable; copies share it; safe to use from several threads.
class PublicKey {
 public:
  // A raw 32-byte Ed25519 public key.
  static base::Result<PublicKey> from_ed25519(std::span<const uint8_t> raw);
  // An RSA key of 2048 to 8192 bits with an odd exponent of at most 64 bits; kInvalidArgument
  // naming what is wrong otherwise.
  static base::Result<PublicKey> from_rsa(const RsaComponents& components);
  // A point on P-256, P-384 or P-521; kInvalidArgument for another curve, coordinates of the
  // wrong size, or a point not on the curve.
  static base::Result<PublicKey> from_ec(const EcPoint& point);

  KeyType type() const;
  // Size of the key in bits (the modulus for RSA, the group order for EC).
  int bits() const;
  // OpenSSL's name of an EC key's curve ("prime256v1", "secp384r1", ...); nullopt for an
  // unnamed curve or a key that is not EC.
  std::optional<std::string> ec_curve_name() const;
  // The raw public key of an Ed25519 key; nullopt for other types.
  std::optional<std::array<uint8_t, kEd25519PublicKeySize>> ed25519_bytes() const;
  // The components of an RSA key, the point of an EC key on a named NIST curve; nullopt for
  // other keys.
  std::optional<RsaComponents> rsa_components() const;
  std::optional<EcPoint> ec_point() const;

 private:
  friend struct internal::Access;
  friend class PrivateKey;
  explicit PublicKey(std::shared_ptr<const internal::KeyHolder> holder);
  std::shared_ptr<const internal::KeyHolder> holder_;
};

// A private key (with its public half). Immutable; copies share it; safe to use from several
// threads (each signature takes its own context). Never logged; its PEM is secret.
class PrivateKey {
 public:
  // An unencrypted PEM private key, PKCS#8 or the traditional form. Never prompts for a pass
  // phrase: an encrypted key is an error (kInvalidArgument), as is anything unreadable.
  static base::Result<PrivateKey> from_pem(std::string_view pem);
  // The Ed25519 key of a 32-byte seed (RFC 8032 §5.1.5).
  static base::Result<PrivateKey> from_ed25519_seed(std::span<const uint8_t> seed);
  // A fresh key pair from OpenSSL's CSPRNG; kInternal if generation fails.
  static base::Result<PrivateKey> generate(KeyKind kind);

  PublicKey public_key() const;
  // The key as unencrypted PKCS#8 PEM.
  base::Result<std::string> to_pem() const;

 private:
  friend struct internal::Access;
  explicit PrivateKey(std::shared_ptr<const internal::KeyHolder> holder);
  std::shared_ptr<const internal::KeyHolder> holder_;
};

}  // namespace clearcut::crypto
