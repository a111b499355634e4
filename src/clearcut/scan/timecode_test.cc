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

TEST(Timecode, ParsingALabelGivesBackItsFrame) {
  struct Case {
    media::Rational rate;
    bool drop;
  };
  for (const Case c : {Case{{25, 1}, false}, Case{{24000, 1001}, false}, Case{kNtsc, false},
                       Case{kNtsc, true}, Case{kNtsc60, true}, Case{{50, 1}, false}}) {
    for (int64_t frame = 0; frame < 23 * 3600 * 24; frame += frame < 40000 ? 1 : 7919) {
      const std::string label = format_timecode(frame, c.rate, c.drop);
      ASSERT_EQ(parse_timecode(label, c.rate), frame) << label;
    }
  }
  EXPECT_EQ(parse_timecode("01:00:00:00", {24, 1}), 86400);
  EXPECT_EQ(parse_timecode("01:00:00;00", kNtsc), 107892);
  EXPECT_EQ(parse_timecode("00:59:50:00", {25, 1}), 89750);
}

TEST(Timecode, ParsingRefusesWhatNoTimecodeIs) {
  EXPECT_EQ(parse_timecode("", {25, 1}), std::nullopt);
  EXPECT_EQ(parse_timecode("1:00:00:00", {25, 1}), std::nullopt);
  EXPECT_EQ(parse_timecode("01:00:00:25", {25, 1}), std::nullopt);  // frames run 0-24
  EXPECT_EQ(parse_timecode("24:00:00:00", {25, 1}), std::nullopt);
  EXPECT_EQ(parse_timecode("00:60:00:00", {25, 1}), std::nullopt);
  EXPECT_EQ(parse_timecode("00:01:00;01", kNtsc), std::nullopt);  // skipped by drop-frame
  EXPECT_EQ(parse_timecode("00:10:00;01", kNtsc), 17983);         // minute 10 keeps them
  EXPECT_EQ(parse_timecode("00:00:0a:00", {25, 1}), std::nullopt);
  EXPECT_EQ(parse_timecode("00-00-00-00", {25, 1}), std::nullopt);
}

TEST(Timecode, RatesAsUsersWriteThem) {
  EXPECT_EQ(parse_timecode_rate("25")->rate, (media::Rational{25, 1}));
  EXPECT_EQ(parse_timecode_rate("24000/1001")->rate, (media::Rational{24000, 1001}));
  EXPECT_EQ(parse_timecode_rate("23.976")->rate, (media::Rational{24000, 1001}));
  auto df = parse_timecode_rate("29.97df");
  ASSERT_TRUE(df.has_value());
  EXPECT_EQ(df->rate, kNtsc);
  EXPECT_TRUE(df->drop_frame);
  EXPECT_FALSE(parse_timecode_rate("29.97")->drop_frame);
  for (const char* bad : {"", "0", "-24", "24/0", "abc", "25df", "24.5", "25/1/2", "1000000"}) {
    auto r = parse_timecode_rate(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), base::ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message().find("timecode rate"), std::string::npos);
  }
}

}  // namespace
}  // namespace clearcut::scan
