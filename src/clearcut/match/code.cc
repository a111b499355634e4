#include "clearcut/match/code.h"

namespace clearcut::match {

std::array<uint8_t, 32> code_to_bytes(const Code& code) {
  std::array<uint8_t, 32> out{};
  for (int w = 0; w < 4; ++w) {
    for (int b = 0; b < 8; ++b) {
      out[8 * (3 - w) + (7 - b)] = static_cast<uint8_t>(code[w] >> (8 * b));
    }
  }
  return out;
}

Code code_from_bytes(std::span<const uint8_t, 32> bytes) {
  Code code{};
  for (int w = 0; w < 4; ++w) {
    for (int b = 0; b < 8; ++b) {
      code[w] |= uint64_t{bytes[8 * (3 - w) + (7 - b)]} << (8 * b);
    }
  }
  return code;
}

}  // namespace clearcut::match
