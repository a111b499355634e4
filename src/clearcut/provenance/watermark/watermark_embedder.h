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
// `tile_scale` (1 to 8) enlarges the tile and its blocks: a still delivered much smaller than
// it was marked still carries the mark at a scale the detector reads (tile_scale_for).
//
// Returns the marked plane, tightly packed (width * height). Sides under kMinEmbedSide times
// tile_scale, bad views, strengths or tile scales are kInvalidArgument. Deterministic: the same
// input, payload, key, strength and tile scale give the same bytes. Pure functions; thread-safe.
base::Result<std::vector<float>> embed(const media::LumaF32View& luma, uint64_t payload,
                                       const WatermarkKey& key, float strength = 1.0f,
                                       double tile_scale = 1.0);
// The same on 8-bit luma: the result is rounded and clamped to 0..255.
base::Result<std::vector<uint8_t>> embed(const media::LumaView& luma, uint64_t payload,
                                         const WatermarkKey& key, float strength = 1.0f,
                                         double tile_scale = 1.0);

// Marks an RGB (or grey) image: the luma change is added equally to R, G and B, which moves Y
// by it and leaves Cb and Cr as they were (BT.601), then rounds and clamps.
base::Result<media::Image> embed_image(const media::Image& image, uint64_t payload,
                                       const WatermarkKey& key, float strength = 1.0f,
                                       double tile_scale = 1.0);

// The change embed() would add to each pixel (tightly packed floats), for callers that apply
// it to their own pixel formats.
base::Result<std::vector<float>> watermark_delta(const media::LumaF32View& luma, uint64_t payload,
                                                 const WatermarkKey& key, float strength = 1.0f,
                                                 double tile_scale = 1.0);

// The tile scale for marking a still of this size: the detector reads the mark down to about
// 0.4x of the scale it was marked at, less well in a small picture, and an editor may fit a
// still whole into a frame as small as 640x360 (a proxy, a web rendition). The tile is enlarged
// so that the mark lands there at 0.65x: 0.65 x max(width / 640, height / 360), between 1 and 6
// (a 4000x3000 photo: 5.4; 1920x1080: 1.95; 1024x1024: 1.85; video frames are marked at 1), and
// never more than the picture holds a tile of (its short side / 128) or than detect() looks for
// in it (95% of max_detect_scale): a 500x3000 banner, which the detector cannot halve, gets 1.9.
double tile_scale_for(int width, int height);

}  // namespace clearcut::watermark
