#include "clearcut/provenance/c2pa/signing_keys.h"

#include <cerrno>
#include <cstdio>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "clearcut/base/file.h"

namespace clearcut::c2pa {

using base::Error;
using base::Result;
using base::Status;

namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioDeleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct EcdsaSigDeleter {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
struct BignumDeleter {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

// The reason OpenSSL gave for the last failure, and an empty queue afterwards, so that one
// failure never shows up in an unrelated later call.
std::string openssl_reason() {
  unsigned long code = ERR_get_error();
  std::string reason;
  if (code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    reason = buffer;
  }
  ERR_clear_error();
  return reason;
}

Error invalid(std::string message) {
  std::string reason = openssl_reason();
  if (!reason.empty()) {
    message += " (" + reason + ")";
  }
  return base::invalid_argument(std::move(message));
}

Error internal(std::string message) {
  std::string reason = openssl_reason();
  if (!reason.empty()) {
    message += " (" + reason + ")";
  }
  return base::internal_error(std::move(message));
}

BioPtr memory_bio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Never prompt on a terminal for a pass phrase: an encrypted key is an error here.
int no_passphrase(char*, int, int, void*) {
  return -1;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(length));
}

Result<std::vector<X509Ptr>> read_certificates(std::string_view pem, std::string_view what) {
  BioPtr bio = memory_bio(pem);
  std::vector<X509Ptr> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr)) {
    certs.emplace_back(cert);
  }
  // The loop ends on "no start line" at the end of the text; anything else is damage.
  unsigned long last = ERR_peek_last_error();
  bool clean_end = ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
  if (!certs.empty() && (last == 0 || clean_end)) {
    ERR_clear_error();
    return certs;
  }
  return invalid(std::string(what) + ": no readable PEM certificate");
}

Result<PkeyPtr> read_private_key(std::string_view pem, std::string_view what) {
  BioPtr bio = memory_bio(pem);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) {
    return invalid(std::string(what) +
                   ": no readable unencrypted PEM private key (encrypted keys are not supported)");
  }
  return key;
}

std::vector<uint8_t> to_der(X509* cert) {
  int length = i2d_X509(cert, nullptr);
  CC_CHECK(length > 0);
  std::vector<uint8_t> der(static_cast<size_t>(length));
  unsigned char* p = der.data();
  i2d_X509(cert, &p);
  return der;
}

bool self_signed(X509* cert) {
  return X509_check_issued(cert, cert) == X509_V_OK;
}

// The COSE algorithm for a key (C2PA §13.2.1), and the size of its signatures.
Result<std::pair<CoseAlgorithm, size_t>> algorithm_for(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC: {
      char group[64] = {};
      size_t length = 0;
      if (EVP_PKEY_get_group_name(key, group, sizeof group, &length) != 1) {
        return invalid("EC key without a named curve");
      }
      std::string_view name(group, length);
      if (name == "prime256v1" || name == "P-256") {
        return std::pair{CoseAlgorithm::kEs256, size_t{64}};
      }
      if (name == "secp384r1" || name == "P-384") {
        return std::pair{CoseAlgorithm::kEs384, size_t{96}};
      }
      if (name == "secp521r1" || name == "P-521") {
        return std::pair{CoseAlgorithm::kEs512, size_t{132}};
      }
      return invalid("EC curve " + std::string(name) +
                     " is not allowed for C2PA (P-256, P-384, P-521)");
    }
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS: {
      if (EVP_PKEY_get_bits(key) < 2048) {
        return invalid("RSA keys must have at least 2048 bits for C2PA");
      }
      return std::pair{CoseAlgorithm::kPs256, static_cast<size_t>(EVP_PKEY_get_size(key))};
    }
    case EVP_PKEY_ED25519:
      return std::pair{CoseAlgorithm::kEd25519, size_t{64}};
    default:
      break;
  }
  return invalid("key type not allowed for C2PA (EC P-256/384/521, RSA, Ed25519)");
}

