#include "clearcut/match/match_index.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/crypto/sha256.h"
#include "clearcut/match/internal/multi_index.h"
#include "clearcut/match/match_test_support.h"

namespace clearcut::match {
namespace {

using test_support::brute_force;
using test_support::clustered_codes;
using test_support::flip_bits;
using test_support::probe_queries;
using test_support::random_code;
using test_support::sorted;
using test_support::with_ids;

MatchIndex build_or_die(std::span<const Entry> entries, const IndexOptions& options = {}) {
  auto index = MatchIndex::build(entries, options);
  EXPECT_TRUE(index.has_value()) << index.error().to_string();
  return std::move(index).value();
}

// Single searches and batches under every strategy (threaded too) equal the brute force.
// Forcing the tables where the plan needs more than kMaxForcedProbes probes a query is left
// out: the automatic strategy scans there, and a sanitizer build would take minutes.
constexpr double kMaxForcedProbes = 20000;

void expect_exact(const MatchIndex& index, std::span<const Entry> entries,
                  std::span<const Code> queries, int radius) {
  std::vector<std::vector<Match>> truth;
  for (const Code& q : queries) {
    truth.push_back(brute_force(entries, q, radius));
  }
  for (size_t i = 0; i < queries.size(); ++i) {
    ASSERT_EQ(sorted(index.search(queries[i], radius)), truth[i])
        << "query " << i << " radius " << radius;
  }
  std::vector<BatchOptions> runs = {
      {.radius = radius, .threads = 2, .strategy = SearchStrategy::kAuto},
      {.radius = radius, .threads = 1, .strategy = SearchStrategy::kScan}};
  const internal::MultiIndexLayout layout{index.tables(), index.table_bits()};
  if (index.tables() > 0 && internal::MultiIndex::probe_count(layout, radius) <= kMaxForcedProbes) {
    runs.push_back({.radius = radius, .threads = 1, .strategy = SearchStrategy::kMultiIndex});
  }
  for (const BatchOptions& options : runs) {
    const BatchMatches batch = index.search_batch(queries, options);
    ASSERT_EQ(batch.size(), queries.size());
    for (size_t i = 0; i < queries.size(); ++i) {
      ASSERT_EQ(sorted(batch[i]), truth[i])
          << "query " << i << " radius " << radius << " strategy "
          << static_cast<int>(options.strategy) << " threads " << options.threads;
    }
  }
}

TEST(MatchIndexTest, EmptyIndexFindsNothing) {
  MatchIndex index;
  EXPECT_EQ(index.size(), 0u);
  EXPECT_TRUE(index.empty());
  std::mt19937_64 rng(1);
  const Code q = random_code(rng);
  EXPECT_TRUE(index.search(q).empty());
  EXPECT_TRUE(index.search(q, 256).empty());
  const BatchMatches none = index.search_batch({});
  EXPECT_EQ(none.size(), 0u);
  EXPECT_TRUE(none.all().empty());
  const std::vector<Code> queries(5, q);
  const BatchMatches batch = index.search_batch(queries);
  EXPECT_EQ(batch.size(), 5u);
  EXPECT_TRUE(batch.all().empty());
  auto built = MatchIndex::build({});
  ASSERT_TRUE(built.has_value());
  EXPECT_TRUE(built->search(q, 256).empty());
}

TEST(MatchIndexTest, RandomCodesMatchBruteForceAtEveryRadius) {
  std::mt19937_64 rng(2);
  std::vector<Code> codes;
  for (int i = 0; i < 2000; ++i) {
    codes.push_back(random_code(rng));
  }
  const auto entries = with_ids(codes);
  const auto queries = probe_queries(entries, 16, rng);
  for (IndexOptions options :
       {IndexOptions{}, IndexOptions{.tables = 11, .table_bits = 11},
        IndexOptions{.tables = 16, .table_bits = 16}, IndexOptions{.tables = 3, .table_bits = 6},
        IndexOptions{.tables = 0}}) {
    const MatchIndex index = build_or_die(entries, options);
    for (int radius : {-1, 0, 1, 15, 31, 32, 47, 64, 128, 255, 256, 300}) {
      SCOPED_TRACE(::testing::Message() << "tables " << options.tables << " radius " << radius);
      expect_exact(index, entries, queries, radius);
    }
  }
}

TEST(MatchIndexTest, ClusteredCodesMatchBruteForce) {
  std::mt19937_64 rng(3);
  const auto entries = with_ids(clustered_codes(3000, rng));
  const auto queries = probe_queries(entries, 24, rng);
  for (IndexOptions options : {IndexOptions{}, IndexOptions{.tables = 12, .table_bits = 12},
                               IndexOptions{.tables = 8, .table_bits = 16}}) {
    const MatchIndex index = build_or_die(entries, options);
    EXPECT_EQ(index.tables(), std::max(options.tables, 0));
    for (int radius : {0, 3, 8, 16, 31, 40, 63, 256}) {
      SCOPED_TRACE(::testing::Message() << "tables " << options.tables << " radius " << radius);
      expect_exact(index, entries, queries, radius);
    }
  }
}

TEST(MatchIndexTest, RadiusIsInclusive) {
  std::mt19937_64 rng(4);
  const Code centre = random_code(rng);
  std::vector<Entry> entries;
  for (int d = 0; d <= 256; ++d) {
    entries.push_back({d, flip_bits(centre, d, rng)});
  }
  for (int i = 0; i < 2000; ++i) {
    entries.push_back({1000 + i, random_code(rng)});
  }
  const MatchIndex index = build_or_die(entries, {.tables = 8, .table_bits = 12});
  for (int d : {0, 1, 30, 31, 32, 100, 255, 256}) {
    // Radius exactly the planted distance finds it; one less does not.
    auto at = sorted(index.search(centre, d));
    EXPECT_TRUE(std::any_of(at.begin(), at.end(), [&](const Match& m) { return m.id == d; })) << d;
    if (d > 0) {
      auto below = sorted(index.search(centre, d - 1));
      EXPECT_FALSE(std::any_of(below.begin(), below.end(), [&](const Match& m) {
        return m.id == d;
      })) << d;
    }
  }
  EXPECT_EQ(index.search(centre, 256).size(), entries.size());
  EXPECT_EQ(sorted(index.search(centre, 0)), (std::vector<Match>{{0, 0, 0}}));
  expect_exact(index, entries, std::vector<Code>{centre}, 31);
}

TEST(MatchIndexTest, DuplicateCodesUnderDifferentIdsAreAllReported) {
  std::mt19937_64 rng(5);
  const Code code = random_code(rng);
  std::vector<Entry> entries;
  for (int i = 0; i < 50; ++i) {
    entries.push_back({i * 3, code});
    entries.push_back({1000 + i, random_code(rng)});
  }
  const MatchIndex index = build_or_die(entries, {.tables = 16, .table_bits = 8});
  const auto found = sorted(index.search(code, 0));
  ASSERT_EQ(found.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(found[i], (Match{i * 3, 0, 0}));
  }
  expect_exact(index, entries, std::vector<Code>{code, flip_bits(code, 20, rng)}, 31);
}

TEST(MatchIndexTest, RepeatedIdIsAnError) {
  const std::vector<Entry> entries = {{1, {}}, {2, {}}, {1, {1, 2, 3, 4}}};
  auto index = MatchIndex::build(entries);
  ASSERT_FALSE(index.has_value());
  EXPECT_EQ(index.error().code(), base::ErrorCode::kInvalidArgument);
}

TEST(MatchIndexTest, BadOptionsAreErrors) {
  for (IndexOptions options :
       {IndexOptions{.radius = -1}, IndexOptions{.radius = 257}, IndexOptions{.tables = -2},
        IndexOptions{.tables = 65}, IndexOptions{.table_bits = 0}, IndexOptions{.table_bits = 31},
        IndexOptions{.tables = 10, .table_bits = 26}, IndexOptions{.build_threads = 0}}) {
    auto index = MatchIndex::create(options);
    ASSERT_FALSE(index.has_value());
    EXPECT_EQ(index.error().code(), base::ErrorCode::kInvalidArgument);
    EXPECT_FALSE(MatchIndex::build({}, options).has_value());
  }
  EXPECT_TRUE(MatchIndex::create({.radius = 256, .tables = 32, .table_bits = 8}).has_value());
}

TEST(MatchIndexTest, AutomaticLayoutFollowsSizeAndRadius) {
  std::mt19937_64 rng(6);
  std::vector<Code> codes;
  for (int i = 0; i < 70000; ++i) {
    codes.push_back(random_code(rng));
  }
  const auto entries = with_ids(codes);
  const MatchIndex index = build_or_die(entries, {.build_threads = 2});
  EXPECT_GT(index.tables(), 8);
  EXPECT_LE(index.tables() * index.table_bits(), 256);
  EXPECT_GE(index.table_bits(), 14);  // about log2(70000): a code or so a bucket
  EXPECT_LE(index.table_bits(), 17);
  const MemoryUsage usage = index.memory_usage();
  EXPECT_EQ(usage.codes, 70000u * 32);
  EXPECT_EQ(usage.tables, static_cast<size_t>(index.tables()) *
                              (70000 + (size_t{1} << index.table_bits()) + 1) * 4);
  // A radius the tables cannot serve well: no tables.
  EXPECT_EQ(build_or_die(entries, {.radius = 120}).tables(), 0);
  // Fewer than 1024 codes: no tables.
  EXPECT_EQ(build_or_die(with_ids({codes.begin(), codes.begin() + 100})).tables(), 0);
  const MatchIndex flat = build_or_die(entries, {.tables = 0});
  EXPECT_EQ(flat.tables(), 0);
  EXPECT_EQ(flat.memory_usage().tables, 0u);
  // One of the two fixed: the other is chosen.
  EXPECT_EQ(build_or_die(entries, {.tables = 6}).tables(), 6);
  EXPECT_EQ(build_or_die(entries, {.table_bits = 20}).table_bits(), 20);
  const auto few = build_or_die(entries, {.tables = 40});
  EXPECT_EQ(few.tables(), 40);
  EXPECT_LE(few.table_bits(), 6);
  expect_exact(few, entries, probe_queries(entries, 8, rng), 31);
}

TEST(MatchIndexTest, DihedralVariantsAreMergedById) {
  std::mt19937_64 rng(7);
  std::vector<Code> variants;
  for (int v = 0; v < 8; ++v) {
    variants.push_back(random_code(rng));
  }
  std::vector<Entry> entries;
  int64_t id = 0;
  for (int v = 0; v < 8; ++v) {
    for (int k = 0; k < 5; ++k) {
      entries.push_back({id++, flip_bits(variants[v], 3 * k + v, rng)});
    }
  }
  // A code between variants 0 and 1 (both within radius): reported once, for the nearer.
  Code between = variants[0];
  for (int w = 2; w < 4; ++w) {
    between[w] = variants[1][w];
  }
  entries.push_back({id++, between});
  for (int i = 0; i < 3000; ++i) {
    entries.push_back({id++, random_code(rng)});
  }
  const MatchIndex index = build_or_die(entries, {.tables = 11, .table_bits = 11});
  std::array<Code, 8> group;
  std::copy(variants.begin(), variants.end(), group.begin());
  for (int radius : {0, 10, 31, 70, 256}) {
    std::map<int64_t, Match> truth;
    for (int v = 0; v < 8; ++v) {
      for (Match m : brute_force(entries, group[v], radius)) {
        m.variant = v;
        auto [it, inserted] = truth.emplace(m.id, m);
        if (!inserted && m.distance < it->second.distance) {
          it->second = m;
        }
      }
    }
    std::vector<Match> expected;
    for (const auto& [key, m] : truth) {
      expected.push_back(m);
    }
    EXPECT_EQ(sorted(index.search_dihedral(group, radius)), expected) << radius;
    for (SearchStrategy strategy :
         {SearchStrategy::kAuto, SearchStrategy::kMultiIndex, SearchStrategy::kScan}) {
      std::vector<Code> two_frames(group.begin(), group.end());
      two_frames.insert(two_frames.end(), group.begin(), group.end());
      BatchOptions options{.radius = radius, .group = 8, .threads = 2, .strategy = strategy};
      const BatchMatches batch = index.search_batch(two_frames, options);
      ASSERT_EQ(batch.size(), 2u);
      EXPECT_EQ(sorted(batch[0]), expected);
      EXPECT_EQ(sorted(batch[1]), expected);
    }
  }
}

TEST(MatchIndexTest, AddRemoveRebuildFollowAModel) {
  for (bool auto_rebuild : {false, true}) {
    std::mt19937_64 rng(8);
    auto index_or =
        MatchIndex::create({.tables = 10, .table_bits = 10, .auto_rebuild = auto_rebuild});
    ASSERT_TRUE(index_or.has_value());
    MatchIndex index = std::move(index_or).value();
    std::map<int64_t, Code> model;
    const auto cluster = clustered_codes(12000, rng, 6);
    size_t next_code = 0;
    for (int step = 0; step < 12000; ++step) {
      const int op = static_cast<int>(rng() % 10);
      if (op < 7 || model.empty()) {
        const int64_t id = static_cast<int64_t>(rng() % 20000) - 5000;
        const Code code = cluster[next_code++ % cluster.size()];
        const auto status = index.add(id, code);
        if (model.count(id)) {
          ASSERT_FALSE(status.has_value());
          EXPECT_EQ(status.error().code(), base::ErrorCode::kAlreadyExists);
        } else {
          ASSERT_TRUE(status.has_value());
          model[id] = code;
        }
      } else if (op < 9) {
        auto it = model.begin();
        std::advance(it, static_cast<long>(rng() % model.size()));
        ASSERT_TRUE(index.remove(it->first).has_value());
        model.erase(it);
        EXPECT_EQ(index.remove(-99999).error().code(), base::ErrorCode::kNotFound);
      } else if (rng() % 50 == 0) {
        index.rebuild();
        EXPECT_EQ(index.pending(), 0u);
      }
      ASSERT_EQ(index.size(), model.size());
      if (step % 1500 == 1499) {
        std::vector<Entry> entries;
        for (const auto& [id, code] : model) {
          entries.push_back({id, code});
          ASSERT_TRUE(index.contains(id));
          ASSERT_EQ(index.find(id), code);
        }
        EXPECT_EQ(index.entries(), entries);
        const auto queries = probe_queries(entries, 12, rng);
        expect_exact(index, entries, queries, 31);
        expect_exact(index, entries, queries, 12);
      }
    }
    if (auto_rebuild) {
      EXPECT_LE(index.pending(), 4096u);
    }
  }
}

TEST(MatchIndexTest, ConcurrentSearchesOfOneIndex) {
  std::mt19937_64 rng(12);
  const auto entries = with_ids(clustered_codes(4000, rng));
  MatchIndex index = build_or_die(entries, {.tables = 12, .table_bits = 12});
  for (int i = 0; i < 100; ++i) {  // some codes pending, some removed
    ASSERT_TRUE(index.add(-1 - i, random_code(rng)).has_value());
    ASSERT_TRUE(index.remove(entries[static_cast<size_t>(i) * 7].id).has_value());
  }
  const auto live = index.entries();
  const auto queries = probe_queries(live, 32, rng);
  std::vector<std::vector<Match>> truth;
  for (const Code& q : queries) {
    truth.push_back(brute_force(live, q, 31));
  }
  std::atomic<int> wrong{0};
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int round = 0; round < 3; ++round) {
          for (size_t i = 0; i < queries.size(); ++i) {
            if (sorted(index.search(queries[i])) != truth[i]) {
              ++wrong;
            }
          }
          const BatchMatches batch = index.search_batch(queries, {.threads = 1 + t % 2});
          for (size_t i = 0; i < queries.size(); ++i) {
            if (sorted(batch[i]) != truth[i]) {
              ++wrong;
            }
          }
        }
      });
    }
  }
  EXPECT_EQ(wrong.load(), 0);
}

