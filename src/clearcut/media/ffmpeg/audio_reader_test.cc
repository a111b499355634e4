#include "clearcut/media/ffmpeg/audio_reader.h"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "clearcut/media/ffmpeg/internal/test_clips.h"

namespace clearcut::media {
namespace {

using testing::quoted;
using testing::run_ffmpeg;

class AudioReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The clips are made with the ffmpeg tool; without it the test cannot say anything.
    ASSERT_TRUE(testing::have_ffmpeg())
        << "the ffmpeg tool is not installed (scripts/bootstrap installs it)";
  }
  testing::TempDir dir_;
};

// The index of the first sample whose magnitude exceeds `level`.
int64_t first_loud(const DecodedAudio& audio, float level) {
  for (size_t i = 0; i < audio.samples.size(); ++i) {
    if (std::fabs(audio.samples[i]) > level) {
      return static_cast<int64_t>(i);
    }
  }
  return -1;
}

TEST_F(AudioReaderTest, DecodesStereoWavToMonoAtTheAnalysisRate) {
  const std::string path = dir_.file("tone.wav");
  // 1 s of silence, then 1 s of a 440 Hz tone at half scale in the left channel and a quarter
  // in the right, 48 kHz stereo: the mono average peaks at 3/8.
  ASSERT_TRUE(
      run_ffmpeg("-f lavfi -i "
                 "'aevalsrc=0.5*sin(2*PI*440*t)*gte(t\\,1)|0.25*sin(2*PI*440*t)*gte(t\\,1)"
                 ":s=48000:d=2' -c:a pcm_s16le " +
                 quoted(path)));
  auto audio = decode_audio(path);
  ASSERT_TRUE(audio.has_value()) << audio.error().to_string();
  EXPECT_EQ(audio->sample_rate, kAnalysisSampleRate);
  EXPECT_EQ(audio->stream.codec, "pcm_s16le");
  EXPECT_EQ(audio->stream.sample_rate, 48000);
  EXPECT_EQ(audio->stream.channels, 2);
  EXPECT_NEAR(audio->duration_seconds(), 2.0, 0.01);
  EXPECT_NEAR(audio->seconds_at(first_loud(*audio, 0.05f)), 1.0, 0.005);
  float peak = 0;
  for (float s : audio->samples) {
    peak = std::max(peak, std::fabs(s));
  }
  EXPECT_NEAR(peak, 0.375, 0.01);
}

TEST_F(AudioReaderTest, ListsAndDecodesTheAudioStreamsOfAMovie) {
  const std::string path = dir_.file("movie.mp4");
  ASSERT_TRUE(run_ffmpeg(
      "-f lavfi -i testsrc=size=64x48:rate=25:duration=2 "
      "-f lavfi -i 'sine=frequency=300:sample_rate=44100:duration=2' "
      "-f lavfi -i 'sine=frequency=600:sample_rate=48000:duration=1' "
      "-map 0 -map 1 -map 2 -c:v mpeg4 -c:a aac -b:a 128k -metadata:s:a:1 language=fra " +
      quoted(path)));
  auto info = probe_audio(path);
  ASSERT_TRUE(info.has_value()) << info.error().to_string();
  ASSERT_EQ(info->streams.size(), 2u);
  EXPECT_EQ(info->video_streams, 1);
  EXPECT_EQ(info->streams[0].codec, "aac");
  EXPECT_EQ(info->streams[1].language, "fra");
  EXPECT_EQ(info->streams[1].sample_rate, 48000);

  AudioDecodeOptions options;
  options.stream_index = info->streams[1].stream_index;
  auto second = decode_audio(path, options);
  ASSERT_TRUE(second.has_value()) << second.error().to_string();
  EXPECT_NEAR(second->seconds_at(static_cast<int64_t>(second->samples.size())), 1.0, 0.05);

  auto best = decode_audio(path);
  ASSERT_TRUE(best.has_value()) << best.error().to_string();
  EXPECT_EQ(best->stream.stream_index, info->streams[0].stream_index);
  EXPECT_NEAR(best->duration_seconds(), 2.0, 0.05);
}

TEST_F(AudioReaderTest, RefusesAFileWithoutAudio) {
  const std::string path = dir_.file("silent.mp4");
  ASSERT_TRUE(
      run_ffmpeg("-f lavfi -i testsrc=size=64x48:rate=25:duration=1 -c:v mpeg4 " + quoted(path)));
  auto audio = decode_audio(path);
  ASSERT_FALSE(audio.has_value());
  EXPECT_EQ(audio.error().code(), base::ErrorCode::kUnsupported);
  EXPECT_NE(audio.error().message().find("no audio stream"), std::string::npos)
      << audio.error().message();
  EXPECT_NE(audio.error().message().find("1 video"), std::string::npos) << audio.error().message();

  AudioDecodeOptions options;
  options.stream_index = 0;
  auto video = decode_audio(path, options);
  ASSERT_FALSE(video.has_value());
  EXPECT_EQ(video.error().field(), "stream_index");
}

TEST_F(AudioReaderTest, RefusesTextAMissingFileAndAFolder) {
  const std::string text = dir_.file("notes.wav");
  testing::write_bytes(text, std::vector<uint8_t>{'h', 'e', 'l', 'l', 'o', '\n'});
  auto a = decode_audio(text);
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code(), base::ErrorCode::kUnsupported);
  EXPECT_NE(a.error().message().find(text), std::string::npos);

  auto b = decode_audio(dir_.file("none.wav"));
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code(), base::ErrorCode::kNotFound);

  auto c = decode_audio(dir_.path());
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code(), base::ErrorCode::kInvalidArgument);
}

