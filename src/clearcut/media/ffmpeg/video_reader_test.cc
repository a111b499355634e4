#include "clearcut/media/ffmpeg/video_reader.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/media/ffmpeg/bare_decode.h"
#include "clearcut/media/ffmpeg/internal/test_clips.h"

namespace clearcut::media {
namespace {

using testing::quoted;
using testing::run_ffmpeg;

// Test clips, made with the ffmpeg tool on first use (each test runs in its own process, so
// each makes only the clips it reads) in a folder removed at exit.
class Clips {
 public:
  static const std::string& get(const std::string& name) {
    static std::map<std::string, std::string> made;
    auto it = made.find(name);
    if (it != made.end()) {
      return it->second;
    }
    const std::string path = dir().file(name);
    const std::string args = recipe(name);
    EXPECT_FALSE(args.empty()) << "no recipe for " << name;
    EXPECT_TRUE(run_ffmpeg(args + " " + quoted(path))) << "ffmpeg failed making " << name;
    return made.emplace(name, path).first->second;
  }

  static const testing::TempDir& dir() {
    static testing::TempDir d;
    return d;
  }

 private:
  static std::string recipe(const std::string& name) {
    const std::string x264 = "-c:v libx264 -preset ultrafast -pix_fmt yuv420p";
    static const std::map<std::string, std::string> recipes = {
        {"h264_2398.mp4", "-f lavfi -i testsrc2=s=320x240:r=24000/1001 -frames:v 48 " + x264 +
                              " -movflags +faststart"},
        {"h264_2398_tail_moov.mp4",
         "-f lavfi -i testsrc2=s=320x240:r=24000/1001 -frames:v 48 " + x264},
        {"prores_2997.mov",
         "-f lavfi -i testsrc2=s=320x240:r=30000/1001 -frames:v 15 -c:v prores_ks -profile:v 0"},
        {"mpeg2_25.mxf", "-f lavfi -i testsrc2=s=320x240:r=25 -frames:v 25 -c:v mpeg2video -q:v 4"},
        {"h264_5994.mkv", "-f lavfi -i testsrc2=s=320x240:r=60000/1001 -frames:v 30 " + x264},
        {"h264_25.mkv", "-f lavfi -i testsrc2=s=320x240:r=25 -frames:v 50 " + x264},
        {"h264_25_gop10.mp4",
         "-f lavfi -i testsrc2=s=320x240:r=25 -frames:v 60 " + x264 + " -g 10 -bf 2"},
        {"h264_25.ts", "-f lavfi -i testsrc2=s=320x240:r=25 -frames:v 20 " + x264},
        {"vp9_25.webm",
         "-f lavfi -i testsrc2=s=320x240:r=25 -frames:v 10 -c:v libvpx-vp9 -deadline realtime "
         "-cpu-used 8"},
        {"h264_with_audio.mp4",
         "-f lavfi -i testsrc2=s=320x240:r=25 -f lavfi -i sine=r=48000 -frames:v 25 -t 1 " + x264 +
             " -c:a aac -shortest"},
        {"grey_limited.mp4", "-f lavfi -i color=c=0x808080:s=320x240:r=25 -frames:v 10 " + x264},
        {"grey_full.mp4",
         "-f lavfi -i color=c=0x808080:s=320x240:r=25 -frames:v 10 -c:v libx264 -preset "
         "ultrafast -pix_fmt yuvj420p"},
        {"grey_prores.mov",
         "-f lavfi -i color=c=0x808080:s=320x240:r=25 -frames:v 5 -c:v prores_ks -profile:v 0"},
        {"grey_rgb.mkv",
         "-f lavfi -i color=c=0x808080:s=320x240:r=25 -frames:v 5 -c:v png -pix_fmt rgb24"},
        // White top-right quadrant on black, lossless, an odd width (linesize > width).
        {"quadrant_318.mkv",
         "-f lavfi -i color=c=black:s=318x240:r=25,drawbox=x=159:y=0:w=159:h=120:color=white:"
         "t=fill -frames:v 5 -c:v libx264 -preset ultrafast -qp 0 -pix_fmt yuv420p"},
        {"sine.wav", "-f lavfi -i sine=d=1 -c:a pcm_s16le"},
        {"cover_art.mp3",
         "-f lavfi -i sine=d=1 -f lavfi -i color=c=red:s=64x64:d=0.04 -map 0 -map 1 "
         "-c:a libmp3lame -c:v png -disposition:v:0 attached_pic"},
        {"mjpeg.avi", "-f lavfi -i testsrc2=s=320x240:r=25 -frames:v 20 -c:v mjpeg -q:v 5"},
    };
    auto it = recipes.find(name);
    return it == recipes.end() ? "" : it->second;
  }
};

// A copy of a clip, for damaging.
std::string copy_of(const std::string& name, const std::string& copy_name) {
  const std::string path = Clips::dir().file(copy_name);
  testing::write_bytes(path, testing::read_bytes(Clips::get(name)));
  return path;
}

class VideoReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_ffmpeg()) {
      GTEST_SKIP() << "the ffmpeg tool is not installed";
    }
  }
};

