#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "clearcut/provenance/watermark/internal/payload_codec.h"
#include "clearcut/provenance/watermark/watermark_key.h"

namespace clearcut::watermark::internal {

// Geometry of the mark. The image is covered by tiles of kTile x kTile pixels, each carrying the
// whole message; a tile is 16 x 16 blocks of 8 x 8 pixels, and in every block the 12 mid-band
// DCT coefficients of kBand carry one chip each (3072 chips a tile). Frequencies stay at or below
// 3/16 cycle per pixel so that a mark survives halving the image (new Nyquist limit 1/4).
inline constexpr int kTile = 128;
inline constexpr int kBlock = 8;
inline constexpr int kBlocksPerSide = kTile / kBlock;  // 16
inline constexpr int kBandSize = 12;
inline constexpr int kChips = kBlocksPerSide * kBlocksPerSide * kBandSize;  // 3072
inline constexpr std::array<std::array<int, 2>, kBandSize> kBand = {{
    {0, 2},
    {2, 0},
    {1, 1},
    {1, 2},
    {2, 1},
    {2, 2},
    {0, 3},
    {3, 0},
    {1, 3},
    {3, 1},
    {2, 3},
    {3, 2},
}};  // {vertical frequency u, horizontal frequency v}
// Chip amplitudes: message and synchronisation chips are added on the same coefficients; the
// synchronisation pattern takes about a quarter of the energy.
inline constexpr float kMessageAmplitude = 1.0f;
inline constexpr float kSyncAmplitude = 0.45f;

// The orthonormal 8x8 DCT-II basis: kDct8[u][x] = c(u) cos((2x + 1) u pi / 16).
const std::array<std::array<float, kBlock>, kBlock>& dct8_basis();

// The keyed layout of one tile. Chip p sits in block p / kBandSize (row-major over the 16 x 16
// blocks) at band coefficient p % kBandSize. Immutable after construction; thread-safe to share.
class TilePattern {
 public:
  explicit TilePattern(const WatermarkKey& key);

  int sync_chip(int p) const { return sync_[p]; }
  int message_sign(int p) const { return sign_[p]; }
  // The coded bit chip p carries: a keyed permutation spreads each of the 312 coded bits over
  // 9 or 10 chips scattered across the tile.
  int coded_bit_of(int p) const { return bit_of_[p]; }

  // The spatial tile (kTile x kTile, row-major) of a coded message plus the synchronisation
  // chips, scaled to unit RMS.
  std::vector<float> tile(const CodedBits& coded) const;
  // The synchronisation chips alone in the spatial domain, unit RMS.
  const std::vector<float>& sync_tile() const { return sync_tile_; }

  // Band coefficients of every block of a spatial tile: out[p] for chip p.
  static void analyse(std::span<const float> tile, std::span<float, kChips> out);
  // The inverse: a spatial tile from chip values.
  static std::vector<float> synthesise(std::span<const float, kChips> chips);

 private:
  std::array<int8_t, kChips> sync_;
  std::array<int8_t, kChips> sign_;
  std::array<int16_t, kChips> bit_of_;
  std::vector<float> sync_tile_;
};

}  // namespace clearcut::watermark::internal
