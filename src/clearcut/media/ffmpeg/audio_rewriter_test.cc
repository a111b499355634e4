#include "clearcut/media/ffmpeg/audio_rewriter.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "clearcut/media/ffmpeg/audio_reader.h"
#include "clearcut/media/ffmpeg/internal/test_clips.h"

namespace clearcut::media {
namespace {

using testing::quoted;
using testing::run_ffmpeg;

class AudioRewriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::have_ffmpeg())
        << "the ffmpeg tool is not installed (scripts/bootstrap installs it)";
  }
  testing::TempDir dir_;
};

// Two seconds of 440 Hz at half scale left and a quarter right, 44.1 kHz stereo.
const char* const kTone =
    "-f lavfi -i 'aevalsrc=0.5*sin(2*PI*440*t)|0.25*sin(2*PI*440*t):s=44100:d=2' "
    "-metadata title=take_7 ";

float peak(const std::vector<float>& samples) {
  float p = 0;
  for (float s : samples) {
    p = std::max(p, std::fabs(s));
  }
  return p;
}

SampleEditor halve(int* channels_seen, int* rate_seen) {
  return
      [=](std::span<const float> in, int channels, int rate) -> base::Result<std::vector<float>> {
        *channels_seen = channels;
        *rate_seen = rate;
        std::vector<float> out(in.begin(), in.end());
        for (float& s : out) {
          s *= 0.5f;
        }
        return out;
      };
}

TEST_F(AudioRewriterTest, AnMp3IsEncodedAgainAtItsBitRateWithItsTags) {
  const std::string in = dir_.file("in.mp3");
  const std::string out = dir_.file("out.mp3");
  ASSERT_TRUE(run_ffmpeg(std::string(kTone) + "-c:a libmp3lame -b:a 160k " + quoted(in)));
  int channels = 0;
  int rate = 0;
  auto summary = rewrite_audio(in, out, halve(&channels, &rate));
  ASSERT_TRUE(summary.has_value()) << summary.error().to_string();
  EXPECT_EQ(channels, 2);
  EXPECT_EQ(rate, 44100);
  EXPECT_EQ(summary->codec, "mp3");
  EXPECT_EQ(summary->channels, 2);
  EXPECT_EQ(summary->sample_rate, 44100);
  EXPECT_EQ(summary->bit_rate, 160000);
  EXPECT_NEAR(static_cast<double>(summary->frames), 88200.0, 2500.0);  // encoder delay aside

  auto before = decode_audio(in, {.stream_index = -1, .sample_rate = 44100});
  auto after = decode_audio(out, {.stream_index = -1, .sample_rate = 44100});
  ASSERT_TRUE(before.has_value() && after.has_value());
  EXPECT_EQ(after->stream.codec, "mp3");
  EXPECT_EQ(after->stream.channels, 2);
  EXPECT_NEAR(after->duration_seconds(), before->duration_seconds(), 0.06);
  EXPECT_NEAR(peak(after->samples), peak(before->samples) * 0.5f, 0.02);
  const std::vector<uint8_t> bytes = testing::read_bytes(out);
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 3), "ID3");
  const std::string text(bytes.begin(), bytes.begin() + std::min<size_t>(bytes.size(), 400));
  EXPECT_NE(text.find("take_7"), std::string::npos);
}

// FLAC is lossless: an edit that changes nothing gives back the samples exactly.
TEST_F(AudioRewriterTest, AFlacRewrittenUnchangedDecodesToTheSameSamples) {
  const std::string in = dir_.file("in.flac");
  const std::string out = dir_.file("out.flac");
  ASSERT_TRUE(run_ffmpeg(std::string(kTone) + "-c:a flac " + quoted(in)));
  auto same = [](std::span<const float> s, int, int) -> base::Result<std::vector<float>> {
    return std::vector<float>(s.begin(), s.end());
  };
  auto summary = rewrite_audio(in, out, same);
  ASSERT_TRUE(summary.has_value()) << summary.error().to_string();
  EXPECT_EQ(summary->codec, "flac");
  EXPECT_EQ(summary->frames, 88200);
  auto before = decode_audio(in, {.stream_index = -1, .sample_rate = 44100});
  auto after = decode_audio(out, {.stream_index = -1, .sample_rate = 44100});
  ASSERT_TRUE(before.has_value() && after.has_value());
  EXPECT_EQ(after->stream.codec, "flac");
  EXPECT_EQ(after->samples, before->samples);
  const std::vector<uint8_t> bytes = testing::read_bytes(out);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 4), "fLaC");
}

TEST_F(AudioRewriterTest, OtherInputAndABadEditAreErrorsAndLeaveNoFile) {
  const std::string wav = dir_.file("in.wav");
  const std::string out = dir_.file("out.mp3");
  ASSERT_TRUE(run_ffmpeg(std::string(kTone) + "-c:a pcm_s16le " + quoted(wav)));
  auto same = [](std::span<const float> s, int, int) -> base::Result<std::vector<float>> {
    return std::vector<float>(s.begin(), s.end());
  };
  auto refused = rewrite_audio(wav, out, same);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), base::ErrorCode::kUnsupported);
  EXPECT_NE(refused.error().message().find("only MP3 and FLAC"), std::string::npos);

  EXPECT_EQ(rewrite_audio(dir_.file("missing.mp3"), out, same).error().code(),
            base::ErrorCode::kNotFound);

  const std::string mp3 = dir_.file("in.mp3");
  ASSERT_TRUE(run_ffmpeg(std::string(kTone) + "-c:a libmp3lame " + quoted(mp3)));
  auto short_edit = [](std::span<const float> s, int, int) -> base::Result<std::vector<float>> {
    return std::vector<float>(s.begin(), s.end() - 2);
  };
  auto bad = rewrite_audio(mp3, out, short_edit);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), base::ErrorCode::kInvalidArgument);
  auto failing = [](std::span<const float>, int, int) -> base::Result<std::vector<float>> {
    return base::invalid_argument("no mark today");
  };
  EXPECT_EQ(rewrite_audio(mp3, out, failing).error().message(), "no mark today");
  AudioRewriteOptions tight;
  tight.max_seconds = 1.0;
  EXPECT_EQ(rewrite_audio(mp3, out, same, tight).error().code(),
            base::ErrorCode::kResourceExhausted);
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace clearcut::media
