#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/provenance/watermark/internal/fft.h"
#include "clearcut/provenance/watermark/internal/keyed_stream.h"
#include "clearcut/provenance/watermark/internal/payload_codec.h"
#include "clearcut/provenance/watermark/internal/tile_pattern.h"
#include "clearcut/provenance/watermark/video_watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_attacks.h"
#include "clearcut/provenance/watermark/watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_embedder.h"

namespace clearcut::watermark {
namespace {

using internal::kCodedBits;

WatermarkKey test_key(std::string_view passphrase = "unit test key") {
  auto key = WatermarkKey::from_passphrase(passphrase);
  EXPECT_TRUE(key.has_value());
  return *key;
}

media::LumaView view_of(const std::vector<uint8_t>& luma, int width, int height) {
  return {luma.data(), width, height, 0};
}

// A textured grey test image: smooth shading plus band-limited noise.
std::vector<uint8_t> textured_luma(int width, int height, uint64_t seed) {
  media::Image frame = testing::synthetic_frame(width, height, 3, seed);
  std::vector<float> luma = testing::luma_of(frame);
  std::vector<uint8_t> out(luma.size());
  std::transform(luma.begin(), luma.end(), out.begin(),
                 [](float v) { return static_cast<uint8_t>(std::lround(v)); });
  return out;
}

TEST(WatermarkKeyTest, FromBytesNeedsThirtyTwo) {
  std::vector<uint8_t> bytes(32, 7);
  ASSERT_TRUE(WatermarkKey::from_bytes(bytes).has_value());
  bytes.pop_back();
  auto bad = WatermarkKey::from_bytes(bytes);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(WatermarkKey::from_passphrase("").has_value());
  EXPECT_EQ(test_key("a"), test_key("a"));
  EXPECT_FALSE(test_key("a") == test_key("b"));
}

TEST(KeyedStreamTest, DeterministicPerKeyAndLabel) {
  internal::KeyedStream a(test_key(), "x");
  internal::KeyedStream b(test_key(), "x");
  internal::KeyedStream c(test_key(), "y");
  int same = 0;
  for (int i = 0; i < 64; ++i) {
    const uint64_t va = a.next();
    EXPECT_EQ(va, b.next());
    same += va == c.next();
  }
  EXPECT_EQ(same, 0);
  internal::KeyedStream d(test_key(), "z");
  for (int i = 0; i < 1000; ++i) {
    EXPECT_LT(d.below(7), 7u);
  }
}

TEST(FftTest, RoundTripsAndTransformsAnImpulse) {
  internal::Fft2d fft(16);
  std::vector<internal::Complex> data(256, {0, 0});
  data[1] = {1, 0};  // impulse at column 1: spectrum e^{-2 pi i kx / 16}
  fft.forward(data);
  for (int ky = 0; ky < 16; ++ky) {
    for (int kx = 0; kx < 16; ++kx) {
      const double a = -2 * std::numbers::pi * kx / 16;
      EXPECT_NEAR(data[ky * 16 + kx].real(), std::cos(a), 1e-5);
      EXPECT_NEAR(data[ky * 16 + kx].imag(), std::sin(a), 1e-5);
    }
  }
  fft.inverse(data);
  for (int i = 0; i < 256; ++i) {
    EXPECT_NEAR(data[i].real(), i == 1 ? 1.0 : 0.0, 1e-5);
    EXPECT_NEAR(data[i].imag(), 0.0, 1e-5);
  }
}

TEST(TilePatternTest, AnalysisInvertsSynthesis) {
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::array<float, internal::kChips> chips;
  for (float& c : chips) {
    c = normal(rng);
  }
  const std::vector<float> tile = internal::TilePattern::synthesise(chips);
  std::array<float, internal::kChips> back;
  internal::TilePattern::analyse(tile, back);
  for (int p = 0; p < internal::kChips; ++p) {
    EXPECT_NEAR(back[p], chips[p], 1e-4);
  }
}

TEST(TilePatternTest, EveryCodedBitHasNineOrTenChips) {
  const internal::TilePattern pattern(test_key());
  std::array<int, kCodedBits> count{};
  for (int p = 0; p < internal::kChips; ++p) {
    ++count[pattern.coded_bit_of(p)];
  }
  for (int c : count) {
    EXPECT_TRUE(c == 9 || c == 10) << c;
  }
}

std::array<float, kCodedBits> soft_of(const internal::CodedBits& coded) {
  std::array<float, kCodedBits> soft;
  for (int i = 0; i < kCodedBits; ++i) {
    soft[i] = coded[i] ? -1.0f : 1.0f;
  }
  return soft;
}

TEST(PayloadCodecTest, RoundTripsAndCorrectsErrors) {
  const internal::PayloadCodec codec(test_key());
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    const uint64_t payload = rng();
    std::array<float, kCodedBits> soft = soft_of(codec.encode(payload));
    internal::DecodedPayload clean = codec.decode(soft);
    ASSERT_TRUE(clean.crc_ok);
    EXPECT_EQ(clean.payload, payload);
    EXPECT_EQ(clean.bit_errors, 0);
    EXPECT_DOUBLE_EQ(clean.agreement, 1.0);
    // 25 scattered hard errors (8%) and Gaussian noise on every soft value.
    std::normal_distribution<float> noise(0.0f, 0.6f);
    for (int i = 0; i < 25; ++i) {
      soft[(i * 12 + trial) % kCodedBits] *= -1;
    }
    for (float& s : soft) {
      s += noise(rng);
    }
    const internal::DecodedPayload noisy = codec.decode(soft);
    ASSERT_TRUE(noisy.crc_ok) << trial;
    EXPECT_EQ(noisy.payload, payload);
    EXPECT_GE(noisy.bit_errors, 25);
  }
}

TEST(PayloadCodecTest, DegenerateAndRandomInputFailTheCrc) {
  std::array<float, kCodedBits> zero{};
  std::mt19937 rng(9);
  std::normal_distribution<float> normal;
  for (int k = 0; k < 50; ++k) {
    const internal::PayloadCodec codec(test_key("key " + std::to_string(k)));
    EXPECT_FALSE(codec.decode(zero).crc_ok);
    std::array<float, kCodedBits> soft;
    for (float& s : soft) {
      s = normal(rng);
    }
    EXPECT_FALSE(codec.decode(soft).crc_ok);
  }
}

TEST(PayloadCodecTest, AnotherKeysCodewordFailsTheCrc) {
  const internal::PayloadCodec mine(test_key("mine"));
  const internal::PayloadCodec theirs(test_key("theirs"));
  EXPECT_FALSE(mine.decode(soft_of(theirs.encode(0x1234))).crc_ok);
}

TEST(WatermarkEmbedTest, RejectsTinyImagesAndBadArguments) {
  const std::vector<uint8_t> small(127 * 300, 128);
  auto r = embed(view_of(small, 127, 300), 1, test_key());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("at least 128x128"), std::string::npos) << r.error().message();

