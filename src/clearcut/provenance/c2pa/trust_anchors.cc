#include "clearcut/provenance/c2pa/trust_anchors.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "clearcut/base/file.h"
#include "clearcut/crypto/certificate.h"

namespace clearcut::c2pa {

using base::Result;

Result<TrustAnchors> TrustAnchors::from_pem(std::string_view pem) {
  auto certs = crypto::Certificate::from_pem(pem);
  if (!certs.has_value()) {
    return base::invalid_argument("trust anchor bundle: " + certs.error().message());
  }
  if (certs->empty()) {
    return base::invalid_argument("trust anchor bundle holds no certificate");
  }
  TrustAnchors anchors;
  for (const crypto::Certificate& cert : *certs) {
    anchors.add_der(cert.to_der());
  }
  return anchors;
}

Result<TrustAnchors> TrustAnchors::load_pem_file(const std::string& path) {
  std::string text = CC_TRY(base::read_file(path));
  auto anchors = from_pem(text);
  if (!anchors.has_value()) {
    return std::move(anchors).error().with_location({path, 0, 0});
  }
  return anchors;
}

ChainVerdict verify_certificate_chain(const TrustAnchors& anchors, std::span<const uint8_t> leaf,
                                      const std::vector<std::vector<uint8_t>>& intermediates,
                                      std::optional<int64_t> at_time) {
  if (anchors.empty()) {
    return {false, "no trust anchors configured"};
  }
  auto leaf_cert = crypto::Certificate::from_der(leaf);
  if (!leaf_cert) {
    return {false, "signing certificate does not parse"};
  }
  // Certificates that do not parse cannot be on a path; they are left out.
  auto parsed = [](const std::vector<std::vector<uint8_t>>& ders) {
    std::vector<crypto::Certificate> out;
    for (const std::vector<uint8_t>& der : ders) {
      auto cert = crypto::Certificate::from_der(der);
      if (cert) {
        out.push_back(std::move(*cert));
      }
    }
    return out;
  };
  crypto::ChainCheck check =
      crypto::verify_chain(parsed(anchors.anchors()), *leaf_cert, parsed(intermediates), at_time);
  return {check.trusted, std::move(check.reason)};
}

}  // namespace clearcut::c2pa
