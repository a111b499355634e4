#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/api/http/http_request.h"
#include "clearcut/base/result.h"

namespace clearcut::api {

// The reverse proxies whose X-Forwarded-For is believed (`serve --trusted-proxy`). A request
// from any other peer is attributed to the peer itself, whatever headers it sends, so that a
// client cannot pick the address its failed sign-ins are counted under. Immutable once parsed.
class TrustedProxies {
 public:
  // Addresses or CIDR networks: "10.0.0.5", "10.0.0.0/8", "::1", "fd00::/8". An entry that is
  // neither is kInvalidArgument naming it.
  static base::Result<TrustedProxies> parse(const std::vector<std::string>& entries);

  // The client's address: the peer's, or, when the peer is trusted, the right-most address of
  // X-Forwarded-For that is not itself a trusted proxy (RFC 7239 §7.4's reasoning: only hops
  // we trust appended what lies to their right). Malformed header entries end the walk there.
  std::string client_address(const http::HttpRequest& request) const;

  bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    std::array<uint8_t, 16> bytes{};  // IPv4 as ::ffff:a.b.c.d
    int prefix_bits = 128;
  };
  bool trusted(std::string_view address) const;

  std::vector<Network> networks_;
};

}  // namespace clearcut::api
