#pragma once

#include <vector>

#include "clearcut/provenance/watermark/internal/local_stats.h"

namespace clearcut::watermark::internal {

// Per-pixel embedding gain from the host luma: texture masking (local standard deviation over
// 7 x 7, so flat sky and skin get a quarter of the mean gain and busy texture up to 2.5x) times
// luminance masking (dark areas, where a level step is least visible after display gamma,
// get up to 35% more; bright areas up to 15% more). Tightly packed, width * height.
std::vector<float> perceptual_mask(const Plane& luma);

}  // namespace clearcut::watermark::internal
