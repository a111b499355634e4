// libFuzzer target for the registry export loader (clearcut/match/registry_export.h) and the
// index built from it. Any input must give an index or an Error, never a crash; whatever loads
// must answer searches exactly as a brute-force scan of its entries does. Random mutations
// rarely keep the SHA-256 trailer valid, so each input is also tried with its header's count
// and its checksum repaired, which lets the fuzzer reach the records and the index.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "clearcut/crypto/sha256.h"
#include "clearcut/match/match_index.h"
#include "clearcut/match/registry_export.h"

namespace clearcut::match {
namespace {

void check(std::span<const uint8_t> bytes) {
  auto decoded = decode_registry_export(bytes);
  // Small tables so that even a handful of codes goes through multi-index probing.
  auto index = MatchIndex::parse(bytes, {.tables = 16, .table_bits = 6});
  if (decoded.has_value() != index.has_value()) {
    __builtin_trap();
  }
  if (!index.has_value()) {
    (void)index.error().to_string();
    return;
  }
  std::vector<Entry> entries = *decoded;
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.id < b.id; });
  if (index->entries() != entries) {
    __builtin_trap();
  }
  // Queries: the stored codes themselves, partly inverted, at a few radii.
  for (size_t q = 0; q < std::min<size_t>(entries.size(), 4); ++q) {
    Code query = entries[q].code;
    query[q % 4] = ~query[q % 4];
    for (int radius : {0, 31, 70}) {
      std::vector<Match> truth;
      for (const Entry& e : entries) {
        const int d = hamming_distance(e.code, query);
        if (d <= radius) {
          truth.push_back({e.id, d, 0});
        }
      }
      for (SearchStrategy strategy : {SearchStrategy::kMultiIndex, SearchStrategy::kScan}) {
        const BatchMatches found = index->search_batch(std::span<const Code>(&query, 1),
                                                       {.radius = radius, .strategy = strategy});
        std::vector<Match> got(found.all().begin(), found.all().end());
        std::sort(got.begin(), got.end(),
                  [](const Match& a, const Match& b) { return a.id < b.id; });
        if (got != truth) {
          __builtin_trap();
        }
      }
    }
  }
}

}  // namespace
}  // namespace clearcut::match

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clearcut::match;
  const std::span<const uint8_t> bytes(data, size);
  check(bytes);
  if (size >= kRegistryHeaderSize + kRegistryTrailerSize) {
    std::vector<uint8_t> repaired(data, data + size);
    // The count the size implies (whole records only), then the checksum over the rest.
    const uint64_t records =
        (size - kRegistryHeaderSize - kRegistryTrailerSize) / kRegistryRecordSize;
    repaired.resize(kRegistryHeaderSize + records * kRegistryRecordSize + kRegistryTrailerSize);
    for (int i = 0; i < 8; ++i) {
      repaired[16 + i] = static_cast<uint8_t>(records >> (8 * i));
    }
    const size_t body = repaired.size() - kRegistryTrailerSize;
    const auto digest = clearcut::crypto::sha256(std::span<const uint8_t>(repaired.data(), body));
    std::memcpy(repaired.data() + body, digest.data(), digest.size());
    check(repaired);
  }
  return 0;
}
