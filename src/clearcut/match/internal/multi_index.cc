#include "clearcut/match/internal/multi_index.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <thread>

#include "clearcut/base/result.h"

namespace clearcut::match::internal {
namespace {

// Bucket ranges and probe keys are gathered in stages so that each stage's memory accesses,
// prefetched while the previous stage runs, overlap rather than wait one at a time.
struct Probe {
  uint32_t table;
  uint32_t key;
};

struct Range {
  uint32_t table;
  uint32_t begin;
  uint32_t end;
};

struct CollectScratch {
  std::vector<Probe> probes;
  std::vector<Range> ranges;
};

CollectScratch& scratch() {
  thread_local CollectScratch s;
  return s;
}

// Calls visit(mask) for every `bits`-bit mask with at most `radius` bits set, by weight; the
// next mask of the same weight comes from Gosper's hack.
template <typename Visit>
void for_each_mask(int bits, int radius, Visit&& visit) {
  const uint64_t limit = uint64_t{1} << bits;
  visit(uint64_t{0});
  const int max_weight = std::min(radius, bits);
  for (int weight = 1; weight <= max_weight; ++weight) {
    uint64_t v = (uint64_t{1} << weight) - 1;
    while (v < limit) {
      visit(v);
      const uint64_t t = v | (v - 1);
      v = (t + 1) | (((~t & (t + 1)) - 1) >> (std::countr_zero(v) + 1));
    }
  }
}

double binomial_ball(int bits, int radius) {
  double total = 0;
  double term = 1;  // C(bits, k)
  for (int k = 0; k <= std::min(radius, bits); ++k) {
    total += term;
    term = term * (bits - k) / (k + 1);
  }
  return total;
}

}  // namespace

MultiIndex MultiIndex::build(std::span<const Code> codes, MultiIndexLayout layout, int threads) {
  CC_CHECK(layout.tables >= 1 && layout.tables <= kMaxTables);
  CC_CHECK(layout.bits >= 1 && layout.bits <= kMaxTableBits);
  CC_CHECK(layout.tables * layout.bits <= kCodeBits);
  CC_CHECK(codes.size() < (uint64_t{1} << 32));
  MultiIndex index;
  index.layout_ = layout;
  index.tables_.resize(layout.tables);
  const size_t n = codes.size();
  const size_t buckets = size_t{1} << layout.bits;

  // Counting sort by substring value, one table at a time per thread.
  auto build_table = [&](int t) {
    Table& table = index.tables_[t];
    const int start = layout.start(t);
    std::vector<uint32_t> keys(n);
    for (size_t i = 0; i < n; ++i) {
      keys[i] = extract_bits(codes[i], start, layout.bits);
    }
    table.offsets.assign(buckets + 1, 0);
    for (uint32_t key : keys) {
      ++table.offsets[key + 1];
    }
    for (size_t b = 0; b < buckets; ++b) {
      table.offsets[b + 1] += table.offsets[b];
    }
    // Scatter with offsets[key] as the cursor, which leaves offsets[key] at the bucket's end,
    // i.e. the next bucket's start; shifting back by one restores the starts.
    table.positions.resize(n);
    for (size_t i = 0; i < n; ++i) {
      table.positions[table.offsets[keys[i]]++] = static_cast<uint32_t>(i);
    }
    for (size_t b = buckets; b > 0; --b) {
      table.offsets[b] = table.offsets[b - 1];
    }
    table.offsets[0] = 0;
  };

  const int workers = std::clamp(threads, 1, layout.tables);
  if (workers == 1) {
    for (int t = 0; t < layout.tables; ++t) {
      build_table(t);
    }
  } else {
    std::atomic<int> next{0};
    std::vector<std::jthread> pool;
    for (int w = 0; w < workers; ++w) {
      pool.emplace_back([&] {
        for (int t = next++; t < layout.tables; t = next++) {
          build_table(t);
        }
      });
    }
  }
  return index;
}

size_t MultiIndex::memory_bytes() const {
  size_t bytes = 0;
  for (const Table& table : tables_) {
    bytes += (table.offsets.capacity() + table.positions.capacity()) * sizeof(uint32_t);
  }
  return bytes;
}

void MultiIndex::plan(int radius, std::span<ProbedSubstring> tables) const {
  CC_CHECK(static_cast<int>(tables.size()) == layout_.tables);
  const int m = layout_.tables;
  const int q = radius >= 0 ? radius / m : -1;
  const int a = radius >= 0 ? radius % m : 0;
  for (int t = 0; t < m; ++t) {
    tables[t].start = layout_.start(t);
    tables[t].bits = layout_.bits;
    tables[t].radius = radius < 0 ? -1 : (t <= a ? q : q - 1);
  }
}

double MultiIndex::probe_count(const MultiIndexLayout& layout, int radius) {
  if (radius < 0 || layout.tables == 0) {
    return 0;
  }
  const int m = layout.tables;
  const int q = radius / m;
  const int a = radius % m;
  return (a + 1) * binomial_ball(layout.bits, q) +
         (q >= 1 ? (m - a - 1) * binomial_ball(layout.bits, q - 1) : 0.0);
}

size_t MultiIndex::collect(const Code& query, std::span<const ProbedSubstring> plan, size_t limit,
                           std::vector<Candidate>& candidates) const {
  CollectScratch& s = scratch();
  s.probes.clear();
  s.ranges.clear();
  for (int t = 0; t < layout_.tables; ++t) {
    if (plan[t].radius < 0) {
      continue;
    }
    const uint32_t key = extract_bits(query, plan[t].start, plan[t].bits);
    const uint32_t* offsets = tables_[t].offsets.data();
    for_each_mask(layout_.bits, plan[t].radius, [&](uint64_t mask) {
      const uint32_t probe = key ^ static_cast<uint32_t>(mask);
      __builtin_prefetch(offsets + probe);
      s.probes.push_back({static_cast<uint32_t>(t), probe});
    });
  }
  size_t total = 0;
  for (const Probe& p : s.probes) {
    const Table& table = tables_[p.table];
    const uint32_t begin = table.offsets[p.key];
    const uint32_t end = table.offsets[p.key + 1];
    if (begin == end) {
      continue;
    }
    __builtin_prefetch(table.positions.data() + begin);
    s.ranges.push_back({p.table, begin, end});
    total += end - begin;
    if (total > limit) {
      return total;
    }
  }
  candidates.reserve(candidates.size() + total);
  for (const Range& r : s.ranges) {
    const uint32_t* positions = tables_[r.table].positions.data();
    for (uint32_t i = r.begin; i < r.end; ++i) {
      candidates.push_back({positions[i], r.table});
    }
  }
  return total;
}

}  // namespace clearcut::match::internal
