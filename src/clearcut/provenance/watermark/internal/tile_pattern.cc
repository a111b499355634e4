#include "clearcut/provenance/watermark/internal/tile_pattern.h"

#include <cmath>
#include <numbers>
#include <numeric>

#include "clearcut/base/result.h"
#include "clearcut/provenance/watermark/internal/keyed_stream.h"

namespace clearcut::watermark::internal {
namespace {

std::array<std::array<float, kBlock>, kBlock> make_dct8() {
  std::array<std::array<float, kBlock>, kBlock> b{};
  for (int u = 0; u < kBlock; ++u) {
    const double c = u == 0 ? std::sqrt(1.0 / kBlock) : std::sqrt(2.0 / kBlock);
    for (int x = 0; x < kBlock; ++x) {
      b[u][x] = static_cast<float>(c * std::cos((2 * x + 1) * u * std::numbers::pi / (2 * kBlock)));
    }
  }
  return b;
}

void normalise_rms(std::vector<float>& v) {
  double sum = 0;
  for (float x : v) {
    sum += static_cast<double>(x) * x;
  }
  const double rms = std::sqrt(sum / static_cast<double>(v.size()));
  CC_CHECK(rms > 0);
  const float scale = static_cast<float>(1.0 / rms);
  for (float& x : v) {
    x *= scale;
  }
}

}  // namespace

const std::array<std::array<float, kBlock>, kBlock>& dct8_basis() {
  static const auto basis = make_dct8();
  return basis;
}

TilePattern::TilePattern(const WatermarkKey& key) {
  KeyedStream sync(key, "sync");
  KeyedStream sign(key, "sign");
  for (int p = 0; p < kChips; ++p) {
    sync_[p] = static_cast<int8_t>(sync.sign());
    sign_[p] = static_cast<int8_t>(sign.sign());
  }
  // Fisher-Yates over chip positions; position k of the shuffled order carries bit k % 312.
  std::array<int16_t, kChips> order;
  std::iota(order.begin(), order.end(), int16_t{0});
  KeyedStream shuffle(key, "placement");
  for (int i = kChips - 1; i > 0; --i) {
    const int j = static_cast<int>(shuffle.below(static_cast<uint32_t>(i + 1)));
    std::swap(order[i], order[j]);
  }
  for (int k = 0; k < kChips; ++k) {
    bit_of_[order[k]] = static_cast<int16_t>(k % kCodedBits);
  }
  std::array<float, kChips> chips;
  for (int p = 0; p < kChips; ++p) {
    chips[p] = sync_[p];
  }
  sync_tile_ = synthesise(chips);
  normalise_rms(sync_tile_);
}

std::vector<float> TilePattern::tile(const CodedBits& coded) const {
  std::array<float, kChips> chips;
  for (int p = 0; p < kChips; ++p) {
    const float message = coded[bit_of_[p]] ? -1.0f : 1.0f;
    chips[p] = kMessageAmplitude * message * sign_[p] + kSyncAmplitude * sync_[p];
  }
  std::vector<float> t = synthesise(chips);
  normalise_rms(t);
  return t;
}

void TilePattern::analyse(std::span<const float> tile, std::span<float, kChips> out) {
  CC_CHECK(tile.size() == static_cast<size_t>(kTile) * kTile);
  const auto& c = dct8_basis();
  for (int by = 0; by < kBlocksPerSide; ++by) {
    for (int bx = 0; bx < kBlocksPerSide; ++bx) {
      // Columns first: rows[u][x] = sum_y c[u][y] block[y][x] for the u the band needs (0..3).
      std::array<std::array<float, kBlock>, 4> rows{};
      for (int u = 0; u < 4; ++u) {
        for (int y = 0; y < kBlock; ++y) {
          const float* src =
              tile.data() + static_cast<size_t>(by * kBlock + y) * kTile + bx * kBlock;
          const float cu = c[u][y];
          for (int x = 0; x < kBlock; ++x) {
            rows[u][x] += cu * src[x];
          }
        }
      }
      const int base = (by * kBlocksPerSide + bx) * kBandSize;
      for (int k = 0; k < kBandSize; ++k) {
        const int u = kBand[k][0];
        const int v = kBand[k][1];
        float s = 0;
        for (int x = 0; x < kBlock; ++x) {
          s += c[v][x] * rows[u][x];
        }
        out[base + k] = s;
      }
    }
  }
}

std::vector<float> TilePattern::synthesise(std::span<const float, kChips> chips) {
  const auto& c = dct8_basis();
  std::vector<float> tile(static_cast<size_t>(kTile) * kTile, 0.0f);
  for (int by = 0; by < kBlocksPerSide; ++by) {
    for (int bx = 0; bx < kBlocksPerSide; ++bx) {
      const int base = (by * kBlocksPerSide + bx) * kBandSize;
      for (int k = 0; k < kBandSize; ++k) {
        const float a = chips[base + k];
        const int u = kBand[k][0];
        const int v = kBand[k][1];
        for (int y = 0; y < kBlock; ++y) {
          float* dst = tile.data() + static_cast<size_t>(by * kBlock + y) * kTile + bx * kBlock;
          const float ay = a * c[u][y];
          for (int x = 0; x < kBlock; ++x) {
            dst[x] += ay * c[v][x];
          }
        }
      }
    }
  }
  return tile;
}

}  // namespace clearcut::watermark::internal
