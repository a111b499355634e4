#pragma once

// Internal to clearcut::media: the PNG adapter behind decode_image. Callers pass bytes whose
// signature says PNG.

#include <cstdint>
#include <span>

#include "clearcut/base/result.h"
#include "clearcut/media/image_decoder.h"

namespace clearcut::media::internal {

base::Result<Image> decode_png(std::span<const uint8_t> bytes, const DecodeOptions& options);

}  // namespace clearcut::media::internal
