#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/watermark/watermark_key.h"

// The audio watermark (issue #18): keyed spread-transform dither modulation in the short-time
// Fourier domain of the 0.5-3.5 kHz band. Every 32 ms frame (hop 16 ms) carries 3 coded bits;
// each bit's value is the projection of 32 keyed bins' magnitudes (each over its critical
// band's RMS, so level and EQ cancel) with keyed signs, quantised to one of two dithered
// lattices; the change is shaped per band after the host's masking threshold and capped by an
// SNR. The picture mark's 64-bit payload, keyed CRC-32 and K=9 convolutional code
// (watermark::internal::PayloadCodec), 312 coded bits a period of 1.664 s. The detector finds
// the frame grid by how well the projections sit on the lattices (any offset: a line cut
// anywhere). Weight-free. The mark lives under 4 kHz, so it is read from what the scanner
// decodes anyway: media::decode_audio's mono 8 kHz samples. README.md, "Watermark", says why
// each number, and what it does not survive at SNR 30 dB (AAC, music at 0 dB).
namespace clearcut::audio {

struct AudioWatermarkOptions {
  // How far each projection moves towards its lattice point, in dB of the full move (0: all
  // the way; negative: distortion-compensated, part of the way). Raising it above 0 has no
  // effect unless min_snr_db allows: the SNR cap wins.
  double strength_db = 0.0;
  // The mark is made weaker (its moves shortened, and if that is not enough, scaled) until its
  // SNR against the host (all channels, native rate) is at least this. Issue #18's bar: 30 dB.
  double min_snr_db = 30.0;
};

// The least sound embed_watermark marks, in seconds.
inline constexpr double kMinMarkSeconds = 0.5;

// Marks interleaved float samples (`channels` of them per frame, full scale 1.0) at their
// native rate (8 to 192 kHz): the same mark in every channel. Returns the marked samples, the
// same length. Silence carries no mark (the mask follows the host), and neither does a host
// quieter than about -100 dBFS. Errors (kInvalidArgument): channels not 1..8, a rate outside
// 8,000..192,000 Hz, a sample count not a multiple of channels, fewer than 0.5 s of audio.
base::Result<std::vector<float>> embed_watermark(std::span<const float> interleaved, int channels,
                                                 int sample_rate, uint64_t payload,
                                                 const watermark::WatermarkKey& key,
                                                 const AudioWatermarkOptions& options = {});

// What one window of audio read.
struct AudioWatermarkDetection {
  // A payload under this key decoded and passed its keyed CRC-32; nothing else is ever found
  // (README.md, "False positives").
  bool found = false;
  uint64_t payload = 0;     // valid when found
  uint64_t best_guess = 0;  // the best decoding's payload even when its CRC failed (for tests)
  // Agreement of the soft chip readings with the decoded codeword (0..1); 0 when not found.
  double confidence = 0;
  int bit_errors_corrected = 0;  // coded bits (of 312) the code corrected
  // The best frame grid's lattice fit in standard deviations of its value on unmarked audio
  // (about 3.5 to 4.5 there: the largest of 3,328 placements; 6 to 25 on marked audio).
  double sync_score = 0;
  // The window searched, in seconds from the start of the samples given.
  double start_seconds = 0;
  double end_seconds = 0;
};

struct AudioWatermarkScanOptions {
  double window_seconds = 3.0;
  double hop_seconds = 1.0;
};

// Reads one window: all of `mono` (any rate 8,000..192,000 Hz; 8 kHz, media::decode_audio's
// rate, is read as is, other rates are resampled to it). The mark's position is searched
// (any offset: a line cut anywhere). Errors (kInvalidArgument): a bad rate, under 1 s of audio.
base::Result<AudioWatermarkDetection> detect_watermark(std::span<const float> mono, int sample_rate,
                                                       const watermark::WatermarkKey& key);

// Slides a window over long audio and returns every window where a payload decoded, in time
// order, each with its window's times (a window of the whole input when shorter than one).
// Errors as detect_watermark's.
base::Result<std::vector<AudioWatermarkDetection>> scan_watermarks(
    std::span<const float> mono, int sample_rate, const watermark::WatermarkKey& key,
    const AudioWatermarkScanOptions& options = {});

// The mark alone as embed_watermark would add it (mono, native rate), for measuring it.
base::Result<std::vector<float>> watermark_signal(std::span<const float> interleaved, int channels,
                                                  int sample_rate, uint64_t payload,
                                                  const watermark::WatermarkKey& key,
                                                  const AudioWatermarkOptions& options = {});

}  // namespace clearcut::audio