  const std::vector<uint8_t> ok(128 * 128, 128);
  EXPECT_TRUE(embed(view_of(ok, 128, 128), 1, test_key()).has_value());
  EXPECT_FALSE(embed(view_of(ok, 128, 128), 1, test_key(), 0.0f).has_value());
  EXPECT_FALSE(embed(view_of(ok, 128, 128), 1, test_key(), NAN).has_value());
  EXPECT_FALSE(embed(media::LumaView{nullptr, 128, 128, 0}, 1, test_key()).has_value());
  EXPECT_FALSE(embed(media::LumaView{ok.data(), 128, 128, 100}, 1, test_key()).has_value());

  auto d = detect(view_of(small, 63, 300), test_key());
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(d.error().message().find("at least 64x64"), std::string::npos);
  EXPECT_FALSE(detect_image(media::Image{10, 10, 3, {}}, test_key()).has_value());
}

TEST(WatermarkEmbedTest, DeterministicAndPayloadDependent) {
  const std::vector<uint8_t> host = textured_luma(400, 300, 11);
  auto a = embed(view_of(host, 400, 300), 42, test_key());
  auto b = embed(view_of(host, 400, 300), 42, test_key());
  auto c = embed(view_of(host, 400, 300), 43, test_key());
  ASSERT_TRUE(a.has_value() && b.has_value() && c.has_value());
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_NE(*a, host);
}

