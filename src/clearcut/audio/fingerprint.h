#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::audio {

// How landmarks are drawn from audio. The defaults are for the 8 kHz analysis rate
// (media::kAnalysisSampleRate); README.md says why each value is what it is.
struct FingerprintOptions {
  int sample_rate = 8000;
  int window = 512;   // STFT frame, samples (a power of two): 64 ms
  int hop = 128;      // 16 ms: the time resolution of peaks, offsets and spans
  int min_bin = 4;    // 62.5 Hz; below it hum and rumble, no speech
  int max_bin = 255;  // 3984 Hz (8 bits of frequency in a hash)
  // Peaks are measured against each bin's mean over +-whiten_frames (about 1 s): a constant
  // gain per frequency (level, EQ) cancels, and a sustained note of a music bed is no peak.
  int whiten_frames = 31;
  // A peak is the largest whitened value in +-peak_bins x +-peak_frames around it.
  int peak_bins = 6;
  int peak_frames = 4;
  float min_prominence_db = 6.0f;  // above its bin's mean
  float floor_dbfs = -90.0f;       // below it: silence, dither, codec noise
  // Density target: the strongest peaks of each 64-frame block (about 1 s), at most this many a
  // second. Registered outputs use the default; a deliverable, where music adds its own peaks,
  // gets more (kQueryPeaksPerSecond) so that the speech's peaks are kept too.
  int peaks_per_second = 30;
  // Pairs: each anchor peak is paired with the first `fan_out` peaks (in time) of its target
  // zone, 1..max_pair_frames later and within +-max_pair_bins.
  int fan_out = 8;
  int max_pair_frames = 48;  // 0.77 s; at most 63 (6 bits of time in a hash)
  int max_pair_bins = 48;    // 750 Hz
};

inline constexpr int kQueryPeaksPerSecond = 60;
inline constexpr int kQueryFanOut = 16;

// Options for a deliverable's audio, searched for registered lines.
FingerprintOptions query_options();

// One spectral peak: STFT frame, frequency bin and height above its bin's mean.
struct Peak {
  int32_t frame = 0;
  int32_t bin = 0;
  float prominence_db = 0.0f;
};

// One landmark: a peak pair hashed to 32 bits, at its anchor's frame.
// hash = f1 << 14 | f2 << 6 | dt (f1, f2: bins < 256; dt: frames, 1..63).
struct Landmark {
  uint32_t hash = 0;
  int32_t frame = 0;
};

uint32_t landmark_hash(int f1, int f2, int dt);
inline int landmark_dt(uint32_t hash) {
  return static_cast<int>(hash & 63u);
}

// The landmarks of a piece of audio, in frame order. Frame k covers samples
// [k * hop, k * hop + window): its time is k * hop / sample_rate from the first sample.
struct Fingerprint {
  int sample_rate = 0;
  int hop = 0;
  int32_t frames = 0;
  std::vector<Peak> peaks;
  std::vector<Landmark> landmarks;

  double frame_seconds() const { return static_cast<double>(hop) / sample_rate; }
  double duration_seconds() const { return static_cast<double>(frames) * frame_seconds(); }
};

// The landmarks of `peaks` (in frame order, as Fingerprint::peaks): each peak paired with the
// first options.fan_out peaks of its target zone. fingerprint() ends with it; a stored
// fingerprint (fingerprint_codec.h) keeps only the peaks and pairs them again when read.
std::vector<Landmark> pair_peaks(std::span<const Peak> peaks, const FingerprintOptions& options);

// Fingerprints mono PCM at options.sample_rate. Works through long audio in blocks, so memory
// stays at a few MB beside the result (about 5 KB a second of audio). Deterministic: the same
// samples give the same fingerprint whatever the block size. Errors: kInvalidArgument for
// options out of range (field named). Thread-safe (no shared state).
base::Result<Fingerprint> fingerprint(std::span<const float> samples,
                                      const FingerprintOptions& options = {});

}  // namespace clearcut::audio
