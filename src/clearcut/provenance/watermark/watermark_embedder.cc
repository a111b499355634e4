#include "clearcut/provenance/watermark/watermark_embedder.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "clearcut/provenance/watermark/internal/payload_codec.h"
#include "clearcut/provenance/watermark/internal/perceptual_mask.h"
#include "clearcut/provenance/watermark/internal/tile_pattern.h"

namespace clearcut::watermark {
namespace {

using internal::kTile;
using internal::Plane;

// Gain 1 of the mask adds the unit-RMS tile times this many levels; the RMS of the whole
// change is then capped (texture-rich images reach the cap, flat ones stay below it).
constexpr float kBaseAmplitude = 2.0f;
constexpr float kMaxRms = 2.4f;
// Images whose texture leaves them under the cap are raised towards it, at most this much.
constexpr float kMaxBoost = 1.5f;
constexpr float kMaxStrength = 4.0f;

base::Status check_view(const void* data, int width, int height, ptrdiff_t stride) {
  if (data == nullptr || width <= 0 || height <= 0 || (stride != 0 && stride < width)) {
    return base::invalid_argument("watermark embed: malformed luma view");
  }
  if (width < kMinEmbedSide || height < kMinEmbedSide) {
    return base::invalid_argument("watermark embed: image is " + std::to_string(width) + "x" +
                                  std::to_string(height) + ", the mark needs at least " +
                                  std::to_string(kMinEmbedSide) + "x" +
                                  std::to_string(kMinEmbedSide));
  }
  return {};
}

base::Status check_strength(float strength) {
  if (!(strength > 0.0f && strength <= kMaxStrength)) {
    return base::invalid_argument("watermark embed: strength must lie in (0, 4]");
  }
  return {};
}

std::vector<float> delta_of(const Plane& luma, uint64_t payload, const WatermarkKey& key,
                            float strength) {
  const internal::TilePattern pattern(key);
  const internal::PayloadCodec codec(key);
  const std::vector<float> tile = pattern.tile(codec.encode(payload));
  std::vector<float> delta = internal::perceptual_mask(luma);
  const float amplitude = kBaseAmplitude * strength;
  double energy = 0;
  for (int y = 0; y < luma.height; ++y) {
    const float* tile_row = tile.data() + static_cast<size_t>(y % kTile) * kTile;
    float* d = delta.data() + static_cast<size_t>(y) * luma.width;
    for (int x = 0; x < luma.width; ++x) {
      d[x] *= amplitude * tile_row[x % kTile];
      energy += static_cast<double>(d[x]) * d[x];
    }
  }
  const double rms = std::sqrt(energy / static_cast<double>(delta.size()));
  const double cap = static_cast<double>(kMaxRms) * strength;
  if (rms > 0 && rms != cap) {
    const float scale = static_cast<float>(std::min<double>(cap / rms, kMaxBoost));
    for (float& d : delta) {
      d *= scale;
    }
  }
  return delta;
}

std::vector<float> to_float(const media::LumaView& luma) {
  const ptrdiff_t stride = luma.row_stride();
  std::vector<float> out(static_cast<size_t>(luma.width) * luma.height);
  for (int y = 0; y < luma.height; ++y) {
    const uint8_t* src = luma.data + y * stride;
    std::copy(src, src + luma.width, out.begin() + static_cast<ptrdiff_t>(y) * luma.width);
  }
  return out;
}

uint8_t to_u8(float v) {
  return static_cast<uint8_t>(std::lround(std::clamp(v, 0.0f, 255.0f)));
}

}  // namespace

base::Result<std::vector<float>> watermark_delta(const media::LumaF32View& luma, uint64_t payload,
                                                 const WatermarkKey& key, float strength) {
  CC_TRY(check_view(luma.data, luma.width, luma.height, luma.stride));
  CC_TRY(check_strength(strength));
  const Plane plane{luma.data, luma.width, luma.height, luma.row_stride()};
  return delta_of(plane, payload, key, strength);
}

base::Result<std::vector<float>> embed(const media::LumaF32View& luma, uint64_t payload,
                                       const WatermarkKey& key, float strength) {
  std::vector<float> out = CC_TRY(watermark_delta(luma, payload, key, strength));
  const ptrdiff_t stride = luma.row_stride();
  for (int y = 0; y < luma.height; ++y) {
    const float* src = luma.data + y * stride;
    float* dst = out.data() + static_cast<size_t>(y) * luma.width;
    for (int x = 0; x < luma.width; ++x) {
      dst[x] = std::clamp(src[x] + dst[x], 0.0f, 255.0f);
    }
  }
  return out;
}

base::Result<std::vector<uint8_t>> embed(const media::LumaView& luma, uint64_t payload,
                                         const WatermarkKey& key, float strength) {
  CC_TRY(check_view(luma.data, luma.width, luma.height, luma.stride));
  const std::vector<float> host = to_float(luma);
  const std::vector<float> marked = CC_TRY(
      embed(media::LumaF32View{host.data(), luma.width, luma.height, 0}, payload, key, strength));
  std::vector<uint8_t> out(marked.size());
  std::transform(marked.begin(), marked.end(), out.begin(), to_u8);
  return out;
}

base::Result<media::Image> embed_image(const media::Image& image, uint64_t payload,
                                       const WatermarkKey& key, float strength) {
  if ((image.channels != 1 && image.channels != 3) ||
      image.pixels.size() != image.row_bytes() * static_cast<size_t>(image.height)) {
    return base::invalid_argument("watermark embed: need a well-formed 1- or 3-channel image");
  }
  if (image.channels == 1) {
    media::Image out = image;
    out.pixels = CC_TRY(embed(media::LumaView{image.pixels.data(), image.width, image.height, 0},
                              payload, key, strength));
    return out;
  }
  const size_t count = static_cast<size_t>(image.width) * image.height;
  std::vector<float> luma(count);
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* p = image.pixels.data() + 3 * i;
    luma[i] = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
  }
  const std::vector<float> delta = CC_TRY(watermark_delta(
      media::LumaF32View{luma.data(), image.width, image.height, 0}, payload, key, strength));
  media::Image out = image;
  for (size_t i = 0; i < count; ++i) {
    uint8_t* p = out.pixels.data() + 3 * i;
    for (int c = 0; c < 3; ++c) {
      p[c] = to_u8(static_cast<float>(p[c]) + delta[i]);
    }
  }
  return out;
}

}  // namespace clearcut::watermark
