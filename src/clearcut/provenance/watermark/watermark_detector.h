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
// Takes 15 to 50 ms of CPU for a 1080p frame: least for a mark at scale 1, most when nothing
// is found (the halved picture is searched too) or the mark is enlarged (bench/watermark_bench). Sides under kMinDetectSide or malformed views are kInvalidArgument;
// "no mark" is a result, not an error, and then reports the unhalved search's sync score.
// Deterministic; thread-safe.
base::Result<WatermarkDetection> detect(const media::LumaF32View& luma, const WatermarkKey& key);
base::Result<WatermarkDetection> detect(const media::LumaView& luma, const WatermarkKey& key);
// RGB or grey: reads the BT.601 luma.
base::Result<WatermarkDetection> detect_image(const media::Image& image, const WatermarkKey& key);

}  // namespace clearcut::watermark
