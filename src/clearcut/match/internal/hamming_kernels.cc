#include "clearcut/match/internal/hamming_kernels.h"

#include <immintrin.h>

#include <bit>

#include "clearcut/base/result.h"

// Each kernel is one template body compiled under several target attributes: the body's
// helpers are always_inline, so inside a target("popcnt") function std::popcount becomes the
// POPCNT instruction rather than libgcc's software fallback (baseline x86-64 has no POPCNT).

namespace clearcut::match::internal {
namespace {

[[gnu::always_inline]] inline int distance_inline(const Code& a, const Code& b) {
  return std::popcount(a[0] ^ b[0]) + std::popcount(a[1] ^ b[1]) + std::popcount(a[2] ^ b[2]) +
         std::popcount(a[3] ^ b[3]);
}

[[gnu::always_inline]] inline void scan_scalar_body(const Code* codes, size_t count,
                                                    uint32_t first_position, const Code* queries,
                                                    const int* radii, int query_count,
                                                    std::vector<Hit>& hits) {
  for (size_t i = 0; i < count; ++i) {
    for (int q = 0; q < query_count; ++q) {
      const int d = distance_inline(codes[i], queries[q]);
      if (d <= radii[q]) [[unlikely]] {
        hits.push_back({first_position + static_cast<uint32_t>(i), static_cast<uint32_t>(q), d});
      }
    }
  }
}

// True when some table before `table` would have found the code too (see verify_candidates).
[[gnu::always_inline]] inline bool found_earlier(const Code& x, uint32_t table,
                                                 std::span<const ProbedSubstring> tables) {
  for (uint32_t j = 0; j < table; ++j) {
    const ProbedSubstring& t = tables[j];
    if (t.radius >= 0 && std::popcount(extract_bits(x, t.start, t.bits)) <= t.radius) {
      return true;
    }
  }
  return false;
}

// Candidates sit at random positions: fetch this many ahead so their cache misses overlap.
constexpr size_t kVerifyPrefetch = 32;

[[gnu::always_inline]] inline void verify_body(const Code* codes,
                                               std::span<const Candidate> candidates,
                                               const Code& query, int radius,
                                               std::span<const ProbedSubstring> tables,
                                               std::vector<Hit>& hits) {
  const size_t n = candidates.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + kVerifyPrefetch < n) {
      __builtin_prefetch(&codes[candidates[i + kVerifyPrefetch].position]);
    }
    const Candidate c = candidates[i];
    const Code& code = codes[c.position];
    const Code x = {code[0] ^ query[0], code[1] ^ query[1], code[2] ^ query[2], code[3] ^ query[3]};
    const int d =
        std::popcount(x[0]) + std::popcount(x[1]) + std::popcount(x[2]) + std::popcount(x[3]);
    if (d > radius) {
      continue;
    }
    if (c.table > 0 && found_earlier(x, c.table, tables)) {
      continue;
    }
    hits.push_back({c.position, 0, d});
  }
}

void scan_generic(const Code* codes, size_t count, uint32_t first_position, const Code* queries,
                  const int* radii, int query_count, std::vector<Hit>& hits) {
  scan_scalar_body(codes, count, first_position, queries, radii, query_count, hits);
}

[[gnu::target("popcnt")]] void scan_popcnt(const Code* codes, size_t count, uint32_t first_position,
                                           const Code* queries, const int* radii, int query_count,
                                           std::vector<Hit>& hits) {
  scan_scalar_body(codes, count, first_position, queries, radii, query_count, hits);
}

void verify_generic(const Code* codes, std::span<const Candidate> candidates, const Code& query,
                    int radius, std::span<const ProbedSubstring> tables, std::vector<Hit>& hits) {
  verify_body(codes, candidates, query, radius, tables, hits);
}

[[gnu::target("popcnt")]] void verify_popcnt(const Code* codes,
                                             std::span<const Candidate> candidates,
                                             const Code& query, int radius,
                                             std::span<const ProbedSubstring> tables,
                                             std::vector<Hit>& hits) {
  verify_body(codes, candidates, query, radius, tables, hits);
}

