#include "clearcut/scan/timecode.h"

#include <gtest/gtest.h>

namespace clearcut::scan {
namespace {

constexpr media::Rational kNtsc{30000, 1001};
constexpr media::Rational kNtsc60{60000, 1001};

TEST(Timecode, NonDropCountsAtTheNominalRate) {
  EXPECT_EQ(format_timecode(0, {24, 1}, false), "00:00:00:00");
  EXPECT_EQ(format_timecode(23, {24, 1}, false), "00:00:00:23");
  EXPECT_EQ(format_timecode(24, {24, 1}, false), "00:00:01:00");
  EXPECT_EQ(format_timecode(24 * 3600, {24, 1}, false), "01:00:00:00");
  EXPECT_EQ(format_timecode(24, {24000, 1001}, false), "00:00:01:00");
  EXPECT_EQ(format_timecode(1800, kNtsc, false), "00:01:00:00");
  EXPECT_EQ(format_timecode(25 * 61 + 3, {25, 1}, false), "00:01:01:03");
}

TEST(Timecode, DropFrameSkipsTwoNumbersAtEachMinuteBoundary) {
  EXPECT_EQ(format_timecode(0, kNtsc, true), "00:00:00;00");
  EXPECT_EQ(format_timecode(1799, kNtsc, true), "00:00:59;29");
  EXPECT_EQ(format_timecode(1800, kNtsc, true), "00:01:00;02");
  EXPECT_EQ(format_timecode(1801, kNtsc, true), "00:01:00;03");
  EXPECT_EQ(format_timecode(3597, kNtsc, true), "00:01:59;29");
  EXPECT_EQ(format_timecode(3598, kNtsc, true), "00:02:00;02");
  // Minute 9 runs into minute 10, which keeps its 00 and 01.
  EXPECT_EQ(format_timecode(17981, kNtsc, true), "00:09:59;29");
  EXPECT_EQ(format_timecode(17982, kNtsc, true), "00:10:00;00");
  EXPECT_EQ(format_timecode(17983, kNtsc, true), "00:10:00;01");
  EXPECT_EQ(format_timecode(17982 + 1800, kNtsc, true), "00:11:00;02");
  // One hour of 29.97 is 107892 frames.
  EXPECT_EQ(format_timecode(107892, kNtsc, true), "01:00:00;00");
  EXPECT_EQ(format_timecode(107891, kNtsc, true), "00:59:59;29");
}

TEST(Timecode, DropFrameAt5994SkipsFourNumbers) {
  EXPECT_EQ(format_timecode(3599, kNtsc60, true), "00:00:59;59");
  EXPECT_EQ(format_timecode(3600, kNtsc60, true), "00:01:00;04");
  EXPECT_EQ(format_timecode(35964, kNtsc60, true), "00:10:00;00");
  EXPECT_EQ(format_timecode(215784, kNtsc60, true), "01:00:00;00");
}

TEST(Timecode, DropFrameOnlyAppliesToNtscRates) {
  EXPECT_EQ(format_timecode(1800, {25, 1}, true), "00:01:12:00");
}

}  // namespace
}  // namespace clearcut::scan