std::optional<VideoReader> open_ok(const std::string& path,
                                   const VideoReaderOptions& options = {}) {
  auto reader = VideoReader::open(path, options);
  if (!reader.has_value()) {
    ADD_FAILURE() << reader.error().to_string();
    return std::nullopt;
  }
  return std::move(reader).value();
}

struct ReadAll {
  std::vector<VideoFrame> frames;  // views dangle after the read; indices and times only
  std::vector<double> mean_luma;
  std::vector<uint64_t> checksums;
  std::optional<base::Error> error;
};

double mean_of(const LumaView& v) {
  double sum = 0;
  for (int y = 0; y < v.height; ++y) {
    for (int x = 0; x < v.width; ++x) {
      sum += v.at(x, y);
    }
  }
  return sum / (static_cast<double>(v.width) * v.height);
}

uint64_t checksum_of(const LumaView& v) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a over the visible pixels only
  for (int y = 0; y < v.height; ++y) {
    for (int x = 0; x < v.width; ++x) {
      h = (h ^ v.at(x, y)) * 1099511628211ull;
    }
  }
  return h;
}

ReadAll read_all(VideoReader& reader) {
  ReadAll out;
  for (;;) {
    auto next = reader.next();
    if (!next.has_value()) {
      out.error = next.error();
      break;
    }
    if (!next->has_value()) {
      break;
    }
    const VideoFrame& f = **next;
    EXPECT_GE(f.luma.stride, f.luma.width);
    out.frames.push_back(f);
    out.mean_luma.push_back(mean_of(f.luma));
    out.checksums.push_back(checksum_of(f.luma));
  }
  return out;
}

TEST_F(VideoReaderTest, ReadsEveryFrameOfH264InMp4At23976) {
  auto reader = open_ok(Clips::get("h264_2398.mp4"));
  ASSERT_TRUE(reader);
  const VideoStreamInfo& info = reader->info();
  EXPECT_EQ(info.width, 320);
  EXPECT_EQ(info.height, 240);
  EXPECT_EQ(info.codec, "h264");
  EXPECT_NE(info.container.find("mp4"), std::string::npos) << info.container;
  EXPECT_EQ(info.pixel_format, "yuv420p");
  EXPECT_EQ(info.frame_rate, (Rational{24000, 1001}));
  EXPECT_FALSE(info.drop_frame);
  ASSERT_TRUE(info.frame_count.has_value());
  EXPECT_EQ(*info.frame_count, 48);
  ASSERT_TRUE(info.duration_seconds.has_value());
  EXPECT_NEAR(*info.duration_seconds, 48 * 1001.0 / 24000, 1e-3);
  EXPECT_TRUE(info.time_base.known());
  EXPECT_EQ(info.bit_depth, 8);
  EXPECT_FALSE(info.full_range);
  EXPECT_FALSE(info.image_sequence);

  ReadAll all = read_all(*reader);
  ASSERT_FALSE(all.error) << all.error->to_string();
  ASSERT_EQ(all.frames.size(), 48u);
  for (size_t i = 0; i < all.frames.size(); ++i) {
    EXPECT_EQ(all.frames[i].index, static_cast<int64_t>(i));
    EXPECT_NEAR(all.frames[i].time_seconds, static_cast<double>(i) * 1001.0 / 24000, 1e-6);
    EXPECT_EQ(all.frames[i].luma.width, 320);
    EXPECT_EQ(all.frames[i].luma.height, 240);
  }
  EXPECT_TRUE(all.frames[0].key_frame);
  EXPECT_TRUE(reader->last_frame_zero_copy());
  EXPECT_EQ(reader->frames_decoded(), 48);
  // testsrc2 moves: consecutive frames differ.
  EXPECT_NE(all.checksums[0], all.checksums[1]);
  // After the end, still the end.
  auto again = reader->next();
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->has_value());
}