#define CC_AVX512 gnu::target("avx512f,avx512vpopcntdq,popcnt")
// GCC 12's AVX-512 headers self-initialise the "undefined" source of unpack, broadcast and
// shuffle intrinsics, which -O3 reports as -Wmaybe-uninitialized (GCC PR 105593, fixed in 13).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

// One query against eight codes per step: two codes per register, XOR with the query twice
// over, VPOPCNTQ, then the four word counts of each code summed by two unpacks and a lane
// shuffle (qword k of the sum holds code kLaneCode[k] of the eight).
[[CC_AVX512]] void scan_avx512_one(const Code* codes, size_t count, uint32_t first_position,
                                   const Code& query, int radius, std::vector<Hit>& hits) {
  static constexpr int kLaneCode[8] = {0, 2, 1, 3, 4, 6, 5, 7};
  if (radius < 0) {
    return;
  }
  const __m512i q =
      _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(query.data())));
  const __m512i r = _mm512_set1_epi64(radius);
  size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    const auto* p = reinterpret_cast<const __m512i*>(codes + i);
    const __m512i a = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(p), q));
    const __m512i b = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(p + 1), q));
    const __m512i c = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(p + 2), q));
    const __m512i d = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(p + 3), q));
    const __m512i ab = _mm512_add_epi64(_mm512_unpacklo_epi64(a, b), _mm512_unpackhi_epi64(a, b));
    const __m512i cd = _mm512_add_epi64(_mm512_unpacklo_epi64(c, d), _mm512_unpackhi_epi64(c, d));
    const __m512i sum = _mm512_add_epi64(_mm512_shuffle_i64x2(ab, cd, 0b10001000),
                                         _mm512_shuffle_i64x2(ab, cd, 0b11011101));
    __mmask8 mask = _mm512_cmple_epu64_mask(sum, r);
    if (mask != 0) [[unlikely]] {
      alignas(64) uint64_t distances[8];
      _mm512_store_si512(reinterpret_cast<__m512i*>(distances), sum);
      // Report in code order, like the other kernels.
      int by_code[8];
      for (int k = 0; k < 8; ++k) {
        by_code[kLaneCode[k]] = (mask >> k) & 1 ? static_cast<int>(distances[k]) : -1;
      }
      for (int k = 0; k < 8; ++k) {
        if (by_code[k] >= 0) {
          hits.push_back({first_position + static_cast<uint32_t>(i + k), 0, by_code[k]});
        }
      }
    }
  }
  for (; i < count; ++i) {
    const int d = distance_inline(codes[i], query);
    if (d <= radius) {
      hits.push_back({first_position + static_cast<uint32_t>(i), 0, d});
    }
  }
}

// Up to eight queries, one per 64-bit lane (word w of every query in register w); each code's
// words are broadcast, so a step compares one code with all queries, as the PDQ reference's
// flat index does. Unused lanes get radius -1 and never match.
[[CC_AVX512]] void scan_avx512_group(const Code* codes, size_t count, uint32_t first_position,
                                     const Code* queries, const int* radii, int query_count,
                                     std::vector<Hit>& hits) {
  alignas(64) uint64_t lanes[4][8] = {};
  alignas(64) int64_t lane_radius[8];
  for (int l = 0; l < 8; ++l) {
    lane_radius[l] = l < query_count ? radii[l] : -1;
    for (int w = 0; w < 4; ++w) {
      lanes[w][l] = l < query_count ? queries[l][w] : 0;
    }
  }
  const __m512i q0 = _mm512_load_si512(lanes[0]);
  const __m512i q1 = _mm512_load_si512(lanes[1]);
  const __m512i q2 = _mm512_load_si512(lanes[2]);
  const __m512i q3 = _mm512_load_si512(lanes[3]);
  const __m512i r = _mm512_load_si512(lane_radius);
  for (size_t i = 0; i < count; ++i) {
    const uint64_t* w = codes[i].data();
    const __m512i d0 = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_set1_epi64(w[0]), q0));
    const __m512i d1 = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_set1_epi64(w[1]), q1));
    const __m512i d2 = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_set1_epi64(w[2]), q2));
    const __m512i d3 = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_set1_epi64(w[3]), q3));
    const __m512i sum = _mm512_add_epi64(_mm512_add_epi64(d0, d1), _mm512_add_epi64(d2, d3));
    __mmask8 mask = _mm512_cmple_epi64_mask(sum, r);
    if (mask != 0) [[unlikely]] {
      alignas(64) int64_t distances[8];
      _mm512_store_si512(reinterpret_cast<__m512i*>(distances), sum);
      while (mask != 0) {
        const int lane = std::countr_zero(static_cast<unsigned>(mask));
        mask = static_cast<__mmask8>(mask & (mask - 1));
        hits.push_back({first_position + static_cast<uint32_t>(i), static_cast<uint32_t>(lane),
                        static_cast<int32_t>(distances[lane])});
      }
    }
  }
}

