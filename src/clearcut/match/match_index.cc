#include "clearcut/match/match_index.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>
#include <utility>

namespace clearcut::match {
namespace {

using base::Error;
using base::ErrorCode;
using base::Status;
using internal::Candidate;
using internal::Hit;
using internal::MultiIndex;
using internal::MultiIndexLayout;
using internal::ProbedSubstring;

// Below this many codes an automatic layout keeps no tables: a scan of 32 KiB is as quick.
constexpr size_t kMinTabledCodes = 1024;
// Codes added since the last rebuild are scanned by every query; fold them in past
// max(kMinPending, tabled / kPendingDivisor).
constexpr size_t kMinPending = 4096;
constexpr size_t kPendingDivisor = 64;
// Multi-query scans walk the codes in blocks that stay in L1 while every query group passes.
constexpr size_t kScanBlock = 1024;

// The cost model that picks between probing and scanning, in nanoseconds, measured with 10M
// codes on the 2-core development VM (bench/match_bench.cc, README.md): a probe reads a bucket
// directory entry and its positions (mostly cache misses: 20 ns), a candidate is a random code
// fetch (12 ns; less in the dense buckets of a cluster), a scan streams 32 bytes a code from
// memory for one query (2.8 ns) or compares a cached code with one more query of a group
// sharing the pass (0.3 ns).
constexpr double kProbeNs = 20.0;
constexpr double kCandidateNs = 12.0;
constexpr double kScanNsSingle = 2.8;
constexpr double kScanNsShared = 0.3;
// A batch with at least this many queries that scan shares one pass between them.
constexpr size_t kMinSharedScan = 4;
// Beyond this many probes a query scans even when told to use the tables.
constexpr double kMaxProbes = double{1 << 24};

Status validate(const IndexOptions& o) {
  if (o.radius < 0 || o.radius > kCodeBits) {
    return base::invalid_argument("match index: radius " + std::to_string(o.radius) +
                                  " is outside 0..256");
  }
  if (o.tables < IndexOptions::kAuto || o.tables > internal::kMaxTables) {
    return base::invalid_argument("match index: tables " + std::to_string(o.tables) +
                                  " is outside 0.." + std::to_string(internal::kMaxTables));
  }
  if (o.table_bits != IndexOptions::kAuto &&
      (o.table_bits < 1 || o.table_bits > internal::kMaxTableBits)) {
    return base::invalid_argument("match index: table_bits " + std::to_string(o.table_bits) +
                                  " is outside 1.." + std::to_string(internal::kMaxTableBits));
  }
  if (o.tables > 0 && o.table_bits > 0 && o.tables * o.table_bits > kCodeBits) {
    return base::invalid_argument("match index: " + std::to_string(o.tables) + " tables of " +
                                  std::to_string(o.table_bits) + " bits exceed 256 bits");
  }
  if (o.build_threads < 1) {
    return base::invalid_argument("match index: build_threads must be at least 1");
  }
  return {};
}

// The layout for n codes: unless the options fix them, the tables and bits that minimise the
// estimated query time (the cost model above, uniform codes) times the memory, over every
// layout with 4..28 bits a table and over no tables at all (a scan, which wins for a large
// radius). With PDQ's radius 31 that is 16x16 at 1M codes, 11x23 at 10M and 100M.
MultiIndexLayout choose_layout(size_t n, const IndexOptions& o) {
  if (o.tables == 0 || n == 0) {
    return {};
  }
  if (o.tables == IndexOptions::kAuto && o.table_bits == IndexOptions::kAuto &&
      n < kMinTabledCodes) {
    return {};
  }
  const double codes = static_cast<double>(n);
  const bool automatic = o.tables == IndexOptions::kAuto && o.table_bits == IndexOptions::kAuto;
  // Automatic layouts start from the scan's score; fixed ones take the best that fits.
  MultiIndexLayout best;
  double best_score = automatic ? codes * kScanNsSingle * codes * 40 : 0;
  bool have = automatic;
  for (int bits = 1; bits <= internal::kMaxTableBits; ++bits) {
    if (o.table_bits == IndexOptions::kAuto ? (bits < 4 || bits > 28) : bits != o.table_bits) {
      continue;
    }
    for (int tables = 1; tables <= std::min(kCodeBits / bits, internal::kMaxTables); ++tables) {
      if (o.tables != IndexOptions::kAuto && tables != o.tables) {
        continue;
      }
      const MultiIndexLayout layout{tables, bits};
      const double probes = MultiIndex::probe_count(layout, o.radius);
      const double buckets = std::ldexp(1.0, bits);
      const double ns = probes * kProbeNs + probes * codes / buckets * kCandidateNs;
      const double bytes = codes * 40 + tables * (4 * codes + 4 * buckets);
      if (!have || ns * bytes < best_score) {
        best = layout;
        best_score = ns * bytes;
        have = true;
      }
    }
  }
  return best;
}

// Runs body(worker, i) for i in [0, n) on up to `threads` threads, the caller's included.
template <typename Body>
void parallel_for(size_t n, int threads, Body&& body) {
  const int workers = static_cast<int>(
      std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), std::max<size_t>(n, 1)));
  if (workers == 1) {
    for (size_t i = 0; i < n; ++i) {
      body(0, i);
    }
    return;
  }
  std::atomic<size_t> next{0};
  auto run = [&](int worker) {
    for (size_t i = next++; i < n; i = next++) {
      body(worker, i);
    }
  };
  std::vector<std::jthread> pool;
  pool.reserve(workers - 1);
  for (int w = 1; w < workers; ++w) {
    pool.emplace_back(run, w);
  }
  run(0);
}

