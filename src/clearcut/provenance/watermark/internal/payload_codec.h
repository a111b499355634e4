#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "clearcut/provenance/watermark/watermark_key.h"

namespace clearcut::watermark::internal {

// The 64-bit payload as the channel carries it: payload XOR a keyed mask, then a CRC-32 of the
// payload whose initial value is keyed as well (96 information bits), then a rate-1/3
// convolutional code of constraint length 9 (generators 557, 663, 711 octal; free distance 18)
// closed by 8 zero tail bits: 312 coded bits. Decoding is soft-decision Viterbi over
// correlations.
//
// Keyed mask and CRC seed make sure that a degenerate input (all-zero soft values, a flat
// image) decodes to a word whose CRC fails for every key but a 2^-32 share of them.
inline constexpr int kPayloadBits = 64;
inline constexpr int kCrcBits = 32;
inline constexpr int kInfoBits = kPayloadBits + kCrcBits;  // 96
inline constexpr int kConstraint = 9;
inline constexpr int kTailBits = kConstraint - 1;
inline constexpr int kCodeRate = 3;                                     // coded bits per input bit
inline constexpr int kCodedBits = (kInfoBits + kTailBits) * kCodeRate;  // 312

using CodedBits = std::array<uint8_t, kCodedBits>;  // 0 or 1

struct DecodedPayload {
  bool crc_ok = false;
  uint64_t payload = 0;
  // Coded bits whose hard decision disagrees with the re-encoded decision: what the code
  // corrected (meaningful when crc_ok).
  int bit_errors = 0;
  // sum soft[i] * (+1 for 0, -1 for 1) over the re-encoded word / sum |soft[i]|, in [-1, 1].
  double agreement = 0;
};

class PayloadCodec {
 public:
  explicit PayloadCodec(const WatermarkKey& key);

  CodedBits encode(uint64_t payload) const;
  // soft[i] > 0 favours coded bit i = 0. Scale-free: only relative magnitudes matter.
  DecodedPayload decode(std::span<const float, kCodedBits> soft) const;

 private:
  uint64_t mask_;
  uint32_t crc_seed_;
};

// CRC-32 (IEEE 802.3 polynomial, reflected) of the 8 little-endian bytes of `value`, starting
// from `seed` with a final complement.
uint32_t crc32_of(uint64_t value, uint32_t seed);

// The rate-1/3 K=9 encoder and its Viterbi decoder on raw bits (tail included by encode,
// expected by decode).
CodedBits convolutional_encode(std::span<const uint8_t, kInfoBits> info);
std::array<uint8_t, kInfoBits> viterbi_decode(std::span<const float, kCodedBits> soft);

}  // namespace clearcut::watermark::internal
