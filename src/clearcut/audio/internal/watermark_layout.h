#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "clearcut/provenance/watermark/watermark_key.h"

// The audio watermark's layout (audio/README.md, "Watermark"): shared by the embedder, the
// detector and bench/audio_watermark_eval.cc's perceptual measure.
namespace clearcut::audio::internal {

inline constexpr int kWmRate = 8000;  // media::kAnalysisSampleRate
inline constexpr int kWmFrame = 256;  // 32 ms, 31.25 Hz bins
inline constexpr int kWmHop = 128;    // sine window, 50% overlap: perfect reconstruction
inline constexpr int kWmBinLo = 16;   // 500 Hz
inline constexpr int kWmBinHi = 112;  // 3,500 Hz, exclusive
inline constexpr int kWmBins = kWmBinHi - kWmBinLo;  // 96
// Each frame carries kWmSlots coded bits, each on kWmSlotBins bins spread over the band.
inline constexpr int kWmSlots = 3;
inline constexpr int kWmSlotBins = kWmBins / kWmSlots;  // 32
// The pattern repeats every 104 frames (1.664 s): 312 coded bits, 3 a frame.
inline constexpr int kWmPeriodFrames = 104;
inline constexpr double kWmResampleCutoffHz = 3800.0;

// Critical bands (Zwicker's edges 510, 630, ..., 3,150 Hz, closed at 3,500) in bins; band b
// spans bark b + 5 .. b + 6.
inline constexpr int kWmBands = 12;
inline constexpr std::array<int, kWmBands + 1> kWmBandEdges = {16, 20, 25, 29, 35,  41, 47,
                                                               55, 64, 74, 86, 101, 112};
// The masking threshold's offset below the band's mean power for a tone masking noise
// (Johnston 1988: 14.5 + z dB, z the band's centre in bark): the most conservative offset,
// with no spreading between bands.
inline double masking_offset_db(int band) {
  return 14.5 + (static_cast<double>(band) + 5.5);
}

// The band a bin in [kWmBinLo, kWmBinHi) belongs to.
int band_of_bin(int bin);

// The sine window sin(pi (n + 0.5) / N): squared, its 50%-overlapped copies sum to 1.
const std::array<float, kWmFrame>& wm_window();

// The keyed pattern: which slot each band bin belongs to and its sign in the slot's projection
// (16 plus, 16 minus); for each pattern frame and slot, the coded bit it carries (a keyed
// permutation: consecutive coded bits land far apart in time) and its dither, a fraction of
// the quantiser step in [0, 1).
struct WmPattern {
  explicit WmPattern(const watermark::WatermarkKey& key);

  std::array<int8_t, kWmBins> slot{};
  std::array<int8_t, kWmBins> sign{};
  std::array<uint16_t, kWmPeriodFrames * kWmSlots> bit{};
  std::array<float, kWmPeriodFrames * kWmSlots> dither{};
};

}  // namespace clearcut::audio::internal