// Compares codes[begin, end) with the queries listed in `which` (indices into `queries`),
// eight at a time, block by block; hits carry the query's index into `queries`.
void scan_blocked(internal::Isa isa, const Code* codes, size_t begin, size_t end,
                  std::span<const Code> queries, std::span<const uint32_t> which, int radius,
                  std::vector<Hit>& hits) {
  const size_t groups = (which.size() + internal::kMaxScanGroup - 1) / internal::kMaxScanGroup;
  std::vector<Code> packed(groups * internal::kMaxScanGroup);
  for (size_t i = 0; i < which.size(); ++i) {
    packed[i] = queries[which[i]];
  }
  int radii[internal::kMaxScanGroup];
  std::fill(std::begin(radii), std::end(radii), radius);
  for (size_t block = begin; block < end; block += kScanBlock) {
    const size_t length = std::min(kScanBlock, end - block);
    for (size_t g = 0; g < groups; ++g) {
      const size_t first = g * internal::kMaxScanGroup;
      const int count =
          static_cast<int>(std::min<size_t>(internal::kMaxScanGroup, which.size() - first));
      const size_t before = hits.size();
      internal::scan_codes(isa, codes + block, length, static_cast<uint32_t>(block),
                           packed.data() + first, radii, count, hits);
      for (size_t k = before; k < hits.size(); ++k) {
        hits[k].query = which[first + hits[k].query];
      }
    }
  }
}

struct ProbeScratch {
  std::vector<Candidate> candidates;
  std::vector<Hit> hits;
};

ProbeScratch& probe_scratch() {
  thread_local ProbeScratch scratch;
  return scratch;
}

}  // namespace

MatchIndex::MatchIndex() : MatchIndex(IndexOptions{}) {}

MatchIndex::MatchIndex(const IndexOptions& options)
    : options_(options), isa_(internal::best_isa()) {}

base::Result<MatchIndex> MatchIndex::create(const IndexOptions& options) {
  CC_TRY(validate(options));
  return MatchIndex(options);
}

base::Result<MatchIndex> MatchIndex::build(std::span<const Entry> entries,
                                           const IndexOptions& options) {
  CC_TRY(validate(options));
  if (entries.size() > kMaxRegistryRecords) {
    return Error(ErrorCode::kResourceExhausted, "match index: more than 2^32 - 1 codes");
  }
  MatchIndex index(options);
  IdVector ids(entries.size());
  CodeVector codes(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    ids[i] = entries[i].id;
    codes[i] = entries[i].code;
  }
  CC_TRY(index.install(std::move(ids), std::move(codes), ErrorCode::kInvalidArgument));
  return index;
}