const EVP_MD* digest_for(CoseAlgorithm algorithm) {
  switch (algorithm) {
    case CoseAlgorithm::kEs256:
    case CoseAlgorithm::kPs256:
      return EVP_sha256();
    case CoseAlgorithm::kEs384:
    case CoseAlgorithm::kPs384:
      return EVP_sha384();
    case CoseAlgorithm::kEs512:
    case CoseAlgorithm::kPs512:
      return EVP_sha512();
    case CoseAlgorithm::kEd25519:
      break;
  }
  return nullptr;  // Ed25519 signs the message itself
}

// EVP_EC_gen would do, but its macro casts away const (clang -Wcast-qual).
PkeyPtr generate_ec_key(const char* group) {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_group_name(ctx.get(), group) != 1 ||
      EVP_PKEY_generate(ctx.get(), &key) != 1) {
    return nullptr;
  }
  return PkeyPtr(key);
}

PkeyPtr generate_key(CoseAlgorithm algorithm) {
  switch (algorithm) {
    case CoseAlgorithm::kEs256:
      return generate_ec_key("P-256");
    case CoseAlgorithm::kEs384:
      return generate_ec_key("P-384");
    case CoseAlgorithm::kEs512:
      return generate_ec_key("P-521");
    case CoseAlgorithm::kPs256:
    case CoseAlgorithm::kPs384:
    case CoseAlgorithm::kPs512:
      return PkeyPtr(EVP_RSA_gen(2048));
    case CoseAlgorithm::kEd25519:
      return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  }
  return nullptr;
}

Status add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) {
    return internal(std::string("cannot make certificate extension ") + OBJ_nid2sn(nid) + "=" +
                    value);
  }
  int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (added != 1) {
    return internal(std::string("cannot add certificate extension ") + OBJ_nid2sn(nid));
  }
  return {};
}

Status set_subject(X509* cert, const CertificateSubject& subject) {
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
    return invalid("certificate subject not accepted");
  }
  return {};
}

// Random positive 128-bit serial (RFC 5280 §4.1.2.2 allows up to 20 octets).
Status set_random_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return internal("no random bytes for a certificate serial");
  }
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7F) | 0x01);
  std::unique_ptr<BIGNUM, BignumDeleter> bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  if (!bn || BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) == nullptr) {
    return internal("cannot set a certificate serial");
  }
  return {};
}

struct CertificatePlan {
  const CertificateOptions* options = nullptr;
  EVP_PKEY* key = nullptr;         // the subject's key
  X509* issuer = nullptr;          // null: self-signed
  EVP_PKEY* issuer_key = nullptr;  // the key that signs
  bool ca = false;
  int path_length = 1;  // CAs only
};

Result<X509Ptr> make_certificate(const CertificatePlan& plan) {
  if (plan.options->validity_days <= 0) {
    return base::invalid_argument("certificate validity must be at least one day");
  }
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return internal("cannot make a certificate");
  }
  CC_TRY(set_random_serial(cert.get()));
  // A few minutes of slack for clocks that run behind the signer's.
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400L * plan.options->validity_days);
  CC_TRY(set_subject(cert.get(), plan.options->subject));
  X509_set_issuer_name(cert.get(), plan.issuer != nullptr ? X509_get_subject_name(plan.issuer)
                                                          : X509_get_subject_name(cert.get()));
  if (X509_set_pubkey(cert.get(), plan.key) != 1) {
    return internal("cannot set the certificate's public key");
  }
  X509* issuer = plan.issuer != nullptr ? plan.issuer : cert.get();
  // SKI first: a self-signed certificate's AKI is computed from it.
  CC_TRY(add_extension(cert.get(), issuer, NID_subject_key_identifier, "hash"));
  // c2pa-rs wants an AKI even on a self-signed certificate; OpenSSL adds one there only
  // when told "always".
  CC_TRY(add_extension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always"));
  if (plan.ca) {
    std::string constraints = "critical,CA:TRUE,pathlen:" + std::to_string(plan.path_length);
    CC_TRY(add_extension(cert.get(), issuer, NID_basic_constraints, constraints.c_str()));
    CC_TRY(add_extension(cert.get(), issuer, NID_key_usage, "critical,keyCertSign,cRLSign"));
  } else {
    CC_TRY(add_extension(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE"));
    CC_TRY(add_extension(cert.get(), issuer, NID_key_usage, "critical,digitalSignature"));
    std::string eku = "emailProtection," + std::string(kC2paClaimSigningEku);
    CC_TRY(add_extension(cert.get(), issuer, NID_ext_key_usage, eku.c_str()));
  }
  const EVP_MD* md = EVP_PKEY_get_base_id(plan.issuer_key) == EVP_PKEY_ED25519
                         ? nullptr
                         : EVP_sha256();  // ecdsa-with-SHA256 / sha256WithRSAEncryption
  if (X509_sign(cert.get(), plan.issuer_key, md) <= 0) {
    return internal("cannot sign the certificate");
  }
  return cert;
}

Result<std::string> private_key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PKCS8PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return internal("cannot write the private key");
  }
  return bio_text(bio.get());
}

