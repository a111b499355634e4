#pragma once

#include <vector>

#include "clearcut/provenance/watermark/internal/local_stats.h"

namespace clearcut::watermark::internal {

inline constexpr double kMinScale = 0.4;
inline constexpr double kMaxScale = 2.0;

struct ScaleCandidate {
  double scale = 1;
  double score = 0;  // comb energy over its median across all scales, in median absolute deviations
};

// Estimates how much the image was resized since marking, without knowing where the tiles are:
// a pattern repeated every kTile * s pixels puts its energy on a lattice of frequencies
// (m, n) / (kTile * s), whatever the translation. The whitened power spectrum of a central
// window (at most 512 x 512) is summed over that lattice, weighted by the energy the mark's DCT
// band puts at each point, for scales kMinScale..kMaxScale in steps of 0.25%; the strongest
// local maxima come back best first. Precision is a few tenths of a percent: the caller refines.
std::vector<ScaleCandidate> scale_candidates(const Plane& residual, int max_candidates);

}  // namespace clearcut::watermark::internal