TEST(MatchIndexTest, PropertyOverManySeeds) {
  for (uint64_t seed = 100; seed < 160; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    std::mt19937_64 rng(seed);
    const size_t n = 1 + rng() % 1500;
    const bool clustered = seed % 2 == 0;
    std::vector<Code> codes;
    if (clustered) {
      codes = clustered_codes(n, rng, static_cast<int>(rng() % 20));
    } else {
      for (size_t i = 0; i < n; ++i) {
        codes.push_back(random_code(rng));
      }
    }
    auto entries = with_ids(codes, static_cast<int64_t>(rng() % 1000) - 500,
                            1 + static_cast<int64_t>(rng() % 5));
    std::shuffle(entries.begin(), entries.end(), rng);
    IndexOptions options;
    options.table_bits = 4 + static_cast<int>(rng() % 14);
    options.tables = 1 + static_cast<int>(rng() % (256 / options.table_bits));
    const MatchIndex index = build_or_die(entries, options);
    const auto queries = probe_queries(entries, 10, rng);
    for (int radius : {static_cast<int>(rng() % 40), static_cast<int>(rng() % 257)}) {
      expect_exact(index, entries, queries, radius);
    }
  }
}

class MatchIndexFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("match_index_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

TEST_F(MatchIndexFileTest, SaveLoadRoundTrip) {
  std::mt19937_64 rng(9);
  auto entries = with_ids(clustered_codes(4000, rng));
  std::shuffle(entries.begin(), entries.end(), rng);
  MatchIndex index = build_or_die(entries);
  ASSERT_TRUE(index.add(-1, random_code(rng)).has_value());
  ASSERT_TRUE(index.remove(entries[0].id).has_value());
  ASSERT_TRUE(index.save(path("registry.bin")).has_value());
  auto loaded = MatchIndex::load(path("registry.bin"));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  EXPECT_EQ(loaded->entries(), index.entries());
  EXPECT_EQ(loaded->size(), entries.size());
  EXPECT_FALSE(loaded->contains(entries[0].id));
  EXPECT_TRUE(loaded->contains(-1));
  EXPECT_EQ(loaded->pending(), 0u);
  const auto live = index.entries();
  expect_exact(*loaded, live, probe_queries(live, 16, rng), 31);

  // The same bytes parse from memory.
  std::ifstream in(path("registry.bin"), std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  auto parsed = MatchIndex::parse(bytes);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->entries(), live);

  // An empty index saves and loads.
  ASSERT_TRUE(MatchIndex().save(path("empty.bin")).has_value());
  auto empty = MatchIndex::load(path("empty.bin"));
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->size(), 0u);
}

