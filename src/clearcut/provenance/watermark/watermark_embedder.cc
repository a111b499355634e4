#include "clearcut/provenance/watermark/watermark_embedder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <span>
#include <string>

#include "clearcut/provenance/watermark/internal/payload_codec.h"
#include "clearcut/provenance/watermark/internal/perceptual_mask.h"
#include "clearcut/provenance/watermark/internal/tile_pattern.h"
#include "clearcut/provenance/watermark/watermark_detector.h"

namespace clearcut::watermark {
namespace {

using internal::kTile;

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

// lround(clamp(v, 0, 255)) without the library call: for v >= 0, v minus its integer part is
// exact in float, so comparing it with one half rounds halves up as lround does.
uint8_t to_u8(float v) {
  const float c = std::clamp(v, 0.0f, 255.0f);
  const auto whole = static_cast<int>(c);
  return static_cast<uint8_t>(whole + (c - static_cast<float>(whole) >= 0.5f ? 1 : 0));
}

// The tile enlarged `scale` times by bilinear interpolation (wrapping at its edges): what each
// pixel of an image row adds before the mask. The horizontal interpolation cells are worked out
// once per image.
class ScaledTile {
 public:
  ScaledTile(const std::vector<float>& tile, double scale, int width) : tile_(tile), scale_(scale) {
    if (scale_ != 1.0) {
      columns_.reserve(static_cast<size_t>(width));
      for (int x = 0; x < width; ++x) {
        columns_.push_back(cell(x));
      }
    }
  }

