#include "clearcut/media/orientation.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace clearcut::media {
namespace {

// The stored picture
//   A B C
//   D E F
// and how a viewer shows it under each orientation, row by row, from the tag's definition
// (which stored row and column become the displayed top and left).
Image letters() {
  return Image{3, 2, 1, {'A', 'B', 'C', 'D', 'E', 'F'}};
}

std::vector<std::string> rows(const Image& image) {
  std::vector<std::string> out;
  for (int y = 0; y < image.height; ++y) {
    const uint8_t* row = image.pixels.data() + static_cast<size_t>(y) * image.row_bytes();
    out.emplace_back(row, row + image.row_bytes());
  }
  return out;
}

struct Case {
  Orientation orientation;
  std::vector<std::string> displayed;
};

TEST(OrientationTest, EachOfTheEightShowsThePictureAsTheTagDefinesIt) {
  const Case cases[] = {
      {Orientation::kNormal, {"ABC", "DEF"}},
      {Orientation::kMirrored, {"CBA", "FED"}},
      {Orientation::kRotated180, {"FED", "CBA"}},
      {Orientation::kFlipped, {"DEF", "ABC"}},
      {Orientation::kTransposed, {"AD", "BE", "CF"}},
      {Orientation::kRotated90Cw, {"DA", "EB", "FC"}},
      {Orientation::kTransversed, {"FC", "EB", "DA"}},
      {Orientation::kRotated90Ccw, {"CF", "BE", "AD"}},
  };
  for (const Case& c : cases) {
    Image shown = apply_orientation(letters(), c.orientation);
    EXPECT_EQ(rows(shown), c.displayed) << "orientation " << static_cast<int>(c.orientation);
    EXPECT_EQ(shown.width, static_cast<int>(c.displayed.front().size()));
    EXPECT_EQ(shown.height, static_cast<int>(c.displayed.size()));
  }
}

TEST(OrientationTest, MovesWholePixelsOfEveryChannel) {
  // Two RGB pixels side by side: turned clockwise they stack, the left one at the top.
  Image rgb{2, 1, 3, {1, 2, 3, 4, 5, 6}};
  Image shown = apply_orientation(rgb, Orientation::kRotated90Cw);
  EXPECT_EQ(shown.width, 1);
  EXPECT_EQ(shown.height, 2);
  EXPECT_EQ(shown.channels, 3);
  EXPECT_EQ(shown.pixels, (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));
  shown = apply_orientation(rgb, Orientation::kRotated90Ccw);
  EXPECT_EQ(shown.pixels, (std::vector<uint8_t>{4, 5, 6, 1, 2, 3}));
}

TEST(OrientationTest, TurningFourTimesAndMirroringTwiceGiveTheStoredPicture) {
  Image image{5, 3, 3, {}};
  for (int i = 0; i < 5 * 3 * 3; ++i) {
    image.pixels.push_back(static_cast<uint8_t>(i * 7));
  }
  Image turned = image;
  for (int i = 0; i < 4; ++i) {
    turned = apply_orientation(turned, Orientation::kRotated90Cw);
  }
  EXPECT_EQ(turned.pixels, image.pixels);
  EXPECT_EQ(
      apply_orientation(apply_orientation(image, Orientation::kMirrored), Orientation::kMirrored)
          .pixels,
      image.pixels);
  // A transpose is a mirror and a quarter turn; doing it twice is nothing.
  EXPECT_EQ(apply_orientation(apply_orientation(image, Orientation::kTransposed),
                              Orientation::kTransposed)
                .pixels,
            image.pixels);
}

TEST(OrientationTest, TagValuesOutsideTheRangeMeanNormal) {
  EXPECT_EQ(orientation_from_tag(3), Orientation::kRotated180);
  EXPECT_EQ(orientation_from_tag(8), Orientation::kRotated90Ccw);
  EXPECT_EQ(orientation_from_tag(0), Orientation::kNormal);
  EXPECT_EQ(orientation_from_tag(9), Orientation::kNormal);
  EXPECT_EQ(orientation_from_tag(-1), Orientation::kNormal);
}

}  // namespace
}  // namespace clearcut::media
