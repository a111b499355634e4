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
constexpr int kCoarseFoldSide = 384;
constexpr int kWhitenRadius = 4;
constexpr float kStddevFloor = 1.5f;
constexpr float kClip = 3.0f;
constexpr int kScaleCandidates = 4;
// Decoding attempts per image: each has a 2^-32 chance of passing the CRC on noise.
constexpr int kMaxDecodes = 3;

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

// Best synchronisation peak over scale * (1 + k * step), |k| <= steps.
Hypothesis refine(internal::TileReader& reader, const Plane& residual, double scale, double step,
                  int steps, int fold_side) {
  Hypothesis best;
  best.peak.score = -1;
  for (int k = -steps; k <= steps; ++k) {
    const double s = scale * (1.0 + k * step);
    reader.fold(residual, central(residual, fold_side * s), s);
    const SyncPeak peak = reader.locate();
    if (peak.score > best.peak.score) {
      best = {s, peak};
    }
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

  std::vector<double> scales;
  for (const internal::ScaleCandidate& c : internal::scale_candidates(residual, kScaleCandidates)) {
    scales.push_back(c.scale);
  }
  // Unscaled copies are the common case; always try them.
  if (std::none_of(scales.begin(), scales.end(),
                   [](double s) { return std::fabs(s - 1.0) < 0.005; })) {
    scales.push_back(1.0);
  }

  internal::TileReader reader(key);
  std::vector<Hypothesis> coarse;
  for (double s : scales) {
    coarse.push_back(refine(reader, residual, s, 0.0025, 2, kCoarseFoldSide));
  }
  std::sort(coarse.begin(), coarse.end(),
            [](const Hypothesis& a, const Hypothesis& b) { return a.peak.score > b.peak.score; });

  const internal::PayloadCodec codec(key);
  WatermarkDetection result;
  result.sync_score = coarse.empty() ? 0 : coarse.front().peak.score;
  double best_agreement = -2;
  const int decodes = std::min(kMaxDecodes, static_cast<int>(coarse.size()));
  for (int i = 0; i < decodes; ++i) {
    const Hypothesis fine = refine(reader, residual, coarse[i].scale, 0.0008, 3, kMaxFoldSide);
    // Reading needs the folded tile of the winning hypothesis.
    reader.fold(residual, central(residual, kMaxFoldSide * fine.scale), fine.scale);
    const std::array<float, internal::kCodedBits> soft = reader.read(fine.peak);
    const internal::DecodedPayload decoded = codec.decode(soft);
    if (decoded.agreement > best_agreement) {
      best_agreement = decoded.agreement;
      result.best_guess = decoded.payload;
    }
    if (decoded.crc_ok) {
      result.found = true;
      result.payload = decoded.payload;
      result.best_guess = decoded.payload;
      result.confidence = std::max(0.0, decoded.agreement);
      result.bit_errors_corrected = decoded.bit_errors;
      result.sync_score = fine.peak.score;
      result.scale = fine.scale;
      // Phase in image coordinates: tile cell 0 sits at image pixel offset (mod period).
      result.offset_x = std::fmod(area.x + fine.peak.dx * fine.scale, kTile * fine.scale);
      result.offset_y = std::fmod(area.y + fine.peak.dy * fine.scale, kTile * fine.scale);
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
