#include "clearcut/media/ffmpeg/video_rewriter.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/media/ffmpeg/audio_reader.h"
#include "clearcut/media/ffmpeg/internal/test_clips.h"
#include "clearcut/media/ffmpeg/video_reader.h"

namespace clearcut::media {
namespace {

using testing::quoted;
using testing::run_ffmpeg;
using testing::TempDir;

struct Luma {
  int width = 0;
  int height = 0;
  double time = 0;
  std::vector<uint8_t> pixels;
  int at(int x, int y) const { return pixels[static_cast<size_t>(y) * width + x]; }
};

std::vector<Luma> read_all(const std::string& path) {
  std::vector<Luma> frames;
  auto reader = VideoReader::open(path);
  EXPECT_TRUE(reader.has_value()) << (reader.has_value() ? "" : reader.error().message());
  if (!reader.has_value()) {
    return frames;
  }
  base::Status status = reader->for_each([&](const VideoFrame& f) -> base::Status {
    Luma l{f.luma.width, f.luma.height, f.time_seconds, {}};
    for (int y = 0; y < f.luma.height; ++y) {
      l.pixels.insert(l.pixels.end(), f.luma.row(y), f.luma.row(y) + f.luma.width);
    }
    frames.push_back(std::move(l));
    return {};
  });
  EXPECT_TRUE(status.has_value()) << (status.has_value() ? "" : status.error().message());
  return frames;
}

// Paints a 32x32 white square at (16, 16) of every frame.
base::Status paint_square(const RewriteFrame& f) {
  for (int y = 16; y < 48; ++y) {
    for (int x = 16; x < 48; ++x) {
      f.luma[y * f.stride + x] = 235;
    }
  }
  return {};
}

class VideoRewriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_ffmpeg()) {
      GTEST_SKIP() << "the ffmpeg tool is not installed";
    }
  }
  std::string make(const std::string& name, const std::string& args) {
    const std::string path = dir_.file(name);
    EXPECT_TRUE(run_ffmpeg(args + " " + quoted(path))) << "ffmpeg failed making " << name;
    return path;
  }
  TempDir dir_;
};

TEST_F(VideoRewriterTest, EditsEveryFrameAndKeepsTimingAndAudio) {
  const std::string in =
      make("in.mp4",
           "-f lavfi -i testsrc2=s=320x240:r=25 -f lavfi -i sine=r=48000 -frames:v 50 -t 2 "
           "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest");
  const std::string out = dir_.file("out.mp4");
  std::vector<int64_t> indices;
  auto summary = rewrite_video(in, out, {}, [&](const RewriteFrame& f) {
    indices.push_back(f.index);
    EXPECT_EQ(f.width, 320);
    EXPECT_EQ(f.height, 240);
    EXPECT_NEAR(f.time_seconds, f.index / 25.0, 1e-3);
    EXPECT_FALSE(f.full_range);
    return paint_square(f);
  });
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_EQ(summary->frames, 50);
  EXPECT_EQ(summary->width, 320);
  EXPECT_EQ(summary->pixel_format, "yuv420p");
  EXPECT_EQ(summary->streams_copied, 1);  // the AAC track
  EXPECT_EQ(summary->streams_dropped, 0);
  ASSERT_EQ(indices.size(), 50u);
  for (size_t i = 0; i < indices.size(); ++i) {
    EXPECT_EQ(indices[i], static_cast<int64_t>(i));
  }

  const std::vector<Luma> before = read_all(in);
  const std::vector<Luma> after = read_all(out);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_NEAR(after[i].time, before[i].time, 1e-3) << "frame " << i;
    EXPECT_NEAR(after[i].at(32, 32), 235, 4) << "frame " << i;
    // Elsewhere the picture is the source's, within what CRF 16 changes.
    double diff = 0;
    int n = 0;
    for (int y = 64; y < 240; y += 3) {
      for (int x = 64; x < 320; x += 3) {
        diff += std::abs(after[i].at(x, y) - before[i].at(x, y));
        ++n;
      }
    }
    EXPECT_LT(diff / n, 3.0) << "frame " << i;
  }
  auto info = VideoReader::open(out);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->info().codec, "h264");
  EXPECT_EQ(info->info().frame_rate, (Rational{25, 1}));
}

