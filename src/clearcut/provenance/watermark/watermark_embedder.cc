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
constexpr double kMaxTileScale = 8.0;

base::Status check_view(const void* data, int width, int height, ptrdiff_t stride,
                        double tile_scale = 1.0) {
  if (data == nullptr || width <= 0 || height <= 0 || (stride != 0 && stride < width)) {
    return base::invalid_argument("watermark embed: malformed luma view");
  }
  if (!(tile_scale >= 1.0 && tile_scale <= kMaxTileScale)) {
    return base::invalid_argument("watermark embed: tile scale must lie in [1, 8]");
  }
  const auto min_side = static_cast<int>(std::ceil(kMinEmbedSide * tile_scale));
  if (width < min_side || height < min_side) {
    return base::invalid_argument("watermark embed: image is " + std::to_string(width) + "x" +
                                  std::to_string(height) + ", the mark needs at least " +
                                  std::to_string(min_side) + "x" + std::to_string(min_side));
  }
  return {};
}

base::Status check_strength(float strength) {
  if (!(strength > 0.0f && strength <= kMaxStrength)) {
    return base::invalid_argument("watermark embed: strength must lie in (0, 4]");
  }
  return {};
}

// The tile enlarged `scale` times by bilinear interpolation (wrapping at its edges), row y of
// the image: what pixel x of that row adds before the mask.
class ScaledTile {
 public:
  ScaledTile(const std::vector<float>& tile, double scale) : tile_(tile), scale_(scale) {}

  void row(int y, int width, std::vector<float>& out) const {
    out.resize(static_cast<size_t>(width));
    if (scale_ == 1.0) {
      const float* tile_row = tile_.data() + static_cast<size_t>(y % kTile) * kTile;
      for (int x = 0; x < width; ++x) {
        out[static_cast<size_t>(x)] = tile_row[x % kTile];
      }
      return;
    }
    const auto [y0, y1, fy] = cell(y);
    const float* r0 = tile_.data() + static_cast<size_t>(y0) * kTile;
    const float* r1 = tile_.data() + static_cast<size_t>(y1) * kTile;
    for (int x = 0; x < width; ++x) {
      const auto [x0, x1, fx] = cell(x);
      const float top = r0[x0] + fx * (r0[x1] - r0[x0]);
      const float bottom = r1[x0] + fx * (r1[x1] - r1[x0]);
      out[static_cast<size_t>(x)] = top + fy * (bottom - top);
    }
  }

 private:
  struct Cell {
    int lower;
    int upper;
    float fraction;
  };
  // Pixel centres map to tile coordinates (i + 0.5) / scale - 0.5, modulo the tile.
  Cell cell(int i) const {
    const double t = (i + 0.5) / scale_ - 0.5;
    const double base = std::floor(t);
    int lower = static_cast<int>(base) % kTile;
    lower = lower < 0 ? lower + kTile : lower;
    return Cell{lower, (lower + 1) % kTile, static_cast<float>(t - base)};
  }

  const std::vector<float>& tile_;
  double scale_;
};

std::vector<float> delta_of(const Plane& luma, uint64_t payload, const WatermarkKey& key,
                            float strength, double tile_scale) {
  const internal::TilePattern pattern(key);
  const internal::PayloadCodec codec(key);
  const std::vector<float> tile = pattern.tile(codec.encode(payload));
  const ScaledTile scaled(tile, tile_scale);
  std::vector<float> delta = internal::perceptual_mask(luma);
  const float amplitude = kBaseAmplitude * strength;
  double energy = 0;
  std::vector<float> tile_row;
  for (int y = 0; y < luma.height; ++y) {
    scaled.row(y, luma.width, tile_row);
    float* d = delta.data() + static_cast<size_t>(y) * luma.width;
    for (int x = 0; x < luma.width; ++x) {
      d[x] *= amplitude * tile_row[static_cast<size_t>(x)];
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
                                                 const WatermarkKey& key, float strength,
                                                 double tile_scale) {
  CC_TRY(check_view(luma.data, luma.width, luma.height, luma.stride, tile_scale));
  CC_TRY(check_strength(strength));
  const Plane plane{luma.data, luma.width, luma.height, luma.row_stride()};
  return delta_of(plane, payload, key, strength, tile_scale);
}

base::Result<std::vector<float>> embed(const media::LumaF32View& luma, uint64_t payload,
                                       const WatermarkKey& key, float strength, double tile_scale) {
  std::vector<float> out = CC_TRY(watermark_delta(luma, payload, key, strength, tile_scale));
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
                                         const WatermarkKey& key, float strength,
                                         double tile_scale) {
  CC_TRY(check_view(luma.data, luma.width, luma.height, luma.stride, tile_scale));
  const std::vector<float> host = to_float(luma);
  const std::vector<float> marked =
      CC_TRY(embed(media::LumaF32View{host.data(), luma.width, luma.height, 0}, payload, key,
                   strength, tile_scale));
  std::vector<uint8_t> out(marked.size());
  std::transform(marked.begin(), marked.end(), out.begin(), to_u8);
  return out;
}

base::Result<media::Image> embed_image(const media::Image& image, uint64_t payload,
                                       const WatermarkKey& key, float strength, double tile_scale) {
  if ((image.channels != 1 && image.channels != 3) ||
      image.pixels.size() != image.row_bytes() * static_cast<size_t>(image.height)) {
    return base::invalid_argument("watermark embed: need a well-formed 1- or 3-channel image");
  }
  if (image.channels == 1) {
    media::Image out = image;
    out.pixels = CC_TRY(embed(media::LumaView{image.pixels.data(), image.width, image.height, 0},
                              payload, key, strength, tile_scale));
    return out;
  }
  const size_t count = static_cast<size_t>(image.width) * image.height;
  std::vector<float> luma(count);
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* p = image.pixels.data() + 3 * i;
    luma[i] = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
  }
  const std::vector<float> delta =
      CC_TRY(watermark_delta(media::LumaF32View{luma.data(), image.width, image.height, 0}, payload,
                             key, strength, tile_scale));
  media::Image out = image;
  for (size_t i = 0; i < count; ++i) {
    uint8_t* p = out.pixels.data() + 3 * i;
    for (int c = 0; c < 3; ++c) {
      p[c] = to_u8(static_cast<float>(p[c]) + delta[i]);
    }
  }
  return out;
}

double tile_scale_for(int width, int height) {
  constexpr double kSmallestWidth = 640;
  constexpr double kSmallestHeight = 360;
  constexpr double kLandingScale = 0.65;
  constexpr double kMaxStillScale = 6.0;
  const double fit = std::max(width / kSmallestWidth, height / kSmallestHeight);
  return std::clamp(kLandingScale * fit, 1.0, kMaxStillScale);
}

}  // namespace clearcut::watermark
