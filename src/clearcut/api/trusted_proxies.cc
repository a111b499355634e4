#include "clearcut/api/trusted_proxies.h"

#include <charconv>
#include <cstring>
#include <optional>

#include <arpa/inet.h>

namespace clearcut::api {
namespace {

// An IPv4 or IPv6 literal as 16 bytes (IPv4 mapped into ::ffff:0:0/96), or nullopt.
std::optional<std::array<uint8_t, 16>> parse_address(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  std::string copy(text);
  std::array<uint8_t, 16> bytes{};
  in_addr v4{};
  if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) {
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    std::memcpy(bytes.data() + 12, &v4, 4);
    return bytes;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, copy.c_str(), &v6) == 1) {
    std::memcpy(bytes.data(), &v6, 16);
    return bytes;
  }
  return std::nullopt;
}

}  // namespace

base::Result<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& entries) {
  TrustedProxies out;
  for (const std::string& entry : entries) {
    std::string_view text = http::trim_ows(entry);
    const size_t slash = text.find('/');
    std::optional<std::array<uint8_t, 16>> bytes = parse_address(text.substr(0, slash));
    if (!bytes) {
      return base::invalid_argument("expected an IP address or CIDR network, got '" + entry + "'")
          .with_field("trusted-proxy");
    }
    const bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
    Network network{*bytes, 128};
    if (slash != std::string_view::npos) {
      std::string_view bits = text.substr(slash + 1);
      int value = -1;
      auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), value);
      const int max = v4 ? 32 : 128;
      if (ec != std::errc() || end != bits.data() + bits.size() || value < 0 || value > max) {
        return base::invalid_argument("bad prefix length in '" + entry + "' (0 to " +
                                      std::to_string(max) + ")")
            .with_field("trusted-proxy");
      }
      network.prefix_bits = v4 ? value + 96 : value;
    }
    out.networks_.push_back(network);
  }
  return out;
}

bool TrustedProxies::trusted(std::string_view address) const {
  std::optional<std::array<uint8_t, 16>> bytes = parse_address(http::trim_ows(address));
  if (!bytes) {
    return false;
  }
  for (const Network& n : networks_) {
    bool match = true;
    for (int bit = 0; bit < n.prefix_bits && match; ++bit) {
      const int byte = bit / 8;
      const int mask = 0x80 >> (bit % 8);
      match = ((*bytes)[byte] & mask) == (n.bytes[byte] & mask);
    }
    if (match) {
      return true;
    }
  }
  return false;
}

std::string TrustedProxies::client_address(const http::HttpRequest& request) const {
  if (networks_.empty() || !trusted(request.remote_address)) {
    return request.remote_address;
  }
  // Every X-Forwarded-For field, in order, is one list (RFC 9110 §5.3).
  std::vector<std::string_view> hops;
  for (const auto& [name, value] : request.headers) {
    if (!http::header_name_equals(name, "X-Forwarded-For")) {
      continue;
    }
    std::string_view list = value;
    while (true) {
      const size_t comma = list.find(',');
      hops.push_back(http::trim_ows(list.substr(0, comma)));
      if (comma == std::string_view::npos) {
        break;
      }
      list.remove_prefix(comma + 1);
    }
  }
  std::string client = request.remote_address;
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!parse_address(*it)) {
      break;  // garbage from an untrusted hop: believe nothing further left
    }
    client = std::string(*it);
    if (!trusted(*it)) {
      break;
    }
  }
  return client;
}

}  // namespace clearcut::api
