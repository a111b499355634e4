#include "clearcut/provenance/watermark/internal/keyed_stream.h"

#include "clearcut/crypto/sha256.h"

namespace clearcut::watermark::internal {

KeyedStream::KeyedStream(const WatermarkKey& key, std::string_view label) {
  crypto::Sha256 h;
  h.update(std::span<const uint8_t>(key.bytes()));
  h.update(std::string_view("\0", 1));
  h.update(label);
  const crypto::Sha256Digest d = h.finish();
  state_ = 0;
  for (int i = 0; i < 8; ++i) {
    state_ = (state_ << 8) | d[i];
  }
}

uint64_t KeyedStream::next() {
  // SplitMix64 (Steele, Lea, Flood 2014).
  state_ += 0x9e3779b97f4a7c15ULL;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint32_t KeyedStream::below(uint32_t n) {
  const uint64_t r = next() >> 32;
  return static_cast<uint32_t>((r * n) >> 32);
}

}  // namespace clearcut::watermark::internal
