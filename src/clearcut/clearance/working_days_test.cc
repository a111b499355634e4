#include "clearcut/clearance/working_days.h"

#include <gtest/gtest.h>

#include "clearcut/clearance/clock.h"
#include "clearcut/domain/validation.h"

namespace clearcut::clearance {
namespace {

std::string plus(const std::string& from, int days) {
  return format_rfc3339(add_working_days(domain::parse_rfc3339_utc(from).value(), days));
}

// 2026-12-03 is a Thursday.
TEST(WorkingDaysTest, SkipTheWeekend) {
  EXPECT_EQ(plus("2026-12-01T10:00:00Z", 2), "2026-12-03T10:00:00.000Z");  // Tue → Thu
  EXPECT_EQ(plus("2026-12-03T10:00:00Z", 2), "2026-12-07T10:00:00.000Z");  // Thu → Mon
  EXPECT_EQ(plus("2026-12-04T23:30:00Z", 1), "2026-12-07T23:30:00.000Z");  // Fri → Mon
  EXPECT_EQ(plus("2026-12-04T10:00:00Z", 5), "2026-12-11T10:00:00.000Z");  // a week
}

TEST(WorkingDaysTest, AStartOnTheWeekendCountsFromMondayMidnight) {
  EXPECT_EQ(plus("2026-12-05T10:00:00Z", 2), "2026-12-09T00:00:00.000Z");  // Sat → Wed
  EXPECT_EQ(plus("2026-12-06T23:59:59Z", 1), "2026-12-08T00:00:00.000Z");  // Sun → Tue
  EXPECT_EQ(plus("2026-12-06T12:00:00Z", 0), "2026-12-07T00:00:00.000Z");
  EXPECT_EQ(plus("2026-12-07T12:00:00Z", 0), "2026-12-07T12:00:00.000Z");
}

}  // namespace
}  // namespace clearcut::clearance