TEST_F(VideoReaderTest, ReadsTenBitProResInMovAt2997AsDropFrame) {
  auto reader = open_ok(Clips::get("prores_2997.mov"));
  ASSERT_TRUE(reader);
  const VideoStreamInfo& info = reader->info();
  EXPECT_EQ(info.codec, "prores");
  EXPECT_EQ(info.frame_rate, (Rational{30000, 1001}));
  EXPECT_TRUE(info.drop_frame);
  EXPECT_EQ(info.bit_depth, 10);
  EXPECT_EQ(info.frame_count.value_or(-1), 15);
  ReadAll all = read_all(*reader);
  ASSERT_FALSE(all.error) << all.error->to_string();
  ASSERT_EQ(all.frames.size(), 15u);
  EXPECT_FALSE(reader->last_frame_zero_copy());  // converted from 10-bit
  EXPECT_NEAR(all.frames[14].time_seconds, 14 * 1001.0 / 30000, 1e-6);
}

TEST_F(VideoReaderTest, ReadsMpeg2InMxfWithFrameCountFromDuration) {
  auto reader = open_ok(Clips::get("mpeg2_25.mxf"));
  ASSERT_TRUE(reader);
  const VideoStreamInfo& info = reader->info();
  EXPECT_EQ(info.container, "mxf");
  EXPECT_EQ(info.codec, "mpeg2video");
  EXPECT_EQ(info.frame_rate, (Rational{25, 1}));
  EXPECT_FALSE(info.drop_frame);
  EXPECT_EQ(info.frame_count.value_or(-1), 25);
  ReadAll all = read_all(*reader);
  ASSERT_FALSE(all.error) << all.error->to_string();
  ASSERT_EQ(all.frames.size(), 25u);
  EXPECT_NEAR(all.frames[24].time_seconds, 24 / 25.0, 1e-6);
}

TEST_F(VideoReaderTest, ReadsH264InMkvAt5994AsDropFrame) {
  auto reader = open_ok(Clips::get("h264_5994.mkv"));
  ASSERT_TRUE(reader);
  const VideoStreamInfo& info = reader->info();
  EXPECT_NE(info.container.find("matroska"), std::string::npos);
  EXPECT_EQ(info.frame_rate, (Rational{60000, 1001}));
  EXPECT_TRUE(info.drop_frame);
  EXPECT_FALSE(info.frame_count.has_value());  // Matroska keeps no frame count
  ASSERT_TRUE(info.duration_seconds.has_value());
  EXPECT_NEAR(*info.duration_seconds, 30 * 1001.0 / 60000, 0.02);
  ReadAll all = read_all(*reader);
  ASSERT_FALSE(all.error) << all.error->to_string();
  ASSERT_EQ(all.frames.size(), 30u);
  // Matroska's millisecond clock: within half a millisecond.
  EXPECT_NEAR(all.frames[29].time_seconds, 29 * 1001.0 / 60000, 6e-4);
}

// MPEG-TS starts its clock at 1.4 s; frame times count from the stream's start.
TEST_F(VideoReaderTest, ReadsMpegTsWithTimesFromTheStreamStart) {
  auto reader = open_ok(Clips::get("h264_25.ts"));
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->info().container, "mpegts");
  ReadAll all = read_all(*reader);
  ASSERT_FALSE(all.error) << all.error->to_string();
  ASSERT_EQ(all.frames.size(), 20u);
  EXPECT_NEAR(all.frames[0].time_seconds, 0.0, 1e-9);
  EXPECT_NEAR(all.frames[19].time_seconds, 19 / 25.0, 1e-6);
}

TEST_F(VideoReaderTest, ReadsVp9InWebm) {
  auto reader = open_ok(Clips::get("vp9_25.webm"));
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->info().codec, "vp9");
  ReadAll all = read_all(*reader);
  ASSERT_FALSE(all.error) << all.error->to_string();
  EXPECT_EQ(all.frames.size(), 10u);
}

