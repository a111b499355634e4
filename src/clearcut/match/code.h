#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <span>

namespace clearcut::match {

// A 256-bit binary code, such as a PDQ hash: words[0] holds bits 0..63 and words[3] bits
// 192..255, the layout of provenance::PdqHash::words(), so `Code{hash.words()}` converts.
using Code = std::array<uint64_t, 4>;
inline constexpr int kCodeBits = 256;

// PDQ calls two images the same at distance <= 31 (facebook/ThreatExchange pdq/README.md): the
// radius the scanner, the asset lookup, `inspect` and the index use unless told otherwise.
inline constexpr int kPdqRadius = 31;
// Below this quality PDQ calls a hash unusable (a flat image): such hashes never match, and the
// stamper and the scanner skip video frames under it.
inline constexpr int kPdqMinQuality = 50;
// Subtitles burned into a delivery cover the bottom of its picture: two lines reach about a
// sixth of a 16:9 frame's height, across a pillarboxed portrait edge to edge. The scanner hashes
// a picture shown between bars a second time without its bottom fifth (the top 80% of its
// rows), and the stamper registers the same part of each framing a still is shown in.
inline constexpr int kAboveSubtitlesPercent = 80;

// Number of differing bits, 0..256.
inline int hamming_distance(const Code& a, const Code& b) {
  return std::popcount(a[0] ^ b[0]) + std::popcount(a[1] ^ b[1]) + std::popcount(a[2] ^ b[2]) +
         std::popcount(a[3] ^ b[3]);
}

// 32 bytes in the order of the hash's text form: bytes[0] holds bits 255..248 (the most
// significant byte of words[3]) and bytes[31] bits 7..0, as PdqHash::to_bytes, FAISS and
// python-threatexchange store PDQ hashes. The registry export file uses this order.
std::array<uint8_t, 32> code_to_bytes(const Code& code);
Code code_from_bytes(std::span<const uint8_t, 32> bytes);

}  // namespace clearcut::match