TEST(WatermarkEmbedTest, StrideAndFloatViewsAgree) {
  const int w = 300;
  const int h = 200;
  const std::vector<uint8_t> host = textured_luma(w, h, 12);
  std::vector<uint8_t> padded(static_cast<size_t>(w + 13) * h, 0);
  std::vector<float> as_float(host.begin(), host.end());
  for (int y = 0; y < h; ++y) {
    std::copy_n(host.begin() + y * w, w, padded.begin() + y * (w + 13));
  }
  auto packed = embed(view_of(host, w, h), 7, test_key());
  auto strided = embed(media::LumaView{padded.data(), w, h, w + 13}, 7, test_key());
  auto floats = embed(media::LumaF32View{as_float.data(), w, h, 0}, 7, test_key());
  ASSERT_TRUE(packed.has_value() && strided.has_value() && floats.has_value());
  EXPECT_EQ(*packed, *strided);
  for (size_t i = 0; i < packed->size(); ++i) {
    ASSERT_NEAR((*floats)[i], (*packed)[i], 0.5f + 1e-3f);
  }
}

// The embedder as README.md describes it, written plainly (the 7 x 7 sums per pixel, the tile
// looked up per pixel), with the same floating-point steps: the fast embedder must give the same
// bytes, at tile scale 1 (video) and enlarged (stills).
std::vector<uint8_t> reference_embed(const std::vector<uint8_t>& luma, int w, int h,
                                     uint64_t payload, double tile_scale) {
  const internal::TilePattern pattern(test_key());
  const std::vector<float> tile = pattern.tile(internal::PayloadCodec(test_key()).encode(payload));
  auto cell = [&](int i) {
    const double t = (i + 0.5) / tile_scale - 0.5;
    const double base = std::floor(t);
    const int lower = ((static_cast<int>(base) % 128) + 128) % 128;
    return std::tuple<int, int, float>{lower, (lower + 1) % 128, static_cast<float>(t - base)};
  };
  auto tile_at = [&](int x, int y) {
    if (tile_scale == 1.0) {
      return tile[static_cast<size_t>(y % 128) * 128 + x % 128];
    }
    const auto [x0, x1, fx] = cell(x);
    const auto [y0, y1, fy] = cell(y);
    auto t = [&](int tx, int ty) {
      return tile[static_cast<size_t>(ty) * 128 + tx];
    };
    const float top = t(x0, y0) + fx * (t(x1, y0) - t(x0, y0));
    const float bottom = t(x0, y1) + fx * (t(x1, y1) - t(x0, y1));
    return top + fy * (bottom - top);
  };
  std::vector<float> delta(luma.size());
  double energy = 0;
  for (int y = 0; y < h; ++y) {
    std::array<float, 8> lanes{};
    double row = 0;
    for (int x = 0; x < w; ++x) {
      int sum = 0;
      int square = 0;
      const int x0 = std::max(0, x - 3);
      const int x1 = std::min(w - 1, x + 3);
      const int y0 = std::max(0, y - 3);
      const int y1 = std::min(h - 1, y + 3);
      for (int v = y0; v <= y1; ++v) {
        for (int u = x0; u <= x1; ++u) {
          const int d = luma[static_cast<size_t>(v) * w + u] - 128;
          sum += d;
          square += d * d;
        }
      }
      const float weight =
          (1.0f / static_cast<float>(y1 - y0 + 1)) * (1.0f / static_cast<float>(x1 - x0 + 1));
      const float centred = static_cast<float>(sum) * weight;
      const float variance = static_cast<float>(square) * weight - centred * centred;
      const float texture = std::clamp(std::sqrt(std::max(variance, 0.0f)) / 6.0f, 0.4f, 2.5f);
      const float mean = centred + 128.0f;
      const float luminance = 1.0f + 0.35f * std::max(0.0f, (80.0f - mean) / 80.0f) +
                              0.15f * std::max(0.0f, (mean - 176.0f) / 79.0f);
      const float d = 2.0f * tile_at(x, y) * (texture * luminance);
      delta[static_cast<size_t>(y) * w + x] = d;
      // The energy: squares summed in 8 single-precision lanes per row, rows added in double.
      if (x < w - w % 8) {
        lanes[x % 8] += d * d;
      } else {
        row += static_cast<double>(d) * d;
      }
    }
    for (const float lane : lanes) {
      row += lane;
    }
    energy += row;
  }
  const double rms = std::sqrt(energy / static_cast<double>(luma.size()));
  const float scale = static_cast<float>(std::min(2.4 / rms, 1.5));
  std::vector<uint8_t> out(luma.size());
  for (size_t i = 0; i < luma.size(); ++i) {
    const float v = static_cast<float>(luma[i]) + delta[i] * scale;
    out[i] = static_cast<uint8_t>(std::lround(std::clamp(v, 0.0f, 255.0f)));
  }
  return out;
}

