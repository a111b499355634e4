#include "clearcut/scan/cut_detector.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

namespace clearcut::scan {
namespace {

constexpr int kWidth = 160;
constexpr int kHeight = 90;

// A shot: a pattern of its own (`shot`), panning by `pan` pixels a frame, with grain.
std::vector<uint8_t> frame(int shot, int t, int pan, std::mt19937& rng) {
  std::vector<uint8_t> pixels(static_cast<size_t>(kWidth) * kHeight);
  std::normal_distribution<double> grain(0.0, 3.0);
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const double u = (x + t * pan) / (12.0 + shot * 7.0);
      const double v = y / (9.0 + shot * 5.0);
      const double value =
          128 + 70 * std::sin(u + shot) * std::cos(v * (shot + 1)) + 30 * (shot % 3) + grain(rng);
      pixels[static_cast<size_t>(y) * kWidth + x] =
          static_cast<uint8_t>(std::clamp(value, 0.0, 255.0));
    }
  }
  return pixels;
}

media::LumaView view(const std::vector<uint8_t>& pixels) {
  return media::LumaView{pixels.data(), kWidth, kHeight, kWidth};
}

TEST(CutDetectorTest, FindsHardCutsAndIgnoresMotionGrainAndFlashes) {
  std::mt19937 rng(7);
  CutDetector cuts;
  int64_t index = 0;
  std::vector<int64_t> sudden;  // what add() said at once, before the next frame
  auto add = [&](const std::vector<uint8_t>& pixels) {
    if (cuts.add(view(pixels), index)) {
      sudden.push_back(index);
    }
    ++index;
  };
  auto shot = [&](int which, int frames, int pan) {
    for (int t = 0; t < frames; ++t) {
      add(frame(which, t, pan, rng));
    }
  };
  shot(0, 30, 0);  // still camera, grain only: 0..29
  shot(1, 25, 3);  // a pan: 30..54
  shot(2, 20, 1);  // 55..74
  // A one-frame flash inside shot 2's continuation: two large changes in a row, no cut.
  std::vector<uint8_t> white(static_cast<size_t>(kWidth) * kHeight, 250);
  add(white);      // 75
  shot(2, 10, 1);  // 76..85
  shot(0, 5, 0);   // 86..90
  EXPECT_EQ(cuts.cuts(), (std::vector<int64_t>{30, 55, 86}));
  // At once, the flash cannot yet be told from a cut; the frame after it can.
  EXPECT_EQ(sudden, (std::vector<int64_t>{30, 55, 75, 86}));

  EXPECT_EQ(cuts.last_cut_in(40, 60), 55);
  EXPECT_EQ(cuts.last_cut_in(55, 60), std::nullopt);  // (after, upto]
  EXPECT_EQ(cuts.last_cut_in(29, 30), 30);
  EXPECT_EQ(cuts.first_cut_in(30, 100), 55);
  EXPECT_EQ(cuts.first_cut_in(56, 85), std::nullopt);
}

TEST(CutDetectorTest, AGapInTheFramesIsNoCut) {
  std::mt19937 rng(3);
  CutDetector cuts;
  for (int t = 0; t < 5; ++t) {
    cuts.add(view(frame(0, t, 0, rng)), t);
  }
  // Frames 5..9 never came (a stride, a decode gap): frame 10 is compared with nothing.
  for (int t = 10; t < 15; ++t) {
    cuts.add(view(frame(1, t, 0, rng)), t);
  }
  EXPECT_TRUE(cuts.cuts().empty());
}

}  // namespace
}  // namespace clearcut::scan
