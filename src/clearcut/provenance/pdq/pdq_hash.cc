#include "clearcut/provenance/pdq/pdq_hash.h"

#include <bit>

#include "clearcut/base/hex.h"

namespace clearcut::provenance {
base::Result<PdqHash> PdqHash::from_hex(std::string_view hex) {
  if (hex.size() != kHexLength) {
    return base::invalid_argument("a PDQ hash has 64 hex digits, got " +
                                  std::to_string(hex.size()) + " characters");
  }
  // The reference prints the hash most significant digit first: its bytes in order.
  std::optional<std::vector<uint8_t>> bytes = base::from_hex(hex);
  if (!bytes) {
    return base::invalid_argument("a PDQ hash has only hex digits");
  }
  return from_bytes(std::span<const uint8_t, 32>(bytes->data(), 32));
}

std::string PdqHash::to_hex() const {
  return base::to_hex(to_bytes());
}

PdqHash PdqHash::from_bytes(std::span<const uint8_t, 32> bytes) {
  std::array<uint64_t, 4> words{};
  for (int i = 0; i < 32; ++i) {
    int low_bit = 248 - 8 * i;
    words[low_bit >> 6] |= static_cast<uint64_t>(bytes[i]) << (low_bit & 63);
  }
  return PdqHash(words);
}

std::array<uint8_t, 32> PdqHash::to_bytes() const {
  std::array<uint8_t, 32> bytes{};
  for (int i = 0; i < 32; ++i) {
    int low_bit = 248 - 8 * i;
    bytes[i] = static_cast<uint8_t>(words_[low_bit >> 6] >> (low_bit & 63));
  }
  return bytes;
}

int PdqHash::popcount() const {
  return std::popcount(words_[0]) + std::popcount(words_[1]) + std::popcount(words_[2]) +
         std::popcount(words_[3]);
}

}  // namespace clearcut::provenance