base::Result<MatchIndex> MatchIndex::load(const std::string& path, const IndexOptions& options) {
  CC_TRY(validate(options));
  struct Sink : RegistrySink {
    IdVector ids;
    CodeVector codes;
    void begin(uint64_t count) override {
      ids.reserve(count);
      codes.reserve(count);
    }
    void append(std::span<const Entry> entries) override {
      for (const Entry& e : entries) {
        ids.push_back(e.id);
        codes.push_back(e.code);
      }
    }
  } sink;
  CC_TRY(read_registry_export(path, sink));
  MatchIndex index(options);
  if (auto status = index.install(std::move(sink.ids), std::move(sink.codes), ErrorCode::kDataLoss);
      !status) {
    return std::move(status).error().with_context(path);
  }
  return index;
}

base::Result<MatchIndex> MatchIndex::parse(std::span<const uint8_t> bytes,
                                           const IndexOptions& options) {
  CC_TRY(validate(options));
  const std::vector<Entry> entries = CC_TRY(decode_registry_export(bytes));
  return build(entries, options);
}

Status MatchIndex::save(const std::string& path) const {
  return write_registry_export(path, entries());
}

std::vector<Entry> MatchIndex::entries() const {
  std::vector<Entry> out;
  out.reserve(size());
  for (size_t i = 0; i < ids_.size(); ++i) {
    if (!removed(i)) {
      out.push_back({ids_[i], codes_[i]});
    }
  }
  const size_t tabled = out.size();
  for (size_t i = 0; i < pending_ids_.size(); ++i) {
    out.push_back({pending_ids_[i], pending_codes_[i]});
  }
  auto by_id = [](const Entry& a, const Entry& b) {
    return a.id < b.id;
  };
  std::sort(out.begin() + static_cast<ptrdiff_t>(tabled), out.end(), by_id);
  std::inplace_merge(out.begin(), out.begin() + static_cast<ptrdiff_t>(tabled), out.end(), by_id);
  return out;
}

Status MatchIndex::install(IdVector ids, CodeVector codes, ErrorCode duplicate_code) {
  CC_CHECK(ids.size() == codes.size());
  if (!std::is_sorted(ids.begin(), ids.end())) {
    std::vector<uint32_t> order(ids.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return ids[a] < ids[b]; });
    IdVector sorted_ids(ids.size());
    CodeVector sorted_codes(codes.size());
    for (size_t i = 0; i < order.size(); ++i) {
      sorted_ids[i] = ids[order[i]];
      sorted_codes[i] = codes[order[i]];
    }
    ids = std::move(sorted_ids);
    codes = std::move(sorted_codes);
  }
  if (auto dup = std::adjacent_find(ids.begin(), ids.end()); dup != ids.end()) {
    return Error(duplicate_code, "match index: id " + std::to_string(*dup) + " appears twice");
  }
  ids_ = std::move(ids);
  codes_ = std::move(codes);
  removed_.assign((ids_.size() + 63) / 64, 0);
  removed_count_ = 0;
  pending_ids_.clear();
  pending_codes_.clear();
  pending_positions_.clear();
  build_tables();
  return {};
}

void MatchIndex::build_tables() {
  multi_ = MultiIndex();  // frees the old tables before the new ones are allocated
  const MultiIndexLayout layout = choose_layout(ids_.size(), options_);
  if (layout.tables > 0) {
    multi_ = MultiIndex::build(codes_, layout, options_.build_threads);
  }
}

std::optional<size_t> MatchIndex::main_position(int64_t id) const {
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  if (it == ids_.end() || *it != id) {
    return std::nullopt;
  }
  const size_t position = static_cast<size_t>(it - ids_.begin());
  if (removed(position)) {
    return std::nullopt;
  }
  return position;
}

std::optional<Code> MatchIndex::find(int64_t id) const {
  if (auto position = main_position(id)) {
    return codes_[*position];
  }
  if (auto it = pending_positions_.find(id); it != pending_positions_.end()) {
    return pending_codes_[it->second];
  }
  return std::nullopt;
}