Result<std::string> certificate_pem(const std::vector<X509*>& certs) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  for (X509* cert : certs) {
    if (PEM_write_bio_X509(bio.get(), cert) != 1) {
      return internal("cannot write a certificate");
    }
  }
  return bio_text(bio.get());
}

}  // namespace

struct SigningKeys::Key {
  PkeyPtr pkey;
};

Result<SigningKeys> SigningKeys::from_pem(std::string_view private_key_pem,
                                          std::string_view certificate_chain_pem,
                                          std::optional<CoseAlgorithm> algorithm) {
  PkeyPtr key = CC_TRY(read_private_key(private_key_pem, "signing key"));
  std::vector<X509Ptr> certs =
      CC_TRY(read_certificates(certificate_chain_pem, "certificate chain"));
  if (X509_check_private_key(certs.front().get(), key.get()) != 1) {
    return invalid("the first certificate of the chain is not the signing key's");
  }
  auto [own, size] = CC_TRY(algorithm_for(key.get()));
  if (algorithm && *algorithm != own) {
    bool rsa = own == CoseAlgorithm::kPs256;
    if (!rsa || (*algorithm != CoseAlgorithm::kPs384 && *algorithm != CoseAlgorithm::kPs512)) {
      return base::invalid_argument(std::string(cose_algorithm_name(*algorithm)) +
                                    " does not fit the key, which signs " +
                                    std::string(cose_algorithm_name(own)));
    }
    own = *algorithm;
  }
  if (certs.size() > 1 && self_signed(certs.back().get())) {
    certs.pop_back();
  }
  SigningKeys keys;
  keys.algorithm_ = own;
  keys.signature_size_ = size;
  for (const X509Ptr& cert : certs) {
    keys.chain_.push_back(to_der(cert.get()));
  }
  auto shared = std::make_shared<Key>();
  shared->pkey = std::move(key);
  keys.key_ = std::move(shared);
  return keys;
}

Result<SigningKeys> SigningKeys::load(const std::string& private_key_path,
                                      const std::string& certificate_chain_path,
                                      std::optional<CoseAlgorithm> algorithm) {
  std::string key = CC_TRY(base::read_file(private_key_path));
  std::string chain = CC_TRY(base::read_file(certificate_chain_path));
  auto keys = from_pem(key, chain, algorithm);
  std::fill(key.begin(), key.end(), '\0');
  if (!keys.has_value()) {
    Error error = std::move(keys).error();
    return error.with_context(private_key_path + ", " + certificate_chain_path);
  }
  return keys;
}

