#include "clearcut/audio/watermark.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/audio/internal/resample.h"
#include "clearcut/audio/internal/test_material.h"
#include "clearcut/media/ffmpeg/audio_reader.h"

namespace clearcut::audio {
namespace {

constexpr uint64_t kPayload = 0x0123456789abcdefull;
constexpr int kRate = 48000;

watermark::WatermarkKey key(const char* passphrase = "audio watermark test") {
  return *watermark::WatermarkKey::from_passphrase(passphrase);
}

// A voiced, speech-like host: a harmonic series on a wandering pitch through two moving formant
// resonances, syllables of 180 ms between pauses, at `rate`.
std::vector<float> voiced(double seconds, int rate, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-0.5, 0.5);
  const auto n = static_cast<size_t>(seconds * rate);
  std::vector<float> s(n);
  double phase = 0;
  for (size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double syllable = std::fmod(t, 0.25);
    const double env = syllable < 0.18 ? std::sin(std::numbers::pi * syllable / 0.18) : 0.0;
    const double f0 = 120.0 + 25.0 * std::sin(2 * std::numbers::pi * 0.7 * t);
    phase += 2 * std::numbers::pi * f0 / rate;
    const double f1 = 600 + 250 * std::sin(2 * std::numbers::pi * 1.3 * t);
    const double f2 = 1700 + 500 * std::sin(2 * std::numbers::pi * 0.9 * t + 1.0);
    double v = 0;
    for (int h = 1; h * f0 < 3900; ++h) {
      const double f = h * f0;
      const double g1 = 1.0 / (1.0 + std::pow((f - f1) / 150.0, 2));
      const double g2 = 0.5 / (1.0 + std::pow((f - f2) / 200.0, 2));
      v += (g1 + g2 + 0.02) / h * std::sin(h * phase);
    }
    s[i] = static_cast<float>(0.3 * env * v + 0.001 * u(rng));
  }
  return s;
}

double snr_db(const std::vector<float>& host, const std::vector<float>& marked) {
  double h = 0;
  double d = 0;
  for (size_t i = 0; i < host.size(); ++i) {
    h += static_cast<double>(host[i]) * host[i];
    d += static_cast<double>(marked[i] - host[i]) * (marked[i] - host[i]);
  }
  return 10 * std::log10(h / d);
}

std::vector<float> to_8k(const std::vector<float>& x, int rate) {
  return internal::Resampler(rate, 8000, 3800.0).run(x);
}

TEST(AudioWatermarkTest, RoundTripAtTheNativeRate) {
  for (int rate : {48000, 44100, 8000}) {
    const std::vector<float> host = voiced(6.0, rate, 1);
    auto marked = embed_watermark(host, 1, rate, kPayload, key());
    ASSERT_TRUE(marked.has_value()) << marked.error().message();
    ASSERT_EQ(marked->size(), host.size());
    EXPECT_GE(snr_db(host, *marked), 30.0) << rate;
    auto d = detect_watermark(*marked, rate, key());
    ASSERT_TRUE(d.has_value());
    EXPECT_TRUE(d->found) << rate << " sync " << d->sync_score;
    EXPECT_EQ(d->payload, kPayload);
    EXPECT_GT(d->confidence, 0.8);
    EXPECT_DOUBLE_EQ(d->end_seconds, 6.0);
    // Read at 8 kHz, as the scanner reads (media::decode_audio's rate).
    auto d8 = detect_watermark(to_8k(*marked, rate), 8000, key());
    ASSERT_TRUE(d8.has_value());
    EXPECT_TRUE(d8->found) << rate << " sync " << d8->sync_score;
    EXPECT_EQ(d8->payload, kPayload);
  }
}

TEST(AudioWatermarkTest, StereoCarriesTheSameMarkInEveryChannel) {
  const std::vector<float> left = voiced(5.0, kRate, 2);
  const std::vector<float> right = voiced(5.0, kRate, 3);
  std::vector<float> stereo;
  for (size_t i = 0; i < left.size(); ++i) {
    stereo.push_back(left[i]);
    stereo.push_back(0.5f * right[i]);
  }
  auto marked = embed_watermark(stereo, 2, kRate, kPayload, key());
  ASSERT_TRUE(marked.has_value());
  EXPECT_GE(snr_db(stereo, *marked), 30.0);
  std::vector<float> mono;
  for (size_t i = 0; i < left.size(); ++i) {
    const float dl = (*marked)[2 * i] - stereo[2 * i];
    const float dr = (*marked)[2 * i + 1] - stereo[2 * i + 1];
    ASSERT_NEAR(dl, dr, 1e-6f);
    mono.push_back(0.5f * ((*marked)[2 * i] + (*marked)[2 * i + 1]));
  }
  auto d = detect_watermark(to_8k(mono, kRate), 8000, key());
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->found);
  EXPECT_EQ(d->payload, kPayload);
}

