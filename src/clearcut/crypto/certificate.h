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
#include "clearcut/crypto/key.h"

namespace clearcut::crypto {

namespace internal {
struct Access;
struct CertificateHolder;
}  // namespace internal

// The keyUsage bits (RFC 5280 §4.2.1.3) that signers are judged by.
struct KeyUsage {
  bool digital_signature = false;
  bool non_repudiation = false;
  bool key_cert_sign = false;
};

// A parsed X.509 certificate. Immutable; copies share it; safe to read from several threads.
// Times are Unix seconds; OIDs are dotted text.
class Certificate {
 public:
  // The DER certificate at the start of `der`. Bytes after it are not read: encoded_size()
  // says how many the certificate took, for callers that must refuse trailing data.
  static base::Result<Certificate> from_der(std::span<const uint8_t> der);
  // Every CERTIFICATE block of a PEM text, in order; empty when there is none. Damage in the
  // text is an error (kInvalidArgument) that names the certificate's position.
  static base::Result<std::vector<Certificate>> from_pem(std::string_view pem);

  size_t encoded_size() const { return encoded_size_; }
  std::vector<uint8_t> to_der() const;
  base::Result<std::string> to_pem() const;

  int version() const;          // 1 to 3
  std::string subject() const;  // one-line RFC 2253 form
  std::string issuer() const;
  std::string serial_hex() const;
  std::optional<std::string> organization() const;  // the subject's last O=
  int64_t not_before() const;
  int64_t not_after() const;
  std::string signature_algorithm_oid() const;
  base::Result<PublicKey> public_key() const;
  bool matches(const PrivateKey& key) const;

  bool is_ca() const;
  // Self-issued, and its authority key identifier (if any) and signature algorithm fit its
  // own key (OpenSSL's EXFLAG_SS).
  bool self_signed() const;
  // Whether `issuer` could have issued this certificate: names, key identifiers and the
  // issuer's key usage agree (the signature is not checked).
  bool issued_by(const Certificate& issuer) const;
  bool has_unique_ids() const;
  bool has_authority_key_id() const;
  std::optional<KeyUsage> key_usage() const;  // nullopt without the extension
  std::optional<std::vector<std::string>> extended_key_usages() const;  // likewise
  bool has_unhandled_critical_extension() const;

 private:
  friend struct internal::Access;
  Certificate(std::shared_ptr<const internal::CertificateHolder> holder, size_t encoded_size);
  std::shared_ptr<const internal::CertificateHolder> holder_;
  size_t encoded_size_ = 0;
};

struct CertificateName {
  std::string common_name;  // required
  std::string organization;
  std::string country;  // two letters, or empty
};

// What issue_certificate() writes: version 3, a random positive 128-bit serial, valid from
// five minutes before now (for clocks running behind) for `validity_days`, SKI and AKI (also
// on a self-signed certificate). A CA gets basicConstraints CA:TRUE with `path_length` and
// keyUsage keyCertSign, cRLSign; an end entity CA:FALSE, keyUsage digitalSignature and the
// `extended_key_usages` (OpenSSL names or dotted OIDs). Both constraints are critical.
struct CertificateProfile {
  CertificateName subject;
  int validity_days = 365;
  bool ca = false;
  int path_length = 0;
  std::vector<std::string> extended_key_usages;
};

// A certificate for `subject_key`, signed by `issuer_key` under `issuer`'s name, or
// self-signed when `issuer` is null. Errors: kInvalidArgument for a profile without a common
// name or validity, kInternal when OpenSSL fails.
base::Result<Certificate> issue_certificate(const CertificateProfile& profile,
                                            const PublicKey& subject_key, const Certificate* issuer,
                                            const PrivateKey& issuer_key);

struct ChainCheck {
  bool trusted = false;
  std::string reason;  // why not, in OpenSSL's words; for people, never for decisions
};

// RFC 5280 path validation with OpenSSL's strict checks, from `leaf` through `intermediates`
// to one of `anchors`; an anchor may be an intermediate (partial chains are accepted).
// Validity periods are checked at `at_time` (Unix seconds) or not at all when it is absent.
ChainCheck verify_chain(const std::vector<Certificate>& anchors, const Certificate& leaf,
                        const std::vector<Certificate>& intermediates,
                        std::optional<int64_t> at_time);

}  // namespace clearcut::crypto