TEST(WatermarkEmbedTest, MatchesAPlainReference) {
  for (const double tile_scale : {1.0, 1.95}) {
    // Sides that are not multiples of the tile or of the energy lanes; a padded stride.
    const int w = 397;
    const int h = 263;
    // Texture over a ramp from black to white, so that both luminance terms of the mask count.
    std::vector<uint8_t> host = textured_luma(w, h, 13);
    for (size_t i = 0; i < host.size(); ++i) {
      const int ramp = static_cast<int>(i % w) * 300 / w - 150;
      host[i] = static_cast<uint8_t>(std::clamp(host[i] + ramp, 0, 255));
    }
    std::vector<uint8_t> padded(static_cast<size_t>(w + 9) * h, 0);
    for (int y = 0; y < h; ++y) {
      std::copy_n(host.begin() + y * w, w, padded.begin() + y * (w + 9));
    }
    auto marked =
        embed(media::LumaView{padded.data(), w, h, w + 9}, 0xabcdef, test_key(), 1.0f, tile_scale);
    ASSERT_TRUE(marked.has_value());
    const std::vector<uint8_t> expected = reference_embed(host, w, h, 0xabcdef, tile_scale);
    size_t differ = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
      differ += (*marked)[i] != expected[i];
    }
    EXPECT_EQ(differ, 0u) << "tile scale " << tile_scale;
    EXPECT_NE(*marked, host);
  }
}

TEST(WatermarkEmbedTest, RgbKeepsChromaAndMeetsPsnr) {
  const media::Image host = testing::synthetic_frame(640, 360, 0, 21);
  auto marked = embed_image(host, 99, test_key());
  ASSERT_TRUE(marked.has_value());
  EXPECT_GE(testing::psnr(host, *marked), 40.0);
  // The same change on R, G and B: differences between channels stay put (up to rounding and
  // clipping at 0 and 255).
  int moved = 0;
  for (size_t i = 0; i < host.pixels.size(); i += 3) {
    const int before = host.pixels[i] - host.pixels[i + 2];
    const int after = marked->pixels[i] - marked->pixels[i + 2];
    moved += std::abs(before - after) > 1;
  }
  EXPECT_LT(moved, static_cast<int>(host.pixels.size() / 3 / 100));
}

TEST(WatermarkDetectTest, RoundTripsThePayloadWithoutAttack) {
  std::mt19937_64 rng(3);
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{640, 360}, {300, 300}, {128, 128}}) {
    const uint64_t payload = rng();
    const std::vector<uint8_t> host = textured_luma(w, h, payload);
    auto marked = embed(view_of(host, w, h), payload, test_key());
    ASSERT_TRUE(marked.has_value());
    auto d = detect(view_of(*marked, w, h), test_key());
    ASSERT_TRUE(d.has_value());
    EXPECT_TRUE(d->found) << w << "x" << h;
    EXPECT_EQ(d->payload, payload);
    EXPECT_GT(d->confidence, 0.8);
    EXPECT_NEAR(d->scale, 1.0, 1e-9);
    EXPECT_LT(std::min(std::fabs(d->offset_x), std::fabs(d->offset_x - 128)), 0.5);
    EXPECT_LT(std::min(std::fabs(d->offset_y), std::fabs(d->offset_y - 128)), 0.5);
  }
}

TEST(WatermarkDetectTest, DeterministicDetection) {
  const std::vector<uint8_t> host = textured_luma(500, 400, 8);
  auto marked = embed(view_of(host, 500, 400), 5, test_key());
  ASSERT_TRUE(marked.has_value());
  const media::Image attacked = testing::resize(media::Image{500, 400, 1, *marked}, 0.75);
  auto a = detect_image(attacked, test_key());
  auto b = detect_image(attacked, test_key());
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_TRUE(a->found);
  EXPECT_EQ(a->payload, b->payload);
  EXPECT_EQ(a->confidence, b->confidence);
  EXPECT_EQ(a->sync_score, b->sync_score);
  EXPECT_EQ(a->scale, b->scale);
  EXPECT_NEAR(a->scale, 0.75, 0.002);
}