// A MOV's PCM (ProRes masters carry 24-bit PCM), which MP4 cannot hold, is carried as ALAC
// sample for sample, 24-bit and 16-bit alike; the timecode track is what is dropped.
TEST_F(VideoRewriterTest, KeepsPcmSoundAsLosslessAlac) {
  const std::string in =
      make("in.mov",
           "-f lavfi -i testsrc2=s=320x240:r=25 -f lavfi -i sine=f=440:r=48000 "
           "-f lavfi -i \"anoisesrc=r=44100:a=0.3,pan=stereo|c0=c0|c1=0.5*c0\" -frames:v 25 -t 1 "
           "-map 0:v -map 1:a -map 2:a -c:v libx264 -preset ultrafast -c:a:0 pcm_s24le "
           "-c:a:1 pcm_s16le -timecode 01:00:00:00");
  const std::string out = dir_.file("out.mp4");
  auto summary = rewrite_video(in, out, {}, [](const RewriteFrame&) { return base::Status(); });
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_EQ(summary->streams_reencoded, 2);
  EXPECT_EQ(summary->streams_copied, 0);
  EXPECT_EQ(summary->streams_dropped, 1);  // the timecode track
  for (int stream = 0; stream < 2; ++stream) {
    const std::string a = dir_.file("a" + std::to_string(stream) + ".raw");
    const std::string b = dir_.file("b" + std::to_string(stream) + ".raw");
    const std::string map = " -map 0:a:" + std::to_string(stream) + " -f s32le ";
    ASSERT_TRUE(run_ffmpeg("-i " + quoted(in) + map + quoted(a)));
    ASSERT_TRUE(run_ffmpeg("-i " + quoted(out) + map + quoted(b)));
    const std::vector<uint8_t> before = testing::read_bytes(a);
    EXPECT_GT(before.size(), 30000u * 4) << "stream " << stream;  // most of a second
    EXPECT_TRUE(before == testing::read_bytes(b)) << "stream " << stream << " changed";
  }
  auto probe = probe_audio(out);
  ASSERT_TRUE(probe.has_value()) << probe.error().message();
  ASSERT_EQ(probe->streams.size(), 2u);
  EXPECT_EQ(probe->streams[0].codec, "alac");
  EXPECT_EQ(probe->streams[0].sample_rate, 48000);
  EXPECT_EQ(probe->streams[1].codec, "alac");
  EXPECT_EQ(probe->streams[1].sample_rate, 44100);
  EXPECT_EQ(probe->streams[1].channels, 2);
}