TEST_F(VideoReaderTest, PicksTheVideoStreamBesideAudio) {
  auto reader = open_ok(Clips::get("h264_with_audio.mp4"));
  ASSERT_TRUE(reader);
  ReadAll all = read_all(*reader);
  ASSERT_FALSE(all.error) << all.error->to_string();
  EXPECT_EQ(all.frames.size(), 25u);
  EXPECT_EQ(reader->info().codec, "h264");
}

TEST_F(VideoReaderTest, DropFrameRatesAreExactlyNtsc2997And5994) {
  EXPECT_TRUE(is_drop_frame_rate({30000, 1001}));
  EXPECT_TRUE(is_drop_frame_rate({60000, 1001}));
  EXPECT_FALSE(is_drop_frame_rate({24000, 1001}));
  EXPECT_FALSE(is_drop_frame_rate({30, 1}));
  EXPECT_FALSE(is_drop_frame_rate({25, 1}));
}

// Flat grey 0x808080 is luma 126 in 16..235 (16 + 219 * 128 / 255) and 128 in 0..255: every
// path (8-bit handed out directly, 10-bit and RGB converted) keeps the source's levels.
TEST_F(VideoReaderTest, FlatGreyHasTheExpectedLumaOnEveryPath) {
  struct Case {
    const char* clip;
    double expected;
    bool full_range;
    bool zero_copy;
  };
  for (const Case& c :
       {Case{"grey_limited.mp4", 126, false, true}, Case{"grey_full.mp4", 128, true, true},
        Case{"grey_prores.mov", 126, false, false}, Case{"grey_rgb.mkv", 128, true, false}}) {
    SCOPED_TRACE(c.clip);
    auto reader = open_ok(Clips::get(c.clip));
    ASSERT_TRUE(reader);
    EXPECT_EQ(reader->info().full_range, c.full_range);
    ReadAll all = read_all(*reader);
    ASSERT_FALSE(all.error) << all.error->to_string();
    ASSERT_FALSE(all.frames.empty());
    for (double mean : all.mean_luma) {
      EXPECT_NEAR(mean, c.expected, 1.0);
    }
    EXPECT_EQ(reader->last_frame_zero_copy(), c.zero_copy);
  }
}

// A frame 318 pixels wide has rows longer than that in the decoder's buffer; the view's stride
// must be the decoder's. The white quadrant sits top right; a wrong stride shears it.
TEST_F(VideoReaderTest, ViewsUseTheDecodersStride) {
  auto reader = open_ok(Clips::get("quadrant_318.mkv"));
  ASSERT_TRUE(reader);
  auto first = reader->next();
  ASSERT_TRUE(first.has_value()) << first.error().to_string();
  ASSERT_TRUE(first->has_value());
  const LumaView& y = (*first)->luma;
  EXPECT_EQ(y.width, 318);
  EXPECT_EQ(y.height, 240);
  EXPECT_GT(y.stride, 318);  // the decoder pads rows
  for (int row : {0, 60, 119}) {
    EXPECT_EQ(y.at(10, row), 16) << row;
    EXPECT_EQ(y.at(150, row), 16) << row;
    EXPECT_EQ(y.at(170, row), 235) << row;
    EXPECT_EQ(y.at(317, row), 235) << row;
  }
  for (int row : {121, 200, 239}) {
    EXPECT_EQ(y.at(10, row), 16) << row;
    EXPECT_EQ(y.at(317, row), 16) << row;
  }
}

TEST_F(VideoReaderTest, StrideHandsOutEveryNthFrameWithTrueIndexAndTime) {
  auto reader = open_ok(Clips::get("h264_2398.mp4"), {.frame_stride = 5});
  ASSERT_TRUE(reader);
  ReadAll all = read_all(*reader);
  ASSERT_FALSE(all.error) << all.error->to_string();
  ASSERT_EQ(all.frames.size(), 10u);  // 0, 5, ..., 45
  for (size_t i = 0; i < all.frames.size(); ++i) {
    EXPECT_EQ(all.frames[i].index, static_cast<int64_t>(i * 5));
    EXPECT_NEAR(all.frames[i].time_seconds, static_cast<double>(i * 5) * 1001.0 / 24000, 1e-6);
  }
  EXPECT_EQ(reader->frames_decoded(), 48);

  // The same pictures as reading every frame.
  auto every = open_ok(Clips::get("h264_2398.mp4"));
  ASSERT_TRUE(every);
  ReadAll full = read_all(*every);
  for (size_t i = 0; i < all.frames.size(); ++i) {
    EXPECT_EQ(all.checksums[i], full.checksums[i * 5]);
  }
}