Status MatchIndex::add(int64_t id, const Code& code) {
  if (contains(id)) {
    return Error(ErrorCode::kAlreadyExists, "match index: id " + std::to_string(id) + " exists");
  }
  if (size() >= kMaxRegistryRecords) {
    return Error(ErrorCode::kResourceExhausted, "match index: full (2^32 - 1 codes)");
  }
  pending_positions_.emplace(id, static_cast<uint32_t>(pending_ids_.size()));
  pending_ids_.push_back(id);
  pending_codes_.push_back(code);
  if (options_.auto_rebuild &&
      pending_ids_.size() > std::max(kMinPending, ids_.size() / kPendingDivisor)) {
    rebuild();
  }
  return {};
}

Status MatchIndex::remove(int64_t id) {
  if (auto position = main_position(id)) {
    removed_[*position >> 6] |= uint64_t{1} << (*position & 63);
    ++removed_count_;
    if (options_.auto_rebuild && removed_count_ > std::max(kMinPending, ids_.size() / 4)) {
      rebuild();
    }
    return {};
  }
  auto it = pending_positions_.find(id);
  if (it == pending_positions_.end()) {
    return base::not_found("match index: no id " + std::to_string(id));
  }
  const uint32_t position = it->second;
  pending_positions_.erase(it);
  const uint32_t last = static_cast<uint32_t>(pending_ids_.size() - 1);
  if (position != last) {
    pending_ids_[position] = pending_ids_[last];
    pending_codes_[position] = pending_codes_[last];
    pending_positions_[pending_ids_[position]] = position;
  }
  pending_ids_.pop_back();
  pending_codes_.pop_back();
  return {};
}

void MatchIndex::rebuild() {
  std::vector<uint32_t> order(pending_ids_.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return pending_ids_[a] < pending_ids_[b]; });
  const size_t live = size();
  IdVector ids;
  CodeVector codes;
  ids.reserve(live);
  codes.reserve(live);
  size_t i = 0;
  size_t j = 0;
  while (i < ids_.size() || j < order.size()) {
    if (i < ids_.size() && removed(i)) {
      ++i;
    } else if (j == order.size() || (i < ids_.size() && ids_[i] < pending_ids_[order[j]])) {
      ids.push_back(ids_[i]);
      codes.push_back(codes_[i]);
      ++i;
    } else {
      ids.push_back(pending_ids_[order[j]]);
      codes.push_back(pending_codes_[order[j]]);
      ++j;
    }
  }
  multi_ = MultiIndex();
  ids_ = {};
  codes_ = {};
  const Status status = install(std::move(ids), std::move(codes), ErrorCode::kInternal);
  CC_CHECK(status.has_value());  // the ids were unique before the merge
}

MemoryUsage MatchIndex::memory_usage() const {
  MemoryUsage usage;
  usage.codes = codes_.capacity() * sizeof(Code);
  usage.ids = ids_.capacity() * sizeof(int64_t) + removed_.capacity() * sizeof(uint64_t);
  usage.tables = multi_.memory_bytes();
  // An unordered_map node holds the pair and a next pointer; the bucket array a pointer each.
  usage.pending = pending_ids_.capacity() * sizeof(int64_t) +
                  pending_codes_.capacity() * sizeof(Code) +
                  pending_positions_.size() * (sizeof(std::pair<int64_t, uint32_t>) + 16) +
                  pending_positions_.bucket_count() * sizeof(void*);
  return usage;
}

std::vector<Match> MatchIndex::search(const Code& query) const {
  return search(query, options_.radius);
}

std::vector<Match> MatchIndex::search(const Code& query, int radius) const {
  BatchOptions options;
  options.radius = radius;
  const BatchMatches batch = search_batch(std::span<const Code>(&query, 1), options);
  return {batch.all().begin(), batch.all().end()};
}

std::vector<Match> MatchIndex::search_dihedral(std::span<const Code, 8> variants) const {
  return search_dihedral(variants, options_.radius);
}

std::vector<Match> MatchIndex::search_dihedral(std::span<const Code, 8> variants,
                                               int radius) const {
  BatchOptions options;
  options.radius = radius;
  options.group = 8;
  const BatchMatches batch = search_batch(variants, options);
  return {batch.all().begin(), batch.all().end()};
}

