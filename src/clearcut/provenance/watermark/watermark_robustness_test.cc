// The quick, asserted subset of bench/watermark_eval: natural photos (the PDQ fixtures' photos,
// plus a few of Debian's lomiri-wallpapers-16.04 when installed) at a short side of 600 px and
// synthetic 720p frames, marked, attacked and read back; unmarked inputs must read as no mark.
// H.264 needs the ffmpeg tool and runs in the eval only.
#include <algorithm>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/provenance/watermark/watermark_attacks.h"
#include "clearcut/provenance/watermark/watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_embedder.h"

namespace clearcut::watermark {
namespace {

constexpr int kShortSide = 600;
constexpr size_t kWallpapers = 2;  // of the 14, when installed: keeps the test within seconds

struct Sample {
  std::string name;
  media::Image image;
  uint64_t payload = 0;
};

WatermarkKey key() {
  return *WatermarkKey::from_passphrase("robustness test");
}

// Unmarked inputs: photos first, then synthetic frames.
std::vector<Sample> hosts() {
  std::vector<Sample> out;
  std::vector<std::string> paths = testing::photo_paths(CLEARCUT_SHARED_DIR);
  std::vector<std::string> chosen;
  for (const std::string& p : paths) {
    const bool wallpaper = p.find("/usr/share/backgrounds/") == 0;
    const size_t taken = std::count_if(chosen.begin(), chosen.end(), [](const std::string& c) {
      return c.find("/usr/share/backgrounds/") == 0;
    });
    if (!wallpaper || taken < kWallpapers) {
      chosen.push_back(p);
    }
  }
  for (const std::string& p : chosen) {
    auto image = testing::load_photo(p, kShortSide);
    EXPECT_TRUE(image.has_value()) << p;
    if (image.has_value()) {
      out.push_back({testing::photo_name(p), std::move(*image), 0});
    }
  }
  for (int f = 0; f < 2; ++f) {
    out.push_back(
        {"frame" + std::to_string(f), testing::synthetic_frame(1280, 720, 9 * f, 300 + f), 0});
  }
  return out;
}

const std::vector<Sample>& marked() {
  static const std::vector<Sample> samples = [] {
    std::vector<Sample> out = hosts();
    std::mt19937_64 rng(17);
    for (Sample& s : out) {
      s.payload = rng();
      auto m = embed_image(s.image, s.payload, key());
      EXPECT_TRUE(m.has_value()) << s.name;
      if (m.has_value()) {
        EXPECT_GE(testing::psnr(s.image, *m), 40.0) << s.name;
        s.image = std::move(*m);
      }
    }
    return out;
  }();
  return samples;
}

using Attack = std::function<media::Image(const media::Image&)>;

// Every sample survives: the eval's target is 95% over its larger set; on this small set each
// miss would be a regression worth a look.
void expect_survives(const Attack& attack) {
  ASSERT_GE(marked().size(), 4u) << "the PDQ fixtures are missing";
  for (const Sample& s : marked()) {
    const media::Image attacked = attack(s.image);
    auto d = detect_image(attacked, key());
    ASSERT_TRUE(d.has_value()) << d.error().to_string();
    EXPECT_TRUE(d->found) << s.name << " " << attacked.width << "x" << attacked.height << " sync "
                          << d->sync_score;
    if (d->found) {
      EXPECT_EQ(d->payload, s.payload) << s.name;
    }
  }
}

TEST(WatermarkRobustnessTest, NoAttack) {
  expect_survives([](const media::Image& im) { return im; });
}

TEST(WatermarkRobustnessTest, Jpeg50) {
  expect_survives([](const media::Image& im) { return *testing::jpeg(im, 50); });
}

TEST(WatermarkRobustnessTest, ResizeHalf) {
  expect_survives([](const media::Image& im) { return testing::resize(im, 0.5); });
}

TEST(WatermarkRobustnessTest, ResizeThreeQuarters) {
  expect_survives([](const media::Image& im) { return testing::resize(im, 0.75); });
}

TEST(WatermarkRobustnessTest, CropToSixtyPercent) {
  expect_survives([](const media::Image& im) { return testing::crop(im, 0.6, 0.3, 0.8); });
}

TEST(WatermarkRobustnessTest, GaussianBlur) {
  expect_survives([](const media::Image& im) { return testing::gaussian_blur(im, 1.0); });
}

TEST(WatermarkRobustnessTest, Noise) {
  expect_survives([](const media::Image& im) { return testing::add_noise(im, 5.0, 3); });
}

TEST(WatermarkRobustnessTest, Brightness) {
  expect_survives([](const media::Image& im) { return testing::brightness(im, 1.2); });
  expect_survives([](const media::Image& im) { return testing::brightness(im, 0.8); });
}

TEST(WatermarkRobustnessTest, UnmarkedInputsReadAsNoMark) {
  const std::vector<Sample> unmarked = hosts();
  std::mt19937_64 rng(23);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  int probes = 0;
  for (int i = 0; i < 40; ++i) {
    const media::Image& host = unmarked[static_cast<size_t>(i) % unmarked.size()].image;
    media::Image probe = testing::crop(host, 0.5 + 0.5 * uniform(rng), uniform(rng), uniform(rng));
    probe = testing::resize(probe, 0.5 + 0.6 * uniform(rng));
    auto d = detect_image(probe, key());
    ASSERT_TRUE(d.has_value()) << d.error().to_string();
    EXPECT_FALSE(d->found) << "input " << i;
    ++probes;
  }
  EXPECT_EQ(probes, 40);
}

}  // namespace
}  // namespace clearcut::watermark
