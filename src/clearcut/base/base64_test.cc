#include "clearcut/base/base64.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace clearcut::base {
namespace {

std::vector<uint8_t> bytes(std::string_view text) {
  return {text.begin(), text.end()};
}

TEST(Base64Test, Rfc4648TestVectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(bytes(plain)), encoded);
    EXPECT_EQ(base64_decode(encoded).value(), bytes(plain)) << encoded;
  }
}

TEST(Base64Test, RoundTripsEveryLength) {
  std::vector<uint8_t> data;
  for (int n = 0; n < 300; ++n) {
    std::string encoded = base64_encode(data);
    ASSERT_EQ(base64_decode(encoded).value(), data) << n;
    data.push_back(static_cast<uint8_t>(n * 37 + 11));
  }
}

TEST(Base64Test, RejectsNonCanonicalAndMalformedText) {
  for (const char* bad : {"Zg", "Zg=", "Zh==", "Zm9=", "Zg=a", "====", "Z===", "Zm 9v", "Zm9v\n",
                          "-_-_", "Zg==Zg==", "Zm9v=", "Zm9vY", "Zm8=\r"}) {
    EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
  }
}

TEST(Base64Test, UrlAlphabetWithoutPadding) {
  // RFC 7515 Appendix A.1's JWS header, and bytes that use both URL digits.
  EXPECT_EQ(base64url_encode(bytes("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}")),
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9");
  const std::vector<uint8_t> both = {0xfb, 0xff, 0xbf};
  EXPECT_EQ(base64url_encode(both), "-_-_");
  EXPECT_EQ(base64url_decode("-_-_").value(), both);
  EXPECT_EQ(base64url_decode("Zm8").value(), bytes("fo"));
  EXPECT_EQ(base64url_decode("").value(), bytes(""));
  std::vector<uint8_t> data;
  for (int n = 0; n < 100; ++n) {
    ASSERT_EQ(base64url_decode(base64url_encode(data)).value(), data) << n;
    data.push_back(static_cast<uint8_t>(n * 53 + 7));
  }
  EXPECT_FALSE(base64url_decode("Zm8="));   // padding
  EXPECT_FALSE(base64url_decode("+/+/"));   // the standard alphabet
  EXPECT_FALSE(base64url_decode("Zm9"));    // unused bits set (canonical only)
  EXPECT_FALSE(base64url_decode("Zm9vY"));  // one digit cannot end a group
}

}  // namespace
}  // namespace clearcut::base
