#include "clearcut/provenance/watermark/internal/perceptual_mask.h"

#include <algorithm>

namespace clearcut::watermark::internal {
namespace {

constexpr int kRadius = 3;                 // 7 x 7 window
constexpr float kTextureReference = 6.0f;  // local sigma for gain 1
constexpr float kMinGain = 0.4f;
constexpr float kMaxGain = 2.5f;

}  // namespace

std::vector<float> perceptual_mask(const Plane& luma) {
  const LocalStats s = local_stats(luma, kRadius);
  std::vector<float> mask(s.mean.size());
  for (size_t i = 0; i < mask.size(); ++i) {
    const float texture = std::clamp(s.stddev[i] / kTextureReference, kMinGain, kMaxGain);
    const float m = s.mean[i];
    const float luminance = 1.0f + 0.35f * std::max(0.0f, (80.0f - m) / 80.0f) +
                            0.15f * std::max(0.0f, (m - 176.0f) / 79.0f);
    mask[i] = texture * luminance;
  }
  return mask;
}

}  // namespace clearcut::watermark::internal
