#include "clearcut/provenance/c2pa/signer_certificate.h"

#include <ctime>
#include <memory>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "clearcut/base/hex.h"

namespace clearcut::c2pa {

namespace {

struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioDeleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct EkuDeleter {
  void operator()(EXTENDED_KEY_USAGE* p) const { sk_ASN1_OBJECT_pop_free(p, ASN1_OBJECT_free); }
};

using X509Ptr = std::unique_ptr<X509, X509Deleter>;

X509Ptr parse_der(std::span<const uint8_t> der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (cert && p != der.data() + der.size()) {
    return nullptr;
  }
  return cert;
}

std::string name_string(const X509_NAME* name) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

int64_t to_unix(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    return 0;
  }
  return static_cast<int64_t>(timegm(&tm));
}

std::string oid_text(const ASN1_OBJECT* object) {
  char buffer[128];
  int length = OBJ_obj2txt(buffer, sizeof buffer, object, 1);
  if (length <= 0 || static_cast<size_t>(length) >= sizeof buffer) {
    return {};
  }
  return std::string(buffer, static_cast<size_t>(length));
}

std::vector<std::string> ekus_of(X509* cert, bool* present) {
  std::vector<std::string> out;
  std::unique_ptr<EXTENDED_KEY_USAGE, EkuDeleter> eku(static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(cert, NID_ext_key_usage, nullptr, nullptr)));
  *present = eku != nullptr;
  if (eku) {
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
      out.push_back(oid_text(sk_ASN1_OBJECT_value(eku.get(), i)));
    }
  }
  return out;
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

}  // namespace

base::Result<CertificateInfo> read_certificate(std::span<const uint8_t> der) {
  X509Ptr cert = parse_der(der);
  if (!cert) {
    return base::invalid_argument("not a DER X.509 certificate");
  }
  CertificateInfo info;
  info.subject = name_string(X509_get_subject_name(cert.get()));
  info.issuer = name_string(X509_get_issuer_name(cert.get()));
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert.get());
  std::vector<uint8_t> serial_bytes(serial->data, serial->data + serial->length);
  info.serial_hex = base::to_hex(serial_bytes);
  const X509_NAME* subject = X509_get_subject_name(cert.get());
  for (int i = X509_NAME_entry_count(subject) - 1; i >= 0; --i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(subject, i);
    if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry)) == NID_organizationName) {
      const ASN1_STRING* value = X509_NAME_ENTRY_get_data(entry);
      info.organization = std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                                      static_cast<size_t>(ASN1_STRING_length(value)));
      break;
    }
  }
  info.not_before = to_unix(X509_get0_notBefore(cert.get()));
  info.not_after = to_unix(X509_get0_notAfter(cert.get()));
  info.is_ca = X509_check_ca(cert.get()) != 0;
  info.self_signed = (X509_get_extension_flags(cert.get()) & EXFLAG_SS) != 0;
  bool has_eku = false;
  info.extended_key_usages = ekus_of(cert.get(), &has_eku);
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
  X509Ptr cert = parse_der(der);
  if (!cert) {
    return {"not a DER X.509 certificate"};
  }
  X509* c = cert.get();
  if (X509_get_version(c) != X509_VERSION_3) {
    problems.push_back("not an X.509 version 3 certificate");
  }
  switch (X509_get_signature_nid(c)) {
    case NID_sha256WithRSAEncryption:
    case NID_sha384WithRSAEncryption:
    case NID_sha512WithRSAEncryption:
    case NID_ecdsa_with_SHA256:
    case NID_ecdsa_with_SHA384:
    case NID_ecdsa_with_SHA512:
    case NID_rsassaPss:
    case NID_ED25519:
      break;
    default:
      problems.push_back("certificate signature algorithm not allowed");
  }
  EVP_PKEY* key = X509_get0_pubkey(c);
  if (key == nullptr) {
    problems.push_back("public key unreadable");
  } else {
    int type = EVP_PKEY_base_id(key);
    if (type == EVP_PKEY_EC) {
      char group[64] = {0};
      size_t length = 0;
      if (EVP_PKEY_get_group_name(key, group, sizeof group, &length) != 1 ||
          (std::string_view(group) != "prime256v1" && std::string_view(group) != "secp384r1" &&
           std::string_view(group) != "secp521r1")) {
        problems.push_back("EC key not on P-256, P-384 or P-521");
      }
    } else if (type == EVP_PKEY_RSA || type == EVP_PKEY_RSA_PSS) {
      if (EVP_PKEY_get_bits(key) < 2048) {
        problems.push_back("RSA key shorter than 2048 bits");
      }
    } else if (type != EVP_PKEY_ED25519) {
      problems.push_back("key type not allowed");
    }
  }
  uint32_t flags = X509_get_extension_flags(c);
  bool is_ca = X509_check_ca(c) != 0;
  if (is_ca) {
    problems.push_back(flags & EXFLAG_SS ? "self-signed CA certificate"
                                         : "a CA certificate cannot sign claims");
  }
  const ASN1_BIT_STRING* issuer_uid = nullptr;
  const ASN1_BIT_STRING* subject_uid = nullptr;
  X509_get0_uids(c, &issuer_uid, &subject_uid);
  if (issuer_uid != nullptr || subject_uid != nullptr) {
    problems.push_back("issuer or subject unique id present");
  }
  if (X509_get0_authority_key_id(c) == nullptr) {
    problems.push_back("no authority key identifier");
  }
  if ((flags & EXFLAG_KUSAGE) == 0) {
    problems.push_back("no key usage extension");
  } else {
    uint32_t usage = X509_get_key_usage(c);
    if ((usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION | KU_KEY_CERT_SIGN)) == 0) {
      problems.push_back("key usage lacks digitalSignature");
    }
    if ((usage & KU_DIGITAL_SIGNATURE) && (usage & KU_KEY_CERT_SIGN) && !is_ca) {
      problems.push_back("end-entity key usage includes keyCertSign");
    }
  }
  bool has_eku = false;
  std::vector<std::string> ekus = ekus_of(c, &has_eku);
  if (!has_eku || ekus.empty()) {
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
  if (flags & EXFLAG_CRITICAL) {
    problems.push_back("unhandled critical extension");
  }
  return problems;
}

}  // namespace clearcut::c2pa
