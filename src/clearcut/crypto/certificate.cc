#include "clearcut/crypto/certificate.h"

#include <ctime>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "clearcut/base/hex.h"
#include "clearcut/crypto/internal/openssl_ptr.h"
#include "clearcut/crypto/random.h"

namespace clearcut::crypto {

namespace internal {

X509* Access::x509(const Certificate& certificate) {
  return certificate.holder_->x509.get();
}

Certificate Access::certificate(X509Ptr x509, size_t encoded_size) {
  auto holder = std::make_shared<CertificateHolder>();
  holder->x509 = std::move(x509);
  return Certificate(std::move(holder), encoded_size);
}

}  // namespace internal

namespace {

using internal::Access;
using internal::X509Ptr;

std::string name_string(const X509_NAME* name) {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  return internal::bio_text(bio.get());
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

uint32_t extension_flags(X509* cert) {
  return X509_get_extension_flags(cert);
}

}  // namespace

Certificate::Certificate(std::shared_ptr<const internal::CertificateHolder> holder,
                         size_t encoded_size)
    : holder_(std::move(holder)), encoded_size_(encoded_size) {}

base::Result<Certificate> Certificate::from_der(std::span<const uint8_t> der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) {
    ERR_clear_error();
    return base::invalid_argument("not a DER X.509 certificate");
  }
  return Access::certificate(std::move(cert), static_cast<size_t>(p - der.data()));
}

base::Result<std::vector<Certificate>> Certificate::from_pem(std::string_view pem) {
  internal::BioPtr bio = internal::memory_bio(pem);
  std::vector<Certificate> certs;
  while (true) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, internal::no_passphrase, nullptr));
    if (!cert) {
      // The end of the text shows up as "no start line"; anything else is damage.
      unsigned long last = ERR_peek_last_error();
      if (last != 0 && ERR_GET_REASON(last) != PEM_R_NO_START_LINE) {
        return internal::invalid("certificate " + std::to_string(certs.size() + 1) +
                                 " does not parse");
      }
      ERR_clear_error();
      return certs;
    }
    int length = i2d_X509(cert.get(), nullptr);
    certs.push_back(Access::certificate(std::move(cert), static_cast<size_t>(length)));
  }
}

std::vector<uint8_t> Certificate::to_der() const {
  X509* cert = holder_->x509.get();
  int length = i2d_X509(cert, nullptr);
  CC_CHECK(length > 0);
  std::vector<uint8_t> der(static_cast<size_t>(length));
  unsigned char* p = der.data();
  i2d_X509(cert, &p);
  return der;
}

base::Result<std::string> Certificate::to_pem() const {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), holder_->x509.get()) != 1) {
    return internal::internal("cannot write a certificate");
  }
  return internal::bio_text(bio.get());
}

int Certificate::version() const {
  return static_cast<int>(X509_get_version(holder_->x509.get())) + 1;
}

std::string Certificate::subject() const {
  return name_string(X509_get_subject_name(holder_->x509.get()));
}

std::string Certificate::issuer() const {
  return name_string(X509_get_issuer_name(holder_->x509.get()));
}

std::string Certificate::serial_hex() const {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(holder_->x509.get());
  std::vector<uint8_t> bytes(serial->data, serial->data + serial->length);
  return base::to_hex(bytes);
}

std::optional<std::string> Certificate::organization() const {
  const X509_NAME* subject = X509_get_subject_name(holder_->x509.get());
  for (int i = X509_NAME_entry_count(subject) - 1; i >= 0; --i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(subject, i);
    if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry)) == NID_organizationName) {
      const ASN1_STRING* value = X509_NAME_ENTRY_get_data(entry);
      return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                         static_cast<size_t>(ASN1_STRING_length(value)));
    }
  }
  return std::nullopt;
}

int64_t Certificate::not_before() const {
  return to_unix(X509_get0_notBefore(holder_->x509.get()));
}

int64_t Certificate::not_after() const {
  return to_unix(X509_get0_notAfter(holder_->x509.get()));
}

