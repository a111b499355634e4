#include "clearcut/provenance/watermark/internal/mark_search.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

#include "clearcut/provenance/watermark/internal/payload_codec.h"
#include "clearcut/provenance/watermark/internal/scale_search.h"

namespace clearcut::watermark::internal {
namespace {

// Folds cover at most kMaxFoldSide tile pixels per side: a scale error e drifts a fold of side
// n by n * e pixels, and the comb's estimate is good to about 0.1%.
constexpr int kMaxAnalysisSide = 2048;
constexpr int kCoarseFoldSide = 768;
constexpr double kCoarseStep = 0.0012;
constexpr double kFineStep = 0.0005;
constexpr int kWhitenRadius = 4;
constexpr float kStddevFloor = 1.5f;
constexpr float kClip = 3.0f;
constexpr int kScaleCandidates = 4;
// A candidate scale is refined and decoded only when its coarse synchronisation peak stands
// this far out of the correlation's noise; unmarked images peak at about 4 to 5 (the largest
// of 3 x 16384 near-Gaussian values), so most of them stop here.
constexpr double kMinCoarseScore = 5.0;
// Decoding attempts per image: each has a 2^-32 chance of passing the CRC on noise.
constexpr int kMaxDecodes = 4;

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
Hypothesis refine(TileReader& reader, const Plane& residual, double scale, double step, int steps,
                  int fold_side) {
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

}  // namespace

Region analysis_area(int width, int height) {
  const int w = std::min(width, kMaxAnalysisSide);
  const int h = std::min(height, kMaxAnalysisSide);
  return {(width - w) / 2, (height - h) / 2, w, h};
}

void whiten_into(const Plane& luma, const Region& out, float* residual, ptrdiff_t stride) {
  // The rows and columns whose pixels fall in the windows of `out`: where this is clipped, so
  // is a window in the whole plane, so each pixel sees the same window either way.
  const int x0 = std::max(0, out.x - kWhitenRadius);
  const int y0 = std::max(0, out.y - kWhitenRadius);
  const int x1 = std::min(luma.width, out.x + out.width + kWhitenRadius);
  const int y1 = std::min(luma.height, out.y + out.height + kWhitenRadius);
  LocalStatsRows stats(Plane{luma.data + y0 * luma.stride + x0, x1 - x0, y1 - y0, luma.stride},
                       kWhitenRadius);
  for (int y = y0; y < out.y + out.height; ++y) {
    const LocalStatsRows::Row st = stats.next_row();
    if (y < out.y) {
      continue;
    }
    const float* src = luma.data + y * luma.stride + out.x;
    const float* mean = st.mean.data() + (out.x - x0);
    const float* stddev = st.stddev.data() + (out.x - x0);
    float* dst = residual + y * stride + out.x;
    for (int x = 0; x < out.width; ++x) {
      dst[x] = std::clamp((src[x] - mean[x]) / std::max(stddev[x], kStddevFloor), -kClip, kClip);
    }
  }
}

std::vector<float> whiten(const Plane& luma) {
  std::vector<float> out(static_cast<size_t>(luma.width) * luma.height);
  whiten_into(luma, Region{0, 0, luma.width, luma.height}, out.data(), luma.width);
  return out;
}

namespace {

// Decoding attempts on a reader's folds, and what they found.
class Attempts {
 public:
  Attempts(const WatermarkKey& key, const Region& area) : reader(key), codec_(key), area_(area) {}

  // Reads and decodes the reader's current fold, made at `h`; true when the CRC passed (result
  // filled in).
  bool attempt(const Hypothesis& h) {
    ++decodes;
    const std::array<float, kCodedBits> soft = reader.read(h.peak);
    const DecodedPayload decoded = codec_.decode(soft);
    if (decoded.agreement > best_agreement_) {
      best_agreement_ = decoded.agreement;
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
    // Where tile cell (0, 0) falls in the image, modulo the period.
    const double period = kTile * h.scale;
    result.offset_x = std::fmod(area_.x + (h.peak.dx + 0.5) * h.scale - 0.5, period);
    result.offset_y = std::fmod(area_.y + (h.peak.dy + 0.5) * h.scale - 0.5, period);
    return true;
  }

  TileReader reader;
  WatermarkDetection result;
  int decodes = 0;

 private:
  const PayloadCodec codec_;
  Region area_;
  double best_agreement_ = -2;
};

}  // namespace

WatermarkDetection search(const Plane& residual, const Region& area, const WatermarkKey& key,
                          double min_comb_score, const std::function<void()>& widen) {
  Attempts a(key, area);
  // Unscaled copies are the common case, and at scale 1 exactly the whole area folds coherently.
  if (a.attempt(refine(a.reader, residual, 1.0, 0, 0, kMaxFoldSide))) {
    return a.result;
  }
  std::vector<Hypothesis> coarse;
  for (const ScaleCandidate& c : scale_candidates(residual, kScaleCandidates)) {
    if (c.score < min_comb_score) {
      break;  // best first: the rest score less
    }
    if (coarse.empty() && widen) {
      widen();
    }
    coarse.push_back(refine(a.reader, residual, c.scale, kCoarseStep, 1, kCoarseFoldSide));
  }
  std::sort(coarse.begin(), coarse.end(),
            [](const Hypothesis& x, const Hypothesis& y) { return x.peak.score > y.peak.score; });
  for (const Hypothesis& h : coarse) {
    if (a.decodes >= kMaxDecodes || h.peak.score < kMinCoarseScore) {
      break;
    }
    if (a.attempt(refine(a.reader, residual, h.scale, kFineStep, 2, kMaxFoldSide))) {
      return a.result;
    }
  }
  return a.result;
}

WatermarkDetection read_at(const Plane& residual, const Region& area, const WatermarkKey& key,
                           double scale) {
  Attempts a(key, area);
  a.attempt(refine(a.reader, residual, scale, 0, 0, kMaxFoldSide));
  return a.result;
}

WatermarkDetection search_picture(const Plane& luma, const Region& area, const WatermarkKey& key,
                                  double min_comb_score) {
  // Left uninitialised: rows and columns outside the centre are never touched (not even paged
  // in) unless a comb candidate needs them.
  const std::unique_ptr<float[]> residual =
      std::make_unique_for_overwrite<float[]>(static_cast<size_t>(luma.width) * luma.height);
  const Plane plane{residual.get(), luma.width, luma.height, luma.width};
  whiten_into(luma, central(plane, kMaxFoldSide), residual.get(), luma.width);
  return search(plane, area, key, min_comb_score, [&] {
    whiten_into(luma, Region{0, 0, luma.width, luma.height}, residual.get(), luma.width);
  });
}

}  // namespace clearcut::watermark::internal
