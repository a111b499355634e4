#include "clearcut/audio/fingerprint.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numbers>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace clearcut::audio {
namespace {

// Tone bursts at changing pitches between silences: clear, countable peaks.
// With `noise`, white noise at that fraction of the level fills the silences (real audio is
// never digital silence, where the dB floor would make the levels differ).
std::vector<float> bursts(double seconds, float level, float noise = 0.0f) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  const int rate = 8000;
  std::vector<float> s(static_cast<size_t>(seconds * rate));
  for (size_t i = 0; i < s.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    const int note = static_cast<int>(t / 0.25);
    const double f = 300.0 + 170.0 * (note * 7 % 11);
    // 150 ms tones with 20 ms raised-cosine ramps (hard edges would click across the spectrum).
    const double u = std::fmod(t, 0.25);
    const double ramp = 0.02;
    double env = 0.0;
    if (u < ramp) {
      env = 0.5 - 0.5 * std::cos(std::numbers::pi * u / ramp);
    } else if (u < 0.15 - ramp) {
      env = 1.0;
    } else if (u < 0.15) {
      env = 0.5 + 0.5 * std::cos(std::numbers::pi * (u - (0.15 - ramp)) / ramp);
    }
    s[i] = level * (static_cast<float>(env * std::sin(2 * std::numbers::pi * f * t)) +
                    noise * uniform(rng));
  }
  return s;
}

TEST(AudioFingerprintTest, FindsPeaksWhereTheTonesAre) {
  auto fp = fingerprint(bursts(4.0, 0.3f));
  ASSERT_TRUE(fp.has_value()) << fp.error().to_string();
  EXPECT_EQ(fp->frames, 250);
  ASSERT_FALSE(fp->peaks.empty());
  ASSERT_FALSE(fp->landmarks.empty());
  for (const Peak& p : fp->peaks) {
    const double t = p.frame * fp->frame_seconds();
    const int note = static_cast<int>((t + 0.032) / 0.25);  // the window's centre
    const double f = 300.0 + 170.0 * (note * 7 % 11);
    EXPECT_NEAR(p.bin * 8000.0 / 512, f, 2 * 15.625) << "frame " << p.frame;
  }
  for (const Landmark& l : fp->landmarks) {
    EXPECT_GE(landmark_dt(l.hash), 1);
  }
}

TEST(AudioFingerprintTest, IsTheSameAtAnotherLevel) {
  auto loud = fingerprint(bursts(3.0, 0.5f, 0.01f));
  auto quiet = fingerprint(bursts(3.0, 0.05f, 0.01f));
  ASSERT_TRUE(loud.has_value() && quiet.has_value());
  // Whitening cancels the gain; rounding may swap peaks of equal height at the density limit.
  std::set<std::pair<uint32_t, int32_t>> a, b;
  for (const Landmark& l : loud->landmarks) {
    a.emplace(l.hash, l.frame);
  }
  for (const Landmark& l : quiet->landmarks) {
    b.emplace(l.hash, l.frame);
  }
  std::vector<std::pair<uint32_t, int32_t>> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  EXPECT_GE(common.size(), a.size() * 9 / 10);
  EXPECT_GE(common.size(), b.size() * 9 / 10);
}

TEST(AudioFingerprintTest, DoesNotDependOnTheChunkSize) {
  // Over 4096 frames (65 s) the work is done in chunks; the result must be one piece's.
  std::vector<float> s = bursts(70.0, 0.2f);
  auto whole = fingerprint(s);
  ASSERT_TRUE(whole.has_value());
  std::vector<float> tail(s.begin() + 4096 * 128, s.end());
  auto part = fingerprint(tail);
  ASSERT_TRUE(part.has_value());
  // Peaks well inside the tail are the whole's, shifted by 4096 frames.
  std::vector<std::pair<int, int>> a, b;
  for (const Peak& p : whole->peaks) {
    if (p.frame >= 4096 + 64 && p.frame < whole->frames - 64) {
      a.emplace_back(p.frame - 4096, p.bin);
    }
  }
  for (const Peak& p : part->peaks) {
    if (p.frame >= 64 && p.frame < part->frames - 64) {
      b.emplace_back(p.frame, p.bin);
    }
  }
  EXPECT_EQ(a, b);
}

TEST(AudioFingerprintTest, SilenceAndEmptyInputHaveNoLandmarks) {
  auto empty = fingerprint({});
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->frames, 0);
  EXPECT_TRUE(empty->landmarks.empty());
  std::vector<float> zeros(16000, 0.0f);
  auto silent = fingerprint(zeros);
  ASSERT_TRUE(silent.has_value());
  EXPECT_TRUE(silent->peaks.empty());
}

TEST(AudioFingerprintTest, RefusesOptionsOutOfRange) {
  FingerprintOptions o;
  o.window = 500;
  auto fp = fingerprint(std::vector<float>(100), o);
  ASSERT_FALSE(fp.has_value());
  EXPECT_EQ(fp.error().field(), "window");
  o = {};
  o.max_pair_frames = 64;
  fp = fingerprint(std::vector<float>(100), o);
  ASSERT_FALSE(fp.has_value());
  EXPECT_EQ(fp.error().field(), "max_pair_frames");
}

}  // namespace
}  // namespace clearcut::audio