TEST_F(MatchIndexFileTest, DamagedFilesAreErrors) {
  std::mt19937_64 rng(10);
  std::vector<Code> codes;
  for (int i = 0; i < 6; ++i) {
    codes.push_back(random_code(rng));
  }
  const auto bytes = encode_registry_export(with_ids(codes));
  auto write = [&](const std::vector<uint8_t>& data) {
    std::ofstream out(path("f.bin"), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
  };
  // Every truncation.
  for (size_t n = 0; n < bytes.size(); ++n) {
    write({bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(n)});
    auto loaded = MatchIndex::load(path("f.bin"));
    ASSERT_FALSE(loaded.has_value()) << n;
    EXPECT_FALSE(MatchIndex::parse({bytes.data(), n}).has_value()) << n;
  }
  // Every single-bit flip.
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto damaged = bytes;
    damaged[i] ^= uint8_t{1} << (i % 8);
    write(damaged);
    auto loaded = MatchIndex::load(path("f.bin"));
    ASSERT_FALSE(loaded.has_value()) << i;
    EXPECT_FALSE(MatchIndex::parse(damaged).has_value()) << i;
  }
  // Trailing bytes.
  auto longer = bytes;
  longer.push_back(0);
  write(longer);
  EXPECT_EQ(MatchIndex::load(path("f.bin")).error().code(), base::ErrorCode::kDataLoss);
  EXPECT_EQ(MatchIndex::load(path("missing.bin")).error().code(), base::ErrorCode::kNotFound);
}

TEST_F(MatchIndexFileTest, RepeatedIdInAFileIsDataLoss) {
  // A well-formed file (valid checksum) whose records repeat an id.
  auto bytes = encode_registry_export(std::vector<Entry>{{1, {}}, {2, {5, 6, 7, 8}}});
  bytes[kRegistryHeaderSize + kRegistryRecordSize] = 1;  // second record's id: 2 -> 1
  const auto digest =
      crypto::sha256(std::span<const uint8_t>(bytes.data(), bytes.size() - kRegistryTrailerSize));
  std::copy(digest.begin(), digest.end(), bytes.end() - kRegistryTrailerSize);
  {
    std::ofstream out(path("dup.bin"), std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
  auto loaded = MatchIndex::load(path("dup.bin"));
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().code(), base::ErrorCode::kDataLoss);
  EXPECT_EQ(MatchIndex::parse(bytes).error().code(), base::ErrorCode::kDataLoss);
}

}  // namespace
}  // namespace clearcut::match
