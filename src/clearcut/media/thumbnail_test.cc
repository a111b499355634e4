#include "clearcut/media/thumbnail.h"

#include <gtest/gtest.h>

#include "clearcut/media/image_decoder.h"

namespace clearcut::media {
namespace {

Image gradient(int width, int height, int channels) {
  Image image{width, height, channels, {}};
  image.pixels.resize(image.row_bytes() * static_cast<size_t>(height));
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int k = 0; k < channels; ++k) {
        image.pixels[static_cast<size_t>(y) * image.row_bytes() +
                     static_cast<size_t>(x) * channels + k] =
            static_cast<uint8_t>((x * 255 / width + k * 40) % 256);
      }
    }
  }
  return image;
}

TEST(ThumbnailTest, FitsTheSquareKeepingTheAspectRatio) {
  Image wide = fit_within(gradient(1920, 1080, 3), 160);
  EXPECT_EQ(wide.width, 160);
  EXPECT_EQ(wide.height, 90);
  EXPECT_EQ(wide.channels, 3);
  EXPECT_EQ(wide.pixels.size(), 160u * 90u * 3u);
  Image tall = fit_within(gradient(100, 1000, 1), 160);
  EXPECT_EQ(tall.width, 16);
  EXPECT_EQ(tall.height, 160);
  Image sliver = fit_within(gradient(4000, 3, 1), 160);
  EXPECT_EQ(sliver.width, 160);
  EXPECT_EQ(sliver.height, 1);
  Image small = gradient(120, 80, 3);
  EXPECT_EQ(fit_within(small, 160).pixels, small.pixels) << "never enlarged";
}

TEST(ThumbnailTest, AveragesTheBoxUnderEachPixel) {
  // Two columns, black and white, halve to one grey column.
  Image stripes{4, 2, 1, {0, 0, 255, 255, 0, 0, 255, 255}};
  Image half = fit_within(stripes, 2);
  ASSERT_EQ(half.width, 2);
  ASSERT_EQ(half.height, 1);
  EXPECT_EQ(half.pixels, (std::vector<uint8_t>{0, 255}));
  Image alternating{2, 1, 1, {0, 255}};
  EXPECT_EQ(fit_within(alternating, 1).pixels, (std::vector<uint8_t>{128}));
}

TEST(ThumbnailTest, StretchesBroadcastRangeLuma) {
  const uint8_t luma[] = {16, 235, 126, 0, 99, 99, 99, 255};  // stride 4, width 3
  Image limited = grey_image(luma, 3, 2, 4, false);
  EXPECT_EQ(limited.pixels, (std::vector<uint8_t>{0, 255, 128, 97, 97, 97}));
  Image full = grey_image(luma, 3, 2, 4, true);
  EXPECT_EQ(full.pixels, (std::vector<uint8_t>{16, 235, 126, 99, 99, 99}));
}

TEST(ThumbnailTest, EncodesAJpegThatDecodesWithinTheSquare) {
  auto jpeg = encode_thumbnail(gradient(1280, 720, 3));
  ASSERT_TRUE(jpeg.has_value()) << jpeg.error().to_string();
  EXPECT_LE(jpeg->size(), ThumbnailOptions{}.max_bytes);
  EXPECT_EQ(sniff_image_format(*jpeg), ImageFormat::kJpeg);
  auto decoded = decode_image(*jpeg);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->width, 160);
  EXPECT_EQ(decoded->height, 90);
}

TEST(ThumbnailTest, LowersTheQualityToFitAndRefusesBadImages) {
  ThumbnailOptions tight;
  tight.max_bytes = 1;
  auto refused = encode_thumbnail(gradient(64, 64, 1), tight);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), base::ErrorCode::kResourceExhausted);
  EXPECT_EQ(encode_thumbnail(Image{}).error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(encode_thumbnail(Image{2, 2, 4, std::vector<uint8_t>(16)}).error().code(),
            base::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace clearcut::media