TEST(WatermarkDetectTest, WrongKeyAndUnmarkedSayNoMark) {
  const std::vector<uint8_t> host = textured_luma(640, 360, 4);
  auto marked = embed(view_of(host, 640, 360), 77, test_key());
  ASSERT_TRUE(marked.has_value());
  auto wrong = detect(view_of(*marked, 640, 360), test_key("another key"));
  ASSERT_TRUE(wrong.has_value());
  EXPECT_FALSE(wrong->found);
  EXPECT_EQ(wrong->confidence, 0);
  auto unmarked = detect(view_of(host, 640, 360), test_key());
  ASSERT_TRUE(unmarked.has_value());
  EXPECT_FALSE(unmarked->found);
  // Degenerate inputs: flat, black, white.
  for (uint8_t level : {0, 128, 255}) {
    const std::vector<uint8_t> flat(256 * 256, level);
    auto d = detect(view_of(flat, 256, 256), test_key());
    ASSERT_TRUE(d.has_value());
    EXPECT_FALSE(d->found) << int{level};
  }
}

TEST(VideoWatermarkDetectorTest, AccumulatesFramesOfOneSize) {
  VideoWatermarkDetector video(test_key());
  auto none = video.detect();
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code(), base::ErrorCode::kFailedPrecondition);

  std::vector<std::vector<uint8_t>> frames;
  for (int f = 0; f < 4; ++f) {
    const media::Image frame = testing::synthetic_frame(320, 240, f, 31);
    auto marked = embed_image(frame, 0xfeed, test_key());
    ASSERT_TRUE(marked.has_value());
    std::vector<float> luma = testing::luma_of(*marked);
    ASSERT_TRUE(video.add_frame(media::LumaF32View{luma.data(), 320, 240, 0}).has_value());
  }
  EXPECT_EQ(video.frames(), 4);
  const std::vector<uint8_t> other(200 * 200, 9);
  EXPECT_FALSE(video.add_frame(view_of(other, 200, 200)).has_value());
  auto d = video.detect();
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->found);
  EXPECT_EQ(d->payload, 0xfeedu);
  video.reset();
  EXPECT_EQ(video.frames(), 0);
  EXPECT_TRUE(video.add_frame(view_of(other, 200, 200)).has_value());
}

// Issue #13 item 3: a camera-sized still fitted into an HD or proxy frame lands at a quarter of
// its size or less, under the 0.4x the detector reads at. Marked with the tile tile_scale_for
// gives it, it is read there, and at its own size (through the halved search).
TEST(WatermarkTileScaleTest, ChosenForTheSmallestExpectedOutput) {
  EXPECT_NEAR(tile_scale_for(4000, 3000), 5.417, 0.001);  // 0.65 x 3000 / 360
  EXPECT_NEAR(tile_scale_for(2560, 1920), 3.467, 0.001);
  EXPECT_DOUBLE_EQ(tile_scale_for(1920, 1080), 1.95);
  EXPECT_NEAR(tile_scale_for(1024, 1024), 1.849, 0.001);
  EXPECT_DOUBLE_EQ(tile_scale_for(640, 360), 1.0);
  EXPECT_DOUBLE_EQ(tile_scale_for(8000, 6000), 6.0);
  // A banner the detector cannot halve (short side under 720): what it searches at full size.
  EXPECT_DOUBLE_EQ(tile_scale_for(500, 3000), 1.9);
  EXPECT_DOUBLE_EQ(tile_scale_for(700, 1500), 1.9);
  EXPECT_DOUBLE_EQ(tile_scale_for(200, 3000), 200.0 / 128);  // the tile its width holds
  EXPECT_DOUBLE_EQ(tile_scale_for(3000, 100), 1.0);          // under one tile: embed refuses it
  EXPECT_DOUBLE_EQ(max_detect_scale(4000, 3000), 8.0);
  EXPECT_DOUBLE_EQ(max_detect_scale(1920, 1080), 4.0);
  EXPECT_DOUBLE_EQ(max_detect_scale(500, 3000), 2.0);
  std::vector<uint8_t> ok(256 * 256, 128);
  EXPECT_FALSE(embed(view_of(ok, 256, 256), 1, test_key(), 1.0f, 0.5).has_value());
  EXPECT_FALSE(embed(view_of(ok, 256, 256), 1, test_key(), 1.0f, 9.0).has_value());
  // The image holds one enlarged tile at least.
  EXPECT_FALSE(embed(view_of(ok, 256, 256), 1, test_key(), 1.0f, 2.5).has_value());
  EXPECT_TRUE(embed(view_of(ok, 256, 256), 1, test_key(), 1.0f, 2.0).has_value());
}

