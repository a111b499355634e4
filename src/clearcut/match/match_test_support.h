#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "clearcut/match/code.h"
#include "clearcut/match/match_index.h"

// Code generators and the brute-force oracle shared by the match tests.
namespace clearcut::match::test_support {

inline Code random_code(std::mt19937_64& rng) {
  return {rng(), rng(), rng(), rng()};
}

// `code` with `flips` distinct random bits flipped.
inline Code flip_bits(Code code, int flips, std::mt19937_64& rng) {
  std::vector<int> bits(kCodeBits);
  for (int i = 0; i < kCodeBits; ++i) {
    bits[i] = i;
  }
  for (int i = 0; i < flips; ++i) {
    std::uniform_int_distribution<int> pick(i, kCodeBits - 1);
    std::swap(bits[i], bits[pick(rng)]);
    code[bits[i] >> 6] ^= uint64_t{1} << (bits[i] & 63);
  }
  return code;
}

// A code with exactly `ones` bits set (a flat frame's hash when `ones` is near 0 or 256).
inline Code code_with_popcount(int ones, std::mt19937_64& rng) {
  return flip_bits(Code{}, ones, rng);
}

// What consecutive video frames and flat frames look like to an index: bursts of codes a few
// bits from a centre, codes of very low and very high popcount, a sprinkle of random codes.
inline std::vector<Code> clustered_codes(size_t n, std::mt19937_64& rng, int max_flips = 8) {
  std::vector<Code> codes;
  codes.reserve(n);
  std::uniform_int_distribution<int> kind(0, 99);
  std::uniform_int_distribution<int> burst(5, 120);
  std::uniform_int_distribution<int> flips(0, max_flips);
  std::uniform_int_distribution<int> low(0, 12);
  while (codes.size() < n) {
    const int k = kind(rng);
    if (k < 85) {
      const Code centre = random_code(rng);
      for (int i = burst(rng); i > 0 && codes.size() < n; --i) {
        codes.push_back(flip_bits(centre, flips(rng), rng));
      }
    } else if (k < 90) {
      codes.push_back(code_with_popcount(low(rng), rng));
    } else if (k < 95) {
      codes.push_back(code_with_popcount(kCodeBits - low(rng), rng));
    } else {
      codes.push_back(random_code(rng));
    }
  }
  return codes;
}

inline std::vector<Entry> with_ids(const std::vector<Code>& codes, int64_t first_id = 1000,
                                   int64_t stride = 7) {
  std::vector<Entry> entries;
  entries.reserve(codes.size());
  for (size_t i = 0; i < codes.size(); ++i) {
    entries.push_back({first_id + static_cast<int64_t>(i) * stride, codes[i]});
  }
  return entries;
}

// The linear scan every search must agree with, sorted by id.
inline std::vector<Match> brute_force(std::span<const Entry> entries, const Code& query,
                                      int radius) {
  std::vector<Match> out;
  for (const Entry& e : entries) {
    const int d = hamming_distance(e.code, query);
    if (d <= radius) {
      out.push_back({e.id, d, 0});
    }
  }
  std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) { return a.id < b.id; });
  return out;
}

inline std::vector<Match> sorted(std::span<const Match> matches) {
  std::vector<Match> out(matches.begin(), matches.end());
  std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) {
    return a.id != b.id ? a.id < b.id : a.variant < b.variant;
  });
  return out;
}

// Queries that exercise an index: near stored codes (0..40 bits off), random, and flat.
inline std::vector<Code> probe_queries(std::span<const Entry> entries, size_t n,
                                       std::mt19937_64& rng) {
  std::vector<Code> queries;
  std::uniform_int_distribution<int> flips(0, 40);
  for (size_t i = 0; i < n; ++i) {
    if (i % 4 == 3 || entries.empty()) {
      queries.push_back(random_code(rng));
    } else if (i % 8 == 6) {
      queries.push_back(code_with_popcount(static_cast<int>(rng() % 10), rng));
    } else {
      const Entry& e = entries[rng() % entries.size()];
      queries.push_back(flip_bits(e.code, flips(rng), rng));
    }
  }
  return queries;
}

}  // namespace clearcut::match::test_support