TEST_F(VideoReaderTest, SeeksToAnyFrameForwardAndBack) {
  for (const std::string name : {"h264_25_gop10.mp4", "h264_25.mkv", "mpeg2_25.mxf"}) {
    SCOPED_TRACE(name);
    auto every = open_ok(Clips::get(name));
    ASSERT_TRUE(every);
    ReadAll full = read_all(*every);
    ASSERT_FALSE(full.error) << full.error->to_string();
    const auto last = static_cast<int64_t>(full.frames.size()) - 1;
    ASSERT_GE(last, 24);

    auto reader = open_ok(Clips::get(name), {.frame_stride = 4});
    ASSERT_TRUE(reader);
    for (int64_t target : {int64_t{23}, int64_t{7}, last, int64_t{0}, int64_t{13}}) {
      auto frame = reader->seek_to_frame(target);
      ASSERT_TRUE(frame.has_value()) << frame.error().to_string();
      ASSERT_TRUE(frame->has_value()) << target;
      EXPECT_EQ((*frame)->index, target);
      EXPECT_NEAR((*frame)->time_seconds, static_cast<double>(target) / 25.0, 1e-6);
      EXPECT_EQ(checksum_of((*frame)->luma), full.checksums[static_cast<size_t>(target)]) << target;
    }
    // Reading goes on after the frame sought, with the stride: 16, 20, ...
    auto after = reader->next();
    ASSERT_TRUE(after.has_value() && after->has_value());
    EXPECT_EQ((*after)->index, 16);
    EXPECT_EQ(checksum_of((*after)->luma), full.checksums[16]);

    auto beyond = reader->seek_to_frame(last + 100);
    ASSERT_TRUE(beyond.has_value()) << beyond.error().to_string();
    EXPECT_FALSE(beyond->has_value());
    EXPECT_EQ(reader->seek_to_frame(-1).error().code(), base::ErrorCode::kInvalidArgument);
    auto again = reader->seek_to_frame(3);  // the end reached is no end for a seek
    ASSERT_TRUE(again.has_value() && again->has_value());
    EXPECT_EQ(checksum_of((*again)->luma), full.checksums[3]);
  }
}

TEST_F(VideoReaderTest, ThreadCountDoesNotChangeThePictures) {
  std::vector<uint64_t> reference;
  for (int threads : {1, 2, 4}) {
    auto reader = open_ok(Clips::get("h264_2398.mp4"), {.thread_count = threads});
    ASSERT_TRUE(reader);
    ReadAll all = read_all(*reader);
    ASSERT_FALSE(all.error) << all.error->to_string();
    if (reference.empty()) {
      reference = all.checksums;
    } else {
      EXPECT_EQ(all.checksums, reference) << threads << " threads";
    }
  }
}

TEST_F(VideoReaderTest, CallbackSeesEveryFrameAndStopsOnItsError) {
  auto reader = open_ok(Clips::get("mpeg2_25.mxf"));
  ASSERT_TRUE(reader);
  int64_t seen = 0;
  base::Status status = reader->for_each([&](const VideoFrame& frame) -> base::Status {
    EXPECT_EQ(frame.index, seen);
    EXPECT_NE(frame.luma.data, nullptr);
    ++seen;
    return {};
  });
  EXPECT_TRUE(status.has_value()) << status.error().to_string();
  EXPECT_EQ(seen, 25);

  auto again = open_ok(Clips::get("mpeg2_25.mxf"));
  ASSERT_TRUE(again);
  seen = 0;
  status = again->for_each([&](const VideoFrame& frame) -> base::Status {
    ++seen;
    if (frame.index == 3) {
      return base::invalid_argument("enough");
    }
    return {};
  });
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().message(), "enough");
  EXPECT_EQ(seen, 4);
}

TEST_F(VideoReaderTest, BareDecodeCountsTheSameFrames) {
  auto frames = bare_decode(Clips::get("h264_2398.mp4"), 2);
  ASSERT_TRUE(frames.has_value()) << frames.error().to_string();
  EXPECT_EQ(*frames, 48);
  auto missing = bare_decode(Clips::dir().file("nothing.mp4"), 2);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), base::ErrorCode::kNotFound);
}

