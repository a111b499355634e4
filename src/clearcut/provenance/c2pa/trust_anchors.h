#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::c2pa {

// The certificates a validator trusts as roots of C2PA signer chains (C2PA §14.4.1): the
// C2PA trust list and any the user adds. Offline: nothing is fetched. A value type holding
// DER bytes; safe to share between threads once built.
class TrustAnchors {
 public:
  TrustAnchors() = default;

  // Every CERTIFICATE block of a PEM bundle. A bundle with no certificate, or a block that
  // does not parse, is an error.
  static base::Result<TrustAnchors> from_pem(std::string_view pem);
  static base::Result<TrustAnchors> load_pem_file(const std::string& path);

  void add_der(std::vector<uint8_t> der) { anchors_.push_back(std::move(der)); }
  const std::vector<std::vector<uint8_t>>& anchors() const { return anchors_; }
  bool empty() const { return anchors_.empty(); }
  size_t size() const { return anchors_.size(); }

 private:
  std::vector<std::vector<uint8_t>> anchors_;
};

struct ChainVerdict {
  bool trusted = false;
  std::string reason;  // why not, in OpenSSL's words or ours
};

// Builds a path from `leaf` through `intermediates` (the rest of x5chain) to one of the
// anchors, as RFC 5280 path validation with OpenSSL's strict checks. An anchor may be an
// intermediate (partial chains are accepted). Validity periods are checked at `at_time`
// (Unix seconds; the trusted signing time) or not at all when it is absent.
ChainVerdict verify_certificate_chain(const TrustAnchors& anchors, std::span<const uint8_t> leaf,
                                      const std::vector<std::vector<uint8_t>>& intermediates,
                                      std::optional<int64_t> at_time);

}  // namespace clearcut::c2pa
