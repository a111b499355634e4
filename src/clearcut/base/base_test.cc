#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/base/base64.h"
#include "clearcut/base/hex.h"
#include "clearcut/base/json_text.h"
#include "clearcut/base/result.h"
#include "clearcut/base/text.h"
#include "clearcut/base/utf8.h"

namespace clearcut::base {
namespace {

Result<int> parse_positive(int x) {
  if (x <= 0) {
    return invalid_argument("not positive").with_field("x");
  }
  return x;
}

Result<int> doubled(int x) {
  int v = CC_TRY(parse_positive(x));
  return v * 2;
}

Status check_all(int a, int b) {
  CC_TRY(parse_positive(a));
  CC_TRY(parse_positive(b));
  return {};
}

TEST(ResultTest, TryPropagatesErrorsAndValues) {
  EXPECT_EQ(doubled(4).value(), 8);
  auto bad = doubled(-1);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field(), "x");
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(check_all(1, 2).has_value());
  EXPECT_FALSE(check_all(1, 0).has_value());
}

TEST(ErrorTest, PrintsLocationFieldAndMessage) {
  Error e = invalid_argument("expected yes, no or unsure");
  e.with_field("output.in_final").with_location({"d.yaml", 3, 12});
  EXPECT_EQ(e.to_string(), "d.yaml:3:12: output.in_final: expected yes, no or unsure");
  e.with_context("assess");
  EXPECT_EQ(e.message(), "assess: expected yes, no or unsure");
}

// Answers written by hand must be the bytes nlohmann::json wrote: every ASCII character alone
// and between others, and UTF-8 (kept as it is).
TEST(JsonTextTest, EscapesAsNlohmannDumps) {
  std::vector<std::string> texts = {"", "plain", "caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x8E\xAC",
                                    "\"quoted\" \\ back", std::string("nul\0inside", 10)};
  for (int c = 0; c < 128; ++c) {
    texts.push_back(std::string(1, static_cast<char>(c)));
    texts.push_back("a" + std::string(1, static_cast<char>(c)) + "b");
  }
  for (const std::string& text : texts) {
    std::string out = "x";
    append_json_string(out, text);
    EXPECT_EQ(out, "x" + nlohmann::json(text).dump()) << text;
  }
}

TEST(TextTest, PercentEncodeKeepsUnreservedOnly) {
  EXPECT_EQ(percent_encode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(percent_encode("a b+c/d?e=f&g"), "a%20b%2Bc%2Fd%3Fe%3Df%26g");
  EXPECT_EQ(percent_encode("\xc3\xa9"), "%C3%A9");
  EXPECT_EQ(percent_encode(""), "");
}

TEST(HexTest, RoundTripsAndRejectsBadDigits) {
  std::vector<uint8_t> bytes = {0x00, 0xab, 0xff};
  EXPECT_EQ(to_hex(bytes), "00abff");
  EXPECT_EQ(from_hex("00ABff").value(), bytes);
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
}

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {{"", ""},
                                                                   {"f", "Zg=="},
                                                                   {"fo", "Zm8="},
                                                                   {"foo", "Zm9v"},
                                                                   {"foob", "Zm9vYg=="},
                                                                   {"fooba", "Zm9vYmE="},
                                                                   {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    std::vector<uint8_t> bytes(plain.begin(), plain.end());
    EXPECT_EQ(base64_encode(bytes), encoded) << plain;
  }
  const std::vector<uint8_t> high = {0xfb, 0xff, 0xbf};
  EXPECT_EQ(base64_encode(high), "+/+/");
}

TEST(Utf8Test, FindsTheFirstBadByte) {
  EXPECT_FALSE(find_invalid_utf8("plain ascii").has_value());
  EXPECT_FALSE(find_invalid_utf8("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x8e\xac").has_value());
  EXPECT_EQ(find_invalid_utf8("ab\x8c").value(), 2U);            // stray continuation byte
  EXPECT_EQ(find_invalid_utf8("\xc0\xaf").value(), 0U);          // overlong '/'
  EXPECT_EQ(find_invalid_utf8("x\xed\xa0\x80").value(), 1U);     // surrogate
  EXPECT_EQ(find_invalid_utf8("\xe2\x80").value(), 0U);          // truncated
  EXPECT_EQ(find_invalid_utf8("\xf4\x90\x80\x80").value(), 0U);  // above U+10FFFF
}

TEST(TextTest, LowersAsciiOnly) {
  EXPECT_EQ(ascii_lower("Legal@Studio.EXAMPLE"), "legal@studio.example");
  EXPECT_EQ(ascii_lower("FRAME.DPX"), "frame.dpx");
  const std::string e_acute = "\xc3\x89";  // UTF-8 bytes are left as they are
  EXPECT_EQ(ascii_lower(e_acute + "CLAIR"), e_acute + "clair");
}

TEST(TextTest, SuggestsTheClosestNameForALikelyTypo) {
  std::vector<std::string_view> commands = {"scan", "scan-worker", "stamp", "serve", "audit"};
  EXPECT_EQ(closest_name("scna", commands), "scan");
  EXPECT_EQ(closest_name("stmp", commands), "stamp");
  EXPECT_EQ(closest_name("scan-wroker", commands), "scan-worker");
  EXPECT_EQ(closest_name("frobnicate", commands), "");  // too far from all: no guess
  EXPECT_EQ(closest_name("", commands), "");
  EXPECT_EQ(closest_name("scan", {}), "");
}

}  // namespace
}  // namespace clearcut::base