TEST_F(AudioReaderTest, ReportsATruncatedFile) {
  for (const char* name : {"cut.wav", "cut.m4a", "cut.flac"}) {
    SCOPED_TRACE(name);
    const std::string path = dir_.file(name);
    const std::string codec =
        std::string(name).ends_with(".m4a") ? "-c:a aac -movflags +faststart" : "";
    ASSERT_TRUE(run_ffmpeg("-f lavfi -i 'sine=frequency=440:sample_rate=44100:duration=6' " +
                           codec + " " + quoted(path)));
    testing::truncate_file(path, 0.5);
    auto audio = decode_audio(path);
    ASSERT_FALSE(audio.has_value()) << "decoded " << audio->duration_seconds() << " s";
    EXPECT_TRUE(audio.error().code() == base::ErrorCode::kDataLoss ||
                audio.error().code() == base::ErrorCode::kUnsupported)
        << audio.error().to_string();
  }
}

TEST_F(AudioReaderTest, ReadsAVbrMp3WhoseDurationFfmpegMisestimates) {
  // No Xing header: FFmpeg estimates 9 s from the first frames' bitrate for these 6 s; the
  // estimate must not make a whole file look truncated.
  const std::string path = dir_.file("vbr.mp3");
  ASSERT_TRUE(
      run_ffmpeg("-f lavfi -i 'sine=frequency=440:duration=3' -f lavfi -i "
                 "'anoisesrc=d=3:a=0.5' -filter_complex '[0][1]concat=n=2:v=0:a=1' "
                 "-c:a libmp3lame -q:a 4 -write_xing 0 " +
                 quoted(path)));
  auto audio = decode_audio(path);
  ASSERT_TRUE(audio.has_value()) << audio.error().to_string();
  EXPECT_NEAR(audio->duration_seconds(), 6.0, 0.1);
}

TEST_F(AudioReaderTest, RefusesAudioLongerThanTheLimit) {
  const std::string path = dir_.file("long.flac");
  ASSERT_TRUE(
      run_ffmpeg("-f lavfi -i 'sine=frequency=440:sample_rate=8000:duration=5' " + quoted(path)));
  AudioDecodeOptions options;
  options.max_seconds = 2.0;
  auto audio = decode_audio(path, options);
  ASSERT_FALSE(audio.has_value());
  EXPECT_EQ(audio.error().code(), base::ErrorCode::kResourceExhausted);
  EXPECT_EQ(audio.error().field(), "max_seconds");
}

TEST_F(AudioReaderTest, AnInterruptGivesTheDecodeUpWhereItIs) {
  const std::string path = dir_.file("long.wav");
  ASSERT_TRUE(
      run_ffmpeg("-f lavfi -i 'sine=frequency=440:sample_rate=8000:duration=5' " + quoted(path)));
  int polls = 0;
  AudioDecodeOptions options;
  options.interrupted = [&polls] {
    return ++polls > 20;
  };  // a deadline passing mid-file
  auto audio = decode_audio(path, options);
  ASSERT_FALSE(audio.has_value());
  EXPECT_EQ(audio.error().code(), base::ErrorCode::kUnavailable);
  EXPECT_NE(audio.error().message().find("interrupted"), std::string::npos)
      << audio.error().to_string();
  options.interrupted = [] {
    return false;
  };
  EXPECT_TRUE(decode_audio(path, options).has_value());
}

// A Broadcast WAV's time reference and a movie's timecode, as probe_audio reports them.
TEST_F(AudioReaderTest, ProbeReadsWhereTheFilesTimeStarts) {
  const std::string bwf = dir_.file("stem.wav");
  ASSERT_TRUE(
      run_ffmpeg("-f lavfi -i 'sine=frequency=440:sample_rate=48000:duration=1' "
                 "-write_bext 1 -metadata time_reference=172800000 " +
                 quoted(bwf)));
  auto info = probe_audio(bwf);
  ASSERT_TRUE(info.has_value()) << info.error().to_string();
  EXPECT_EQ(info->time_reference, 172800000u);  // 1 h at 48 kHz
  EXPECT_EQ(info->timecode, "");
  const std::string mov = dir_.file("reel.mov");
  ASSERT_TRUE(
      run_ffmpeg("-f lavfi -i testsrc=size=64x48:rate=25:duration=1 -f lavfi -i "
                 "'sine=frequency=440:sample_rate=48000:duration=1' -c:v mpeg4 "
                 "-c:a pcm_s16le -timecode 10:00:00:00 " +
                 quoted(mov)));
  info = probe_audio(mov);
  ASSERT_TRUE(info.has_value()) << info.error().to_string();
  EXPECT_EQ(info->timecode, "10:00:00:00");
  EXPECT_FALSE(info->time_reference.has_value());
}

TEST_F(AudioReaderTest, FillsAGapBeforeALateStreamWithTime) {
  // The audio starts 0.5 s after the picture: its first sample sits at 0.5 s of the file.
  const std::string path = dir_.file("late.mp4");
  ASSERT_TRUE(
      run_ffmpeg("-f lavfi -i testsrc=size=64x48:rate=25:duration=2 "
                 "-itsoffset 0.5 -f lavfi -i 'sine=frequency=300:sample_rate=48000:duration=1' "
                 "-map 0 -map 1 -c:v mpeg4 -c:a pcm_s16le -f mov " +
                 quoted(path)));
  auto audio = decode_audio(path);
  ASSERT_TRUE(audio.has_value()) << audio.error().to_string();
  const int64_t loud = first_loud(*audio, 0.02f);
  ASSERT_GE(loud, 0);
  EXPECT_NEAR(audio->seconds_at(loud), 0.5, 0.02);
}

}  // namespace
}  // namespace clearcut::media