TEST_F(VideoRewriterTest, KeepsFullRangeAnd444AndConvertsTenBit) {
  const std::string full = make("full.mp4",
                                "-f lavfi -i testsrc2=s=256x144:r=24 -frames:v 6 -c:v libx264 "
                                "-preset ultrafast -pix_fmt yuvj444p");
  auto a = rewrite_video(full, dir_.file("full_out.mp4"), {}, [](const RewriteFrame& f) {
    EXPECT_TRUE(f.full_range);
    return base::Status();
  });
  ASSERT_TRUE(a.has_value()) << a.error().message();
  EXPECT_EQ(a->pixel_format, "yuvj444p");
  auto reread = VideoReader::open(dir_.file("full_out.mp4"));
  ASSERT_TRUE(reread.has_value());
  EXPECT_TRUE(reread->info().full_range);

  const std::string ten = make("ten.mov",
                               "-f lavfi -i testsrc2=s=256x144:r=24 -frames:v 6 -c:v prores_ks "
                               "-profile:v 2 -pix_fmt yuv422p10le");
  auto b = rewrite_video(ten, dir_.file("ten_out.mp4"), {}, paint_square);
  ASSERT_TRUE(b.has_value()) << b.error().message();
  EXPECT_EQ(b->pixel_format, "yuv422p");  // 8 bits, the master's chroma resolution kept
  EXPECT_EQ(b->frames, 6);
  const std::vector<Luma> frames = read_all(dir_.file("ten_out.mp4"));
  ASSERT_EQ(frames.size(), 6u);
  EXPECT_NEAR(frames[3].at(32, 32), 235, 4);

  // RGB (QuickTime Animation) keeps full colour resolution; grey becomes 4:2:0.
  const std::string rgb =
      make("rgb.mov", "-f lavfi -i testsrc2=s=256x144:r=24 -frames:v 3 -c:v qtrle");
  auto c = rewrite_video(rgb, dir_.file("rgb_out.mp4"), {}, paint_square);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->pixel_format, "yuv444p");
  const std::string grey = make("grey.mkv",
                                "-f lavfi -i testsrc2=s=256x144:r=24 -frames:v 3 -c:v ffv1 "
                                "-pix_fmt gray");
  auto g = rewrite_video(grey, dir_.file("grey_out.mp4"), {}, paint_square);
  ASSERT_TRUE(g.has_value()) << g.error().message();
  EXPECT_EQ(g->pixel_format, "yuv420p");
}

TEST_F(VideoRewriterTest, AnEditorErrorStopsAndLeavesNoOutput) {
  const std::string in = make("in.mp4",
                              "-f lavfi -i testsrc2=s=320x240:r=25 -frames:v 20 -c:v libx264 "
                              "-preset ultrafast -pix_fmt yuv420p");
  const std::string out = dir_.file("out.mp4");
  auto result = rewrite_video(in, out, {}, [](const RewriteFrame& f) -> base::Status {
    if (f.index == 7) {
      return base::invalid_argument("frame 7 is too small to mark");
    }
    return {};
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message(), "frame 7 is too small to mark");
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(VideoRewriterTest, BadInputIsAnErrorAndAnExistingOutputIsLeftAlone) {
  const std::string out = dir_.file("keep.mp4");
  testing::write_bytes(out, {1, 2, 3});
  auto missing = rewrite_video(dir_.file("nope.mp4"), out, {}, paint_square);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), base::ErrorCode::kNotFound);
  EXPECT_EQ(testing::read_bytes(out).size(), 3u);

  const std::string junk = dir_.file("junk.mp4");
  testing::write_bytes(junk, std::vector<uint8_t>(4096, 0x5a));
  auto bad = rewrite_video(junk, dir_.file("junk_out.mp4"), {}, paint_square);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), base::ErrorCode::kUnsupported);

  const std::string audio = make("sine.m4a", "-f lavfi -i sine=d=1 -c:a aac");
  auto no_video = rewrite_video(audio, dir_.file("audio_out.mp4"), {}, paint_square);
  ASSERT_FALSE(no_video.has_value());
  EXPECT_EQ(no_video.error().code(), base::ErrorCode::kUnsupported);
  EXPECT_FALSE(std::filesystem::exists(dir_.file("audio_out.mp4")));

  const std::string truncated = make("cut.mp4",
                                     "-f lavfi -i testsrc2=s=320x240:r=25 -frames:v 50 -c:v "
                                     "libx264 -preset ultrafast -pix_fmt yuv420p -movflags "
                                     "+faststart");
  testing::truncate_file(truncated, 0.5);
  auto cut = rewrite_video(truncated, dir_.file("cut_out.mp4"), {}, paint_square);
  ASSERT_FALSE(cut.has_value());
  EXPECT_EQ(cut.error().code(), base::ErrorCode::kDataLoss) << cut.error().message();
  EXPECT_FALSE(std::filesystem::exists(dir_.file("cut_out.mp4")));
}

}  // namespace
}  // namespace clearcut::media
