#include "clearcut/media/ffmpeg/black_bar_detector.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/media/ffmpeg/internal/test_clips.h"
#include "clearcut/media/ffmpeg/video_reader.h"

namespace clearcut::media {
namespace {

// An 8-bit frame with a stride wider than its rows, the padding filled with a bright value
// that must never be read.
class Frame {
 public:
  Frame(int width, int height, uint8_t fill = 16)
      : width_(width),
        height_(height),
        stride_(width + 13),
        pixels_(static_cast<size_t>(stride_) * height, 250) {
    fill_rect(Rect{0, 0, width, height}, fill);
  }

  void fill_rect(const Rect& r, uint8_t value) {
    for (int y = r.y; y < r.y + r.height; ++y) {
      for (int x = r.x; x < r.x + r.width; ++x) {
        set(x, y, value);
      }
    }
  }

  // Textured picture: a mean near `base` + 60 and a large spread, like real content.
  void picture(const Rect& r, int base = 40) {
    for (int y = r.y; y < r.y + r.height; ++y) {
      for (int x = r.x; x < r.x + r.width; ++x) {
        set(x, y, static_cast<uint8_t>(base + (x * 7 + y * 13) % 120));
      }
    }
  }

  // Adds deterministic noise of +-amplitude over the whole frame.
  void noise(int amplitude) {
    uint32_t state = 7;
    for (int y = 0; y < height_; ++y) {
      for (int x = 0; x < width_; ++x) {
        state = state * 1664525u + 1013904223u;
        const int delta = static_cast<int>(state >> 24) % (2 * amplitude + 1) - amplitude;
        set(x, y, static_cast<uint8_t>(std::clamp(at(x, y) + delta, 0, 255)));
      }
    }
  }

  void set(int x, int y, uint8_t v) { pixels_[static_cast<size_t>(y) * stride_ + x] = v; }
  int at(int x, int y) const { return pixels_[static_cast<size_t>(y) * stride_ + x]; }

  LumaView view() const { return LumaView{pixels_.data(), width_, height_, stride_}; }

