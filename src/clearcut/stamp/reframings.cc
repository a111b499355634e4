#include "clearcut/stamp/reframings.h"

#include <cmath>
#include <utility>

#include "clearcut/match/code.h"

namespace clearcut::stamp {

namespace {

constexpr int kMinSide = 64;
constexpr double kAspectTolerance = 0.03;
constexpr int kSameBits = 8;
// A push-in's frames lie between two registered steps; PDQ held a detailed still's crop to
// within about 3% of a registered one (tests/scan, ScanReframing), so the steps are 5% apart.
constexpr int kPushIns[] = {95, 90, 85, 80};
// A picture shown between bars (a portrait pillarboxed in a 16:9 frame, a 2.39:1 crop
// letterboxed in it) loses one side only to a rendition's crop: a 10% crop of the delivery keeps
// 90% of the portrait's height and of the scope crop's width, a 2.39:1 matte over the 16:9 frame
// 75% of the height (536 of 720 rows), a 4:3 centre cut of a letterboxed frame 75% of the width.
constexpr int kOneSideCuts[] = {90, 75};

struct Aspect {
  const char* name;
  double ratio;  // width / height
  bool pushed;   // a delivery frame (HD, scope) whose crop is also pushed into
};
constexpr Aspect kAspects[] = {{"16:9", 16.0 / 9.0, true}, {"2.39:1", 2.39, true},
                               {"1.85:1", 1.85, false},    {"4:3", 4.0 / 3.0, false},
                               {"4:5", 0.8, false},        {"1:1", 1.0, false},
                               {"9:16", 9.0 / 16.0, false}};

Reframing centred(std::string name, int width, int height, int crop_width, int crop_height) {
  return Reframing{std::move(name), (width - crop_width) / 2, (height - crop_height) / 2,
                   crop_width, crop_height};
}

}  // namespace

std::vector<Reframing> reframings_of(int width, int height) {
  std::vector<Reframing> out;
  if (width < kMinSide || height < kMinSide) {
    return out;
  }
  const double own = static_cast<double>(width) / height;
  // The 16:9 and scope crops are also pushed into (or cropped again by a conform), as the
  // still's own framing is: 95% to 80% of each.
  std::vector<Reframing> pushed;
  std::vector<Reframing> framed{Reframing{"whole", 0, 0, width, height}};
  for (const Aspect& aspect : kAspects) {
    if (std::abs(aspect.ratio / own - 1.0) <= kAspectTolerance) {
      continue;
    }
    // The largest centred box of that aspect inside the still.
    int crop_width = width;
    auto crop_height = static_cast<int>(std::lround(width / aspect.ratio));
    if (crop_height > height) {
      crop_height = height;
      crop_width = static_cast<int>(std::lround(height * aspect.ratio));
    }
    if (crop_width < kMinSide || crop_height < kMinSide) {
      continue;
    }
    out.push_back(centred(aspect.name, width, height, crop_width, crop_height));
    framed.push_back(out.back());
    if (aspect.pushed) {
      for (int percent : kPushIns) {
        pushed.push_back(centred(std::string(aspect.name) + " " + std::to_string(percent) + "%",
                                 width, height, crop_width * percent / 100,
                                 crop_height * percent / 100));
      }
      // The crop shown between bars and then cut by a rendition loses its width alone: the
      // bars take the rows a 10% crop of the delivery removes.
      for (int percent : kOneSideCuts) {
        pushed.push_back(
            centred(std::string(aspect.name) + " width " + std::to_string(percent) + "%", width,
                    height, crop_width * percent / 100, crop_height));
      }
    }
  }
  for (int percent : kPushIns) {
    out.push_back(centred("centre " + std::to_string(percent) + "%", width, height,
                          width * percent / 100, height * percent / 100));
  }
  for (int percent : kOneSideCuts) {
    out.push_back(centred("height " + std::to_string(percent) + "%", width, height, width,
                          height * percent / 100));
    out.push_back(centred("width " + std::to_string(percent) + "%", width, height,
                          width * percent / 100, height));
  }
  out.insert(out.end(), pushed.begin(), pushed.end());
  for (const Reframing& f : framed) {
    out.push_back(Reframing{f.name + " above subtitles", f.x, f.y, f.width,
                            f.height * match::kAboveSubtitlesPercent / 100});
  }
  return out;
}

std::vector<std::string> reframing_pdq(provenance::PdqHasher& hasher,
                                       const provenance::PixelView& pixels,
                                       const provenance::PdqHash& own) {
  std::vector<std::string> codes;
  std::vector<provenance::PdqHash> kept{own};
  const std::vector<Reframing> framings = reframings_of(pixels.width, pixels.height);
  if (framings.empty()) {
    return codes;
  }
  // Each crop reads the same luma: converted once, the same hash as from the crop's pixels.
  const std::vector<float> luma = provenance::PdqHasher::luma_of(pixels);
  for (const Reframing& r : framings) {
    const media::LumaF32View crop{luma.data() + static_cast<ptrdiff_t>(r.y) * pixels.width + r.x,
                                  r.width, r.height, pixels.width};
    provenance::PdqResult result = hasher.hash(crop);
    if (result.quality < match::kPdqMinQuality) {
      continue;
    }
    bool near = false;
    for (const provenance::PdqHash& k : kept) {
      near = near || match::hamming_distance(result.hash.words(), k.words()) <= kSameBits;
    }
    if (!near) {
      kept.push_back(result.hash);
      codes.push_back(result.hash.to_hex());
    }
  }
  return codes;
}

}  // namespace clearcut::stamp
