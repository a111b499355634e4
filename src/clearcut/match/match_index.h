#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/match/code.h"
#include "clearcut/match/internal/aligned_allocator.h"
#include "clearcut/match/internal/hamming_kernels.h"
#include "clearcut/match/internal/multi_index.h"
#include "clearcut/match/registry_export.h"

namespace clearcut::match {

// A stored code within the radius of a query.
struct Match {
  int64_t id = 0;
  int32_t distance = 0;
  // Which query of its group (BatchOptions::group) it is nearest to; 0 for ungrouped queries.
  int32_t variant = 0;

  friend bool operator==(const Match&, const Match&) = default;
};

struct IndexOptions {
  static constexpr int kAuto = -1;

  // Default search radius, and the one the multi-index tables are sized for. Searches may pass
  // any radius.
  int radius = kPdqRadius;
  // Multi-index tables: kAuto chooses by size, 0 keeps none (every search scans).
  int tables = kAuto;
  // Bits per table, i.e. 2^table_bits buckets: kAuto chooses floor(log2(size)).
  int table_bits = kAuto;
  // Threads that build tables (in build, load and rebuild).
  int build_threads = 1;
  // Folds the codes added since the last rebuild into the tables once they exceed
  // max(4096, size / 64), and drops removed codes once they exceed a quarter of the tables.
  bool auto_rebuild = true;
};

// How a search finds its matches; all three give the same results.
enum class SearchStrategy {
  kAuto,        // per query, whichever the cost model estimates cheaper
  kMultiIndex,  // probe the tables (scans when there are none or the probes would be absurd)
  kScan,        // compare with every stored code
};

// What a batch search did, for benchmarks and logs.
struct SearchStats {
  size_t queries_probed = 0;   // queries answered through the multi-index tables
  size_t queries_scanned = 0;  // queries answered by scanning the stored codes
  size_t candidates = 0;       // codes the probed queries verified
};

struct BatchOptions {
  std::optional<int> radius = std::nullopt;  // the index's radius when unset
  // Consecutive queries searched as one: each group's matches are merged by id, keeping the
  // nearest query (Match::variant). 8 searches the dihedral variants of each frame together.
  int group = 1;
  // Threads the batch is split over (the caller's thread is one of them).
  int threads = 1;
  SearchStrategy strategy = SearchStrategy::kAuto;
  SearchStats* stats = nullptr;
};

// Matches of a batch, one run per query (or group of queries), in query order.
class BatchMatches {
 public:
  size_t size() const { return offsets_.size() - 1; }
  std::span<const Match> operator[](size_t i) const {
    return std::span<const Match>(matches_).subspan(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  // Every match of the batch; query i's are all()[offset(i) .. offset(i + 1)).
  std::span<const Match> all() const { return matches_; }
  size_t offset(size_t i) const { return offsets_[i]; }

 private:
  friend class MatchIndex;
  std::vector<Match> matches_;
  std::vector<size_t> offsets_{0};
};

// Bytes a MatchIndex holds, by part.
struct MemoryUsage {
  size_t codes = 0;    // 32 bytes a code
  size_t ids = 0;      // 8 bytes a code
  size_t tables = 0;   // 4 bytes a code a table, plus 4 * 2^table_bits a table
  size_t pending = 0;  // codes added since the last rebuild, with their id map
  size_t total() const { return codes + ids + tables + pending; }
};

// An exact radius search over 256-bit codes (PDQ hashes): every stored (id, distance) with
// distance <= radius, the same set as a linear scan. Multi-index hashing over substring tables
// answers most queries from a few thousand buckets; a query whose probes would cost more than
// a scan (a large radius, or a dense cluster of near-duplicates) scans instead, with a blocked
// SIMD kernel (AVX-512 VPOPCNTDQ, else POPCNT, chosen at run time) that compares each code
// with up to eight queries at once. Codes added since the last rebuild are scanned; removed
// ones are skipped until the next rebuild. Matches come in no particular order.
//
// Memory: 40 bytes a code (code and id) plus 4 bytes a code a table and 4 * 2^table_bits a
// table; with the automatic layout (11 tables of 23 bits) 121 bytes a code at 10 million codes
// and 88 at 100 million (8.8 GB); `tables` trades memory for speed down to 40 bytes a code
// (README.md has the table). At most 2^32 - 1 codes.
//
// Thread safety: const members may run concurrently (searches use thread-local scratch);
// add, remove, rebuild and assignment need exclusive access. Failure: bad options and bad
// files give an Error; searches cannot fail.
class MatchIndex {
 public:
  // An empty index with default options.
  MatchIndex();

  // An empty index; kInvalidArgument when an option is out of range.
  static base::Result<MatchIndex> create(const IndexOptions& options);
  // An index over `entries`; kInvalidArgument for bad options or a repeated id.
  static base::Result<MatchIndex> build(std::span<const Entry> entries,
                                        const IndexOptions& options = {});
  // An index over a registry export file (registry_export.h); errors as read_registry_export,
  // plus kDataLoss for a repeated id.
  static base::Result<MatchIndex> load(const std::string& path, const IndexOptions& options = {});
  // The same, for the file's bytes in memory.
  static base::Result<MatchIndex> parse(std::span<const uint8_t> bytes,
                                        const IndexOptions& options = {});
  // Writes every stored code as a registry export file (atomically, see registry_export.h).
  base::Status save(const std::string& path) const;
  // The stored codes sorted by id.
  std::vector<Entry> entries() const;

  // Adds a code; kAlreadyExists when the id is present. May rebuild (auto_rebuild).
  base::Status add(int64_t id, const Code& code);
  // Removes a code; kNotFound when the id is absent. May rebuild (auto_rebuild).
  base::Status remove(int64_t id);
  // Folds added codes into the tables and drops removed ones; sizes the tables anew.
  void rebuild();

  size_t size() const { return ids_.size() - removed_count_ + pending_ids_.size(); }
  bool empty() const { return size() == 0; }
  bool contains(int64_t id) const { return find(id).has_value(); }
  std::optional<Code> find(int64_t id) const;

  // Matches of one query within `radius` (the index's radius when omitted).
  std::vector<Match> search(const Code& query) const;
  std::vector<Match> search(const Code& query, int radius) const;
  // The eight dihedral variants of one image (PdqHasher::hash_dihedral, in its order) searched
  // together: each id once, with its nearest variant.
  std::vector<Match> search_dihedral(std::span<const Code, 8> variants) const;
  std::vector<Match> search_dihedral(std::span<const Code, 8> variants, int radius) const;
  // Many queries (the frames of a video); see BatchOptions.
  BatchMatches search_batch(std::span<const Code> queries, const BatchOptions& options = {}) const;

  const IndexOptions& options() const { return options_; }
  // Tables in use (0: scans only) and bits per table.
  int tables() const { return multi_.layout().tables; }
  int table_bits() const { return multi_.layout().bits; }
  // Codes added since the last rebuild (scanned by every search).
  size_t pending() const { return pending_ids_.size(); }
  MemoryUsage memory_usage() const;
  // "avx512-vpopcntdq" and so on: the kernels' instruction set on this CPU.
  std::string_view instruction_set() const { return internal::isa_name(isa_); }

 private:
  using CodeVector = std::vector<Code, internal::AlignedAllocator<Code>>;
  using IdVector = std::vector<int64_t, internal::AlignedAllocator<int64_t>>;
  class Search;

  explicit MatchIndex(const IndexOptions& options);
  // Sorts (ids, codes) by id, fails on a repeated id, builds the tables.
  base::Status install(IdVector ids, CodeVector codes, base::ErrorCode duplicate_code);
  void build_tables();
  bool removed(size_t position) const { return (removed_[position >> 6] >> (position & 63)) & 1; }
  std::optional<size_t> main_position(int64_t id) const;

  IndexOptions options_;
  internal::Isa isa_;
  // The tabled codes, sorted by id; removed ones are flagged until the next rebuild.
  IdVector ids_;
  CodeVector codes_;
  std::vector<uint64_t> removed_;
  size_t removed_count_ = 0;
  internal::MultiIndex multi_;
  // Codes added since the last rebuild.
  std::vector<int64_t> pending_ids_;
  CodeVector pending_codes_;
  std::unordered_map<int64_t, uint32_t> pending_positions_;
};

}  // namespace clearcut::match