// --- bad input ---------------------------------------------------------------------------------

base::Error open_error(const std::string& path) {
  auto reader = VideoReader::open(path);
  if (reader.has_value()) {
    ADD_FAILURE() << path << " opened";
    return base::internal_error("opened");
  }
  return reader.error();
}

TEST_F(VideoReaderTest, MissingPathIsNotFound) {
  base::Error e = open_error(Clips::dir().file("no_such.mov"));
  EXPECT_EQ(e.code(), base::ErrorCode::kNotFound);
  EXPECT_NE(e.message().find("no_such.mov"), std::string::npos) << e.message();
}

TEST_F(VideoReaderTest, FolderIsInvalidArgument) {
  base::Error e = open_error(Clips::dir().path());
  EXPECT_EQ(e.code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(e.message().find("folder"), std::string::npos) << e.message();
}

TEST_F(VideoReaderTest, UnknownFormatsAreUnsupported) {
  const std::string text = Clips::dir().file("notes.mp4");
  testing::write_bytes(text, std::vector<uint8_t>{'h', 'e', 'l', 'l', 'o', '\n'});
  EXPECT_EQ(open_error(text).code(), base::ErrorCode::kUnsupported);

  std::vector<uint8_t> noise(4096);
  uint32_t state = 12345;
  for (uint8_t& b : noise) {
    state = state * 1664525u + 1013904223u;
    b = static_cast<uint8_t>(state >> 24);
  }
  const std::string random = Clips::dir().file("noise.bin");
  testing::write_bytes(random, noise);
  EXPECT_EQ(open_error(random).code(), base::ErrorCode::kUnsupported);

  const std::string empty = Clips::dir().file("empty.mov");
  testing::write_bytes(empty, {});
  EXPECT_EQ(open_error(empty).code(), base::ErrorCode::kUnsupported);
}

TEST_F(VideoReaderTest, AudioOnlyHasNoVideoStream) {
  base::Error e = open_error(Clips::get("sine.wav"));
  EXPECT_EQ(e.code(), base::ErrorCode::kUnsupported);
  EXPECT_NE(e.message().find("no video stream"), std::string::npos) << e.message();
}

// An MP3's cover picture is a video stream to FFmpeg, but no moving picture.
TEST_F(VideoReaderTest, CoverArtIsNoVideoStream) {
  base::Error e = open_error(Clips::get("cover_art.mp3"));
  EXPECT_EQ(e.code(), base::ErrorCode::kUnsupported);
  EXPECT_NE(e.message().find("no video stream"), std::string::npos) << e.message();
}

TEST_F(VideoReaderTest, BadStrideIsInvalidArgument) {
  auto reader = VideoReader::open(Clips::get("mpeg2_25.mxf"), {.frame_stride = 0});
  ASSERT_FALSE(reader.has_value());
  EXPECT_EQ(reader.error().code(), base::ErrorCode::kInvalidArgument);
}

// An MP4 with its index (moov) at the end loses it when cut: nothing to read.
TEST_F(VideoReaderTest, TruncatedMp4WithoutItsIndexDoesNotOpen) {
  const std::string path = copy_of("h264_2398_tail_moov.mp4", "cut_tail_moov.mp4");
  testing::truncate_file(path, 0.6);
  base::Error e = open_error(path);
  EXPECT_EQ(e.code(), base::ErrorCode::kUnsupported);
}

// Frames up to the cut, then kDataLoss naming the first frame not delivered; again on retry.
void expect_frames_then_data_loss(const std::string& path, int64_t full_count) {
  auto reader = open_ok(path);
  ASSERT_TRUE(reader);
  ReadAll all = read_all(*reader);
  ASSERT_TRUE(all.error.has_value()) << "read " << all.frames.size() << " frames, no error";
  EXPECT_EQ(all.error->code(), base::ErrorCode::kDataLoss) << all.error->to_string();
  EXPECT_GT(all.frames.size(), 0u);
  EXPECT_LT(static_cast<int64_t>(all.frames.size()), full_count);
  for (size_t i = 0; i < all.frames.size(); ++i) {
    EXPECT_EQ(all.frames[i].index, static_cast<int64_t>(i));
  }
  const std::string at = "frame " + std::to_string(all.frames.size());
  EXPECT_NE(all.error->message().find(at), std::string::npos) << all.error->to_string();
  EXPECT_EQ(all.error->field(), "frame[" + std::to_string(all.frames.size()) + "]");
  auto again = reader->next();
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().message(), all.error->message());
}

