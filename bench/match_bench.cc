// Radius search over 256-bit codes at radius 31: clearcut's MatchIndex beside FAISS's binary
// indexes (IndexBinaryFlat, IndexBinaryMultiHash; when libfaiss-dev is installed) and the PDQ
// reference's own indexes (facebook/ThreatExchange pdq/cpp/index flat.h and mih.h; when the
// build points MATCH_PDQ_REFERENCE_DIR at a checkout, see bench/match_compare.sh). Every
// implementation gets the same codes, the same queries and the same batch sizes, and before
// it is timed its result sets are checked against a brute-force scan: any difference skips the
// benchmark with an error.
//
// One iteration searches the whole query set in batches; `per_query` is CPU seconds per query.
// Datasets (deterministic):
//   random     uniform codes; queries: half stored codes with 0..31 bits flipped, half random
//   clustered  bursts of 24..240 codes within 12 bits of a centre (the frames of a shot), 1%
//              flat frames in runs of 24..96 (popcount <= 12 or >= 244), 4% random codes;
//              queries: 55% 0..16 bits from a stored code, 10% 36..48 bits from one (near
//              misses), 30% random, 5% flat (a flat query matches every flat code of its kind:
//              tens of thousands of results at 10M codes)
// Environment: MATCH_BENCH_SIZES (default 50000; e.g. 1000000,10000000), MATCH_BENCH_QUERIES
// (default 64), MATCH_BENCH_BATCHES (default 1,64).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "clearcut/match/code.h"
#include "clearcut/match/match_index.h"

#if defined(CLEARCUT_MATCH_BENCH_FAISS)
#include <omp.h>

#include <faiss/IndexBinaryFlat.h>
#include <faiss/IndexBinaryHash.h>
#include <faiss/impl/AuxIndexStructures.h>
#endif

#if defined(CLEARCUT_MATCH_BENCH_PDQ_REFERENCE)
#include <pdq/cpp/index/flat.h>
#include <pdq/cpp/index/mih.h>
#endif

namespace {

using clearcut::match::Code;
using clearcut::match::Entry;

constexpr int kRadius = 31;

std::vector<size_t> env_list(const char* name, std::vector<size_t> fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    return fallback;
  }
  std::vector<size_t> out;
  std::stringstream in(value);
  std::string item;
  while (std::getline(in, item, ',')) {
    out.push_back(std::stoull(item));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Datasets

Code random_code(std::mt19937_64& rng) {
  return {rng(), rng(), rng(), rng()};
}

Code flip(Code code, int flips, std::mt19937_64& rng) {
  Code flipped{};
  for (int done = 0; done < flips;) {
    const int bit = static_cast<int>(rng() & 255);
    const uint64_t mask = uint64_t{1} << (bit & 63);
    if ((flipped[bit >> 6] & mask) == 0) {
      flipped[bit >> 6] |= mask;
      ++done;
    }
  }
  for (int w = 0; w < 4; ++w) {
    code[w] ^= flipped[w];
  }
  return code;
}

Code flat_code(bool high, std::mt19937_64& rng) {
  const Code sparse = flip(Code{}, static_cast<int>(rng() % 13), rng);
  return high ? Code{~sparse[0], ~sparse[1], ~sparse[2], ~sparse[3]} : sparse;
}

[[gnu::target("popcnt")]] int distance_popcnt(const Code& a, const Code& b) {
  return __builtin_popcountll(a[0] ^ b[0]) + __builtin_popcountll(a[1] ^ b[1]) +
         __builtin_popcountll(a[2] ^ b[2]) + __builtin_popcountll(a[3] ^ b[3]);
}

// A scalar linear scan, the oracle every implementation is checked against.
[[gnu::target("popcnt")]] std::vector<uint32_t> brute_force(const std::vector<Code>& codes,
                                                            const Code& query) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (distance_popcnt(codes[i], query) <= kRadius) {
      out.push_back(static_cast<uint32_t>(i));
    }
  }
  return out;
}

struct Dataset {
  std::string kind;
  size_t size = 0;
  std::vector<Code> codes;  // id = position
  std::vector<Code> queries;
  std::vector<std::vector<uint32_t>> truth;  // sorted positions within kRadius
  double results_per_query = 0;
};

