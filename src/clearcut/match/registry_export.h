#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/match/code.h"

namespace clearcut::match {

// One registered code and the registry id it belongs to.
struct Entry {
  int64_t id = 0;
  Code code{};

  friend bool operator==(const Entry&, const Entry&) = default;
};

// The registry export file: every registered code with its id, the input the match index is
// loaded from (`clearcut registry export` writes it). Little-endian throughout:
//
//   offset       size  field
//   0            8     magic "CCREGEXP"
//   8            4     version, 1
//   12           4     record size, 40
//   16           8     record count n
//   24           8     reserved, 0
//   32           40 n  records: int64 id, then the code's 32 bytes in code_to_bytes() order
//   32 + 40 n    32    SHA-256 of all bytes before it
//
// Ids are unique; records may come in any order (writers here sort them by id). A reader
// rejects, with an Error and never a crash: a wrong magic (kInvalidArgument), another version
// (kUnsupported), a header field out of range, a size that disagrees with the count (truncated
// or trailing bytes), a checksum mismatch or a repeated id (all kDataLoss), more than
// kMaxRegistryRecords records (kResourceExhausted).
inline constexpr char kRegistryMagic[8] = {'C', 'C', 'R', 'E', 'G', 'E', 'X', 'P'};
inline constexpr uint32_t kRegistryVersion = 1;
inline constexpr size_t kRegistryHeaderSize = 32;
inline constexpr size_t kRegistryRecordSize = 40;
inline constexpr size_t kRegistryTrailerSize = 32;
inline constexpr uint64_t kMaxRegistryRecords = (uint64_t{1} << 32) - 1;

// The whole file for these entries, records sorted by id. Ids must be unique (checked).
std::vector<uint8_t> encode_registry_export(std::span<const Entry> entries);

// Decodes a whole file held in memory; entries in file order.
base::Result<std::vector<Entry>> decode_registry_export(std::span<const uint8_t> bytes);

// Writes encode_registry_export(entries) to `path` through a temporary file in the same
// folder and a rename, so readers see the old file or the new one, never a part.
base::Status write_registry_export(const std::string& path, std::span<const Entry> entries);

// Receives a file's records as they are read, so that a large file never sits in memory twice.
class RegistrySink {
 public:
  virtual ~RegistrySink() = default;
  // Called once, after the header has been checked, with the record count.
  virtual void begin(uint64_t count) = 0;
  // Called with consecutive runs of records in file order.
  virtual void append(std::span<const Entry> entries) = 0;
};

// Streams the file at `path` into `sink`, checking everything above except id uniqueness,
// which needs every id at once and is left to the sink (MatchIndex::load checks it). The
// checksum is known only at the end: on an Error the sink may hold records; discard them.
base::Status read_registry_export(const std::string& path, RegistrySink& sink);

}  // namespace clearcut::match