TEST(AudioWatermarkTest, UnmarkedAudioAndAnotherKeyFindNothing) {
  const std::vector<float> host = voiced(12.0, kRate, 4);
  auto plain = scan_watermarks(to_8k(host, kRate), 8000, key());
  ASSERT_TRUE(plain.has_value());
  EXPECT_TRUE(plain->empty());
  auto marked = embed_watermark(host, 1, kRate, kPayload, key());
  ASSERT_TRUE(marked.has_value());
  const std::vector<float> m8 = to_8k(*marked, kRate);
  auto other = scan_watermarks(m8, 8000, key("another deployment"));
  ASSERT_TRUE(other.has_value());
  EXPECT_TRUE(other->empty());
  auto mine = scan_watermarks(m8, 8000, key());
  ASSERT_TRUE(mine.has_value());
  EXPECT_GE(mine->size(), 8u);  // 10 windows of 3 s, hop 1 s
  for (const AudioWatermarkDetection& d : *mine) {
    EXPECT_EQ(d.payload, kPayload);
    EXPECT_NEAR(d.end_seconds - d.start_seconds, 3.0, 1e-9);
  }
  // Digital silence is not marked, and reads as nothing.
  const std::vector<float> silence(kRate * 2, 0.0f);
  auto s = embed_watermark(silence, 1, kRate, kPayload, key());
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, silence);
  auto ds = detect_watermark(silence, kRate, key());
  ASSERT_TRUE(ds.has_value());
  EXPECT_FALSE(ds->found);
}

TEST(AudioWatermarkTest, ALineCutAnywhereDecodes) {
  const std::vector<float> host = voiced(10.0, kRate, 5);
  auto marked = embed_watermark(host, 1, kRate, kPayload, key());
  ASSERT_TRUE(marked.has_value());
  // 3.3 s from an odd sample, set 0.77 s into room tone: no frame of the mark's grid where the
  // detector would put it.
  const size_t from = 123457;
  std::vector<float> cut(static_cast<size_t>(0.77 * kRate), 0.0f);
  cut.insert(cut.end(), marked->begin() + from,
             marked->begin() + from + static_cast<size_t>(3.3 * kRate));
  cut.resize(cut.size() + kRate / 2, 0.0f);
  std::mt19937 rng(9);
  std::normal_distribution<float> hiss(0.0f, 3e-4f);
  for (float& v : cut) {
    v += hiss(rng);
  }
  auto found = scan_watermarks(to_8k(cut, kRate), 8000, key(), {3.0, 0.5});
  ASSERT_TRUE(found.has_value());
  ASSERT_FALSE(found->empty());
  EXPECT_EQ(found->front().payload, kPayload);
}

