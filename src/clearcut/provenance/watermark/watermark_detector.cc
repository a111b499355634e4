#include "clearcut/provenance/watermark/watermark_detector.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "clearcut/provenance/watermark/internal/local_stats.h"
#include "clearcut/provenance/watermark/internal/payload_codec.h"
#include "clearcut/provenance/watermark/internal/scale_search.h"
#include "clearcut/provenance/watermark/internal/tile_reader.h"

namespace clearcut::watermark {
namespace {

using internal::kTile;
using internal::Plane;
using internal::Region;
using internal::SyncPeak;

// The analysis covers at most this many image pixels per side around the centre, and folds at
// most kMaxFoldSide tile pixels per side: scale errors drift the fold by side * error pixels.
constexpr int kMaxAnalysisSide = 2048;
constexpr int kMaxFoldSide = 1024;
constexpr int kCoarseFoldSide = 768;
// Scale steps around a candidate: the comb is good to about 0.1%; the fold over 1024 pixels
// needs about 0.05%.
constexpr double kCoarseStep = 0.0012;
constexpr double kFineStep = 0.0005;
constexpr int kWhitenRadius = 4;
constexpr float kStddevFloor = 1.5f;
constexpr float kClip = 3.0f;
constexpr int kScaleCandidates = 4;
// Decoding attempts per image (scale 1, then the best comb candidates): each has a 2^-32
// chance of passing the CRC on noise.
constexpr int kMaxDecodes = 4;

// The image minus its local mean over its local contrast: flattens the host so that folding
// averages noise rather than scenery, and weighs textured and flat regions alike (the mark
// scales with texture, README.md "Perceptual masking").
std::vector<float> whiten(const Plane& luma) {
  const internal::LocalStats st = internal::local_stats(luma, kWhitenRadius);
  std::vector<float> out(st.mean.size());
  for (int y = 0; y < luma.height; ++y) {
    for (int x = 0; x < luma.width; ++x) {
      const size_t i = static_cast<size_t>(y) * luma.width + x;
      out[i] = std::clamp((luma.at(x, y) - st.mean[i]) / std::max(st.stddev[i], kStddevFloor),
                          -kClip, kClip);
    }
  }
  return out;
}

Region central(const Plane& plane, double side) {
  const int w = std::min(plane.width, static_cast<int>(side));
  const int h = std::min(plane.height, static_cast<int>(side));
  return {(plane.width - w) / 2, (plane.height - h) / 2, w, h};
}

struct Hypothesis {
  double scale = 1;
  SyncPeak peak;
};

// Best synchronisation peak over scale * (1 + k * step), |k| <= steps. Leaves the reader
// holding the winner's fold.
Hypothesis refine(internal::TileReader& reader, const Plane& residual, double scale, double step,
                  int steps, int fold_side) {
  Hypothesis best;
  best.peak.score = -1;
  int best_k = 0;
  for (int k = -steps; k <= steps; ++k) {
    const double s = scale * (1.0 + k * step);
    reader.fold(residual, central(residual, fold_side * s), s);
    const SyncPeak peak = reader.locate();
    if (peak.score > best.peak.score) {
      best = {s, peak};
      best_k = k;
    }
  }
  if (best_k != steps) {
    reader.fold(residual, central(residual, fold_side * best.scale), best.scale);
  }
  return best;
}

base::Result<WatermarkDetection> detect_plane(const Plane& luma, const WatermarkKey& key) {
  if (luma.data == nullptr || luma.width <= 0 || luma.height <= 0 || luma.stride < luma.width) {
    return base::invalid_argument("watermark detect: malformed luma view");
  }
  if (luma.width < kMinDetectSide || luma.height < kMinDetectSide) {
    return base::invalid_argument("watermark detect: image is " + std::to_string(luma.width) + "x" +
                                  std::to_string(luma.height) + ", the detector needs at least " +
                                  std::to_string(kMinDetectSide) + "x" +
                                  std::to_string(kMinDetectSide));
  }
  const Region area = central(luma, kMaxAnalysisSide);
  const Plane crop{luma.data + area.y * luma.stride + area.x, area.width, area.height, luma.stride};
  const std::vector<float> whitened = whiten(crop);
  const Plane residual{whitened.data(), area.width, area.height, area.width};

  internal::TileReader reader(key);
  const internal::PayloadCodec codec(key);
  WatermarkDetection result;
  double best_agreement = -2;
  int decodes = 0;
  // Reads and decodes the reader's current fold, made at `h`; true when the CRC passed
  // (result filled in).
  auto attempt = [&](const Hypothesis& h) {
    ++decodes;
    const std::array<float, internal::kCodedBits> soft = reader.read(h.peak);
    const internal::DecodedPayload decoded = codec.decode(soft);
    if (decoded.agreement > best_agreement) {
      best_agreement = decoded.agreement;
      result.best_guess = decoded.payload;
    }
    result.sync_score = std::max(result.sync_score, h.peak.score);
    if (!decoded.crc_ok) {
      return false;
    }
    result.found = true;
    result.payload = decoded.payload;
    result.confidence = std::max(0.0, decoded.agreement);
    result.bit_errors_corrected = decoded.bit_errors;
    result.sync_score = h.peak.score;
    result.scale = h.scale;
    // Phase in image coordinates: where tile cell (0, 0) falls, modulo the period.
    const double period = kTile * h.scale;
    result.offset_x = std::fmod(area.x + (h.peak.dx + 0.5) * h.scale - 0.5, period);
    result.offset_y = std::fmod(area.y + (h.peak.dy + 0.5) * h.scale - 0.5, period);
    return true;
  };

  // Unscaled copies are the common case, and at scale 1 exactly the whole area folds coherently.
  if (attempt(refine(reader, residual, 1.0, 0, 0, kMaxFoldSide))) {
    return result;
  }
  std::vector<Hypothesis> coarse;
  for (const internal::ScaleCandidate& c : internal::scale_candidates(residual, kScaleCandidates)) {
    coarse.push_back(refine(reader, residual, c.scale, kCoarseStep, 1, kCoarseFoldSide));
  }
  std::sort(coarse.begin(), coarse.end(),
            [](const Hypothesis& a, const Hypothesis& b) { return a.peak.score > b.peak.score; });
  for (const Hypothesis& h : coarse) {
    if (decodes >= kMaxDecodes) {
      break;
    }
    if (attempt(refine(reader, residual, h.scale, kFineStep, 2, kMaxFoldSide))) {
      return result;
    }
  }
  return result;
}

}  // namespace

base::Result<WatermarkDetection> detect(const LumaF32View& luma, const WatermarkKey& key) {
  return detect_plane(
      Plane{luma.data, luma.width, luma.height, luma.stride != 0 ? luma.stride : luma.width}, key);
}

base::Result<WatermarkDetection> detect(const LumaU8View& luma, const WatermarkKey& key) {
  if (luma.data == nullptr || luma.width <= 0 || luma.height <= 0) {
    return base::invalid_argument("watermark detect: malformed luma view");
  }
  const ptrdiff_t stride = luma.stride != 0 ? luma.stride : luma.width;
  std::vector<float> plane(static_cast<size_t>(luma.width) * luma.height);
  for (int y = 0; y < luma.height; ++y) {
    const uint8_t* src = luma.data + y * stride;
    std::copy(src, src + luma.width, plane.begin() + static_cast<ptrdiff_t>(y) * luma.width);
  }
  return detect(LumaF32View{plane.data(), luma.width, luma.height, 0}, key);
}

base::Result<WatermarkDetection> detect_image(const media::Image& image, const WatermarkKey& key) {
  if ((image.channels != 1 && image.channels != 3) ||
      image.pixels.size() != image.row_bytes() * static_cast<size_t>(image.height)) {
    return base::invalid_argument("watermark detect: need a well-formed 1- or 3-channel image");
  }
  if (image.channels == 1) {
    return detect(LumaU8View{image.pixels.data(), image.width, image.height, 0}, key);
  }
  const size_t count = static_cast<size_t>(image.width) * image.height;
  std::vector<float> luma(count);
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* p = image.pixels.data() + 3 * i;
    luma[i] = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
  }
  return detect(LumaF32View{luma.data(), image.width, image.height, 0}, key);
}

}  // namespace clearcut::watermark
