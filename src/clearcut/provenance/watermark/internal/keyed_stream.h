#pragma once

#include <cstdint>
#include <string_view>

#include "clearcut/provenance/watermark/watermark_key.h"

namespace clearcut::watermark::internal {

// A deterministic pseudo-random stream for one purpose (`label`) under one key: SHA-256 of key
// and label seeds a SplitMix64 generator. Integer arithmetic only, so every platform and
// compiler derives the same pattern. Not cryptographic past the seed; that is not its job.
class KeyedStream {
 public:
  KeyedStream(const WatermarkKey& key, std::string_view label);

  uint64_t next();
  // +1 or -1 with equal odds.
  int sign() { return (next() >> 63) != 0 ? 1 : -1; }
  // Uniform in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-32 for n < 2^32).
  uint32_t below(uint32_t n);

 private:
  uint64_t state_;
};

}  // namespace clearcut::watermark::internal