TEST(WatermarkTileScaleTest, ReadAtTheKnownScaleOnly) {
  // 1280 x 720 is marked at 1.3 and read as it is; 1920 x 1080 at 1.95, read at 0.975 in the
  // halved picture; a 500 x 3000 banner at 1.9, read as it is.
  for (const auto& [w, h] :
       std::vector<std::pair<int, int>>{{1280, 720}, {1920, 1080}, {500, 3000}}) {
    const media::Image still = testing::synthetic_frame(w, h, 0, 43);
    const double tile_scale = tile_scale_for(w, h);
    auto marked = embed_image(still, 0x51, test_key(), 1.0f, tile_scale);
    ASSERT_TRUE(marked.has_value());
    auto seen = read_image_at(*marked, test_key(), tile_scale);
    ASSERT_TRUE(seen.has_value());
    EXPECT_TRUE(seen->found) << w;
    EXPECT_EQ(seen->payload, 0x51u);
    EXPECT_NEAR(seen->scale, tile_scale, 1e-9);
    // Another scale is not searched for.
    auto elsewhere = read_image_at(*marked, test_key(), 1.0);
    ASSERT_TRUE(elsewhere.has_value());
    EXPECT_FALSE(elsewhere->found) << w;
  }
  const media::Image still = testing::synthetic_frame(640, 360, 0, 43);
  EXPECT_FALSE(read_image_at(still, test_key(), 0.0).has_value());
  EXPECT_FALSE(read_image_at(still, test_key(), 9.0).has_value());
}

TEST(WatermarkTileScaleTest, AnEnlargedTileIsReadFromFullSizeDownToAProxy) {
  const int width = 2560;
  const int height = 1920;
  const media::Image still = testing::synthetic_frame(width, height, 0, 41);
  const uint64_t payload = 0x00c0ffee12345678ULL;
  const double tile_scale = tile_scale_for(width, height);
  auto marked = embed_image(still, payload, test_key(), 1.0f, tile_scale);
  ASSERT_TRUE(marked.has_value()) << marked.error().to_string();
  EXPECT_GE(testing::psnr(still, *marked), 40.0);
  auto plain = embed_image(still, payload, test_key());
  ASSERT_TRUE(plain.has_value());

  // Its own size: past scale 2, read in the halved picture.
  auto full = detect_image(*marked, test_key());
  ASSERT_TRUE(full.has_value());
  EXPECT_TRUE(full->found);
  EXPECT_EQ(full->payload, payload);
  EXPECT_NEAR(full->scale, tile_scale, 0.02);
  // Fitted into frames: 1280 wide (0.5x), 16:9 fill of 720p (0.375x), whole into 640x360
  // (0.1875x), each after JPEG q75. (Marked to land at 0.5x instead, the last is lost to the
  // JPEG: so small a picture holds few tiles.)
  for (const double factor : {0.5, 0.375, 0.1875}) {
    auto small = testing::jpeg(testing::resize(*marked, factor), 75);
    ASSERT_TRUE(small.has_value());
    auto seen = detect_image(*small, test_key());
    ASSERT_TRUE(seen.has_value());
    EXPECT_TRUE(seen->found) << "at " << factor;
    EXPECT_EQ(seen->payload, payload) << "at " << factor;
    EXPECT_NEAR(seen->scale, tile_scale * factor, 0.02) << "at " << factor;
  }
  // The tile of 128 pixels is lost at 0.1875x: under the 0.4x the detector reads.
  auto small = testing::jpeg(testing::resize(*plain, 0.1875), 75);
  ASSERT_TRUE(small.has_value());
  auto seen = detect_image(*small, test_key());
  ASSERT_TRUE(seen.has_value());
  EXPECT_FALSE(seen->found);
}

}  // namespace
}  // namespace clearcut::watermark
