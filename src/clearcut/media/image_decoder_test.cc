#include "clearcut/media/image_decoder.h"

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/media/image_encoder.h"

namespace clearcut::media {
namespace {

const std::string kFixtures = CLEARCUT_SHARED_DIR "/fixtures/pdq/";

// A smooth gradient with some edges: compresses well and survives JPEG recognisably.
Image test_image(int width, int height, int channels) {
  Image image{width, height, channels, {}};
  image.pixels.resize(image.row_bytes() * height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = image.pixels.data() + y * image.row_bytes() + x * channels;
      const int block = ((x / 16) + (y / 16)) % 2 == 0 ? 40 : 0;
      p[0] = static_cast<uint8_t>((x * 200) / width + block);
      if (channels == 3) {
        p[1] = static_cast<uint8_t>((y * 200) / height + block);
        p[2] = static_cast<uint8_t>(((x + y) * 100) / (width + height) + 60);
      }
    }
  }
  return image;
}

double mean_abs_difference(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  EXPECT_EQ(a.size(), b.size());
  double sum = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    sum += std::abs(int{a[i]} - int{b[i]});
  }
  return a.empty() ? 0 : sum / static_cast<double>(a.size());
}

std::vector<uint8_t> encoded(base::Result<std::vector<uint8_t>> bytes) {
  EXPECT_TRUE(bytes.has_value()) << bytes.error().to_string();
  return bytes.has_value() ? std::move(bytes).value() : std::vector<uint8_t>{};
}

TEST(ImageDecoderTest, SniffsFormatsBySignature) {
  const std::vector<uint8_t> jpeg = {0xFF, 0xD8, 0xFF, 0xE0};
  const std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  const std::vector<uint8_t> webp = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'};
  const std::vector<uint8_t> gif = {'G', 'I', 'F', '8', '9', 'a'};
  EXPECT_EQ(sniff_image_format(jpeg), ImageFormat::kJpeg);
  EXPECT_EQ(sniff_image_format(png), ImageFormat::kPng);
  EXPECT_EQ(sniff_image_format(webp), ImageFormat::kWebp);
  EXPECT_EQ(sniff_image_format(gif), ImageFormat::kUnknown);
  EXPECT_EQ(sniff_image_format({}), ImageFormat::kUnknown);
  auto result = decode_image(gif);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code(), base::ErrorCode::kUnsupported);
}

TEST(ImageDecoderTest, PngRoundTripsExactly) {
  for (int channels : {1, 3}) {
    Image original = test_image(37, 23, channels);
    auto png = encoded(encode_png(original));
    auto decoded =
        decode_image(png, {.format = channels == 1 ? PixelFormat::kLuma : PixelFormat::kRgb});
    ASSERT_TRUE(decoded.has_value()) << decoded.error().to_string();
    EXPECT_EQ(decoded->width, 37);
    EXPECT_EQ(decoded->height, 23);
    EXPECT_EQ(decoded->channels, channels);
    EXPECT_EQ(decoded->pixels, original.pixels);
  }
}

TEST(ImageDecoderTest, ConvertsBetweenGreyAndRgb) {
  Image grey = test_image(20, 10, 1);
  auto rgb = decode_image(encoded(encode_png(grey)), {.format = PixelFormat::kRgb});
  ASSERT_TRUE(rgb.has_value());
  ASSERT_EQ(rgb->channels, 3);
  for (size_t i = 0; i < grey.pixels.size(); ++i) {
    ASSERT_EQ(rgb->pixels[3 * i], grey.pixels[i]);
    ASSERT_EQ(rgb->pixels[3 * i + 2], grey.pixels[i]);
  }
  Image colour = test_image(20, 10, 3);
  auto luma = decode_image(encoded(encode_png(colour)), {.format = PixelFormat::kLuma});
  ASSERT_TRUE(luma.has_value());
  ASSERT_EQ(luma->channels, 1);
  std::vector<uint8_t> expected(200);
  rgb_to_luma(colour.pixels.data(), 200, 3, expected.data());
  EXPECT_EQ(luma->pixels, expected);
}