BatchMatches MatchIndex::search_batch(std::span<const Code> queries,
                                      const BatchOptions& options) const {
  const int radius = options.radius.value_or(options_.radius);
  const size_t group = static_cast<size_t>(std::max(options.group, 1));
  CC_CHECK(queries.size() % group == 0);
  const size_t n = queries.size();
  const size_t tabled = ids_.size();
  std::vector<std::vector<Match>> found(n);
  std::vector<uint8_t> scan_tabled(n, 0);
  SearchStats stats;

  // Probe or scan: a query probes when its probes and the candidates in the buckets they hit
  // are estimated cheaper than a scan; the bucket sizes are read before anything is verified.
  // In a batch, scanning queries share a pass, so a query first gets the shared rate; if too
  // few end up scanning to share, they are probed again against the solo rate.
  bool probe =
      radius >= 0 && tabled > 0 && !multi_.empty() && options.strategy != SearchStrategy::kScan;
  const double probes = probe ? MultiIndex::probe_count(multi_.layout(), radius) : 0;
  const double probe_ns = probes * kProbeNs;
  const double solo_ns = static_cast<double>(tabled) * kScanNsSingle;
  const double shared_ns = static_cast<double>(tabled) * kScanNsShared;
  const bool automatic = options.strategy == SearchStrategy::kAuto;
  const bool shared = n >= kMinSharedScan;
  if (probe && (probes > kMaxProbes || (automatic && probe_ns >= (shared ? shared_ns : solo_ns)))) {
    probe = false;
  }
  auto limit_for = [&](double scan_ns) {
    if (!automatic) {
      return std::numeric_limits<size_t>::max();
    }
    return scan_ns <= probe_ns ? size_t{0}
                               : static_cast<size_t>((scan_ns - probe_ns) / kCandidateNs);
  };
  if (probe) {
    std::array<ProbedSubstring, internal::kMaxTables> plan_storage;
    const std::span<ProbedSubstring> plan(plan_storage.data(), multi_.layout().tables);
    multi_.plan(radius, plan);
    std::atomic<size_t> candidates{0};
    // Answers query q from the tables unless its candidates exceed `limit`; then marks it.
    auto probe_query = [&](size_t q, size_t limit) {
      ProbeScratch& s = probe_scratch();
      s.candidates.clear();
      s.hits.clear();
      const size_t total = multi_.collect(queries[q], plan, limit, s.candidates);
      if (total > limit) {
        scan_tabled[q] = 1;
        return;
      }
      scan_tabled[q] = 0;
      candidates += total;
      internal::verify_candidates(isa_, codes_.data(), s.candidates, queries[q], radius, plan,
                                  s.hits);
      for (const Hit& hit : s.hits) {
        if (!removed(hit.position)) {
          found[q].push_back({ids_[hit.position], hit.distance, 0});
        }
      }
    };
    const size_t first_limit = limit_for(shared ? shared_ns : solo_ns);
    parallel_for(n, options.threads, [&](int, size_t q) { probe_query(q, first_limit); });
    if (shared && automatic) {
      std::vector<size_t> few;
      for (size_t q = 0; q < n && few.size() < kMinSharedScan; ++q) {
        if (scan_tabled[q]) {
          few.push_back(q);
        }
      }
      if (!few.empty() && few.size() < kMinSharedScan) {
        const size_t solo_limit = limit_for(solo_ns);
        parallel_for(few.size(), options.threads,
                     [&](int, size_t i) { probe_query(few[i], solo_limit); });
      }
    }
    stats.candidates = candidates;
  } else if (radius >= 0 && tabled > 0) {
    std::fill(scan_tabled.begin(), scan_tabled.end(), 1);
  }

  // Scans: the tabled codes for the queries that did not probe, the pending codes for all.
  std::vector<uint32_t> scanners;
  for (size_t q = 0; q < n; ++q) {
    if (scan_tabled[q]) {
      scanners.push_back(static_cast<uint32_t>(q));
    }
  }
  stats.queries_scanned = scanners.size();
  stats.queries_probed = probe ? n - scanners.size() : 0;
  std::vector<uint32_t> everyone;
  const size_t pending = pending_ids_.size();
  if (pending > 0 && radius >= 0) {
    everyone.resize(n);
    std::iota(everyone.begin(), everyone.end(), 0u);
  }
  // Both code arrays split into block-aligned chunks, one task each.
  struct Task {
    bool tabled;
    size_t begin;
    size_t end;
  };
  std::vector<Task> tasks;
  std::vector<std::vector<Hit>> hits;
  if (!scanners.empty() || !everyone.empty()) {
    constexpr size_t chunk = kScanBlock * 64;
    auto split = [&](bool is_tabled, size_t count) {
      const size_t parts = options.threads > 1 ? (count + chunk - 1) / chunk : 1;
      for (size_t p = 0; p < parts; ++p) {
        const size_t begin = count * p / parts / kScanBlock * kScanBlock;
        const size_t end =
            p + 1 == parts ? count : count * (p + 1) / parts / kScanBlock * kScanBlock;
        if (begin < end) {
          tasks.push_back({is_tabled, begin, end});
        }
      }
    };
    if (!scanners.empty()) {
      split(true, tabled);
    }
    if (!everyone.empty()) {
      split(false, pending);
    }
    hits.resize(tasks.size());
    parallel_for(tasks.size(), options.threads, [&](int, size_t t) {
      const Task& task = tasks[t];
      if (task.tabled) {
        scan_blocked(isa_, codes_.data(), task.begin, task.end, queries, scanners, radius, hits[t]);
      } else {
        scan_blocked(isa_, pending_codes_.data(), task.begin, task.end, queries, everyone, radius,
                     hits[t]);
      }
    });
  }
  if (options.stats != nullptr) {
    *options.stats = stats;
  }

  // Each query's matches land in place in one array: the probed ones, then the scan hits.
  std::vector<size_t> start(n + 1, 0);
  for (size_t q = 0; q < n; ++q) {
    start[q + 1] = found[q].size();
  }
  auto keep = [&](const Task& task, const Hit& hit) {
    return !task.tabled || !removed(hit.position);
  };
  for (size_t t = 0; t < tasks.size(); ++t) {
    for (const Hit& hit : hits[t]) {
      start[hit.query + 1] += keep(tasks[t], hit) ? 1 : 0;
    }
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  BatchMatches out;
  out.matches_.resize(start[n]);
  std::vector<size_t> cursor(start.begin(), start.end() - 1);
  for (size_t q = 0; q < n; ++q) {
    const int32_t variant = static_cast<int32_t>(q % group);
    for (Match m : found[q]) {
      m.variant = variant;
      out.matches_[cursor[q]++] = m;
    }
  }
  for (size_t t = 0; t < tasks.size(); ++t) {
    for (const Hit& hit : hits[t]) {
      if (keep(tasks[t], hit)) {
        const int64_t id = tasks[t].tabled ? ids_[hit.position] : pending_ids_[hit.position];
        out.matches_[cursor[hit.query]++] = {id, hit.distance,
                                             static_cast<int32_t>(hit.query % group)};
      }
    }
  }
  if (group == 1) {
    out.offsets_ = std::move(start);
    return out;
  }
  // One match per id and group: the nearest variant, the first on a tie.
  out.offsets_.reserve(n / group + 1);
  size_t kept = 0;
  for (size_t g = 0; g < n; g += group) {
    auto begin = out.matches_.begin() + static_cast<ptrdiff_t>(start[g]);
    auto end = out.matches_.begin() + static_cast<ptrdiff_t>(start[g + group]);
    std::sort(begin, end, [](const Match& a, const Match& b) {
      return std::tie(a.id, a.distance, a.variant) < std::tie(b.id, b.distance, b.variant);
    });
    end = std::unique(begin, end, [](const Match& a, const Match& b) { return a.id == b.id; });
    kept = static_cast<size_t>(
        std::move(begin, end, out.matches_.begin() + static_cast<ptrdiff_t>(kept)) -
        out.matches_.begin());
    out.offsets_.push_back(kept);
  }
  out.matches_.resize(kept);
  return out;
}

}  // namespace clearcut::match