std::unique_ptr<Dataset> make_dataset(const std::string& kind, size_t size, size_t queries) {
  auto data = std::make_unique<Dataset>();
  data->kind = kind;
  data->size = size;
  std::mt19937_64 rng(size * 31 + (kind == "random" ? 1 : 2));
  data->codes.reserve(size);
  if (kind == "random") {
    for (size_t i = 0; i < size; ++i) {
      data->codes.push_back(random_code(rng));
    }
    for (size_t q = 0; q < queries; ++q) {
      data->queries.push_back(
          q % 2 == 0 ? flip(data->codes[rng() % size], static_cast<int>(rng() % 32), rng)
                     : random_code(rng));
    }
  } else {
    // Per event: a shot (132 codes on average), a fade through a flat frame (60) or a lone
    // random code, weighted to 95% shots, 1% flat and 4% random codes.
    while (data->codes.size() < size) {
      const int k = static_cast<int>(rng() % 10000);
      if (k < 1519) {
        const Code centre = random_code(rng);
        for (int i = 24 + static_cast<int>(rng() % 217); i > 0 && data->codes.size() < size; --i) {
          data->codes.push_back(flip(centre, static_cast<int>(rng() % 13), rng));
        }
      } else if (k < 1554) {
        const bool high = rng() % 2 == 1;
        for (int i = 24 + static_cast<int>(rng() % 73); i > 0 && data->codes.size() < size; --i) {
          data->codes.push_back(flat_code(high, rng));
        }
      } else {
        data->codes.push_back(random_code(rng));
      }
    }
    for (size_t q = 0; q < queries; ++q) {
      const int k = static_cast<int>(rng() % 100);
      const Code& stored = data->codes[rng() % size];
      if (k < 55) {
        data->queries.push_back(flip(stored, static_cast<int>(rng() % 17), rng));
      } else if (k < 65) {
        data->queries.push_back(flip(stored, 36 + static_cast<int>(rng() % 13), rng));
      } else if (k < 95) {
        data->queries.push_back(random_code(rng));
      } else {
        data->queries.push_back(flat_code(rng() % 2 == 1, rng));
      }
    }
  }
  size_t total = 0;
  for (const Code& q : data->queries) {
    data->truth.push_back(brute_force(data->codes, q));
    total += data->truth.back().size();
  }
  data->results_per_query = static_cast<double>(total) / static_cast<double>(queries);
  return data;
}

// ---------------------------------------------------------------------------------------------
// Implementations

// Searches a batch, keeping its results in the library's own form (run, timed), and converts
// them to sorted positions on request (results, untimed).
class Matcher {
 public:
  virtual ~Matcher() = default;
  virtual void run(std::span<const Code> queries) = 0;
  virtual void results(std::vector<std::vector<uint32_t>>& out) const = 0;
  virtual double memory_mb() const = 0;
};

class ClearcutMatcher : public Matcher {
 public:
  ClearcutMatcher(const Dataset& data, clearcut::match::SearchStrategy strategy, int threads)
      : strategy_(strategy), threads_(threads) {
    std::vector<Entry> entries(data.codes.size());
    for (size_t i = 0; i < data.codes.size(); ++i) {
      entries[i] = {static_cast<int64_t>(i), data.codes[i]};
    }
    auto index = clearcut::match::MatchIndex::build(entries, {.build_threads = 1});
    if (!index) {
      std::fprintf(stderr, "match_bench: %s\n", index.error().to_string().c_str());
      std::abort();
    }
    index_ = std::make_unique<clearcut::match::MatchIndex>(std::move(index).value());
  }
  void run(std::span<const Code> queries) override {
    clearcut::match::BatchOptions options{
        .radius = kRadius, .threads = threads_, .strategy = strategy_, .stats = &last_stats_};
    last_ = index_->search_batch(queries, options);
    probed_ += last_stats_.queries_probed;
    scanned_ += last_stats_.queries_scanned;
    candidates_ += last_stats_.candidates;
    benchmark::DoNotOptimize(last_.all().data());
  }
  void results(std::vector<std::vector<uint32_t>>& out) const override {
    out.assign(last_.size(), {});
    for (size_t q = 0; q < last_.size(); ++q) {
      for (const auto& m : last_[q]) {
        out[q].push_back(static_cast<uint32_t>(m.id));
      }
    }
  }
  double memory_mb() const override {
    return static_cast<double>(index_->memory_usage().total()) / 1e6;
  }
  std::string layout() const {
    return std::to_string(index_->tables()) + "x" + std::to_string(index_->table_bits()) + " " +
           std::string(index_->instruction_set());
  }
  void reset_stats() { probed_ = scanned_ = candidates_ = 0; }
  size_t probed() const { return probed_; }
  size_t scanned() const { return scanned_; }
  size_t candidates() const { return candidates_; }

