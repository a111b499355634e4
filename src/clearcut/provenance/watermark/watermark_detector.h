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
// re-encoded, cropped, rescaled (about 0.4x to 2x), blurred, brightened or darkened. Takes
// tens of milliseconds for a 1080p frame. Sides under kMinDetectSide or malformed views are
// kInvalidArgument; "no mark" is a result, not an error. Deterministic; thread-safe.
base::Result<WatermarkDetection> detect(const media::LumaF32View& luma, const WatermarkKey& key);
base::Result<WatermarkDetection> detect(const media::LumaView& luma, const WatermarkKey& key);
// RGB or grey: reads the BT.601 luma.
base::Result<WatermarkDetection> detect_image(const media::Image& image, const WatermarkKey& key);

}  // namespace clearcut::watermark