Result<std::vector<uint8_t>> SigningKeys::sign(std::span<const uint8_t> to_be_signed) const {
  CC_CHECK(key_ != nullptr);
  EVP_PKEY* key = key_->pkey.get();
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, digest_for(algorithm_), nullptr, key) != 1) {
    return internal("cannot start signing");
  }
  if (algorithm_ == CoseAlgorithm::kPs256 || algorithm_ == CoseAlgorithm::kPs384 ||
      algorithm_ == CoseAlgorithm::kPs512) {
    // RFC 8230 §2: PSS with MGF1 over the same hash and a salt as long as the hash.
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1) {
      return internal("cannot set RSA-PSS padding");
    }
  }
  size_t length = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &length, to_be_signed.data(), to_be_signed.size()) != 1) {
    return internal("cannot size the signature");
  }
  std::vector<uint8_t> signature(length);
  if (EVP_DigestSign(ctx.get(), signature.data(), &length, to_be_signed.data(),
                     to_be_signed.size()) != 1) {
    return internal("signing failed");
  }
  signature.resize(length);
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
    return signature;
  }
  // RFC 9053 §2.1: ECDSA as r‖s, each left-padded to the size of the group order.
  const unsigned char* p = signature.data();
  std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> sig(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(signature.size())));
  if (!sig) {
    return internal("cannot read the ECDSA signature");
  }
  size_t width = signature_size_ / 2;
  std::vector<uint8_t> raw(signature_size_);
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), static_cast<int>(width)) < 0 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + width, static_cast<int>(width)) < 0) {
    return internal("ECDSA signature does not fit the curve");
  }
  return raw;
}

Result<PemCredentials> generate_root_ca(const CertificateOptions& options) {
  PkeyPtr key = generate_key(options.algorithm);
  if (!key) {
    return internal("key generation failed");
  }
  CertificatePlan plan;
  plan.options = &options;
  plan.key = key.get();
  plan.issuer_key = key.get();
  plan.ca = true;
  X509Ptr cert = CC_TRY(make_certificate(plan));
  PemCredentials out;
  out.private_key_pem = CC_TRY(private_key_pem(key.get()));
  out.certificate_chain_pem = CC_TRY(certificate_pem({cert.get()}));
  return out;
}

namespace {

Result<PemCredentials> issue(const CertificateOptions& options, std::string_view ca_certificate_pem,
                             std::string_view ca_private_key_pem, bool ca_role) {
  std::vector<X509Ptr> ca_chain = CC_TRY(read_certificates(ca_certificate_pem, "CA certificate"));
  PkeyPtr ca_key = CC_TRY(read_private_key(ca_private_key_pem, "CA key"));
  X509* ca = ca_chain.front().get();
  if (X509_check_private_key(ca, ca_key.get()) != 1) {
    return invalid("the CA key is not the CA certificate's");
  }
  if (X509_check_ca(ca) == 0) {
    return base::invalid_argument("the CA certificate is not a CA (basicConstraints CA:FALSE)");
  }
  PkeyPtr key = generate_key(options.algorithm);
  if (!key) {
    return internal("key generation failed");
  }
  CertificatePlan plan;
  plan.options = &options;
  plan.key = key.get();
  plan.issuer = ca;
  plan.issuer_key = ca_key.get();
  plan.ca = ca_role;
  plan.path_length = 0;
  X509Ptr cert = CC_TRY(make_certificate(plan));
  // x5chain: the new certificate, then every CA of the given chain that is not a root.
  std::vector<X509*> chain = {cert.get()};
  for (const X509Ptr& c : ca_chain) {
    if (!self_signed(c.get())) {
      chain.push_back(c.get());
    }
  }
  PemCredentials out;
  out.private_key_pem = CC_TRY(private_key_pem(key.get()));
  out.certificate_chain_pem = CC_TRY(certificate_pem(chain));
  return out;
}

}  // namespace

Result<PemCredentials> issue_intermediate_ca(const CertificateOptions& options,
                                             std::string_view ca_certificate_pem,
                                             std::string_view ca_private_key_pem) {
  return issue(options, ca_certificate_pem, ca_private_key_pem, true);
}

Result<PemCredentials> issue_signer_certificate(const CertificateOptions& options,
                                                std::string_view ca_certificate_pem,
                                                std::string_view ca_private_key_pem) {
  return issue(options, ca_certificate_pem, ca_private_key_pem, false);
}

}  // namespace clearcut::c2pa
