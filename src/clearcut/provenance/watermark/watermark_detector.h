#pragma once

#include <cstdint>

#include "clearcut/base/result.h"
#include "clearcut/media/image.h"
#include "clearcut/media/luma_view.h"
#include "clearcut/provenance/watermark/watermark_detection.h"
#include "clearcut/provenance/watermark/watermark_key.h"

namespace clearcut::watermark {

// Smallest side the detector reads; smaller inputs are kInvalidArgument.
inline constexpr int kMinDetectSide = 64;

// Looks for a mark embedded under `key` (watermark_embedder.h) in luma that may since have been
// re-encoded, cropped, rescaled, blurred, brightened or darkened. The mark's tile is read at
// 0.4x to 2x of 128 pixels in the picture as given, then (when not found) at up to 8x in the
// picture halved and quartered, while the half is at least 360 pixels tall: a still marked with
// an enlarged tile (tile_scale_for) is read near its own size as well as shrunk into a frame.
// Takes about 5 ms of CPU for a 1080p frame marked at scale 1, 17 when nothing is found (the
// halved picture is searched too), 45 for an enlarged tile, on a quiet core (twice that under
// load; bench/watermark_bench).
// Sides under kMinDetectSide or malformed views are kInvalidArgument; "no mark" is a result, not an
// error, and then reports the unhalved search's sync score. Deterministic; thread-safe.
base::Result<WatermarkDetection> detect(const media::LumaF32View& luma, const WatermarkKey& key);
base::Result<WatermarkDetection> detect(const media::LumaView& luma, const WatermarkKey& key);
// RGB or grey: reads the BT.601 luma.
base::Result<WatermarkDetection> detect_image(const media::Image& image, const WatermarkKey& key);

// The largest tile scale detect() looks for in a width x height picture: 2 in the picture as
// given, twice that for each halving it searches (at most two, while the half is at least 360
// pixels tall). tile_scale_for keeps stills under it, so that a still is found at its own size.
double max_detect_scale(int width, int height);

// Reads a mark known to lie at `tile_scale` in this picture (the scale it was embedded with,
// the picture not resized since): one fold at that scale instead of a search, for a stamper
// reading back its own output. The picture is halved while the scale in it is above 1.5 and the
// half at least 360 pixels tall (a 1080p still's 1.95 is read at 0.975 in 960 x 540). A mark at
// another scale is not looked for: `found == false`. Errors as detect_image; tile_scale outside (0,
// 8] is kInvalidArgument.
base::Result<WatermarkDetection> read_image_at(const media::Image& image, const WatermarkKey& key,
                                               double tile_scale);
// The same on 8-bit luma (a video frame the stamper marked at tile scale 1 and encoded).
base::Result<WatermarkDetection> read_at(const media::LumaView& luma, const WatermarkKey& key,
                                         double tile_scale);

}  // namespace clearcut::watermark
