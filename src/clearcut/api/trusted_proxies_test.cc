#include "clearcut/api/trusted_proxies.h"

#include <gtest/gtest.h>

namespace clearcut::api {
namespace {

http::HttpRequest from(std::string peer, std::vector<std::string> forwarded = {}) {
  http::HttpRequest request;
  request.remote_address = std::move(peer);
  for (std::string& f : forwarded) {
    request.headers.emplace_back("X-Forwarded-For", std::move(f));
  }
  return request;
}

TEST(TrustedProxiesTest, UntrustedPeersAreTakenAtTheirAddress) {
  auto proxies = TrustedProxies::parse({"10.0.0.0/8"});
  ASSERT_TRUE(proxies.has_value());
  EXPECT_EQ(proxies->client_address(from("192.0.2.1", {"203.0.113.9"})), "192.0.2.1");
  auto none = TrustedProxies::parse({});
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->client_address(from("127.0.0.1", {"203.0.113.9"})), "127.0.0.1");
}

TEST(TrustedProxiesTest, TheRightmostUntrustedHopIsTheClient) {
  auto proxies = TrustedProxies::parse({"10.0.0.0/8", "fd00::/8", "192.0.2.7"});
  ASSERT_TRUE(proxies.has_value());
  // The client's own claim (left) is not believed past the hop our proxy saw.
  EXPECT_EQ(proxies->client_address(from("10.1.2.3", {"1.1.1.1, 203.0.113.9"})), "203.0.113.9");
  EXPECT_EQ(proxies->client_address(from("10.1.2.3", {"1.1.1.1", "203.0.113.9, 10.9.9.9"})),
            "203.0.113.9");
  EXPECT_EQ(proxies->client_address(from("fd00::1", {"2001:db8::5"})), "2001:db8::5");
  EXPECT_EQ(proxies->client_address(from("::ffff:192.0.2.7", {"198.51.100.1"})), "198.51.100.1");
  // Garbage stops the walk at the last hop that parsed.
  EXPECT_EQ(proxies->client_address(from("10.1.2.3", {"203.0.113.9, nonsense"})), "10.1.2.3");
  // No header: the proxy itself.
  EXPECT_EQ(proxies->client_address(from("10.1.2.3")), "10.1.2.3");
}

TEST(TrustedProxiesTest, BadEntriesAreRefused) {
  EXPECT_FALSE(TrustedProxies::parse({"10.0.0.0/33"}).has_value());
  EXPECT_FALSE(TrustedProxies::parse({"fd00::/129"}).has_value());
  EXPECT_FALSE(TrustedProxies::parse({"proxy.example"}).has_value());
  EXPECT_FALSE(TrustedProxies::parse({"10.0.0.1/x"}).has_value());
  EXPECT_TRUE(TrustedProxies::parse({"0.0.0.0/0"}).has_value());
}

}  // namespace
}  // namespace clearcut::api
