#pragma once

#include <array>
#include <vector>

#include "clearcut/provenance/watermark/internal/fft.h"
#include "clearcut/provenance/watermark/internal/local_stats.h"
#include "clearcut/provenance/watermark/internal/payload_codec.h"
#include "clearcut/provenance/watermark/internal/tile_pattern.h"

namespace clearcut::watermark::internal {

// A rectangle of the (attacked) image, in its pixels.
struct Region {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

// Where the synchronisation pattern sits in a folded tile.
struct SyncPeak {
  double score = 0;  // (peak - mean) / standard deviation of the circular correlation
  double dx = 0;     // tile phase, sub-pixel, in [0, kTile)
  double dy = 0;
};

// Reads tiles: folds a whitened image into one tile at a hypothesised scale, finds the phase of
// the synchronisation pattern by circular cross-correlation, and reads the message chips at that
// phase. Holds FFT scratch buffers: one object per thread.
class TileReader {
 public:
  explicit TileReader(const WatermarkKey& key);

  // Averages the residual over all tile periods inside `region` (whose pixel (0, 0) is image
  // pixel (x, y) of `residual`'s origin), mapping image pixel x to tile column
  // ((x + 0.5) / scale - 0.5) mod kTile, as resizing by `scale` moved it. Bilinear splatting;
  // cells no pixel reached are interpolated from their neighbours. Leaves the tile's spectrum
  // (whitened) in the reader for locate() and read().
  void fold(const Plane& residual, const Region& region, double scale);

  SyncPeak locate();
  // Soft values of the 312 coded bits with the folded tile shifted to the peak's phase.
  std::array<float, kCodedBits> read(const SyncPeak& peak);

 private:
  TilePattern pattern_;
  Fft2d fft_;
  std::vector<Complex> sync_spectrum_;  // conj(FFT(sync tile))
  std::vector<Complex> spectrum_;       // FFT of the current folded tile, whitened
  std::vector<Complex> work_;
  std::vector<double> sum_;
  std::vector<double> row_;
};

}  // namespace clearcut::watermark::internal
