#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "clearcut/match/code.h"
#include "clearcut/match/internal/aligned_allocator.h"
#include "clearcut/match/internal/hamming_kernels.h"

namespace clearcut::match::internal {

// How the 256 bits are cut: `tables` disjoint substrings of `bits` bits each (bit ranges, spread
// evenly over the code; tables * bits may be < 256, the bits in between belong to no table).
struct MultiIndexLayout {
  int tables = 0;
  int bits = 0;

  int start(int table) const { return table * kCodeBits / tables; }
};

inline constexpr int kMaxTables = 64;
inline constexpr int kMaxTableBits = 30;

// Multi-index hashing (Norouzi, Punjani, Fleet, "Fast Search in Hamming Space with Multi-Index
// Hashing", CVPR 2012 / TPAMI 2014). Table t maps the value of substring t to the positions
// of the codes holding it: a bucket directory of 2^bits + 1 offsets into a position array
// sorted by that value (CSR). Immutable once built; const calls may run concurrently.
//
// Search uses the paper's pigeonhole (its Proposition 1): for disjoint substrings the
// distances add up to at most the full distance, so writing radius = tables * q + a
// (0 <= a < tables), a code within radius is within q of the query on one of the first
// a + 1 substrings or within q - 1 on one of the others. Probing each table's buckets within
// that radius of the query's substring finds every code within radius, and
// verify_candidates() reports each once.
class MultiIndex {
 public:
  MultiIndex() = default;

  // Builds the tables over codes[0..n); n < 2^32. Up to `threads` tables are built at once.
  static MultiIndex build(std::span<const Code> codes, MultiIndexLayout layout, int threads);

  const MultiIndexLayout& layout() const { return layout_; }
  bool empty() const { return layout_.tables == 0; }
  size_t memory_bytes() const;

  // The per-table probe radii for a search radius (see the class comment).
  void plan(int radius, std::span<ProbedSubstring> tables) const;
  // Buckets the plan visits: sum over tables of C(bits, 0) + ... + C(bits, radius_t).
  static double probe_count(const MultiIndexLayout& layout, int radius);

  // Collects the candidates of every bucket within the planned radius of the query's
  // substrings; returns their number, or stops early and returns a number above `limit` once
  // the candidates exceed it (the caller then scans instead).
  size_t collect(const Code& query, std::span<const ProbedSubstring> plan, size_t limit,
                 std::vector<Candidate>& candidates) const;

 private:
  using U32Vector = std::vector<uint32_t, AlignedAllocator<uint32_t>>;
  struct Table {
    U32Vector offsets;    // 2^bits + 1
    U32Vector positions;  // n, grouped by substring value
  };

  MultiIndexLayout layout_;
  std::vector<Table> tables_;
};

}  // namespace clearcut::match::internal
