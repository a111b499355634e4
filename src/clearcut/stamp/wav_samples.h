#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::stamp {

// The samples of a PCM WAV, and where they sit: what the audio watermark is embedded into, so
// that the marked copy is the same file with its samples changed (every other chunk, and the
// sample format, kept as they were).
struct WavSamples {
  int sample_rate = 0;
  int channels = 0;
  int bits = 0;                    // per sample: 16, 24 or 32
  bool is_float = false;           // 32-bit IEEE float
  size_t data_offset = 0;          // of the "data" chunk's first sample byte
  size_t frames = 0;               // samples per channel
  std::vector<float> interleaved;  // full scale 1.0

  size_t block_align() const { return static_cast<size_t>(channels) * (bits / 8); }
};

// Reads the first "fmt " and "data" chunks of a WAV (PCM or WAVE_FORMAT_EXTENSIBLE with PCM or
// float samples). Errors: kInvalidArgument for a damaged RIFF (c2pa::parse_riff's message), a
// missing or short "fmt ", no "data", a data size that is not whole sample frames;
// kUnsupported for other encodings (8-bit, A-law, ADPCM...), more than 32 channels or a rate
// outside 8-384 kHz.
base::Result<WavSamples> read_wav_samples(std::span<const uint8_t> wav);

// `wav` with its samples replaced by `interleaved` (as many as read_wav_samples gave), written in
// the file's own format: floats as they are; integers as the stored value plus the change from
// `layout.interleaved`, rounded and clipped to their range, so that samples left as read keep
// their exact bits.
// kInvalidArgument when the count differs.
base::Result<std::vector<uint8_t>> with_wav_samples(std::span<const uint8_t> wav,
                                                    const WavSamples& layout,
                                                    std::span<const float> interleaved);

}  // namespace clearcut::stamp