TEST_F(VideoReaderTest, TruncatedFastStartMp4DeliversFramesThenDataLoss) {
  const std::string path = copy_of("h264_2398.mp4", "cut.mp4");
  testing::truncate_file(path, 0.6);
  expect_frames_then_data_loss(path, 48);
}

TEST_F(VideoReaderTest, TruncatedMkvDeliversFramesThenDataLoss) {
  const std::string path = copy_of("h264_5994.mkv", "cut.mkv");
  testing::truncate_file(path, 0.6);
  expect_frames_then_data_loss(path, 30);
}

TEST_F(VideoReaderTest, TruncatedMxfDeliversFramesThenDataLoss) {
  const std::string path = copy_of("mpeg2_25.mxf", "cut.mxf");
  testing::truncate_file(path, 0.6);
  expect_frames_then_data_loss(path, 25);
}

TEST_F(VideoReaderTest, TruncatedProResMovFailsCleanly) {
  // ProRes MOV from ffmpeg keeps its index at the end: cut, it does not open.
  const std::string path = copy_of("prores_2997.mov", "cut.mov");
  testing::truncate_file(path, 0.6);
  EXPECT_EQ(open_error(path).code(), base::ErrorCode::kUnsupported);
}

// Garbage over one MJPEG frame in the middle: the frames before it, then an error at it.
TEST_F(VideoReaderTest, CorruptFrameMidStreamIsReportedAtThatFrame) {
  const std::string path = copy_of("mjpeg.avi", "corrupt.avi");
  std::vector<uint8_t> bytes = testing::read_bytes(path);
  // Each MJPEG frame starts with FF D8 (SOI); wreck the entropy-coded data of the 10th.
  std::vector<size_t> starts;
  for (size_t i = 0; i + 1 < bytes.size(); ++i) {
    if (bytes[i] == 0xFF && bytes[i + 1] == 0xD8) {
      starts.push_back(i);
    }
  }
  ASSERT_GE(starts.size(), 20u);
  for (size_t i = starts[10] + 2; i < starts[11] - 2; ++i) {
    bytes[i] = static_cast<uint8_t>(i * 7 + 3);
  }
  testing::write_bytes(path, bytes);
  auto reader = open_ok(path);
  ASSERT_TRUE(reader);
  ReadAll all = read_all(*reader);
  ASSERT_TRUE(all.error.has_value()) << "no error after " << all.frames.size() << " frames";
  EXPECT_EQ(all.error->code(), base::ErrorCode::kDataLoss);
  EXPECT_EQ(all.frames.size(), 10u) << all.error->to_string();
  EXPECT_NE(all.error->message().find("frame 10 "), std::string::npos) << all.error->to_string();
}

// Garbage over 400 bytes in the middle of an H.264 stream: the decoder conceals and flags the
// frame; reading stops there, after the frames before it.
TEST_F(VideoReaderTest, CorruptH264MidStreamStopsAtTheDamagedFrame) {
  const std::string path = copy_of("h264_25.mkv", "corrupt.mkv");
  std::vector<uint8_t> bytes = testing::read_bytes(path);
  for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 400; ++i) {
    bytes[i] = static_cast<uint8_t>(i * 7 + 3);
  }
  testing::write_bytes(path, bytes);
  auto reader = open_ok(path);
  ASSERT_TRUE(reader);
  ReadAll all = read_all(*reader);
  ASSERT_TRUE(all.error.has_value()) << "no error after " << all.frames.size() << " frames";
  EXPECT_EQ(all.error->code(), base::ErrorCode::kDataLoss);
  EXPECT_GT(all.frames.size(), 5u);
  EXPECT_LT(all.frames.size(), 45u);
  const std::string at = "frame " + std::to_string(all.frames.size()) + " ";
  EXPECT_NE(all.error->message().find(at), std::string::npos) << all.error->to_string();
}

}  // namespace
}  // namespace clearcut::media