TEST(AudioWatermarkTest, ErrorsAreResults) {
  const std::vector<float> host = voiced(2.0, kRate, 6);
  const auto code = [](const auto& r) {
    return r.error().code();
  };
  auto short_embed = embed_watermark(std::span(host).first(kRate / 4), 1, kRate, 1, key());
  ASSERT_FALSE(short_embed.has_value());
  EXPECT_EQ(code(short_embed), base::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(embed_watermark(host, 1, 7999, 1, key()).has_value());
  EXPECT_FALSE(embed_watermark(host, 1, 192001, 1, key()).has_value());
  EXPECT_FALSE(embed_watermark(host, 0, kRate, 1, key()).has_value());
  EXPECT_FALSE(embed_watermark(host, 9, kRate, 1, key()).has_value());
  EXPECT_FALSE(embed_watermark(std::span(host).first(kRate + 1), 2, kRate, 1, key()).has_value());
  auto short_read = detect_watermark(std::span(host).first(kRate / 2), kRate, key());
  ASSERT_FALSE(short_read.has_value());
  EXPECT_EQ(code(short_read), base::ErrorCode::kInvalidArgument);
  auto bad_rate = detect_watermark(host, 4000, key());
  ASSERT_FALSE(bad_rate.has_value());
  EXPECT_EQ(code(bad_rate), base::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(scan_watermarks(host, kRate, key(), {0.5, 1.0}).has_value());
  EXPECT_FALSE(scan_watermarks(host, kRate, key(), {3.0, 0.0}).has_value());
}

// An espeak-ng line (three sentences, about 9 s) marked at 48 kHz, then each transformation of
// issue #18 by ffmpeg, alone and mixed under music at 0 dB, read as the scanner reads
// (decode_audio: mono, 8 kHz) in 3-second windows. Never a wrong payload. At the default SNR
// (30 dB) the line alone decodes after 16-bit WAV, MP3 128k, 48 -> 44.1 kHz and level
// changes; with the full move (no SNR cap under 20 dB: about 28 dB) also after EQ. FFmpeg's
// AAC at 128k and music at 0 dB are printed, not held: they miss issue #18's bar (README.md,
// "Watermark").
class AudioWatermarkMaterialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string missing = testing::missing_tools();
    ASSERT_TRUE(missing.empty()) << "missing tools: " << missing;
  }

  std::vector<float> line(const std::string& folder) {
    std::vector<float> out(kRate / 5, 0.0f);
    for (int i = 0; i < 3; ++i) {
      const std::string p = folder + "/l" + std::to_string(i) + ".wav";
      EXPECT_TRUE(testing::speak(testing::sentences()[static_cast<size_t>(i + 3)],
                                 testing::voices()[static_cast<size_t>(i)], 160, p)
                      .has_value());
      media::AudioDecodeOptions o;
      o.sample_rate = kRate;
      auto a = media::decode_audio(p, o);
      EXPECT_TRUE(a.has_value());
      out.insert(out.end(), a->samples.begin(), a->samples.end());
      out.insert(out.end(), static_cast<size_t>(0.3 * kRate), 0.0f);
    }
    return out;
  }

  // Share of 3-second windows (hop 2 s) of `path` in [from, to) whose payload is kPayload;
  // fails on any other payload.
  static double share(const std::string& path, double from, double to) {
    auto a = media::decode_audio(path);
    EXPECT_TRUE(a.has_value());
    int windows = 0;
    int exact = 0;
    for (double s = from; s + 3.0 <= to; s += 2.0) {
      const auto b = static_cast<size_t>(s * 8000);
      auto d = detect_watermark(std::span<const float>(a->samples).subspan(b, 24000), 8000, key());
      EXPECT_TRUE(d.has_value());
      ++windows;
      exact += d->found && d->payload == kPayload ? 1 : 0;
      EXPECT_TRUE(!d->found || d->payload == kPayload) << path << " at " << s;
    }
    return windows == 0 ? 0.0 : static_cast<double>(exact) / windows;
  }
};

TEST_F(AudioWatermarkMaterialTest, EveryTransformation) {
  testing::TempDir dir;
  const std::vector<float> host = line(dir.path());
  const double seconds = static_cast<double>(host.size()) / kRate;
  auto marked = embed_watermark(host, 1, kRate, kPayload, key());
  ASSERT_TRUE(marked.has_value());
  AudioWatermarkOptions strong;
  strong.min_snr_db = 20;
  auto loud = embed_watermark(host, 1, kRate, kPayload, key(), strong);
  ASSERT_TRUE(loud.has_value());
  EXPECT_GE(snr_db(host, *marked), 30.0);
  EXPECT_GE(snr_db(host, *loud), 20.0);
  const std::string line_path = dir.path() + "/marked.wav";
  const std::string loud_path = dir.path() + "/loud.wav";
  ASSERT_TRUE(testing::write_float_wav(line_path, *marked, kRate).has_value());
  ASSERT_TRUE(testing::write_float_wav(loud_path, *loud, kRate).has_value());
  const std::string bed = dir.path() + "/bed.wav";
  ASSERT_TRUE(testing::music_bed(seconds + 2, 2, bed).has_value());
  const std::string mix = dir.path() + "/mix.wav";
  ASSERT_TRUE(testing::mix(bed, {{loud_path, 1.0}}, mix).has_value());
  for (const testing::Transform& t : testing::transforms()) {
    const std::string stem = dir.path() + "/" + t.name;
    auto a = testing::apply(t, line_path, stem + "_line");
    auto b = testing::apply(t, loud_path, stem + "_loud");
    auto c = testing::apply(t, mix, stem + "_mix");
    ASSERT_TRUE(a.has_value() && b.has_value() && c.has_value());
    const double at30 = share(*a, 0, seconds);
    const double at20 = share(*b, 0, seconds);
    const double mixed = share(*c, 1.0, 1.0 + seconds);
    std::printf(
        "%-11s SNR %.1f dB: %.2f of windows; SNR %.1f dB: %.2f; under music at 0 dB: "
        "%.2f\n",
        t.name.c_str(), snr_db(host, *marked), at30, snr_db(host, *loud), at20, mixed);
    if (t.name == "wav" || t.name == "44.1k" || t.name == "mp3-128" ||
        t.name.rfind("level", 0) == 0) {
      EXPECT_GE(at30, 0.8) << t.name;
    }
    if (t.suffix != ".m4a") {  // AAC: see README.md, "Watermark", limits
      EXPECT_GE(at20, 0.8) << t.name;
    }
  }
}

}  // namespace
}  // namespace clearcut::audio
