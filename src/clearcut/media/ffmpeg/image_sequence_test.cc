#include "clearcut/media/ffmpeg/image_sequence.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/media/ffmpeg/internal/test_clips.h"
#include "clearcut/media/ffmpeg/video_reader.h"

namespace clearcut::media {
namespace {

using testing::quoted;
using testing::TempDir;

void touch(const TempDir& dir, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    testing::write_bytes(dir.file(name), {});
  }
}

ImageSequence find_ok(const std::string& pattern) {
  auto seq = find_image_sequence(pattern);
  EXPECT_TRUE(seq.has_value()) << seq.error().to_string();
  return seq.has_value() ? *seq : ImageSequence{};
}

TEST(ImageSequenceTest, FindsAPrintfPatternsRange) {
  TempDir dir;
  touch(dir, {"shot_0003.png", "shot_0004.png", "shot_0005.png", "shot_0004.jpg", "other.png"});
  ImageSequence seq = find_ok(dir.file("shot_%04d.png"));
  EXPECT_EQ(seq.pattern, dir.file("shot_%04d.png"));
  EXPECT_EQ(seq.padding, 4);
  EXPECT_EQ(seq.first_number, 3);
  EXPECT_EQ(seq.last_number, 5);
  EXPECT_EQ(seq.file_count, 3);
  EXPECT_EQ(seq.span(), 3);
  EXPECT_FALSE(seq.first_missing.has_value());
}

TEST(ImageSequenceTest, FindsAHashPatternAndAnExampleFile) {
  TempDir dir;
  touch(dir, {"frame.1001.exr", "frame.1002.exr", "frame.1003.exr"});
  for (const std::string& pattern : {dir.file("frame.####.exr"), dir.file("frame.1002.exr")}) {
    ImageSequence seq = find_ok(pattern);
    EXPECT_EQ(seq.pattern, dir.file("frame.%04d.exr")) << pattern;
    EXPECT_EQ(seq.first_number, 1001);
    EXPECT_EQ(seq.last_number, 1003);
  }
}

TEST(ImageSequenceTest, PaddedNumbersMayOutgrowTheirPadding) {
  TempDir dir;
  touch(dir, {"f_998.tif", "f_999.tif", "f_1000.tif", "f_01000.tif"});
  ImageSequence seq = find_ok(dir.file("f_%03d.tif"));
  EXPECT_EQ(seq.first_number, 998);
  EXPECT_EQ(seq.last_number, 1000);
  EXPECT_EQ(seq.file_count, 3);  // f_01000 has a leading zero beyond the padding: not ours
}

TEST(ImageSequenceTest, UnpaddedNumbersHaveNoLeadingZeros) {
  TempDir dir;
  touch(dir, {"p_0.png", "p_1.png", "p_2.png", "p_03.png", "p_10.png"});
  ImageSequence seq = find_ok(dir.file("p_%d.png"));
  EXPECT_EQ(seq.padding, 0);
  EXPECT_EQ(seq.pattern, dir.file("p_%d.png"));
  EXPECT_EQ(seq.first_number, 0);
  EXPECT_EQ(seq.last_number, 10);
  EXPECT_EQ(seq.file_count, 4);
  EXPECT_EQ(seq.first_missing, 3);
}

TEST(ImageSequenceTest, ReportsTheFirstGap) {
  TempDir dir;
  touch(dir, {"a0001.jpg", "a0002.jpg", "a0004.jpg", "a0007.jpg"});
  ImageSequence seq = find_ok(dir.file("a0001.jpg"));
  EXPECT_EQ(seq.span(), 7);
  EXPECT_EQ(seq.file_count, 4);
  EXPECT_EQ(seq.first_missing, 3);
}

TEST(ImageSequenceTest, EscapesPercentSignsInNames) {
  TempDir dir;
  touch(dir, {"100%_01.png", "100%_02.png"});
  ImageSequence seq = find_ok(dir.file("100%%_%02d.png"));
  EXPECT_EQ(seq.pattern, dir.file("100%%_%02d.png"));
  EXPECT_EQ(seq.file_count, 2);
  ImageSequence from_file = find_ok(dir.file("100%_01.png"));
  EXPECT_EQ(from_file.pattern, dir.file("100%%_%02d.png"));
}

TEST(ImageSequenceTest, RefusesWhatIsNoSequence) {
  TempDir dir;
  touch(dir, {"still.png", "x_0001.png"});
  auto no_number = find_image_sequence(dir.file("still.png"));
  ASSERT_FALSE(no_number.has_value());
  EXPECT_EQ(no_number.error().code(), base::ErrorCode::kInvalidArgument);
  for (const char* bad : {"x_%s.png", "x_%4d.png", "x_%04d_%04d.png", "x_%x.png"}) {
    auto r = find_image_sequence(dir.file(bad));
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), base::ErrorCode::kInvalidArgument) << bad;
  }
  auto no_match = find_image_sequence(dir.file("y_%04d.png"));
  ASSERT_FALSE(no_match.has_value());
  EXPECT_EQ(no_match.error().code(), base::ErrorCode::kNotFound);
  auto no_folder = find_image_sequence(dir.file("nowhere/x_%04d.png"));
  ASSERT_FALSE(no_folder.has_value());
  EXPECT_EQ(no_folder.error().code(), base::ErrorCode::kNotFound);
}

