#pragma once

#include <cstddef>
#include <functional>
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
// The same for the pixels of `out` only, written at their places in `residual` (`stride` floats
// a row, laid out as `luma`); each pixel's window is clipped to `luma` as whiten() clips it.
void whiten_into(const Plane& luma, const Region& out, float* residual, ptrdiff_t stride);

// How far a comb candidate (scale_search.h) must stand out of the comb's noise before a single
// picture's search spends folds on it. Unmarked pictures of 720p and more score at most 7.4
// (JPEG's 8-pixel grid near scales 0.42 and 0.5 the most); marks at the scale and level they
// are read at score 13 and more, even after JPEG q75 and shrinking a still to 0.19x
// (README.md, "Detection"). Smaller pictures score higher by chance, but cost little to search.
inline constexpr double kMinPictureCombScore = 10.0;

// Folds at scale s cover the central kMaxFoldSide x s pixels (at most).
inline constexpr int kMaxFoldSide = 1024;

// Searches a whitened residual for the mark: the fold at scale 1 over the whole area first,
// then the scale candidates of the comb (scale_search.h) whose comb score reaches
// `min_comb_score`, each refined on a 768-pixel fold and the best of them on a 1024-pixel one,
// decoding at most 4 hypotheses. `area` places the residual in the image, for the reported
// tile phase.
// `widen`, when set, is called before the first fold that reaches beyond the central
// kMaxFoldSide x kMaxFoldSide pixels (where the scale-1 fold and the comb read): a caller that
// whitened only those completes the residual there.
WatermarkDetection search(const Plane& residual, const Region& area, const WatermarkKey& key,
                          double min_comb_score, const std::function<void()>& widen = {});

// search() on a single picture's luma (the analysis area's pixels, placed by `area`): whitens
// the central kMaxFoldSide x kMaxFoldSide pixels, and the rest only when a comb candidate is to
// be refined, so that an unmarked picture, which stops after the scale-1 fold and the comb, pays
// for the pixels it reads.
WatermarkDetection search_picture(const Plane& luma, const Region& area, const WatermarkKey& key,
                                  double min_comb_score);

// Reads the mark at `scale` only, as search() reads scale 1 first: the central fold of at most
// 1024 tile pixels a side, one decoding attempt.
WatermarkDetection read_at(const Plane& residual, const Region& area, const WatermarkKey& key,
                           double scale);

}  // namespace clearcut::watermark::internal