TEST(ImageDecoderTest, JpegDecodesCloseToTheOriginal) {
  Image original = test_image(96, 64, 3);
  auto jpeg = encoded(encode_jpeg(original, {.quality = 95}));
  for (JpegIdct idct : {JpegIdct::kIntegerSlow, JpegIdct::kIntegerFast, JpegIdct::kFloat}) {
    auto decoded = decode_image(jpeg, {.jpeg_idct = idct});
    ASSERT_TRUE(decoded.has_value()) << decoded.error().to_string();
    EXPECT_EQ(decoded->width, 96);
    EXPECT_EQ(decoded->channels, 3);
    EXPECT_LT(mean_abs_difference(decoded->pixels, original.pixels), 3.0);
  }
}

TEST(ImageDecoderTest, JpegLumaIsTheYPlane) {
  Image original = test_image(64, 48, 3);
  auto jpeg = encoded(encode_jpeg(original, {.quality = 95}));
  auto rgb = decode_image(jpeg);
  auto luma = decode_image(jpeg, {.format = PixelFormat::kLuma});
  ASSERT_TRUE(rgb.has_value() && luma.has_value());
  ASSERT_EQ(luma->channels, 1);
  std::vector<uint8_t> from_rgb(64 * 48);
  rgb_to_luma(rgb->pixels.data(), from_rgb.size(), 3, from_rgb.data());
  // Y -> RGB -> Y rounds twice (and clamps), so the two may differ by a little.
  EXPECT_LT(mean_abs_difference(luma->pixels, from_rgb), 1.0);
}

TEST(ImageDecoderTest, CmykJpegDecodesToRgbAndLuma) {
  Image original = test_image(48, 32, 3);
  auto jpeg = encoded(encode_jpeg(original, {.quality = 95, .cmyk = true}));
  auto rgb = decode_image(jpeg);
  ASSERT_TRUE(rgb.has_value()) << rgb.error().to_string();
  EXPECT_EQ(rgb->channels, 3);
  EXPECT_LT(mean_abs_difference(rgb->pixels, original.pixels), 3.0);
  auto luma = decode_image(jpeg, {.format = PixelFormat::kLuma});
  ASSERT_TRUE(luma.has_value());
  std::vector<uint8_t> expected(48 * 32);
  rgb_to_luma(rgb->pixels.data(), expected.size(), 3, expected.data());
  EXPECT_EQ(luma->pixels, expected);
}

TEST(ImageDecoderTest, DecodesEveryPngColourTypeAndDepth) {
  // The fuzzer's seeds: palette with transparency (4-bit), RGBA 16-bit, 1-bit grey, interlaced
  // grey with alpha, and the encoders' own output.
  const std::string seeds = CLEARCUT_SOURCE_DIR "/fuzz/corpus/image/";
  const struct {
    const char* file;
    int width;
    int height;
  } cases[] = {{"palette_trns.png", 5, 4}, {"rgba16.png", 3, 2},
               {"bilevel.png", 9, 3},      {"grey_alpha_interlaced.png", 1, 1},
               {"rgb.png", 6, 5},          {"grey.png", 7, 3},
               {"baseline.jpg", 8, 8},     {"progressive.jpg", 16, 16},
               {"grey.jpg", 8, 8},         {"cmyk.jpg", 8, 8},
               {"lossy.webp", 8, 8},       {"lossless.webp", 8, 8}};
  for (const auto& c : cases) {
    for (PixelFormat format : {PixelFormat::kRgb, PixelFormat::kLuma}) {
      auto image = decode_image_file(seeds + c.file, {.format = format});
      ASSERT_TRUE(image.has_value()) << image.error().to_string();
      EXPECT_EQ(image->width, c.width) << c.file;
      EXPECT_EQ(image->height, c.height) << c.file;
      EXPECT_EQ(image->channels, format == PixelFormat::kRgb ? 3 : 1) << c.file;
    }
  }
  // The 1-bit image expands to 0 and 255; the palette's entries come through as their colours.
  auto bilevel = decode_image_file(seeds + "bilevel.png", {.format = PixelFormat::kLuma});
  ASSERT_TRUE(bilevel.has_value());
  EXPECT_EQ(bilevel->pixels[0], 255);
  EXPECT_EQ(bilevel->pixels[1], 0);
  auto palette = decode_image_file(seeds + "palette_trns.png");
  ASSERT_TRUE(palette.has_value());
  EXPECT_EQ(std::vector<uint8_t>(palette->pixels.begin(), palette->pixels.begin() + 6),
            (std::vector<uint8_t>{255, 0, 0, 0, 255, 0}));
}

