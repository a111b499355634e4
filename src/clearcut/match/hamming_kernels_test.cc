#include "clearcut/match/internal/hamming_kernels.h"

#include <algorithm>
#include <random>
#include <tuple>

#include <gtest/gtest.h>

#include "clearcut/match/internal/multi_index.h"
#include "clearcut/match/match_test_support.h"

namespace clearcut::match::internal {
namespace {

using test_support::flip_bits;
using test_support::random_code;

std::vector<Isa> supported_isas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::kGeneric, Isa::kPopcnt, Isa::kAvx512}) {
    if (cpu_supports(isa)) {
      out.push_back(isa);
    }
  }
  return out;
}

bool hit_less(const Hit& a, const Hit& b) {
  return std::tie(a.position, a.query, a.distance) < std::tie(b.position, b.query, b.distance);
}
bool hit_equal(const Hit& a, const Hit& b) {
  return a.position == b.position && a.query == b.query && a.distance == b.distance;
}

TEST(HammingKernelsTest, BestIsaIsSupported) {
  EXPECT_TRUE(cpu_supports(best_isa()));
  EXPECT_FALSE(isa_name(best_isa()).empty());
}

TEST(HammingKernelsTest, ScanAgreesWithScalarForEveryGroupSize) {
  std::mt19937_64 rng(21);
  std::vector<Code> codes;
  const Code centre = random_code(rng);
  for (int i = 0; i < 1037; ++i) {  // not a multiple of 8: exercises the tails
    codes.push_back(i % 3 == 0 ? flip_bits(centre, i % 60, rng) : random_code(rng));
  }
  for (Isa isa : supported_isas()) {
    for (int count = 1; count <= kMaxScanGroup; ++count) {
      std::vector<Code> queries;
      int radii[kMaxScanGroup];
      for (int q = 0; q < count; ++q) {
        queries.push_back(q % 2 == 0 ? flip_bits(centre, q * 3, rng) : codes[rng() % codes.size()]);
        static constexpr int kRadii[] = {31, -1, 0, 256, 45, 128, 255, 7};
        radii[q] = kRadii[q];
      }
      for (size_t offset : {size_t{0}, size_t{1}, size_t{5}}) {
        std::vector<Hit> expected;
        for (size_t i = offset; i < codes.size(); ++i) {
          for (int q = 0; q < count; ++q) {
            const int d = hamming_distance(codes[i], queries[q]);
            if (d <= radii[q]) {
              expected.push_back({static_cast<uint32_t>(i + 100), static_cast<uint32_t>(q), d});
            }
          }
        }
        std::vector<Hit> got;
        scan_codes(isa, codes.data() + offset, codes.size() - offset,
                   static_cast<uint32_t>(offset + 100), queries.data(), radii, count, got);
        std::sort(got.begin(), got.end(), hit_less);
        std::sort(expected.begin(), expected.end(), hit_less);
        ASSERT_TRUE(std::equal(got.begin(), got.end(), expected.begin(), expected.end(), hit_equal))
            << isa_name(isa) << " count " << count << " offset " << offset << ": " << got.size()
            << " vs " << expected.size();
      }
    }
  }
}

TEST(HammingKernelsTest, VerifyReportsEachCodeOnceAtItsFirstTable) {
  std::mt19937_64 rng(22);
  const Code query = random_code(rng);
  std::vector<Code> codes;
  for (int i = 0; i < 300; ++i) {
    codes.push_back(flip_bits(query, i % 50, rng));
  }
  const ProbedSubstring tables[] = {{0, 16, 1}, {64, 16, -1}, {128, 16, 2}, {200, 16, 0}};
  std::vector<Candidate> candidates;
  for (uint32_t p = 0; p < codes.size(); ++p) {
    for (uint32_t t = 0; t < 4; ++t) {
      candidates.push_back({p, t});
    }
  }
  for (Isa isa : supported_isas()) {
    std::vector<Hit> hits;
    verify_candidates(isa, codes.data(), candidates, query, 31, tables, hits);
    std::vector<Hit> expected;
    for (uint32_t p = 0; p < codes.size(); ++p) {
      const int d = hamming_distance(codes[p], query);
      if (d > 31) {
        continue;
      }
      // Reported from the first table the candidate list offers whose check it cannot fail.
      const Code x = {codes[p][0] ^ query[0], codes[p][1] ^ query[1], codes[p][2] ^ query[2],
                      codes[p][3] ^ query[3]};
      bool earlier = false;
      for (uint32_t t = 0; t < 4; ++t) {
        if (!earlier) {
          expected.push_back({p, 0, d});
        }
        if (tables[t].radius >= 0 &&
            std::popcount(extract_bits(x, tables[t].start, tables[t].bits)) <= tables[t].radius) {
          earlier = true;
        }
      }
    }
    ASSERT_EQ(hits.size(), expected.size()) << isa_name(isa);
    for (size_t i = 0; i < hits.size(); ++i) {
      ASSERT_TRUE(hit_equal(hits[i], expected[i])) << isa_name(isa) << " " << i;
    }
  }
}

