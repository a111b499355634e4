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

}  // namespace
}  // namespace clearcut::base
