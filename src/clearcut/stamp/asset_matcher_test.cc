#include "clearcut/stamp/asset_matcher.h"

#include <string>

#include <gtest/gtest.h>

namespace clearcut::stamp {
namespace {

// A 256-bit PDQ hash in hex whose first `flipped` bits differ from all-zero.
std::string pdq_with_bits(int flipped) {
  std::string hex(64, '0');
  for (int i = 0; i < flipped; ++i) {
    int nibble = i / 4;
    int value = hex[nibble] == '0' ? 0 : std::stoi(std::string(1, hex[nibble]), nullptr, 16);
    value |= 8 >> (i % 4);
    hex[nibble] = "0123456789abcdef"[value];
  }
  return hex;
}

OutputInspection seen_file() {
  OutputInspection seen;
  seen.sha256 = "aa";
  seen.pdq = pdq_with_bits(0);
  seen.pdq_quality = 100;
  watermark::WatermarkDetection mark;
  mark.found = true;
  mark.payload = 77;
  seen.mark = mark;
  return seen;
}

TEST(AssetMatcherTest, Sha256BeatsWatermarkBeatsTheNearestPdq) {
  OutputInspection seen = seen_file();
  AssetMatcher matcher(seen);
  EXPECT_FALSE(matcher.best());
  EXPECT_TRUE(matcher.offer({"bb", 0, pdq_with_bits(20), 100}));
  EXPECT_EQ(matcher.best()->by, MatchedBy::kPdq);
  EXPECT_EQ(matcher.best()->pdq_distance, 20);
  EXPECT_FALSE(matcher.offer({"cc", 0, pdq_with_bits(25), 100}));  // farther
  EXPECT_TRUE(matcher.offer({"dd", 0, pdq_with_bits(3), 100}));    // nearer
  EXPECT_EQ(matcher.best()->pdq_distance, 3);
  EXPECT_TRUE(matcher.offer({"ee", 77, "", 0}));
  EXPECT_EQ(matcher.best()->by, MatchedBy::kWatermark);
  EXPECT_FALSE(matcher.offer({"ff", 0, pdq_with_bits(0), 100}));  // a PDQ match no longer wins
  EXPECT_FALSE(matcher.offer({"ff", 77, "", 0}));                 // the first watermark stays
  EXPECT_FALSE(matcher.settled());
  EXPECT_TRUE(matcher.offer({"aa", 0, "", 0}));
  EXPECT_EQ(matcher.best()->by, MatchedBy::kSha256);
  EXPECT_TRUE(matcher.settled());
  EXPECT_EQ(matched_by_name(matcher.best()->by), "sha256");
}

TEST(AssetMatcherTest, WeakOrDistantHashesAndUnmarkedFilesNeverMatch) {
  OutputInspection seen = seen_file();
  AssetMatcher matcher(seen);
  EXPECT_FALSE(matcher.offer({"bb", 0, pdq_with_bits(match::kPdqRadius + 1), 100}));
  EXPECT_FALSE(matcher.offer({"bb", 0, pdq_with_bits(1), match::kPdqMinQuality - 1}));
  EXPECT_FALSE(matcher.offer({"bb", 0, "not hex", 100}));
  EXPECT_FALSE(matcher.offer({"bb", 76, "", 0}));
  EXPECT_TRUE(matcher.offer({"bb", 0, pdq_with_bits(match::kPdqRadius), 100}));

  seen.mark->found = false;
  seen.pdq_quality = match::kPdqMinQuality - 1;  // the file's own hash is too weak to compare
  AssetMatcher unmarked(seen);
  EXPECT_FALSE(unmarked.offer({"bb", 77, pdq_with_bits(0), 100}));
  EXPECT_FALSE(unmarked.best());
}

}  // namespace
}  // namespace clearcut::stamp
