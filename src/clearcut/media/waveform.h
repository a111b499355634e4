#pragma once

#include <span>

#include "clearcut/base/result.h"
#include "clearcut/media/image.h"

namespace clearcut::media {

// A picture of a stretch of sound, for reviewers: what a thumbnail is for a frame. `width`
// columns, each a vertical stroke from the lowest to the highest sample of its share of
// `samples` (mono, any rate), scaled so that the loudest sample of the stretch reaches 90% of
// the half-height; a faint centre line; dark grey strokes on white, one channel. Silence draws
// the centre line alone. Errors: kInvalidArgument for no samples or a size outside 8..1024.
struct WaveformOptions {
  int width = 160;
  int height = 64;
};
base::Result<Image> waveform_image(std::span<const float> samples,
                                   const WaveformOptions& options = {});

}  // namespace clearcut::media