// --- read as video -----------------------------------------------------------------------------

class ImageSequenceReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_ffmpeg()) {
      GTEST_SKIP() << "the ffmpeg tool is not installed";
    }
  }

  // Eight testsrc2 frames numbered from 1001.
  std::string make(const std::string& pattern, const std::string& extra = "") {
    EXPECT_TRUE(testing::run_ffmpeg("-f lavfi -i testsrc2=s=160x120:r=25 -frames:v 8 " + extra +
                                    " -start_number 1001 " + quoted(dir_.file(pattern))));
    return dir_.file(pattern);
  }

  struct Read {
    std::vector<int64_t> indices;
    std::vector<double> times;
    std::vector<double> means;
    std::optional<base::Error> error;
  };

  static Read read(VideoReader& reader) {
    Read out;
    base::Status status = reader.for_each([&](const VideoFrame& f) -> base::Status {
      out.indices.push_back(f.index);
      out.times.push_back(f.time_seconds);
      double sum = 0;
      for (int y = 0; y < f.luma.height; ++y) {
        for (int x = 0; x < f.luma.width; ++x) {
          sum += f.luma.at(x, y);
        }
      }
      out.means.push_back(sum / (f.luma.width * f.luma.height));
      return {};
    });
    if (!status.has_value()) {
      out.error = status.error();
    }
    return out;
  }

  TempDir dir_;
};

TEST_F(ImageSequenceReaderTest, ReadsPngJpegAndTiffSequencesAtTheGivenRate) {
  struct Case {
    std::string pattern;
    std::string open_with;
    std::string codec;
  };
  const std::vector<Case> cases = {
      {"shot_%04d.png", "shot_%04d.png", "png"},
      {"frame.%04d.jpg", "frame.1001.jpg", "mjpeg"},
      {"plate_%d.tif", "plate_%d.tif", "tiff"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.pattern);
    make(c.pattern);
    auto reader = VideoReader::open_image_sequence(dir_.file(c.open_with),
                                                   {.sequence_frame_rate = {24000, 1001}});
    ASSERT_TRUE(reader.has_value()) << reader.error().to_string();
    const VideoStreamInfo& info = reader->info();
    EXPECT_TRUE(info.image_sequence);
    EXPECT_EQ(info.codec, c.codec);
    EXPECT_EQ(info.width, 160);
    EXPECT_EQ(info.height, 120);
    EXPECT_EQ(info.frame_rate, (Rational{24000, 1001}));
    EXPECT_EQ(info.frame_count, 8);
    EXPECT_EQ(info.path, dir_.file(c.pattern == "frame.%04d.jpg" ? "frame.%04d.jpg" : c.pattern));
    Read r = read(*reader);
    ASSERT_FALSE(r.error) << r.error->to_string();
    ASSERT_EQ(r.indices.size(), 8u);
    for (size_t i = 0; i < 8; ++i) {
      EXPECT_EQ(r.indices[i], static_cast<int64_t>(i));
      EXPECT_NEAR(r.times[i], static_cast<double>(i) * 1001.0 / 24000, 1e-9);
    }
  }
}

