#include "clearcut/provenance/watermark/internal/payload_codec.h"

#include <bit>
#include <cmath>
#include <limits>
#include <vector>

#include "clearcut/provenance/watermark/internal/keyed_stream.h"

namespace clearcut::watermark::internal {
namespace {

constexpr int kStates = 1 << (kConstraint - 1);  // 256
constexpr int kSteps = kInfoBits + kTailBits;    // 104
constexpr int kDecisionWords = kStates / 64;
// Octal 557, 663, 711: the 9-bit register holds the newest bit in bit 8.
constexpr std::array<uint32_t, kCodeRate> kGenerators = {0557, 0663, 0711};

// The kCodeRate output bits for a register value, packed in the low bits (bit k: generator k).
constexpr std::array<uint8_t, 2 * kStates> make_outputs() {
  std::array<uint8_t, 2 * kStates> out{};
  for (uint32_t reg = 0; reg < 2 * kStates; ++reg) {
    uint8_t o = 0;
    for (int k = 0; k < kCodeRate; ++k) {
      o |= static_cast<uint8_t>((std::popcount(reg & kGenerators[k]) & 1) << k);
    }
    out[reg] = o;
  }
  return out;
}
constexpr std::array<uint8_t, 2 * kStates> kOutputs = make_outputs();

}  // namespace

uint32_t crc32_of(uint64_t value, uint32_t seed) {
  uint32_t crc = seed;
  for (int byte = 0; byte < 8; ++byte) {
    crc ^= static_cast<uint32_t>((value >> (8 * byte)) & 0xff);
    for (int b = 0; b < 8; ++b) {
      crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
  }
  return ~crc;
}

CodedBits convolutional_encode(std::span<const uint8_t, kInfoBits> info) {
  CodedBits out{};
  uint32_t state = 0;  // the previous 8 input bits, newest in bit 7
  for (int t = 0; t < kSteps; ++t) {
    const uint32_t bit = t < kInfoBits ? (info[t] & 1u) : 0u;
    const uint32_t reg = (bit << (kConstraint - 1)) | state;
    const uint8_t o = kOutputs[reg];
    for (int k = 0; k < kCodeRate; ++k) {
      out[t * kCodeRate + k] = (o >> k) & 1;
    }
    state = reg >> 1;
  }
  return out;
}

std::array<uint8_t, kInfoBits> viterbi_decode(std::span<const float, kCodedBits> soft) {
  constexpr float kUnreached = -std::numeric_limits<float>::infinity();
  std::array<float, kStates> metric;
  metric.fill(kUnreached);
  metric[0] = 0;
  // decisions[t] bit s: which predecessor won for state s at step t (its dropped low bit).
  std::vector<std::array<uint64_t, kDecisionWords>> decisions(kSteps);
  for (int t = 0; t < kSteps; ++t) {
    // Branch gains for each of the 8 output patterns: correlation with the soft values.
    std::array<float, 1 << kCodeRate> gain{};
    for (int o = 0; o < (1 << kCodeRate); ++o) {
      float g = 0;
      for (int k = 0; k < kCodeRate; ++k) {
        const float s = soft[t * kCodeRate + k];
        g += ((o >> k) & 1) ? -s : s;
      }
      gain[o] = g;
    }
    const bool tail = t >= kInfoBits;
    std::array<float, kStates> next;
    next.fill(kUnreached);
    std::array<uint64_t, kDecisionWords> decided{};
    for (uint32_t ns = 0; ns < kStates; ++ns) {
      // ns = reg >> 1 with reg = (bit << 8) | state: bit = ns >> 7, state = ((ns << 1) & 255) | d.
      const uint32_t bit = ns >> (kConstraint - 2);
      if (tail && bit != 0) {
        continue;
      }
      float best = kUnreached;
      uint32_t best_d = 0;
      for (uint32_t d = 0; d < 2; ++d) {
        const uint32_t prev = ((ns << 1) & (kStates - 1)) | d;
        if (metric[prev] == kUnreached) {
          continue;
        }
        const uint32_t reg = (bit << (kConstraint - 1)) | prev;
        const float m = metric[prev] + gain[kOutputs[reg]];
        if (m > best) {
          best = m;
          best_d = d;
        }
      }
      next[ns] = best;
      decided[ns / 64] |= static_cast<uint64_t>(best_d) << (ns % 64);
    }
    metric = next;
    decisions[t] = decided;
  }
  // Trace back from state 0, where the tail leaves the encoder.
  std::array<uint8_t, kInfoBits> info{};
  uint32_t state = 0;
  for (int t = kSteps - 1; t >= 0; --t) {
    const uint32_t bit = state >> (kConstraint - 2);
    if (t < kInfoBits) {
      info[t] = static_cast<uint8_t>(bit);
    }
    const uint32_t d = (decisions[t][state / 64] >> (state % 64)) & 1;
    state = ((state << 1) & (kStates - 1)) | d;
  }
  return info;
}

PayloadCodec::PayloadCodec(const WatermarkKey& key) {
  KeyedStream stream(key, "payload");
  mask_ = stream.next();
  crc_seed_ = static_cast<uint32_t>(stream.next());
}

CodedBits PayloadCodec::encode(uint64_t payload) const {
  const uint64_t word = payload ^ mask_;
  const uint32_t crc = crc32_of(payload, crc_seed_);
  std::array<uint8_t, kInfoBits> info{};
  for (int i = 0; i < kPayloadBits; ++i) {
    info[i] = (word >> i) & 1;
  }
  for (int i = 0; i < kCrcBits; ++i) {
    info[kPayloadBits + i] = (crc >> i) & 1;
  }
  return convolutional_encode(info);
}

DecodedPayload PayloadCodec::decode(std::span<const float, kCodedBits> soft) const {
  const std::array<uint8_t, kInfoBits> info = viterbi_decode(soft);
  uint64_t word = 0;
  for (int i = 0; i < kPayloadBits; ++i) {
    word |= static_cast<uint64_t>(info[i]) << i;
  }
  uint32_t crc = 0;
  for (int i = 0; i < kCrcBits; ++i) {
    crc |= static_cast<uint32_t>(info[kPayloadBits + i]) << i;
  }
  DecodedPayload out;
  out.payload = word ^ mask_;
  out.crc_ok = crc32_of(out.payload, crc_seed_) == crc;
  const CodedBits again = convolutional_encode(info);
  double dot = 0;
  double total = 0;
  for (int i = 0; i < kCodedBits; ++i) {
    const float s = again[i] ? -soft[i] : soft[i];
    dot += s;
    total += std::fabs(soft[i]);
    if (s < 0) {
      ++out.bit_errors;
    }
  }
  out.agreement = total > 0 ? dot / total : 0;
  return out;
}

}  // namespace clearcut::watermark::internal
