#include "clearcut/provenance/c2pa/signer_certificate.h"

#include "clearcut/crypto/certificate.h"

namespace clearcut::c2pa {

namespace {

// A certificate that takes up all of `der`: a signer's certificate with trailing bytes is not
// the certificate a validator would read.
base::Result<crypto::Certificate> parse_der(std::span<const uint8_t> der) {
  crypto::Certificate cert = CC_TRY(crypto::Certificate::from_der(der));
  if (cert.encoded_size() != der.size()) {
    return base::invalid_argument("not a DER X.509 certificate");
  }
  return cert;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  for (const std::string& s : list) {
    if (s == item) {
      return true;
    }
  }
  return false;
}

constexpr const char* kEmailProtection = "1.3.6.1.5.5.7.3.4";
constexpr const char* kTimeStamping = "1.3.6.1.5.5.7.3.8";
constexpr const char* kOcspSigning = "1.3.6.1.5.5.7.3.9";
constexpr const char* kAnyEku = "2.5.29.37.0";

// C2PA §14.5.1: the signature algorithms a signer's certificate may be signed with:
// sha256/384/512WithRSAEncryption, RSASSA-PSS, ecdsa-with-SHA256/384/512, Ed25519.
const std::vector<std::string>& allowed_signature_algorithms() {
  static const std::vector<std::string> kOids = {"1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12",
                                                 "1.2.840.113549.1.1.13", "1.2.840.113549.1.1.10",
                                                 "1.2.840.10045.4.3.2",   "1.2.840.10045.4.3.3",
                                                 "1.2.840.10045.4.3.4",   "1.3.101.112"};
  return kOids;
}

}  // namespace

base::Result<CertificateInfo> read_certificate(std::span<const uint8_t> der) {
  auto cert = parse_der(der);
  if (!cert) {
    return base::invalid_argument("not a DER X.509 certificate");
  }
  CertificateInfo info;
  info.subject = cert->subject();
  info.issuer = cert->issuer();
  info.serial_hex = cert->serial_hex();
  info.organization = cert->organization();
  info.not_before = cert->not_before();
  info.not_after = cert->not_after();
  info.is_ca = cert->is_ca();
  info.self_signed = cert->self_signed();
  info.extended_key_usages = cert->extended_key_usages().value_or(std::vector<std::string>{});
  return info;
}

const std::vector<std::string>& default_signer_ekus() {
  static const std::vector<std::string> kEkus = {
      kEmailProtection, "1.3.6.1.5.5.7.3.36",        kTimeStamping,
      kOcspSigning,     "1.3.6.1.4.1.311.76.59.1.9", "1.3.6.1.4.1.62558.2.1"};
  return kEkus;
}

std::vector<std::string> signer_profile_problems(std::span<const uint8_t> der,
                                                 const std::vector<std::string>& accepted_ekus) {
  std::vector<std::string> problems;
  auto parsed = parse_der(der);
  if (!parsed) {
    return {"not a DER X.509 certificate"};
  }
  const crypto::Certificate& c = *parsed;
  if (c.version() != 3) {
    problems.push_back("not an X.509 version 3 certificate");
  }
  if (!contains(allowed_signature_algorithms(), c.signature_algorithm_oid())) {
    problems.push_back("certificate signature algorithm not allowed");
  }
  auto key = c.public_key();
  if (!key) {
    problems.push_back("public key unreadable");
  } else {
    crypto::KeyType type = key->type();
    if (type == crypto::KeyType::kEc) {
      std::optional<std::string> curve = key->ec_curve_name();
      if (!curve || (*curve != "prime256v1" && *curve != "secp384r1" && *curve != "secp521r1")) {
        problems.push_back("EC key not on P-256, P-384 or P-521");
      }
    } else if (type == crypto::KeyType::kRsa) {
      if (key->bits() < 2048) {
        problems.push_back("RSA key shorter than 2048 bits");
      }
    } else if (type != crypto::KeyType::kEd25519) {
      problems.push_back("key type not allowed");
    }
  }
  bool is_ca = c.is_ca();
  if (is_ca) {
    problems.push_back(c.self_signed() ? "self-signed CA certificate"
                                       : "a CA certificate cannot sign claims");
  }
  if (c.has_unique_ids()) {
    problems.push_back("issuer or subject unique id present");
  }
  if (!c.has_authority_key_id()) {
    problems.push_back("no authority key identifier");
  }
  std::optional<crypto::KeyUsage> usage = c.key_usage();
  if (!usage) {
    problems.push_back("no key usage extension");
  } else {
    if (!usage->digital_signature && !usage->non_repudiation && !usage->key_cert_sign) {
      problems.push_back("key usage lacks digitalSignature");
    }
    if (usage->digital_signature && usage->key_cert_sign && !is_ca) {
      problems.push_back("end-entity key usage includes keyCertSign");
    }
  }
  std::vector<std::string> ekus = c.extended_key_usages().value_or(std::vector<std::string>{});
  if (ekus.empty()) {
    problems.push_back("no extended key usage");
  } else {
    if (contains(ekus, kAnyEku)) {
      problems.push_back("anyExtendedKeyUsage not allowed");
    }
    bool accepted = false;
    for (const std::string& eku : ekus) {
      accepted = accepted || contains(accepted_ekus, eku);
    }
    if (!accepted) {
      problems.push_back("no accepted extended key usage");
    }
    // §14.5.1: the time-stamping and OCSP-signing purposes exclude each other and others.
    bool ts = contains(ekus, kTimeStamping);
    bool ocsp = contains(ekus, kOcspSigning);
    if ((ts && ocsp) || ((ts || ocsp) && ekus.size() > 1)) {
      problems.push_back("time-stamping or OCSP-signing EKU combined with others");
    }
  }
  if (c.has_unhandled_critical_extension()) {
    problems.push_back("unhandled critical extension");
  }
  return problems;
}

}  // namespace clearcut::c2pa
