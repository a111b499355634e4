// Feeds arbitrary bytes to the WAV sample reader `clearcut stamp` marks sound through
// (stamp::read_wav_samples), and writes what it read back in: any input must give samples or an
// error, never a crash, a hang or a leak, and samples written back unchanged must give the very
// bytes read (the marked copy differs from its original in its samples only).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "clearcut/stamp/wav_samples.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);
  auto wav = clearcut::stamp::read_wav_samples(input);
  if (!wav.has_value()) {
    (void)wav.error().to_string();
    return 0;
  }
  if (wav->interleaved.size() != wav->frames * static_cast<size_t>(wav->channels) ||
      wav->data_offset + wav->frames * wav->block_align() > size) {
    __builtin_trap();
  }
  auto same = clearcut::stamp::with_wav_samples(input, *wav, wav->interleaved);
  if (!same.has_value() || same->size() != size ||
      !std::equal(same->begin(), same->end(), input.begin())) {
    __builtin_trap();
  }
  return 0;
}
