#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/claim_signer.h"
#include "clearcut/provenance/c2pa/cose.h"

namespace clearcut::c2pa {

// A private key and the certificate chain that names it, in memory: the ClaimSigner for
// keys kept in files. The algorithm follows the key: EC P-256/384/521 sign ES256/384/512, RSA
// (2048 bits or more) PS256, Ed25519 EdDSA (C2PA §13.2.1). Immutable once loaded; copies
// share the key; thread-safe (each signature uses its own OpenSSL context).
class SigningKeys final : public ClaimSigner {
 public:
  // An unencrypted PEM private key (PKCS#8 or the traditional form) and a PEM bundle of
  // certificates, the key's own first, then its intermediates. A self-signed root at the end
  // of a longer bundle is dropped: C2PA §13.2.2 leaves the root out of x5chain. Errors
  // (kInvalidArgument): unreadable or encrypted key, no certificate, a certificate that is not
  // the key's, a key type or size C2PA does not allow.
  // `algorithm` picks PS384 or PS512 for an RSA key; for other keys it must be the key's own.
  static base::Result<SigningKeys> from_pem(std::string_view private_key_pem,
                                            std::string_view certificate_chain_pem,
                                            std::optional<CoseAlgorithm> algorithm = {});
  // The same from files; a missing file is kNotFound.
  static base::Result<SigningKeys> load(const std::string& private_key_path,
                                        const std::string& certificate_chain_path,
                                        std::optional<CoseAlgorithm> algorithm = {});

  CoseAlgorithm algorithm() const override { return algorithm_; }
  const std::vector<std::vector<uint8_t>>& certificate_chain() const override { return chain_; }
  size_t signature_size() const override { return signature_size_; }
  base::Result<std::vector<uint8_t>> sign(std::span<const uint8_t> to_be_signed) const override;

 private:
  struct Key;
  SigningKeys() = default;

  std::shared_ptr<const Key> key_;
  CoseAlgorithm algorithm_ = CoseAlgorithm::kEs256;
  std::vector<std::vector<uint8_t>> chain_;
  size_t signature_size_ = 0;
};

// A freshly generated key and its certificate, both PEM. For a signer the certificate text
// is the chain to put in x5chain: its own certificate, then the issuing CA's when that CA is
// not itself a root, and so on up to (not including) the root.
struct PemCredentials {
  std::string private_key_pem;  // PKCS#8
  std::string certificate_chain_pem;
};

struct CertificateSubject {
  std::string common_name;
  std::string organization;
  std::string country;  // two letters, or empty
};

struct CertificateOptions {
  CertificateSubject subject;
  int validity_days = 365;
  // ES256 unless asked otherwise; RSA keys (PS*) are 2048 bits, the C2PA minimum.
  CoseAlgorithm algorithm = CoseAlgorithm::kEs256;
};

// A self-signed root CA for a private PKI or for tests: basicConstraints CA:TRUE (critical,
// path length 1), keyUsage keyCertSign and cRLSign (critical), SKI, AKI. Its certificate is the
// trust anchor validators need to call the signer's manifests Trusted.
base::Result<PemCredentials> generate_root_ca(const CertificateOptions& options);

// An intermediate CA issued by the given CA (path length 0, otherwise like the root), so that
// the root can stay offline. Errors as issue_signer_certificate.
base::Result<PemCredentials> issue_intermediate_ca(const CertificateOptions& options,
                                                   std::string_view ca_certificate_pem,
                                                   std::string_view ca_private_key_pem);

// A new key and an end-entity certificate for it, issued by the CA whose certificate (PEM,
// optionally followed by the CA's own chain) and key are given, fit for the C2PA claim-signer
// profile (C2PA §14.5.1): version 3, basicConstraints CA:FALSE (critical), keyUsage
// digitalSignature (critical), extendedKeyUsage emailProtection and c2pa-kp-claimSigning
// (1.3.6.1.4.1.62558.2.1), SKI, AKI, a random 128-bit serial, valid from five minutes ago.
// Errors: unreadable CA material, a CA key that does not match its certificate, a CA
// certificate that is not a CA.
base::Result<PemCredentials> issue_signer_certificate(const CertificateOptions& options,
                                                      std::string_view ca_certificate_pem,
                                                      std::string_view ca_private_key_pem);

// The OID of the C2PA claim-signing extended key usage (C2PA §14.5.1, c2pa-kp-claimSigning).
inline constexpr std::string_view kC2paClaimSigningEku = "1.3.6.1.4.1.62558.2.1";

}  // namespace clearcut::c2pa