 private:
  std::unique_ptr<clearcut::match::MatchIndex> index_;
  clearcut::match::SearchStrategy strategy_;
  int threads_;
  clearcut::match::BatchMatches last_;
  clearcut::match::SearchStats last_stats_;
  size_t probed_ = 0;
  size_t scanned_ = 0;
  size_t candidates_ = 0;
};

#if defined(CLEARCUT_MATCH_BENCH_FAISS)
// FAISS binary indexes hold codes as bytes; any byte order works as long as queries share it.
// Binary range_search reports distances strictly below the radius: 32 for "<= 31".
class FaissMatcher : public Matcher {
 public:
  FaissMatcher(const Dataset& data, int nhash, int bits) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(data.codes.data());
    if (nhash == 0) {
      index_ = std::make_unique<faiss::IndexBinaryFlat>(256);
    } else {
      auto hash = std::make_unique<faiss::IndexBinaryMultiHash>(256, nhash, bits);
      hash->nflip = kRadius / nhash;  // pigeonhole: some chunk within floor(31 / nhash)
      index_ = std::move(hash);
    }
    index_->add(static_cast<faiss::IndexBinary::idx_t>(data.codes.size()), bytes);
  }
  void run(std::span<const Code> queries) override {
    result_ = std::make_unique<faiss::RangeSearchResult>(queries.size());
    index_->range_search(static_cast<faiss::IndexBinary::idx_t>(queries.size()),
                         reinterpret_cast<const uint8_t*>(queries.data()), kRadius + 1,
                         result_.get());
    benchmark::DoNotOptimize(result_->labels);
  }
  void results(std::vector<std::vector<uint32_t>>& out) const override {
    out.assign(result_->nq, {});
    for (size_t q = 0; q < result_->nq; ++q) {
      for (size_t k = result_->lims[q]; k < result_->lims[q + 1]; ++k) {
        out[q].push_back(static_cast<uint32_t>(result_->labels[k]));
      }
    }
  }
  double memory_mb() const override { return 0; }

 private:
  std::unique_ptr<faiss::IndexBinary> index_;
  std::unique_ptr<faiss::RangeSearchResult> result_;
};
#endif

#if defined(CLEARCUT_MATCH_BENCH_PDQ_REFERENCE)
namespace pdq = facebook::pdq;

// pdq::hashing::Hash256 is sixteen 16-bit words, word 0 the lowest: on little-endian x86 the
// same 32 bytes as a Code.
pdq::hashing::Hash256 to_pdq(const Code& code) {
  pdq::hashing::Hash256 hash;
  std::memcpy(hash.w, code.data(), sizeof(hash.w));
  return hash;
}

// index/flat.h: a linear scan that compares each stored hash with eight needles at once
// (AVX-512 VPOPCNTDQ when compiled for it, else scalar). A batch is split into groups of
// eight; a short group repeats its last needle and ignores the repeats' matches.
class PdqFlatMatcher : public Matcher {
 public:
  explicit PdqFlatMatcher(const Dataset& data) {
    haystack_.reserve(data.codes.size());
    for (const Code& c : data.codes) {
      haystack_.push_back(to_pdq(c));
    }
  }
  void run(std::span<const Code> queries) override {
    matches_.assign((queries.size() + 7) / 8, {});
    counts_.assign(matches_.size(), 0);
    for (size_t g = 0; g < matches_.size(); ++g) {
      std::array<pdq::hashing::Hash256, 8> needles;
      const size_t count = std::min<size_t>(8, queries.size() - g * 8);
      for (size_t k = 0; k < 8; ++k) {
        needles[k] = to_pdq(queries[g * 8 + std::min(k, count - 1)]);
      }
      const pdq::index::Flat flat(needles);
      flat.queryAll(haystack_.data(), haystack_.size(), kRadius, matches_[g]);
      counts_[g] = count;
    }
    benchmark::DoNotOptimize(matches_.data());
  }
  void results(std::vector<std::vector<uint32_t>>& out) const override {
    out.clear();
    for (size_t g = 0; g < matches_.size(); ++g) {
      const size_t first = out.size();
      out.resize(first + counts_[g]);
      for (const auto& [position, needle] : matches_[g]) {
        if (needle < counts_[g]) {
          out[first + needle].push_back(static_cast<uint32_t>(position));
        }
      }
    }
  }
  double memory_mb() const override {
    return static_cast<double>(haystack_.size() * sizeof(pdq::hashing::Hash256)) / 1e6;
  }
  static bool simd() { return pdq::index::Flat::SIMD_ACCELERATED; }