TEST_F(ImageSequenceReaderTest, SeeksToAFrameByItsNumber) {
  make("seek_%04d.png");
  auto every = VideoReader::open_image_sequence(dir_.file("seek_%04d.png"));
  ASSERT_TRUE(every.has_value()) << every.error().to_string();
  Read all = read(*every);
  ASSERT_EQ(all.means.size(), 8u);
  auto reader = VideoReader::open_image_sequence(dir_.file("seek_%04d.png"));
  ASSERT_TRUE(reader.has_value());
  for (int64_t target : {5, 2, 7, 0}) {
    auto frame = reader->seek_to_frame(target);
    ASSERT_TRUE(frame.has_value()) << frame.error().to_string();
    ASSERT_TRUE(frame->has_value()) << target;
    EXPECT_EQ((*frame)->index, target);
    double sum = 0;
    for (int y = 0; y < (*frame)->luma.height; ++y) {
      for (int x = 0; x < (*frame)->luma.width; ++x) {
        sum += (*frame)->luma.at(x, y);
      }
    }
    EXPECT_DOUBLE_EQ(sum / (160 * 120), all.means[static_cast<size_t>(target)]) << target;
  }
  auto beyond = reader->seek_to_frame(8);
  EXPECT_TRUE(!beyond.has_value() || !beyond->has_value());
}

TEST_F(ImageSequenceReaderTest, GreyImagesGiveTheirLuma) {
  // RGB 0x808080 → BT.601 luma 128 through swscale; 8-bit grey PNGs are handed out as they are.
  ASSERT_TRUE(
      testing::run_ffmpeg("-f lavfi -i color=c=0x808080:s=64x48 -frames:v 3 -pix_fmt "
                          "rgb24 -start_number 1 " +
                          quoted(dir_.file("rgb_%02d.png"))));
  ASSERT_TRUE(
      testing::run_ffmpeg("-f lavfi -i color=c=0x404040:s=64x48 -frames:v 3 -pix_fmt "
                          "gray -start_number 1 " +
                          quoted(dir_.file("grey_%02d.png"))));
  auto rgb = VideoReader::open_image_sequence(dir_.file("rgb_%02d.png"));
  ASSERT_TRUE(rgb.has_value()) << rgb.error().to_string();
  EXPECT_TRUE(rgb->info().full_range);
  Read r = read(*rgb);
  ASSERT_EQ(r.means.size(), 3u);
  EXPECT_NEAR(r.means[0], 128, 0.5);
  EXPECT_FALSE(rgb->last_frame_zero_copy());

  auto grey = VideoReader::open_image_sequence(dir_.file("grey_01.png"));
  ASSERT_TRUE(grey.has_value()) << grey.error().to_string();
  Read g = read(*grey);
  ASSERT_EQ(g.means.size(), 3u);
  EXPECT_NEAR(g.means[2], 64, 0.5);
  EXPECT_TRUE(grey->last_frame_zero_copy());
}

TEST_F(ImageSequenceReaderTest, AMissingFileEndsReadingWithAnErrorAtItsFrame) {
  make("gap_%04d.png");
  std::filesystem::remove(dir_.file("gap_1005.png"));
  auto reader = VideoReader::open_image_sequence(dir_.file("gap_%04d.png"));
  ASSERT_TRUE(reader.has_value()) << reader.error().to_string();
  EXPECT_EQ(reader->info().frame_count, 8);  // the numbers span 1001..1008
  Read r = read(*reader);
  EXPECT_EQ(r.indices.size(), 4u);
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code(), base::ErrorCode::kDataLoss);
  EXPECT_NE(r.error->message().find("frame 4 "), std::string::npos) << r.error->to_string();
  EXPECT_NE(r.error->message().find("1005"), std::string::npos) << r.error->to_string();
}

TEST_F(ImageSequenceReaderTest, ACorruptFileEndsReadingWithAnErrorAtItsFrame) {
  make("bad_%04d.png");
  testing::write_bytes(dir_.file("bad_1006.png"),
                       {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H'});
  auto reader = VideoReader::open_image_sequence(dir_.file("bad_%04d.png"));
  ASSERT_TRUE(reader.has_value()) << reader.error().to_string();
  Read r = read(*reader);
  EXPECT_EQ(r.indices.size(), 5u);
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code(), base::ErrorCode::kDataLoss);
  EXPECT_NE(r.error->message().find("frame 5 "), std::string::npos) << r.error->to_string();
}

TEST_F(ImageSequenceReaderTest, NoRateIsInvalidArgument) {
  make("r_%04d.png");
  auto reader =
      VideoReader::open_image_sequence(dir_.file("r_%04d.png"), {.sequence_frame_rate = {0, 1}});
  ASSERT_FALSE(reader.has_value());
  EXPECT_EQ(reader.error().code(), base::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace clearcut::media
