#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "clearcut/base/result.h"

namespace clearcut::provenance {

// A 256-bit PDQ hash (facebook/ThreatExchange pdq/README.md). Bit k is set when DCT coefficient
// (k / 16, k % 16) lies above the median of all 256. A plain value: copyable, thread-compatible.
//
// Text form, as the reference prints it: 64 lower-case hex digits, the 256-bit number written
// most significant digit first, i.e. bits 255..252 first and bits 3..0 last.
class PdqHash {
 public:
  static constexpr int kBits = 256;
  static constexpr int kHexLength = 64;

  constexpr PdqHash() = default;
  // words[0] holds bits 0..63, words[3] bits 192..255.
  constexpr explicit PdqHash(const std::array<uint64_t, 4>& words) : words_(words) {}

  // Parses the reference's text form (either case); anything else is kInvalidArgument.
  static base::Result<PdqHash> from_hex(std::string_view hex);
  std::string to_hex() const;

  // 32 bytes in the order of the text form (bytes[0] = bits 255..248), as python-threatexchange
  // and FAISS store PDQ hashes.
  static PdqHash from_bytes(std::span<const uint8_t, 32> bytes);
  std::array<uint8_t, 32> to_bytes() const;

  bool bit(int k) const { return (words_[k >> 6] >> (k & 63)) & 1; }
  void set_bit(int k) { words_[k >> 6] |= uint64_t{1} << (k & 63); }
  // Number of set bits; 128 for every hash of an image with distinct DCT coefficients.
  int popcount() const;
  bool is_zero() const { return (words_[0] | words_[1] | words_[2] | words_[3]) == 0; }

  // Also a match::Code: match::hamming_distance(a.words(), b.words()) is the distance.
  const std::array<uint64_t, 4>& words() const { return words_; }

  friend bool operator==(const PdqHash&, const PdqHash&) = default;

 private:
  std::array<uint64_t, 4> words_{};
};

}  // namespace clearcut::provenance