 private:
  std::vector<pdq::hashing::Hash256> haystack_;
  std::vector<std::vector<std::pair<size_t, size_t>>> matches_;
  std::vector<size_t> counts_;
};

// index/mih.h: 16 tables of 16-bit slots (std::map of vectors), probed within floor(31 / 16)
// = 1 bit, candidates deduplicated through a std::set.
class PdqMihMatcher : public Matcher {
 public:
  explicit PdqMihMatcher(const Dataset& data) : mih_(std::make_unique<Mih>()) {
    uint32_t position = 0;
    for (const Code& c : data.codes) {
      mih_->insert(to_pdq(c), position++);
    }
  }
  void run(std::span<const Code> queries) override {
    matches_.assign(queries.size(), {});
    for (size_t q = 0; q < queries.size(); ++q) {
      mih_->queryAll(to_pdq(queries[q]), kRadius, matches_[q]);
    }
    benchmark::DoNotOptimize(matches_.data());
  }
  void results(std::vector<std::vector<uint32_t>>& out) const override {
    out.assign(matches_.size(), {});
    for (size_t q = 0; q < matches_.size(); ++q) {
      for (const auto& [hash, position] : matches_[q]) {
        out[q].push_back(position);
      }
    }
  }
  double memory_mb() const override { return 0; }

 private:
  using Mih = pdq::index::MIH256<uint32_t>;
  std::unique_ptr<Mih> mih_;
  std::vector<std::vector<std::pair<pdq::hashing::Hash256, uint32_t>>> matches_;
};
#endif

// ---------------------------------------------------------------------------------------------
// The benchmark driver: one dataset and one built implementation are kept at a time, so the
// registration order (dataset, implementation, batch size) builds each once.

struct Implementation {
  std::string name;
  std::function<std::unique_ptr<Matcher>(const Dataset&)> make;
};

std::unique_ptr<Dataset> g_dataset;
std::unique_ptr<Matcher> g_matcher;
std::string g_matcher_key;
double g_build_seconds = 0;
size_t g_queries = 64;

const Dataset& dataset(const std::string& kind, size_t size) {
  if (!g_dataset || g_dataset->kind != kind || g_dataset->size != size) {
    g_matcher.reset();
    g_matcher_key.clear();
    g_dataset.reset();
    g_dataset = make_dataset(kind, size, g_queries);
  }
  return *g_dataset;
}

Matcher& matcher(const Implementation& impl, const Dataset& data) {
  const std::string key = impl.name + "/" + data.kind + "/" + std::to_string(data.size);
  if (key != g_matcher_key) {
    g_matcher.reset();
    const auto start = std::chrono::steady_clock::now();
    g_matcher = impl.make(data);
    g_build_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    g_matcher_key = key;
  }
  return *g_matcher;
}

void run_batches(Matcher& m, const std::vector<Code>& queries, size_t batch,
                 std::vector<std::vector<uint32_t>>* collected) {
  for (size_t first = 0; first < queries.size(); first += batch) {
    const size_t count = std::min(batch, queries.size() - first);
    m.run(std::span<const Code>(queries).subspan(first, count));
    if (collected != nullptr) {
      std::vector<std::vector<uint32_t>> part;
      m.results(part);
      for (auto& r : part) {
        std::sort(r.begin(), r.end());
        collected->push_back(std::move(r));
      }
    }
  }
}

