#include "clearcut/domain/validation.h"

#include <gtest/gtest.h>

namespace clearcut::domain {
namespace {

TEST(Validation, Rfc3339UtcTimes) {
  for (const char* good :
       {"2026-11-22T01:56:05Z", "2026-11-22T01:56:05.1Z", "2026-11-22T01:56:05.123456789Z",
        "2024-02-29T00:00:00Z", "2016-12-31T23:59:60Z", "0001-01-01T00:00:00Z"}) {
    EXPECT_TRUE(is_rfc3339_utc(good)) << good;
  }
  for (const char* bad :
       {"", "2026-11-22", "2026-11-22T01:56:05", "2026-11-22T01:56:05+00:00",
        "2026-11-22t01:56:05z", "2026-11-22T01:56:05.Z", "2026-11-22T01:56:05.1234567890Z",
        "2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-11-22T24:00:00Z",
        "2026-11-22T23:60:00Z", "2026-11-22T23:59:61Z", "2026-1-22T01:56:05Z",
        "+2026-11-22T01:56:05Z", "2026-11-22T01:56:05.12aZ"}) {
    EXPECT_FALSE(is_rfc3339_utc(bad)) << bad;
  }
}

TEST(Validation, Rfc3339TimesCompareAsTimes) {
  using std::chrono::milliseconds;
  using std::chrono::nanoseconds;
  using std::chrono::seconds;
  auto at = [](const char* text) {
    return parse_rfc3339_utc(text).value();
  };
  EXPECT_EQ(at("1970-01-01T00:00:00Z").time_since_epoch(), seconds(0));
  EXPECT_EQ(at("2026-11-22T01:56:05.120Z").time_since_epoch(),
            seconds(1795312565) + milliseconds(120));
  EXPECT_EQ(at("2026-11-22T01:56:05.000000001Z") - at("2026-11-22T01:56:05Z"), nanoseconds(1));
  // As text, "05Z" sorts after "05.5Z"; as times it is earlier.
  EXPECT_LT(at("2026-11-22T01:56:05Z"), at("2026-11-22T01:56:05.5Z"));
  EXPECT_EQ(at("2026-11-22T01:56:05.1Z"), at("2026-11-22T01:56:05.100Z"));
  EXPECT_EQ(at("2016-12-31T23:59:60Z"), at("2017-01-01T00:00:00Z"));
  EXPECT_EQ(at("2024-03-01T00:00:00Z") - at("2024-02-28T00:00:00Z"), seconds(2 * 86400));
  EXPECT_FALSE(parse_rfc3339_utc("2026-11-22T01:56:05+00:00").has_value());
  EXPECT_FALSE(parse_rfc3339_utc("").has_value());
}

TEST(Validation, ChecksNameTheField) {
  EXPECT_TRUE(check_time("2026-12-06T03:00:00Z", "at").has_value());
  base::Status bad = check_time("2026-12-06 03:00:00", "created_at");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().field(), "created_at");
  EXPECT_TRUE(check_optional_time("", "expires_at").has_value());
  EXPECT_FALSE(check_optional_time("soon", "expires_at").has_value());
  EXPECT_FALSE(check_not_empty("", "code").has_value());
  EXPECT_TRUE(check_email("legal@studio.example").has_value());
  EXPECT_FALSE(check_email("Legal@studio.example").has_value());
  EXPECT_FALSE(check_email("").has_value());
}

}  // namespace
}  // namespace clearcut::domain