TEST(ImageDecoderTest, ProgressiveJpegDecodesLikeBaseline) {
  Image original = test_image(80, 56, 3);
  auto baseline = decode_image(encoded(encode_jpeg(original, {.quality = 85})));
  auto progressive =
      decode_image(encoded(encode_jpeg(original, {.quality = 85, .progressive = true})));
  ASSERT_TRUE(baseline.has_value() && progressive.has_value());
  EXPECT_EQ(baseline->pixels, progressive->pixels);
}

TEST(ImageDecoderTest, JpegDctScalingKeepsTheMinimumSide) {
  Image original = test_image(1600, 1000, 3);
  auto jpeg = encoded(encode_jpeg(original, {.quality = 80}));
  auto full = decode_image(jpeg);
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->width, 1600);
  // 4/8 would leave 500 rows, under 512; 5/8 is the smallest scale that keeps both sides.
  auto scaled = decode_image(jpeg, {.format = PixelFormat::kLuma, .min_side = 512});
  ASSERT_TRUE(scaled.has_value());
  EXPECT_EQ(scaled->width, 1000);
  EXPECT_EQ(scaled->height, 625);
  EXPECT_EQ(scaled->channels, 1);
  auto eighth = decode_image(jpeg, {.min_side = 100});
  ASSERT_TRUE(eighth.has_value());
  EXPECT_EQ(eighth->width, 200);
  EXPECT_EQ(eighth->height, 125);
  // Small images are never shrunk below their own size.
  auto small = decode_image(encoded(encode_jpeg(test_image(300, 200, 3))), {.min_side = 512});
  ASSERT_TRUE(small.has_value());
  EXPECT_EQ(small->width, 300);
}

TEST(ImageDecoderTest, WebpLosslessRoundTripsAndLossyIsClose) {
  Image original = test_image(50, 30, 3);
  auto lossless = decode_image(encoded(encode_webp(original, 90, /*lossless=*/true)));
  ASSERT_TRUE(lossless.has_value()) << lossless.error().to_string();
  EXPECT_EQ(lossless->pixels, original.pixels);
  auto lossy = decode_image(encoded(encode_webp(original, 95)));
  ASSERT_TRUE(lossy.has_value());
  EXPECT_LT(mean_abs_difference(lossy->pixels, original.pixels), 4.0);
  auto luma =
      decode_image(encoded(encode_webp(original, 90, true)), {.format = PixelFormat::kLuma});
  ASSERT_TRUE(luma.has_value());
  EXPECT_EQ(luma->channels, 1);
  EXPECT_EQ(luma->pixels.size(), 1500u);
}

// Every strict prefix of a file is an error: never a crash, never a half-grey image.
void expect_prefixes_fail(const std::vector<uint8_t>& bytes) {
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto result = decode_image(std::span<const uint8_t>(bytes.data(), n));
    ASSERT_FALSE(result.has_value()) << "prefix of " << n << " of " << bytes.size() << " bytes";
  }
}