TEST(HammingKernelsTest, ExtractBitsCrossesWords) {
  const Code code = {0xf000000000000000, 0x000000000000000f, 0, 0x8000000000000001};
  EXPECT_EQ(extract_bits(code, 60, 8), 0xffu);
  EXPECT_EQ(extract_bits(code, 56, 16), 0x0ff0u);
  EXPECT_EQ(extract_bits(code, 192, 1), 1u);
  EXPECT_EQ(extract_bits(code, 226, 30), 0x20000000u);
  EXPECT_EQ(extract_bits(code, 0, 32), 0u);
}

TEST(MultiIndexTest, ProbeCountFollowsThePigeonhole) {
  // 31 = 11 * 2 + 9: ten tables at radius 2, one at radius 1.
  const MultiIndexLayout layout{11, 23};
  EXPECT_DOUBLE_EQ(MultiIndex::probe_count(layout, 31), 10 * (1 + 23 + 253) + (1 + 23));
  // Radius below the table count: radius + 1 tables at 0, the rest unprobed.
  EXPECT_DOUBLE_EQ(MultiIndex::probe_count(layout, 5), 6);
  EXPECT_DOUBLE_EQ(MultiIndex::probe_count(layout, -1), 0);
}

TEST(MultiIndexTest, CollectFindsEveryBucketWithinThePlan) {
  std::mt19937_64 rng(23);
  std::vector<Code> codes;
  const Code query = random_code(rng);
  for (int i = 0; i < 5000; ++i) {
    codes.push_back(i % 2 ? flip_bits(query, i % 24, rng) : random_code(rng));
  }
  const MultiIndex index = MultiIndex::build(codes, {4, 12}, 2);
  std::array<ProbedSubstring, 4> plan;
  index.plan(9, plan);  // 9 = 4 * 2 + 1: two tables at 2, two at 1
  EXPECT_EQ(plan[0].radius, 2);
  EXPECT_EQ(plan[1].radius, 2);
  EXPECT_EQ(plan[2].radius, 1);
  EXPECT_EQ(plan[3].radius, 1);
  std::vector<Candidate> candidates;
  const size_t total = index.collect(query, plan, SIZE_MAX, candidates);
  EXPECT_EQ(total, candidates.size());
  std::vector<std::pair<uint32_t, uint32_t>> got;
  for (const Candidate& c : candidates) {
    got.push_back({c.position, c.table});
  }
  std::sort(got.begin(), got.end());
  std::vector<std::pair<uint32_t, uint32_t>> expected;
  for (uint32_t p = 0; p < codes.size(); ++p) {
    for (uint32_t t = 0; t < 4; ++t) {
      const uint32_t a = extract_bits(codes[p], plan[t].start, plan[t].bits);
      const uint32_t b = extract_bits(query, plan[t].start, plan[t].bits);
      if (std::popcount(a ^ b) <= plan[t].radius) {
        expected.push_back({p, t});
      }
    }
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(got, expected);
  // Over the limit: stops early and says so.
  std::vector<Candidate> few;
  EXPECT_GT(index.collect(query, plan, 10, few), 10u);
}

}  // namespace
}  // namespace clearcut::match::internal