 private:
  int width_;
  int height_;
  int stride_;
  std::vector<uint8_t> pixels_;
};

TEST(BlackBarDetectorTest, AFrameWithoutBarsIsWhole) {
  Frame f(320, 240);
  f.picture(Rect{0, 0, 320, 240});
  BarDetection d = detect_active_area(f.view());
  EXPECT_EQ(d.picture, (Rect{0, 0, 320, 240}));
  EXPECT_FALSE(d.blank);
  EXPECT_FALSE(d.uncertain);
}

TEST(BlackBarDetectorTest, FindsLetterboxPillarboxAndWindowbox) {
  for (const Rect& inner : {Rect{0, 30, 320, 180}, Rect{40, 0, 240, 240}, Rect{20, 24, 280, 192},
                            Rect{0, 10, 320, 200}, Rect{7, 0, 300, 240}}) {
    Frame f(320, 240);
    f.picture(inner);
    EXPECT_EQ(detect_active_area(f.view()).picture, inner);
  }
}

TEST(BlackBarDetectorTest, FullRangeBlackIsZero) {
  Frame f(320, 240, 0);
  f.picture(Rect{0, 40, 320, 160});
  EXPECT_EQ(detect_active_area(f.view(), BlackBarOptions::for_range(true)).picture,
            (Rect{0, 40, 320, 160}));
  // Broadcast-range settings take 0 for black, too (below black is black).
  EXPECT_EQ(detect_active_area(f.view()).picture, (Rect{0, 40, 320, 160}));
  // Full-range settings take broadcast-range bars (16) for black, too: files flagged full
  // range often carry them.
  Frame g(320, 240, 16);
  g.picture(Rect{0, 40, 320, 160});
  EXPECT_EQ(detect_active_area(g.view(), BlackBarOptions::for_range(true)).picture,
            (Rect{0, 40, 320, 160}));
}

TEST(BlackBarDetectorTest, NoiseInTheBarsIsStillBlack) {
  Frame f(320, 240);
  f.picture(Rect{40, 30, 240, 180});
  f.noise(4);
  BarDetection d = detect_active_area(f.view());
  EXPECT_EQ(d.picture, (Rect{40, 30, 240, 180}));
}

TEST(BlackBarDetectorTest, AHotPixelInABarIsIgnored) {
  Frame f(640, 360);
  f.picture(Rect{0, 45, 640, 270});
  f.set(100, 5, 255);    // in the top bar
  f.set(300, 340, 200);  // in the bottom bar
  EXPECT_EQ(detect_active_area(f.view()).picture, (Rect{0, 45, 640, 270}));
}

TEST(BlackBarDetectorTest, SubtitlesInTheBottomBarAreBar) {
  // A 2.39:1 letterbox (bars of 30 rows) with two lines of white text in the bottom bar, the
  // first one overlapping the picture: the picture is the letterbox's, as if the bar were clean.
  Frame f(320, 240);
  f.picture(Rect{0, 30, 320, 180});
  f.fill_rect(Rect{100, 200, 120, 14}, 235);
  f.fill_rect(Rect{80, 222, 160, 10}, 235);
  BarDetection d = detect_active_area(f.view());
  EXPECT_EQ(d.picture, (Rect{0, 30, 320, 180}));

  // Text wider than half the frame is picture: down to its last row.
  Frame wide(320, 240);
  wide.picture(Rect{0, 30, 320, 180});
  wide.fill_rect(Rect{20, 214, 280, 10}, 235);
  EXPECT_EQ(detect_active_area(wide.view()).picture, (Rect{0, 30, 320, 194}));
}

// Issue #13: subtitles burned in over a portrait shown between bars run across the bars, edge
// to edge, near the bottom. The bars are the portrait's, as if the text were not there.
TEST(BlackBarDetectorTest, SubtitlesAcrossPillarboxBarsAreBar) {
  Frame f(320, 180);
  f.picture(Rect{88, 0, 144, 180});
  for (int x = 10; x < 310; x += 3) {  // glyph strokes of two lines: bright, with dark gaps
    f.fill_rect(Rect{x, 146, 2, 12}, 235);
    f.fill_rect(Rect{x + 1, 162, 1, 12}, 235);
  }
  EXPECT_EQ(detect_active_area(f.view()).picture, (Rect{88, 0, 144, 180}));

  // Without text it is the same picture.
  Frame clean(320, 180);
  clean.picture(Rect{88, 0, 144, 180});
  EXPECT_EQ(detect_active_area(clean.view()).picture, (Rect{88, 0, 144, 180}));

  // A bright band across the whole bottom quarter is picture, not text: the frame stays whole
  // where its columns are mostly bright.
  Frame band(320, 180);
  band.picture(Rect{88, 0, 144, 180});
  band.picture(Rect{0, 80, 320, 100});
  EXPECT_EQ(detect_active_area(band.view()).picture, (Rect{0, 0, 320, 180}));
}

TEST(BlackBarDetectorTest, BlackAtOneEdgeOnlyIsPicture) {
  // A flower against a black backdrop, graded darker: the left third is flat black, the right
  // edge bright. Bars come in pairs; this is picture.
  Frame f(320, 240);
  f.picture(Rect{100, 0, 220, 240});
  EXPECT_EQ(detect_active_area(f.view()).picture, (Rect{0, 0, 320, 240}));
  // The same at the top: a black sky over a bright ground.
  Frame sky(320, 240);
  sky.picture(Rect{0, 70, 320, 170});
  EXPECT_EQ(detect_active_area(sky.view()).picture, (Rect{0, 0, 320, 240}));
  // Black backdrop at one side of a letterboxed picture: the letterbox is found, the backdrop
  // is picture.
  Frame boxed(320, 240);
  boxed.picture(Rect{90, 30, 230, 180});
  EXPECT_EQ(detect_active_area(boxed.view()).picture, (Rect{0, 30, 320, 180}));
}

TEST(BlackBarDetectorTest, DarkTexturedPictureAtTheEdgeIsNotABar) {
  Frame f(320, 240);
  f.picture(Rect{0, 0, 320, 240});
  // A night sky: dark (mean ~24) but textured.
  for (int y = 0; y < 60; ++y) {
    for (int x = 0; x < 320; ++x) {
      f.set(x, y, static_cast<uint8_t>(10 + (x * 5 + y * 3) % 28));
    }
  }
  EXPECT_EQ(detect_active_area(f.view()).picture, (Rect{0, 0, 320, 240}));
}

TEST(BlackBarDetectorTest, ABlackFrameIsBlankAndWhole) {
  Frame f(320, 240);
  f.noise(2);
  BarDetection d = detect_active_area(f.view());
  EXPECT_TRUE(d.blank);
  EXPECT_EQ(d.picture, (Rect{0, 0, 320, 240}));
}

TEST(BlackBarDetectorTest, ATitleCardIsUncertainAndWhole) {
  Frame f(320, 240);
  f.fill_rect(Rect{110, 110, 100, 20}, 235);  // white words on black
  BarDetection d = detect_active_area(f.view());
  EXPECT_TRUE(d.uncertain);
  EXPECT_FALSE(d.blank);
  EXPECT_EQ(d.picture, (Rect{0, 0, 320, 240}));
}

TEST(BlackBarDetectorTest, EmptyViewsAreWhole) {
  EXPECT_EQ(detect_active_area(LumaView{}).picture, (Rect{0, 0, 0, 0}));
}

TEST(BlackBarDetectorTest, ColumnsAreJudgedWithinThePicturesRows) {
  // Letterbox and a pillarbox narrower than a column block, with texture touching the bars.
  Frame f(100, 80);
  f.picture(Rect{3, 10, 94, 60});
  EXPECT_EQ(detect_active_area(f.view()).picture, (Rect{3, 10, 94, 60}));
}

TEST(BlackBarTrackerTest, ShrinksOnlyWhenTheWindowAgreesAndGrowsAtOnce) {
  constexpr size_t kWindow = 4;
  BlackBarTracker tracker(BlackBarOptions{}, kWindow);
  const Rect letterbox{0, 30, 320, 180};
  Frame boxed(320, 240);
  boxed.picture(letterbox);
  EXPECT_EQ(tracker.current(320, 240), (Rect{0, 0, 320, 240}));  // nothing seen yet
  EXPECT_EQ(tracker.update(boxed.view()), letterbox);

  // A shot whose top picture rows are flat black looks like a deeper bar; not believed until
  // the whole window agrees.
  const Rect deeper{0, 50, 320, 160};
  Frame dark_top(320, 240);
  dark_top.picture(deeper);
  for (size_t i = 0; i + 1 < kWindow; ++i) {
    EXPECT_EQ(tracker.update(dark_top.view()), letterbox) << i;
  }
  EXPECT_EQ(tracker.update(dark_top.view()), deeper);

  // Black frames and title cards change nothing.
  Frame black(320, 240);
  Frame title(320, 240);
  title.fill_rect(Rect{110, 110, 100, 20}, 235);
  EXPECT_EQ(tracker.update(black.view()), deeper);
  EXPECT_EQ(tracker.update(title.view()), deeper);

  // Full frame: at once.
  Frame full(320, 240);
  full.picture(Rect{0, 0, 320, 240});
  EXPECT_EQ(tracker.update(full.view()), (Rect{0, 0, 320, 240}));

  // A new size starts over.
  Frame other(160, 120);
  other.picture(Rect{0, 15, 160, 90});
  EXPECT_EQ(tracker.update(other.view()), (Rect{0, 15, 160, 90}));
}

TEST(RectTest, UnitesAndCrops) {
  EXPECT_EQ((Rect{0, 10, 5, 5}.united(Rect{3, 0, 10, 4})), (Rect{0, 0, 13, 15}));
  EXPECT_EQ((Rect{}.united(Rect{1, 2, 3, 4})), (Rect{1, 2, 3, 4}));
  std::vector<uint8_t> pixels(10 * 8);
  for (size_t i = 0; i < pixels.size(); ++i) {
    pixels[i] = static_cast<uint8_t>(i);
  }
  const LumaView v{pixels.data(), 9, 8, 10};
  const LumaView c = v.crop(Rect{2, 3, 4, 100});
  EXPECT_EQ(c.width, 4);
  EXPECT_EQ(c.height, 5);
  EXPECT_EQ(c.stride, 10);
  EXPECT_EQ(c.at(0, 0), 32);
  EXPECT_EQ(c.at(3, 4), 75);
  EXPECT_EQ(v.crop(Rect{20, 0, 5, 5}).data, nullptr);
  EXPECT_EQ(v.crop(Rect{-5, -5, 7, 7}).width, 2);
}

// --- on decoded video --------------------------------------------------------------------------

class BlackBarVideoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_ffmpeg()) {
      GTEST_SKIP() << "the ffmpeg tool is not installed";
    }
  }

  // Every frame's tracked picture for a 320x240 H.264 clip of `inner` smptebars padded with
  // black to 320x240.
  std::vector<Rect> pictures_of_padded(const Rect& inner) {
    const std::string path = dir_.file("padded.mp4");
    const std::string filter = "smptehdbars=s=" + std::to_string(inner.width) + "x" +
                               std::to_string(inner.height) +
                               ":r=25,noise=alls=12:allf=t,pad=320:240:" + std::to_string(inner.x) +
                               ":" + std::to_string(inner.y) + ":black";
    EXPECT_TRUE(testing::run_ffmpeg("-f lavfi -i " + filter +
                                    " -frames:v 12 -c:v libx264 -preset ultrafast -crf 28 "
                                    "-pix_fmt yuv420p " +
                                    testing::quoted(path)));
    std::vector<Rect> out;
    auto reader = VideoReader::open(path);
    EXPECT_TRUE(reader.has_value()) << reader.error().to_string();
    if (!reader.has_value()) {
      return out;
    }
    BlackBarTracker tracker(BlackBarOptions::for_range(reader->info().full_range));
    base::Status status = reader->for_each([&](const VideoFrame& f) -> base::Status {
      out.push_back(tracker.update(f.luma));
      return {};
    });
    EXPECT_TRUE(status.has_value()) << status.error().to_string();
    return out;
  }

  testing::TempDir dir_;
};

// Compression smears a row or two across the edge; the picture is found within 2 pixels.
void expect_near(const Rect& got, const Rect& want) {
  EXPECT_NEAR(got.x, want.x, 2) << got.x << "," << got.y << " " << got.width << "x" << got.height;
  EXPECT_NEAR(got.y, want.y, 2);
  EXPECT_NEAR(got.x + got.width, want.x + want.width, 2);
  EXPECT_NEAR(got.y + got.height, want.y + want.height, 2);
}

TEST_F(BlackBarVideoTest, FindsTheLetterboxInACompressedClip) {
  const Rect inner{0, 40, 320, 160};
  std::vector<Rect> pictures = pictures_of_padded(inner);
  ASSERT_EQ(pictures.size(), 12u);
  for (const Rect& r : pictures) {
    expect_near(r, inner);
  }
}

TEST_F(BlackBarVideoTest, FindsThePillarboxInACompressedClip) {
  const Rect inner{40, 0, 240, 240};
  std::vector<Rect> pictures = pictures_of_padded(inner);
  ASSERT_EQ(pictures.size(), 12u);
  for (const Rect& r : pictures) {
    expect_near(r, inner);
  }
}

}  // namespace
}  // namespace clearcut::media