[[CC_AVX512]] void scan_avx512(const Code* codes, size_t count, uint32_t first_position,
                               const Code* queries, const int* radii, int query_count,
                               std::vector<Hit>& hits) {
  // The one-query kernel does a quarter of the popcounts per code; two queries as two passes
  // still beat eight lanes of which six are idle.
  if (query_count <= 2) {
    for (int q = 0; q < query_count; ++q) {
      const size_t before = hits.size();
      scan_avx512_one(codes, count, first_position, queries[q], radii[q], hits);
      for (size_t k = before; k < hits.size(); ++k) {
        hits[k].query = static_cast<uint32_t>(q);
      }
    }
    return;
  }
  scan_avx512_group(codes, count, first_position, queries, radii, query_count, hits);
}

[[CC_AVX512]] void verify_avx512(const Code* codes, std::span<const Candidate> candidates,
                                 const Code& query, int radius,
                                 std::span<const ProbedSubstring> tables, std::vector<Hit>& hits) {
  verify_body(codes, candidates, query, radius, tables, hits);
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#undef CC_AVX512

}  // namespace

std::string_view isa_name(Isa isa) {
  switch (isa) {
    case Isa::kGeneric:
      return "generic";
    case Isa::kPopcnt:
      return "popcnt";
    case Isa::kAvx512:
      return "avx512-vpopcntdq";
  }
  return "unknown";
}

bool cpu_supports(Isa isa) {
  switch (isa) {
    case Isa::kGeneric:
      return true;
    case Isa::kPopcnt:
      return __builtin_cpu_supports("popcnt");
    case Isa::kAvx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq") &&
             __builtin_cpu_supports("popcnt");
  }
  return false;
}

Isa best_isa() {
  static const Isa isa = [] {
    for (Isa candidate : {Isa::kAvx512, Isa::kPopcnt}) {
      if (cpu_supports(candidate)) {
        return candidate;
      }
    }
    return Isa::kGeneric;
  }();
  return isa;
}

void scan_codes(Isa isa, const Code* codes, size_t count, uint32_t first_position,
                const Code* queries, const int* radii, int query_count, std::vector<Hit>& hits) {
  CC_CHECK(query_count >= 1 && query_count <= kMaxScanGroup);
  switch (isa) {
    case Isa::kAvx512:
      scan_avx512(codes, count, first_position, queries, radii, query_count, hits);
      return;
    case Isa::kPopcnt:
      scan_popcnt(codes, count, first_position, queries, radii, query_count, hits);
      return;
    case Isa::kGeneric:
      scan_generic(codes, count, first_position, queries, radii, query_count, hits);
      return;
  }
}

void verify_candidates(Isa isa, const Code* codes, std::span<const Candidate> candidates,
                       const Code& query, int radius, std::span<const ProbedSubstring> tables,
                       std::vector<Hit>& hits) {
  switch (isa) {
    case Isa::kAvx512:
      verify_avx512(codes, candidates, query, radius, tables, hits);
      return;
    case Isa::kPopcnt:
      verify_popcnt(codes, candidates, query, radius, tables, hits);
      return;
    case Isa::kGeneric:
      verify_generic(codes, candidates, query, radius, tables, hits);
      return;
  }
}

}  // namespace clearcut::match::internal
