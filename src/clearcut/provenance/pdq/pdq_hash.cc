#include "clearcut/provenance/pdq/pdq_hash.h"

#include <bit>

namespace clearcut::provenance {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

base::Result<PdqHash> PdqHash::from_hex(std::string_view hex) {
  if (hex.size() != kHexLength) {
    return base::invalid_argument("a PDQ hash has 64 hex digits, got " +
                                  std::to_string(hex.size()) + " characters");
  }
  std::array<uint64_t, 4> words{};
  for (int i = 0; i < kHexLength; ++i) {
    int digit = hex_digit(hex[i]);
    if (digit < 0) {
      return base::invalid_argument("a PDQ hash has only hex digits, got '" +
                                    std::string(1, hex[i]) + "' at " + std::to_string(i));
    }
    // Digit i carries bits 255-4i .. 252-4i.
    int low_bit = 252 - 4 * i;
    words[low_bit >> 6] |= static_cast<uint64_t>(digit) << (low_bit & 63);
  }
  return PdqHash(words);
}

std::string PdqHash::to_hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(kHexLength, '0');
  for (int i = 0; i < kHexLength; ++i) {
    int low_bit = 252 - 4 * i;
    out[i] = kDigits[(words_[low_bit >> 6] >> (low_bit & 63)) & 0xF];
  }
  return out;
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

int hamming_distance(const PdqHash& a, const PdqHash& b) {
  const auto& x = a.words();
  const auto& y = b.words();
  return std::popcount(x[0] ^ y[0]) + std::popcount(x[1] ^ y[1]) + std::popcount(x[2] ^ y[2]) +
         std::popcount(x[3] ^ y[3]);
}

}  // namespace clearcut::provenance
