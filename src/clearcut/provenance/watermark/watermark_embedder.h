#pragma once

#include <cstdint>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/media/image.h"
#include "clearcut/media/luma_view.h"
#include "clearcut/provenance/watermark/watermark_key.h"

namespace clearcut::watermark {

// Smallest image side the embedder accepts: one whole tile of the mark.
inline constexpr int kMinEmbedSide = 128;

// Embeds a keyed, invisible, 64-bit watermark in luma (README.md, "Design"): spread-spectrum
// chips on mid-band 8x8 DCT coefficients, tiled every 128 pixels with a synchronisation
// pattern, scaled per pixel by a texture and luminance mask. `strength` 1 is the designed
// operating point: the added signal's RMS is held at 2.4 levels at most (PSNR >= 40.5 dB before
// rounding), flat images staying under it; the cap scales with strength (0 < strength <= 4).
//
// Returns the marked plane, tightly packed (width * height). Sides under kMinEmbedSide, bad
// views or strengths are kInvalidArgument. Deterministic: the same input, payload, key and
// strength give the same bytes. Pure functions; thread-safe.
base::Result<std::vector<float>> embed(const media::LumaF32View& luma, uint64_t payload,
                                       const WatermarkKey& key, float strength = 1.0f);
// The same on 8-bit luma: the result is rounded and clamped to 0..255.
base::Result<std::vector<uint8_t>> embed(const media::LumaView& luma, uint64_t payload,
                                         const WatermarkKey& key, float strength = 1.0f);

// Marks an RGB (or grey) image: the luma change is added equally to R, G and B, which moves Y
// by it and leaves Cb and Cr as they were (BT.601), then rounds and clamps.
base::Result<media::Image> embed_image(const media::Image& image, uint64_t payload,
                                       const WatermarkKey& key, float strength = 1.0f);

// The change embed() would add to each pixel (tightly packed floats), for callers that apply
// it to their own pixel formats.
base::Result<std::vector<float>> watermark_delta(const media::LumaF32View& luma, uint64_t payload,
                                                 const WatermarkKey& key, float strength = 1.0f);

}  // namespace clearcut::watermark
