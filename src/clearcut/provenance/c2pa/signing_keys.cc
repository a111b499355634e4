#include "clearcut/provenance/c2pa/signing_keys.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "clearcut/base/file.h"
#include "clearcut/crypto/certificate.h"
#include "clearcut/crypto/key.h"

namespace clearcut::c2pa {

using base::Error;
using base::Result;

namespace {

Result<std::vector<crypto::Certificate>> read_certificates(std::string_view pem,
                                                           std::string_view what) {
  auto certs = crypto::Certificate::from_pem(pem);
  if (!certs.has_value()) {
    return base::invalid_argument(std::string(what) + ": no readable PEM certificate (" +
                                  certs.error().message() + ")");
  }
  if (certs->empty()) {
    return base::invalid_argument(std::string(what) + ": no readable PEM certificate");
  }
  return certs;
}

Result<crypto::PrivateKey> read_private_key(std::string_view pem, std::string_view what) {
  auto key = crypto::PrivateKey::from_pem(pem);
  if (!key.has_value()) {
    return base::invalid_argument(std::string(what) + ": " + key.error().message());
  }
  return key;
}

// The COSE algorithm for a key (C2PA §13.2.1), and the size of its signatures.
Result<std::pair<CoseAlgorithm, size_t>> algorithm_for(const crypto::PublicKey& key) {
  switch (key.type()) {
    case crypto::KeyType::kEc: {
      std::optional<std::string> name = key.ec_curve_name();
      if (!name) {
        return base::invalid_argument("EC key without a named curve");
      }
      if (name == "prime256v1" || name == "P-256") {
        return std::pair{CoseAlgorithm::kEs256, size_t{64}};
      }
      if (name == "secp384r1" || name == "P-384") {
        return std::pair{CoseAlgorithm::kEs384, size_t{96}};
      }
      if (name == "secp521r1" || name == "P-521") {
        return std::pair{CoseAlgorithm::kEs512, size_t{132}};
      }
      return base::invalid_argument("EC curve " + *name +
                                    " is not allowed for C2PA (P-256, P-384, P-521)");
    }
    case crypto::KeyType::kRsa: {
      if (key.bits() < 2048) {
        return base::invalid_argument("RSA keys must have at least 2048 bits for C2PA");
      }
      return std::pair{CoseAlgorithm::kPs256, static_cast<size_t>((key.bits() + 7) / 8)};
    }
    case crypto::KeyType::kEd25519:
      return std::pair{CoseAlgorithm::kEd25519, size_t{64}};
    case crypto::KeyType::kOther:
      break;
  }
  return base::invalid_argument("key type not allowed for C2PA (EC P-256/384/521, RSA, Ed25519)");
}

crypto::KeyKind key_kind(CoseAlgorithm algorithm) {
  switch (algorithm) {
    case CoseAlgorithm::kEs256:
      return crypto::KeyKind::kP256;
    case CoseAlgorithm::kEs384:
      return crypto::KeyKind::kP384;
    case CoseAlgorithm::kEs512:
      return crypto::KeyKind::kP521;
    case CoseAlgorithm::kPs256:
    case CoseAlgorithm::kPs384:
    case CoseAlgorithm::kPs512:
      return crypto::KeyKind::kRsa2048;
    case CoseAlgorithm::kEd25519:
      break;
  }
  return crypto::KeyKind::kEd25519;
}

// The C2PA certificate profiles (C2PA §14.5.1): CAs with a path length, claim signers with
// the emailProtection and c2pa-kp-claimSigning purposes.
crypto::CertificateProfile profile_for(const CertificateOptions& options, bool ca,
                                       int path_length) {
  crypto::CertificateProfile profile;
  profile.subject = {options.subject.common_name, options.subject.organization,
                     options.subject.country};
  profile.validity_days = options.validity_days;
  profile.ca = ca;
  profile.path_length = path_length;
  if (!ca) {
    profile.extended_key_usages = {"emailProtection", std::string(kC2paClaimSigningEku)};
  }
  return profile;
}

Result<std::string> certificate_pem(const std::vector<const crypto::Certificate*>& certs) {
  std::string out;
  for (const crypto::Certificate* cert : certs) {
    out += CC_TRY(cert->to_pem());
  }
  return out;
}

}  // namespace

struct SigningKeys::Key {
  crypto::PrivateKey private_key;
};

Result<SigningKeys> SigningKeys::from_pem(std::string_view private_key_pem,
                                          std::string_view certificate_chain_pem,
                                          std::optional<CoseAlgorithm> algorithm) {
  crypto::PrivateKey key = CC_TRY(read_private_key(private_key_pem, "signing key"));
  std::vector<crypto::Certificate> certs =
      CC_TRY(read_certificates(certificate_chain_pem, "certificate chain"));
  if (!certs.front().matches(key)) {
    return base::invalid_argument("the first certificate of the chain is not the signing key's");
  }
  auto [own, size] = CC_TRY(algorithm_for(key.public_key()));
  if (algorithm && *algorithm != own) {
    bool rsa = own == CoseAlgorithm::kPs256;
    if (!rsa || (*algorithm != CoseAlgorithm::kPs384 && *algorithm != CoseAlgorithm::kPs512)) {
      return base::invalid_argument(std::string(cose_algorithm_name(*algorithm)) +
                                    " does not fit the key, which signs " +
                                    std::string(cose_algorithm_name(own)));
    }
    own = *algorithm;
  }
  if (certs.size() > 1 && certs.back().issued_by(certs.back())) {
    certs.pop_back();
  }
  SigningKeys keys;
  keys.algorithm_ = own;
  keys.signature_size_ = size;
  for (const crypto::Certificate& cert : certs) {
    keys.chain_.push_back(cert.to_der());
  }
  keys.key_ = std::make_shared<const Key>(Key{std::move(key)});
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
  return crypto::sign(key_->private_key, signature_scheme(algorithm_), to_be_signed);
}

Result<PemCredentials> generate_root_ca(const CertificateOptions& options) {
  crypto::PrivateKey key = CC_TRY(crypto::PrivateKey::generate(key_kind(options.algorithm)));
  crypto::Certificate cert = CC_TRY(
      crypto::issue_certificate(profile_for(options, true, 1), key.public_key(), nullptr, key));
  PemCredentials out;
  out.private_key_pem = CC_TRY(key.to_pem());
  out.certificate_chain_pem = CC_TRY(cert.to_pem());
  return out;
}

namespace {

Result<PemCredentials> issue(const CertificateOptions& options, std::string_view ca_certificate_pem,
                             std::string_view ca_private_key_pem, bool ca_role) {
  std::vector<crypto::Certificate> ca_chain =
      CC_TRY(read_certificates(ca_certificate_pem, "CA certificate"));
  crypto::PrivateKey ca_key = CC_TRY(read_private_key(ca_private_key_pem, "CA key"));
  const crypto::Certificate& ca = ca_chain.front();
  if (!ca.matches(ca_key)) {
    return base::invalid_argument("the CA key is not the CA certificate's");
  }
  if (!ca.is_ca()) {
    return base::invalid_argument("the CA certificate is not a CA (basicConstraints CA:FALSE)");
  }
  crypto::PrivateKey key = CC_TRY(crypto::PrivateKey::generate(key_kind(options.algorithm)));
  crypto::Certificate cert = CC_TRY(
      crypto::issue_certificate(profile_for(options, ca_role, 0), key.public_key(), &ca, ca_key));
  // x5chain: the new certificate, then every CA of the given chain that is not a root.
  std::vector<const crypto::Certificate*> chain = {&cert};
  for (const crypto::Certificate& c : ca_chain) {
    if (!c.issued_by(c)) {
      chain.push_back(&c);
    }
  }
  PemCredentials out;
  out.private_key_pem = CC_TRY(key.to_pem());
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
