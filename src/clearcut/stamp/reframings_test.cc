#include "clearcut/stamp/reframings.h"

#include <gtest/gtest.h>

#include "clearcut/match/code.h"

namespace clearcut::stamp {
namespace {

const Reframing* find(const std::vector<Reframing>& all, const std::string& name) {
  for (const Reframing& r : all) {
    if (r.name == name) {
      return &r;
    }
  }
  return nullptr;
}

TEST(ReframingsTest, CentreCropsOfEachOtherAspectAndPushIns) {
  const std::vector<Reframing> photo = reframings_of(4000, 3000);  // 4:3
  EXPECT_EQ(find(photo, "4:3"), nullptr);                          // its own aspect adds nothing
  const Reframing* wide = find(photo, "16:9");
  ASSERT_NE(wide, nullptr);
  EXPECT_EQ(wide->width, 4000);
  EXPECT_EQ(wide->height, 2250);
  EXPECT_EQ(wide->x, 0);
  EXPECT_EQ(wide->y, 375);
  const Reframing* scope = find(photo, "2.39:1");
  ASSERT_NE(scope, nullptr);
  EXPECT_EQ(scope->height, 1674);  // 4000 / 2.39
  const Reframing* portrait = find(photo, "4:5");
  ASSERT_NE(portrait, nullptr);
  EXPECT_EQ(portrait->width, 2400);
  EXPECT_EQ(portrait->height, 3000);
  EXPECT_EQ(portrait->x, 800);
  const Reframing* push = find(photo, "centre 90%");
  ASSERT_NE(push, nullptr);
  EXPECT_EQ(push->width, 3600);
  EXPECT_EQ(push->height, 2700);
  EXPECT_EQ(push->x, 200);
  EXPECT_EQ(push->y, 150);
  // A push-in on the 16:9 fill (or a 10% crop of the delivery): 90% of the 16:9 crop, centred.
  const Reframing* wide_push = find(photo, "16:9 90%");
  ASSERT_NE(wide_push, nullptr);
  EXPECT_EQ(wide_push->width, 3600);
  EXPECT_EQ(wide_push->height, 2025);
  EXPECT_EQ(wide_push->x, 200);
  EXPECT_EQ(wide_push->y, 487);
  ASSERT_NE(find(photo, "2.39:1 80%"), nullptr);
  EXPECT_EQ(find(photo, "1.85:1 90%"), nullptr);  // 1.85 sits between the two: not pushed
  // Shown whole between bars, then matted to 2.39:1: the full width, 75% of the height.
  const Reframing* matted = find(photo, "height 75%");
  ASSERT_NE(matted, nullptr);
  EXPECT_EQ(matted->width, 4000);
  EXPECT_EQ(matted->height, 2250);
  EXPECT_EQ(matted->y, 375);
  ASSERT_NE(find(photo, "width 90%"), nullptr);
  // The 2.39:1 crop letterboxed in a 16:9 frame, then the delivery cut by 10%: the bars take
  // the rows, the crop loses 10% of its width alone.
  const Reframing* scope_cut = find(photo, "2.39:1 width 90%");
  ASSERT_NE(scope_cut, nullptr);
  EXPECT_EQ(scope_cut->width, 3600);
  EXPECT_EQ(scope_cut->height, 1674);
  EXPECT_EQ(scope_cut->x, 200);
  EXPECT_EQ(scope_cut->y, 663);
  ASSERT_NE(find(photo, "16:9 width 75%"), nullptr);
  // Shown between bars under burned-in subtitles: the top 80% of the still itself (pillarboxed)
  // and of each aspect crop (the 2.39:1 one letterboxed), as the scan hashes a barred picture.
  const Reframing* whole_above = find(photo, "whole above subtitles");
  ASSERT_NE(whole_above, nullptr);
  EXPECT_EQ(whole_above->x, 0);
  EXPECT_EQ(whole_above->y, 0);
  EXPECT_EQ(whole_above->width, 4000);
  EXPECT_EQ(whole_above->height, 2400);
  const Reframing* scope_above = find(photo, "2.39:1 above subtitles");
  ASSERT_NE(scope_above, nullptr);
  EXPECT_EQ(scope_above->y, scope->y);
  EXPECT_EQ(scope_above->width, 4000);
  EXPECT_EQ(scope_above->height, 1674 * 80 / 100);
  ASSERT_NE(find(photo, "4:5 above subtitles"), nullptr);
  EXPECT_EQ(find(photo, "2.39:1 90% above subtitles"), nullptr);  // push-ins fill the frame
  for (const Reframing& r : photo) {
    EXPECT_GE(r.x, 0) << r.name;
    EXPECT_GE(r.y, 0) << r.name;
    EXPECT_LE(r.x + r.width, 4000) << r.name;
    EXPECT_LE(r.y + r.height, 3000) << r.name;
  }

  // A 16:9 frame has no 16:9 crop but a 4:3 one; tiny images have none.
  const std::vector<Reframing> frame = reframings_of(1920, 1080);
  EXPECT_EQ(find(frame, "16:9"), nullptr);
  ASSERT_NE(find(frame, "4:3"), nullptr);
  EXPECT_EQ(find(frame, "4:3")->width, 1440);
  EXPECT_EQ(find(frame, "16:9 90%"), nullptr);  // its own push-in is "centre 90%"
  ASSERT_NE(find(frame, "2.39:1 90%"), nullptr);
  EXPECT_TRUE(reframings_of(40, 4000).empty());
}

TEST(ReframingsTest, CodesSkipFlatCropsAndNearDuplicates) {
  // A flat picture: every crop too flat to hash.
  std::vector<uint8_t> grey(static_cast<size_t>(400) * 300 * 3, 128);
  provenance::PdqHasher hasher;
  const provenance::PixelView flat{grey.data(), 400, 300, 3, 0};
  EXPECT_TRUE(reframing_pdq(hasher, flat, hasher.hash(flat).hash).empty());

  // A textured picture: its crops hash differently; every code kept lies more than 8 bits from
  // the still's own hash and from each other.
  std::vector<uint8_t> texture(static_cast<size_t>(400) * 300 * 3);
  for (int y = 0; y < 300; ++y) {
    for (int x = 0; x < 400; ++x) {
      const auto v = static_cast<uint8_t>(((x * x) / 97 + (y * y * 3) / 53 + x * y / 41) % 256);
      for (int c = 0; c < 3; ++c) {
        texture[(static_cast<size_t>(y) * 400 + x) * 3 + c] = v;
      }
    }
  }
  const provenance::PixelView picture{texture.data(), 400, 300, 3, 0};
  const provenance::PdqHash own = hasher.hash(picture).hash;
  const std::vector<std::string> codes = reframing_pdq(hasher, picture, own);
  ASSERT_FALSE(codes.empty());
  std::vector<provenance::PdqHash> kept{own};
  for (const std::string& hex : codes) {
    const provenance::PdqHash code = provenance::PdqHash::from_hex(hex).value();
    for (const provenance::PdqHash& k : kept) {
      EXPECT_GT(match::hamming_distance(code.words(), k.words()), 8);
    }
    kept.push_back(code);
  }
}

}  // namespace
}  // namespace clearcut::stamp
