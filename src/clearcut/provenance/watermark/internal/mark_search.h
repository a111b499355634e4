#pragma once

#include <vector>

#include "clearcut/provenance/watermark/internal/local_stats.h"
#include "clearcut/provenance/watermark/internal/tile_reader.h"
#include "clearcut/provenance/watermark/watermark_detection.h"
#include "clearcut/provenance/watermark/watermark_key.h"

namespace clearcut::watermark::internal {

// The part of an image of this size that detection reads: at most 2048 x 2048 pixels around
// the centre (enough to fold 1024 tile pixels per side at scale 2).
Region analysis_area(int width, int height);

// The luma minus its local mean (9 x 9) over its local standard deviation (floored at 1.5
// levels), clipped to +-3: flattens the host so that folding averages noise rather than
// scenery, and weighs textured and flat regions alike, as the mark scales with texture.
std::vector<float> whiten(const Plane& luma);

// Searches a whitened residual for the mark: the fold at scale 1 over the whole area first,
// then the scale candidates of the comb (scale_search.h), each refined on a 768-pixel fold and
// the best of them on a 1024-pixel one, decoding at most 4 hypotheses. `area` places the
// residual in the image, for the reported tile phase.
WatermarkDetection search(const Plane& residual, const Region& area, const WatermarkKey& key);

}  // namespace clearcut::watermark::internal