void bm_match(benchmark::State& state, const Implementation& impl, const std::string& kind,
              size_t size, size_t batch) {
  const Dataset& data = dataset(kind, size);
  Matcher& m = matcher(impl, data);
  // Same result sets as the brute force, or no figure at all.
  std::vector<std::vector<uint32_t>> got;
  run_batches(m, data.queries, batch, &got);
  for (size_t q = 0; q < data.queries.size(); ++q) {
    if (q >= got.size() || got[q] != data.truth[q]) {
      state.SkipWithError(("results differ from the brute force at query " + std::to_string(q) +
                           ": " + std::to_string(q < got.size() ? got[q].size() : 0) + " vs " +
                           std::to_string(data.truth[q].size()))
                              .c_str());
      return;
    }
  }
  auto* ours = dynamic_cast<ClearcutMatcher*>(&m);
  if (ours != nullptr) {
    ours->reset_stats();
  }
  for (auto _ : state) {
    run_batches(m, data.queries, batch, nullptr);
  }
  const double queries = static_cast<double>(data.queries.size());
  state.counters["queries"] = queries;
  state.counters["per_query"] = benchmark::Counter(
      queries, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["results_per_query"] = data.results_per_query;
  state.counters["build_s"] = g_build_seconds;
  if (const double mb = m.memory_mb(); mb > 0) {
    state.counters["memory_MB"] = mb;
  }
  if (ours != nullptr) {
    const double total = static_cast<double>(ours->probed() + ours->scanned());
    state.counters["probed_share"] = total > 0 ? static_cast<double>(ours->probed()) / total : 0;
    state.counters["candidates_per_query"] =
        total > 0 ? static_cast<double>(ours->candidates()) / total : 0;
    state.SetLabel(ours->layout());
  }
}

std::vector<Implementation> implementations() {
  using clearcut::match::SearchStrategy;
  std::vector<Implementation> out = {
      {"clearcut",
       [](const Dataset& d) {
         return std::make_unique<ClearcutMatcher>(d, SearchStrategy::kAuto, 1);
       }},
      {"clearcut_scan",
       [](const Dataset& d) {
         return std::make_unique<ClearcutMatcher>(d, SearchStrategy::kScan, 1);
       }},
  };
#if defined(CLEARCUT_MATCH_BENCH_FAISS)
  out.push_back({"faiss_flat", [](const Dataset& d) {
                   return std::make_unique<FaissMatcher>(d, 0, 0);
                 }});
  out.push_back({"faiss_multihash_8x32", [](const Dataset& d) {
                   return std::make_unique<FaissMatcher>(d, 8, 32);
                 }});
  out.push_back({"faiss_multihash_16x16", [](const Dataset& d) {
                   return std::make_unique<FaissMatcher>(d, 16, 16);
                 }});
#endif
#if defined(CLEARCUT_MATCH_BENCH_PDQ_REFERENCE)
  out.push_back(
      {PdqFlatMatcher::simd() ? "pdq_flat_avx512" : "pdq_flat_scalar", [](const Dataset& d) {
         return std::make_unique<PdqFlatMatcher>(d);
       }});
  out.push_back({"pdq_mih_16x16", [](const Dataset& d) {
                   return std::make_unique<PdqMihMatcher>(d);
                 }});
#endif
  return out;
}

}  // namespace

int main(int argc, char** argv) {
#if defined(CLEARCUT_MATCH_BENCH_FAISS)
  omp_set_num_threads(1);  // one thread for every implementation
#endif
  g_queries = env_list("MATCH_BENCH_QUERIES", {64}).at(0);
  const auto sizes = env_list("MATCH_BENCH_SIZES", {50000});
  const auto batches = env_list("MATCH_BENCH_BATCHES", {1, 64});
  static const std::vector<Implementation> impls = implementations();
  for (size_t size : sizes) {
    for (const char* kind : {"random", "clustered"}) {
      for (const Implementation& impl : impls) {
        for (size_t batch : batches) {
          const std::string name = impl.name + "/" + kind + "/" + std::to_string(size) +
                                   "/batch:" + std::to_string(batch);
          benchmark::RegisterBenchmark(name.c_str(), [&impl, kind, size,
                                                      batch](benchmark::State& state) {
            bm_match(state, impl, kind, size, batch);
          })->Unit(benchmark::kMillisecond);
        }
      }
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
