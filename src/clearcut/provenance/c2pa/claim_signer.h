#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/cose.h"

namespace clearcut::c2pa {

// Whatever signs a claim (C2PA §13.2): a key in memory (SigningKeys), or later an HSM or a
// KMS. The writer reserves signature_size() bytes before it signs, so sign() must return
// exactly that many. Implementations must be safe to call from several threads at once.
class ClaimSigner {
 public:
  virtual ~ClaimSigner() = default;

  virtual CoseAlgorithm algorithm() const = 0;
  // x5chain (C2PA §13.2.2): DER certificates, the signer's first, then its intermediates;
  // never the root.
  virtual const std::vector<std::vector<uint8_t>>& certificate_chain() const = 0;
  // Bytes of every signature: ES256 64, ES384 96, ES512 132 (r‖s, RFC 9053 §2.1), PS* the
  // modulus size, Ed25519 64.
  virtual size_t signature_size() const = 0;
  // The COSE signature over `to_be_signed` (a Sig_structure), ECDSA as r‖s.
  virtual base::Result<std::vector<uint8_t>> sign(std::span<const uint8_t> to_be_signed) const = 0;
};

}  // namespace clearcut::c2pa
