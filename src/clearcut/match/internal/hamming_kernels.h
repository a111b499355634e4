#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "clearcut/match/code.h"

namespace clearcut::match::internal {

// A stored code within radius of a query.
struct Hit {
  uint32_t position;  // index of the code in the array scanned
  uint32_t query;     // index of the query in its group
  int32_t distance;
};

// Most queries one scan pass compares against each code (the lanes of a 512-bit register).
inline constexpr int kMaxScanGroup = 8;

// A multi-index table as candidate verification sees it: the bit range [start, start + bits)
// it keys on and the radius it was probed with (negative: not probed).
struct ProbedSubstring {
  int start = 0;
  int bits = 0;
  int radius = -1;
};

// A code a multi-index probe found: its position and the table whose bucket held it.
struct Candidate {
  uint32_t position;
  uint32_t table;
};

// The instruction sets the kernels come in, slowest first.
enum class Isa {
  kGeneric,  // portable C++ (std::popcount may become a library call)
  kPopcnt,   // the POPCNT instruction
  kAvx512,   // AVX-512F with VPOPCNTDQ (Ice Lake and later)
};

std::string_view isa_name(Isa isa);
bool cpu_supports(Isa isa);
// The fastest ISA this CPU supports; chosen once.
Isa best_isa();

// Compares codes[0..count) with each of `query_count` (1..kMaxScanGroup) queries and appends a
// Hit {first_position + i, q, d} for every pair with d <= radii[q]; a negative radius matches
// nothing. Each query's hits come in code order. `isa` must be supported by the CPU.
void scan_codes(Isa isa, const Code* codes, size_t count, uint32_t first_position,
                const Code* queries, const int* radii, int query_count, std::vector<Hit>& hits);

// Multi-index verification: for each candidate, the full distance to `query`; appends a Hit
// {position, 0, d} when d <= radius and no table before the candidate's own would also have
// found it (its substring there within that table's probe radius), so that a code found
// through several tables is reported once.
void verify_candidates(Isa isa, const Code* codes, std::span<const Candidate> candidates,
                       const Code& query, int radius, std::span<const ProbedSubstring> tables,
                       std::vector<Hit>& hits);

// The bits [start, start + bits) of a code as an integer; bits <= 32.
inline uint32_t extract_bits(const Code& code, int start, int bits) {
  const int word = start >> 6;
  const int shift = start & 63;
  uint64_t value = code[word] >> shift;
  if (shift + bits > 64) {
    value |= code[word + 1] << (64 - shift);
  }
  return static_cast<uint32_t>(value & ((uint64_t{1} << bits) - 1));
}

}  // namespace clearcut::match::internal
