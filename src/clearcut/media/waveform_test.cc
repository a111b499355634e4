#include "clearcut/media/waveform.h"

#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/media/thumbnail.h"

namespace clearcut::media {
namespace {

// Rows of column `x` that carry ink.
int inked_rows(const Image& image, int x) {
  int rows = 0;
  for (int y = 0; y < image.height; ++y) {
    rows += image.pixels[static_cast<size_t>(y) * image.width + x] < 128 ? 1 : 0;
  }
  return rows;
}

TEST(WaveformTest, LoudAndQuietStretchesShowAsTallAndShortStrokes) {
  // 1 s at 8 kHz: a loud tone, then one 20 dB quieter, then silence.
  std::vector<float> samples(8000);
  for (size_t i = 0; i < samples.size(); ++i) {
    const double level = i < 2666 ? 0.5 : i < 5333 ? 0.05 : 0.0;
    samples[i] = static_cast<float>(level * std::sin(2 * std::numbers::pi * 440 * i / 8000.0));
  }
  auto image = waveform_image(samples);
  ASSERT_TRUE(image.has_value()) << image.error().to_string();
  EXPECT_EQ(image->width, 160);
  EXPECT_EQ(image->height, 64);
  EXPECT_EQ(image->channels, 1);
  const int loud = inked_rows(*image, 20);
  const int quiet = inked_rows(*image, 80);
  const int silent = inked_rows(*image, 150);
  EXPECT_GE(loud, 50);  // 90% of the height at the peak
  EXPECT_LE(loud, 60);
  EXPECT_GE(quiet, 3);
  EXPECT_LE(quiet, 8);
  EXPECT_EQ(silent, 1);  // the centre line's stroke of zero height
  // It makes a thumbnail like any picture.
  EXPECT_TRUE(encode_thumbnail(*image).has_value());
}

TEST(WaveformTest, SilenceDrawsTheCentreLineAlone) {
  std::vector<float> silence(1000, 0.0f);
  auto image = waveform_image(silence, {.width = 32, .height = 16});
  ASSERT_TRUE(image.has_value());
  for (int x = 0; x < 32; ++x) {
    EXPECT_EQ(inked_rows(*image, x), 0);
    EXPECT_EQ(image->pixels[8 * 32 + static_cast<size_t>(x)], 205);
  }
}

TEST(WaveformTest, FewerSamplesThanColumnsAndBadSizes) {
  std::vector<float> three = {0.5f, -0.5f, 0.25f};
  auto image = waveform_image(three);
  ASSERT_TRUE(image.has_value());
  EXPECT_GT(inked_rows(*image, 0), 1);
  EXPECT_FALSE(waveform_image({}).has_value());
  EXPECT_EQ(waveform_image(three, {.width = 4, .height = 64}).error().code(),
            base::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(waveform_image(three, {.width = 160, .height = 5000}).has_value());
}

}  // namespace
}  // namespace clearcut::media