  // Row y of the image times `amplitude`, for `out.size()` pixels.
  void row(int y, float amplitude, std::span<float> out) const {
    const size_t width = out.size();
    if (scale_ == 1.0) {
      const float* tile_row = tile_.data() + static_cast<size_t>(y % kTile) * kTile;
      for (size_t start = 0; start < width; start += kTile) {
        const size_t n = std::min<size_t>(kTile, width - start);
        for (size_t i = 0; i < n; ++i) {
          out[start + i] = amplitude * tile_row[i];
        }
      }
      return;
    }
    const auto [y0, y1, fy] = cell(y);
    const float* r0 = tile_.data() + static_cast<size_t>(y0) * kTile;
    const float* r1 = tile_.data() + static_cast<size_t>(y1) * kTile;
    for (size_t x = 0; x < width; ++x) {
      const auto [x0, x1, fx] = columns_[x];
      const float top = r0[x0] + fx * (r0[x1] - r0[x0]);
      const float bottom = r1[x0] + fx * (r1[x1] - r1[x0]);
      out[x] = amplitude * (top + fy * (bottom - top));
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
  std::vector<Cell> columns_;
};

// Sum of squares of a row: single-precision partial sums in a fixed number of lanes (so that
// the loop vectorises and the result does not depend on the build), added up in double.
double row_energy(std::span<const float> row) {
  constexpr size_t kLanes = 8;
  std::array<float, kLanes> lanes{};
  size_t x = 0;
  for (; x + kLanes <= row.size(); x += kLanes) {
    for (size_t k = 0; k < kLanes; ++k) {
      lanes[k] += row[x + k] * row[x + k];
    }
  }
  double sum = 0;
  for (; x < row.size(); ++x) {
    sum += static_cast<double>(row[x]) * row[x];
  }
  for (const float lane : lanes) {
    sum += lane;
  }
  return sum;
}

// The mark's change to each pixel of a host into `delta` (width * height, tightly packed),
// before the RMS cap, the gains read row by row from `mask` (a PerceptualMask of its whole
// levels or a PerceptualMaskF32 of its float luma); returns the factor the cap then applies
// (README.md, "Perceptual masking").
template <typename Mask>
float unscaled_delta(Mask& mask, int width, int height, uint64_t payload, const WatermarkKey& key,
                     float strength, double tile_scale, float* delta) {
  const internal::TilePattern pattern(key);
  const internal::PayloadCodec codec(key);
  const std::vector<float> tile = pattern.tile(codec.encode(payload));
  const ScaledTile scaled(tile, tile_scale, width);
  const float amplitude = kBaseAmplitude * strength;
  const auto columns = static_cast<size_t>(width);
  double energy = 0;
  for (int y = 0; y < height; ++y) {
    const std::span<float> d(delta + static_cast<size_t>(y) * columns, columns);
    scaled.row(y, amplitude, d);
    const std::span<const float> gains = mask.next_row();
    for (size_t x = 0; x < columns; ++x) {
      d[x] *= gains[x];
    }
    energy += row_energy(d);
  }
  const double rms = std::sqrt(energy / (static_cast<double>(columns) * height));
  const double cap = static_cast<double>(kMaxRms) * strength;
  if (rms > 0 && rms != cap) {
    return static_cast<float>(std::min<double>(cap / rms, kMaxBoost));
  }
  return 1.0f;
}

}  // namespace

base::Result<std::vector<float>> watermark_delta(const media::LumaF32View& luma, uint64_t payload,
                                                 const WatermarkKey& key, float strength,
                                                 double tile_scale) {
  CC_TRY(check_view(luma.data, luma.width, luma.height, luma.stride, tile_scale));
  CC_TRY(check_strength(strength));
  internal::PerceptualMaskF32 mask(
      internal::Plane{luma.data, luma.width, luma.height, luma.row_stride()});
  std::vector<float> delta(static_cast<size_t>(luma.width) * luma.height);
  const float scale = unscaled_delta(mask, luma.width, luma.height, payload, key, strength,
                                     tile_scale, delta.data());
  if (scale != 1.0f) {
    for (float& d : delta) {
      d *= scale;
    }
  }
  return delta;
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

// The 8-bit path every video frame takes: the mask reads the plane as it is, and the change is
// kept in a scratch buffer that is never zeroed (every element is written before it is read).
base::Result<std::vector<uint8_t>> embed(const media::LumaView& luma, uint64_t payload,
                                         const WatermarkKey& key, float strength,
                                         double tile_scale) {
  CC_TRY(check_view(luma.data, luma.width, luma.height, luma.stride, tile_scale));
  CC_TRY(check_strength(strength));
  const size_t count = static_cast<size_t>(luma.width) * luma.height;
  const auto delta = std::make_unique_for_overwrite<float[]>(count);
  internal::PerceptualMask mask(luma.data, luma.width, luma.height, luma.row_stride());
  const float scale = unscaled_delta(mask, luma.width, luma.height, payload, key, strength,
                                     tile_scale, delta.get());
  const ptrdiff_t stride = luma.row_stride();
  std::vector<uint8_t> out(count);
  for (int y = 0; y < luma.height; ++y) {
    const uint8_t* src = luma.data + y * stride;
    const float* d = delta.get() + static_cast<size_t>(y) * luma.width;
    uint8_t* dst = out.data() + static_cast<size_t>(y) * luma.width;
    for (int x = 0; x < luma.width; ++x) {
      dst[x] = to_u8(static_cast<float>(src[x]) + d[x] * scale);
    }
  }
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
  CC_TRY(check_view(image.pixels.data(), image.width, image.height, 0, tile_scale));
  CC_TRY(check_strength(strength));
  const size_t count = static_cast<size_t>(image.width) * image.height;
  std::vector<float> luma(count);
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* p = image.pixels.data() + 3 * i;
    luma[i] = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
  }
  internal::PerceptualMaskF32 mask(
      internal::Plane{luma.data(), image.width, image.height, static_cast<ptrdiff_t>(image.width)});
  const auto delta = std::make_unique_for_overwrite<float[]>(count);
  const float scale = unscaled_delta(mask, image.width, image.height, payload, key, strength,
                                     tile_scale, delta.get());
  media::Image out = image;
  for (size_t i = 0; i < count; ++i) {
    const float d = delta[i] * scale;
    uint8_t* p = out.pixels.data() + 3 * i;
    for (int c = 0; c < 3; ++c) {
      p[c] = to_u8(static_cast<float>(p[c]) + d);
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
  // A banner or a tall strip neither holds a tile wider than its short side nor is halved by the
  // detector (its short side is under 720): the tile stays where a scan finds it at its own
  // size, inside the search's range rather than on its edge (a mark at exactly 2 was not read).
  constexpr double kInsideSearch = 0.95;
  const double holds = static_cast<double>(std::min(width, height)) / kMinEmbedSide;
  const double cap =
      std::max(1.0, std::min(holds, kInsideSearch * max_detect_scale(width, height)));
  return std::min(std::clamp(kLandingScale * fit, 1.0, kMaxStillScale), cap);
}

}  // namespace clearcut::watermark