std::string Certificate::signature_algorithm_oid() const {
  const X509_ALGOR* algorithm = nullptr;
  X509_get0_signature(nullptr, &algorithm, holder_->x509.get());
  const ASN1_OBJECT* object = nullptr;
  X509_ALGOR_get0(&object, nullptr, nullptr, algorithm);
  return object != nullptr ? oid_text(object) : std::string();
}

base::Result<PublicKey> Certificate::public_key() const {
  internal::PkeyPtr key(X509_get_pubkey(holder_->x509.get()));
  if (!key) {
    ERR_clear_error();
    return base::invalid_argument("certificate has no readable public key");
  }
  return Access::public_key(std::move(key));
}

bool Certificate::matches(const PrivateKey& key) const {
  bool match = X509_check_private_key(holder_->x509.get(), Access::pkey(key)) == 1;
  ERR_clear_error();
  return match;
}

bool Certificate::is_ca() const {
  return X509_check_ca(holder_->x509.get()) != 0;
}

bool Certificate::self_signed() const {
  return (extension_flags(holder_->x509.get()) & EXFLAG_SS) != 0;
}

bool Certificate::issued_by(const Certificate& issuer) const {
  return X509_check_issued(issuer.holder_->x509.get(), holder_->x509.get()) == X509_V_OK;
}

bool Certificate::has_unique_ids() const {
  const ASN1_BIT_STRING* issuer_uid = nullptr;
  const ASN1_BIT_STRING* subject_uid = nullptr;
  X509_get0_uids(holder_->x509.get(), &issuer_uid, &subject_uid);
  return issuer_uid != nullptr || subject_uid != nullptr;
}

bool Certificate::has_authority_key_id() const {
  return X509_get0_authority_key_id(holder_->x509.get()) != nullptr;
}

std::optional<KeyUsage> Certificate::key_usage() const {
  X509* cert = holder_->x509.get();
  if ((extension_flags(cert) & EXFLAG_KUSAGE) == 0) {
    return std::nullopt;
  }
  uint32_t bits = X509_get_key_usage(cert);
  KeyUsage usage;
  usage.digital_signature = (bits & KU_DIGITAL_SIGNATURE) != 0;
  usage.non_repudiation = (bits & KU_NON_REPUDIATION) != 0;
  usage.key_cert_sign = (bits & KU_KEY_CERT_SIGN) != 0;
  return usage;
}

std::optional<std::vector<std::string>> Certificate::extended_key_usages() const {
  internal::EkuPtr eku(static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(holder_->x509.get(), NID_ext_key_usage, nullptr, nullptr)));
  if (!eku) {
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
    out.push_back(oid_text(sk_ASN1_OBJECT_value(eku.get(), i)));
  }
  return out;
}

bool Certificate::has_unhandled_critical_extension() const {
  return (extension_flags(holder_->x509.get()) & EXFLAG_CRITICAL) != 0;
}

namespace {

base::Status add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) {
    return internal::internal(std::string("cannot make certificate extension ") + OBJ_nid2sn(nid) +
                              "=" + value);
  }
  int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (added != 1) {
    return internal::internal(std::string("cannot add certificate extension ") + OBJ_nid2sn(nid));
  }
  return {};
}

base::Status set_subject(X509* cert, const CertificateName& subject) {
  if (subject.common_name.empty()) {
    return base::invalid_argument("a certificate needs a common name");
  }
  X509_NAME* name = X509_get_subject_name(cert);
  auto add = [&](const char* field, const std::string& value) {
    return value.empty() ||
           X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.data()),
                                      static_cast<int>(value.size()), -1, 0) == 1;
  };
  if (!add("C", subject.country) || !add("O", subject.organization) ||
      !add("CN", subject.common_name)) {
    return internal::invalid("certificate subject not accepted");
  }
  return {};
}

// Random positive 128-bit serial (RFC 5280 §4.1.2.2 allows up to 20 octets).
base::Status set_random_serial(X509* cert) {
  uint8_t bytes[16];
  if (!random_bytes(bytes).has_value()) {
    return internal::internal("no random bytes for a certificate serial");
  }
  bytes[0] = static_cast<uint8_t>((bytes[0] & 0x7F) | 0x01);
  internal::BignumPtr bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  if (!bn || BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) == nullptr) {
    return internal::internal("cannot set a certificate serial");
  }
  return {};
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    out += (out.empty() ? "" : ",") + item;
  }
  return out;
}

}  // namespace

