#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::c2pa {

// What a validator needs to know about an X.509 certificate, read once with OpenSSL so that
// no OpenSSL type leaks into headers. Times are Unix seconds.
struct CertificateInfo {
  std::string subject;  // one-line RFC 2253 form
  std::string issuer;
  std::string serial_hex;
  std::optional<std::string> organization;  // last O= of the subject
  int64_t not_before = 0;
  int64_t not_after = 0;
  bool is_ca = false;
  bool self_signed = false;
  std::vector<std::string> extended_key_usages;  // dotted OIDs

  bool valid_at(int64_t unix_time) const {
    return unix_time >= not_before && unix_time <= not_after;
  }
};

base::Result<CertificateInfo> read_certificate(std::span<const uint8_t> der);

// The EKUs C2PA validators accept for claim signers by default (C2PA §14.5.1; c2pa-rs's
// valid_eku_oids.cfg): emailProtection, documentSigning, timeStamping, OCSPSigning,
// Microsoft C2PA signing and c2pa-kp-claimSigning.
const std::vector<std::string>& default_signer_ekus();

// Problems of a claim signer's certificate against the C2PA certificate profile
// (C2PA §14.5.1): version 3, allowed signature and key algorithms (EC P-256/384/521, RSA of
// at least 2048 bits, Ed25519), end entity (not a CA), no unique ids, AKI present, key usage
// with digitalSignature, a non-empty EKU from `accepted_ekus` without anyExtendedKeyUsage,
// no unhandled critical extension. Empty when the certificate fits. Validity is separate.
std::vector<std::string> signer_profile_problems(std::span<const uint8_t> der,
                                                 const std::vector<std::string>& accepted_ekus);

}  // namespace clearcut::c2pa