TEST(ImageDecoderTest, TruncatedFilesAreErrors) {
  Image original = test_image(24, 16, 3);
  auto jpeg = encoded(encode_jpeg(original));
  expect_prefixes_fail(jpeg);  // down to a JPEG that lacks only its end marker
  expect_prefixes_fail(encoded(encode_jpeg(original, {.progressive = true})));
  expect_prefixes_fail(encoded(encode_png(original)));
  expect_prefixes_fail(encoded(encode_webp(original, 80)));
  expect_prefixes_fail(encoded(encode_webp(original, 80, true)));
  EXPECT_TRUE(decode_image(jpeg).has_value());

  auto truncated = decode_image(std::span<const uint8_t>(jpeg.data(), jpeg.size() / 2));
  ASSERT_FALSE(truncated.has_value());
  EXPECT_EQ(truncated.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(truncated.error().message().find("truncated"), std::string::npos)
      << truncated.error().message();
}

TEST(ImageDecoderTest, CorruptedFilesNeverCrash) {
  Image original = test_image(40, 24, 3);
  std::vector<std::vector<uint8_t>> files = {
      encoded(encode_jpeg(original)), encoded(encode_jpeg(original, {.progressive = true})),
      encoded(encode_png(original)), encoded(encode_webp(original, 80)),
      encoded(encode_webp(original, 80, true))};
  std::mt19937 random(7);
  for (const auto& file : files) {
    for (int trial = 0; trial < 300; ++trial) {
      std::vector<uint8_t> bytes = file;
      const int flips = 1 + trial % 8;
      for (int i = 0; i < flips; ++i) {
        bytes[random() % bytes.size()] ^= static_cast<uint8_t>(1 + random() % 255);
      }
      auto result =
          decode_image(bytes, {.format = trial % 2 ? PixelFormat::kLuma : PixelFormat::kRgb,
                               .min_side = trial % 3 ? 0 : 8});
      if (result.has_value()) {
        EXPECT_EQ(result->pixels.size(), result->row_bytes() * result->height);
      }
    }
  }
}

TEST(ImageDecoderTest, GarbageAfterASignatureIsAnError) {
  std::mt19937 random(11);
  for (auto signature :
       {std::vector<uint8_t>{0xFF, 0xD8, 0xFF},
        std::vector<uint8_t>{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
        std::vector<uint8_t>{'R', 'I', 'F', 'F', 200, 0, 0, 0, 'W', 'E', 'B', 'P'}}) {
    for (int trial = 0; trial < 50; ++trial) {
      std::vector<uint8_t> bytes = signature;
      for (int i = 0; i < 200; ++i) {
        bytes.push_back(static_cast<uint8_t>(random()));
      }
      EXPECT_FALSE(decode_image(bytes).has_value());
    }
  }
}

TEST(ImageDecoderTest, RefusesImagesOverThePixelLimit) {
  auto png = encoded(encode_png(test_image(100, 100, 3)));
  auto jpeg = encoded(encode_jpeg(test_image(100, 100, 3)));
  auto webp = encoded(encode_webp(test_image(100, 100, 3)));
  for (const auto* bytes : {&png, &jpeg, &webp}) {
    auto result = decode_image(*bytes, {.max_pixels = 9999});
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), base::ErrorCode::kUnsupported);
    EXPECT_TRUE(decode_image(*bytes, {.max_pixels = 10000}).has_value());
  }
}

TEST(ImageDecoderTest, DecodesFixtureFiles) {
  auto jpeg = decode_image_file(kFixtures + "reg-test-input/dih/bridge-1-original.jpg");
  ASSERT_TRUE(jpeg.has_value()) << jpeg.error().to_string();
  EXPECT_EQ(jpeg->width, 1600);
  EXPECT_EQ(jpeg->height, 1004);
  EXPECT_EQ(jpeg->channels, 3);
  auto png = decode_image_file(kFixtures + "misc-images/c.png");  // RGBA: alpha dropped
  ASSERT_TRUE(png.has_value()) << png.error().to_string();
  EXPECT_EQ(png->width, 1432);
  EXPECT_EQ(png->height, 812);
  EXPECT_EQ(png->channels, 3);
}

TEST(ImageDecoderTest, MissingFileIsNotFound) {
  auto result = decode_image_file(kFixtures + "no-such-image.jpg");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code(), base::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace clearcut::media