base::Result<Certificate> issue_certificate(const CertificateProfile& profile,
                                            const PublicKey& subject_key, const Certificate* issuer,
                                            const PrivateKey& issuer_key) {
  if (profile.validity_days <= 0) {
    return base::invalid_argument("certificate validity must be at least one day");
  }
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return internal::internal("cannot make a certificate");
  }
  CC_TRY(set_random_serial(cert.get()));
  // A few minutes of slack for clocks that run behind the signer's.
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400L * profile.validity_days);
  CC_TRY(set_subject(cert.get(), profile.subject));
  X509* issuer_cert = issuer != nullptr ? Access::x509(*issuer) : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert));
  if (X509_set_pubkey(cert.get(), Access::pkey(subject_key)) != 1) {
    return internal::internal("cannot set the certificate's public key");
  }
  // SKI first: a self-signed certificate's AKI is computed from it.
  CC_TRY(add_extension(cert.get(), issuer_cert, NID_subject_key_identifier, "hash"));
  // c2pa-rs wants an AKI even on a self-signed certificate; OpenSSL adds one there only
  // when told "always".
  CC_TRY(add_extension(cert.get(), issuer_cert, NID_authority_key_identifier, "keyid:always"));
  if (profile.ca) {
    CC_TRY(add_extension(cert.get(), issuer_cert, NID_basic_constraints,
                         "critical,CA:TRUE,pathlen:" + std::to_string(profile.path_length)));
    CC_TRY(add_extension(cert.get(), issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign"));
  } else {
    CC_TRY(add_extension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:FALSE"));
    CC_TRY(add_extension(cert.get(), issuer_cert, NID_key_usage, "critical,digitalSignature"));
    if (!profile.extended_key_usages.empty()) {
      CC_TRY(add_extension(cert.get(), issuer_cert, NID_ext_key_usage,
                           joined(profile.extended_key_usages)));
    }
  }
  EVP_PKEY* signing_key = Access::pkey(issuer_key);
  const EVP_MD* md = EVP_PKEY_get_base_id(signing_key) == EVP_PKEY_ED25519
                         ? nullptr
                         : EVP_sha256();  // ecdsa-with-SHA256 / sha256WithRSAEncryption
  if (X509_sign(cert.get(), signing_key, md) <= 0) {
    return internal::internal("cannot sign the certificate");
  }
  int length = i2d_X509(cert.get(), nullptr);
  return Access::certificate(std::move(cert), static_cast<size_t>(length));
}

ChainCheck verify_chain(const std::vector<Certificate>& anchors, const Certificate& leaf,
                        const std::vector<Certificate>& intermediates,
                        std::optional<int64_t> at_time) {
  internal::X509StorePtr store(X509_STORE_new());
  internal::X509StackPtr chain(sk_X509_new_null());
  internal::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!store || !chain || !ctx) {
    ERR_clear_error();
    return {false, "cannot set up certificate path validation"};
  }
  for (const Certificate& anchor : anchors) {
    X509_STORE_add_cert(store.get(), Access::x509(anchor));
  }
  for (const Certificate& cert : intermediates) {
    X509* x509 = Access::x509(cert);
    X509_up_ref(x509);
    sk_X509_push(chain.get(), x509);
  }
  if (X509_STORE_CTX_init(ctx.get(), store.get(), Access::x509(leaf), chain.get()) != 1) {
    ERR_clear_error();
    return {false, "cannot set up certificate path validation"};
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  unsigned long flags = X509_V_FLAG_X509_STRICT | X509_V_FLAG_PARTIAL_CHAIN;
  if (at_time) {
    X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(*at_time));
  } else {
    flags |= X509_V_FLAG_NO_CHECK_TIME;
  }
  X509_VERIFY_PARAM_set_flags(param, flags);
  ChainCheck check;
  check.trusted = X509_verify_cert(ctx.get()) == 1;
  if (!check.trusted) {
    check.reason = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
  }
  ERR_clear_error();
  return check;
}

}  // namespace clearcut::crypto
