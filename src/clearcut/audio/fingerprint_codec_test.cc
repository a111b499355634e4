#include "clearcut/audio/fingerprint_codec.h"

#include <cmath>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/audio/landmark_index.h"
#include "clearcut/base/base64.h"

namespace clearcut::audio {
namespace {

// Noise shaped by a moving band: peaks everywhere, different every second.
std::vector<float> babble(double seconds, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const int rate = 8000;
  std::vector<float> s(static_cast<size_t>(seconds * rate));
  double phase = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    const double f = 400.0 + 300.0 * std::sin(2.3 * t) + 200.0 * std::sin(7.1 * t + seed);
    phase += 2 * std::numbers::pi * f / rate;
    s[i] = 0.2f * static_cast<float>(std::sin(phase)) + 0.02f * normal(rng);
  }
  return s;
}

std::string encoded(const std::vector<uint8_t>& bytes) {
  return base::base64_encode(bytes);
}

std::string decode_error(const std::string& text) {
  auto fp = decode_fingerprint(text);
  return fp.has_value() ? "decoded" : fp.error().to_string();
}

TEST(AudioFingerprintCodecTest, RoundTripKeepsPeaksAndLandmarks) {
  auto fp = fingerprint(babble(6.0, 3));
  ASSERT_TRUE(fp.has_value()) << fp.error().to_string();
  ASSERT_GT(fp->peaks.size(), 100u);
  auto text = encode_fingerprint(*fp);
  ASSERT_TRUE(text.has_value()) << text.error().to_string();
  // About 3 bytes a peak, in base64.
  EXPECT_LT(text->size(), (fp->peaks.size() * 4 + 32) * 4 / 3);
  auto back = decode_fingerprint(*text);
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  EXPECT_EQ(back->sample_rate, fp->sample_rate);
  EXPECT_EQ(back->hop, fp->hop);
  EXPECT_EQ(back->frames, fp->frames);
  ASSERT_EQ(back->peaks.size(), fp->peaks.size());
  for (size_t i = 0; i < fp->peaks.size(); ++i) {
    EXPECT_EQ(back->peaks[i].frame, fp->peaks[i].frame);
    EXPECT_EQ(back->peaks[i].bin, fp->peaks[i].bin);
    EXPECT_NEAR(back->peaks[i].prominence_db, std::min(fp->peaks[i].prominence_db, 63.75f), 0.125f);
  }
  ASSERT_EQ(back->landmarks.size(), fp->landmarks.size());
  for (size_t i = 0; i < fp->landmarks.size(); ++i) {
    EXPECT_EQ(back->landmarks[i].hash, fp->landmarks[i].hash);
    EXPECT_EQ(back->landmarks[i].frame, fp->landmarks[i].frame);
  }
  EXPECT_EQ(*encode_fingerprint(*back), *text);  // deterministic, and stable through a read
}

TEST(AudioFingerprintCodecTest, ADecodedFingerprintIsFoundAsTheOriginalIs) {
  std::vector<float> line = babble(3.0, 5);
  std::vector<float> mix = babble(10.0, 9);
  for (size_t i = 0; i < line.size(); ++i) {
    mix[4 * 8000 + i] = 0.5f * mix[4 * 8000 + i] + line[i];
  }
  LandmarkIndex index;
  auto stored = encode_fingerprint(*fingerprint(line));
  ASSERT_TRUE(stored.has_value());
  auto read = decode_fingerprint(*stored);
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  ASSERT_TRUE(index.add("line", *read).has_value());
  auto found = index.match(*fingerprint(mix, query_options()));
  ASSERT_TRUE(found.has_value()) << found.error().to_string();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].output_id, "line");
  EXPECT_NEAR((*found)[0].start_seconds, 4.0, 0.1);
}

TEST(AudioFingerprintCodecTest, RefusesWhatItDidNotWrite) {
  // magic, version 1, rate 8000, hop 128, 100 frames, 1 peak at frame 5, bin 20, 10 dB
  const std::vector<uint8_t> good = {'c',  'c',  'a', 'f', 1, 0xc0, 0x3e,
                                     0x80, 0x01, 100, 1,   5, 20,   40};
  ASSERT_EQ(decode_error(encoded(good)), "decoded");
  EXPECT_EQ(decode_fingerprint(encoded(good))->peaks.size(), 1u);

  EXPECT_NE(decode_error("not base64!").find("canonical base64"), std::string::npos);
  EXPECT_NE(decode_error(encoded({'c', 'c', 'a', 'x', 1})).find("magic"), std::string::npos);
  EXPECT_NE(decode_error(encoded({'c', 'c', 'a', 'f', 2, 1})).find("version 2"), std::string::npos);
  auto with = [&good](size_t at, uint8_t value) {
    std::vector<uint8_t> b = good;
    b[at] = value;
    return encoded(b);
  };
  EXPECT_NE(decode_error(with(5, 10)).find("sample rate"), std::string::npos);
  EXPECT_NE(decode_error(with(12, 0)).find("bin 0"), std::string::npos);
  EXPECT_NE(decode_error(with(11, 100)).find("past the 100 frames"), std::string::npos);
  EXPECT_NE(decode_error(with(10, 50)).find("fewer peaks"), std::string::npos);
  std::vector<uint8_t> longer = good;
  longer.push_back(0);
  EXPECT_NE(decode_error(encoded(longer)).find("bytes after"), std::string::npos);
  std::vector<uint8_t> shorter(good.begin(), good.end() - 1);
  EXPECT_NE(decode_error(encoded(shorter)).find("truncated"), std::string::npos);
  // A varint longer than 32 bits.
  EXPECT_NE(decode_error(encoded({'c', 'c', 'a', 'f', 1, 0xff, 0xff, 0xff, 0xff, 0x7f}))
                .find("header is truncated"),
            std::string::npos);
  // One value, one encoding: 5 as 0x85 0x00 is refused.
  std::vector<uint8_t> overlong = good;
  overlong[11] = 0x85;
  overlong.insert(overlong.begin() + 12, 0x00);
  EXPECT_NE(decode_error(encoded(overlong)).find("not a minimal varint"), std::string::npos);
  // Every error names the field.
  auto error = decode_fingerprint("");
  ASSERT_FALSE(error.has_value());
  EXPECT_EQ(error.error().field(), "audio_fingerprint");
}

TEST(AudioFingerprintCodecTest, RefusesMoreThanItStores) {
  Fingerprint fp;
  fp.sample_rate = 8000;
  fp.hop = 128;
  fp.frames = kMaxStoredFrames;
  fp.peaks.resize(kMaxStoredPeaks + 1, Peak{0, 10, 6.0f});
  EXPECT_FALSE(encode_fingerprint(fp).has_value());
}

}  // namespace
}  // namespace clearcut::audio
