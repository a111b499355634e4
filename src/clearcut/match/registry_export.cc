#include "clearcut/match/registry_export.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>

#include "clearcut/base/file.h"
#include "clearcut/crypto/sha256.h"

namespace clearcut::match {
namespace {

using base::Error;
using base::ErrorCode;
using base::Status;

void put_u32(uint8_t* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out[i] = static_cast<uint8_t>(v >> (8 * i));
  }
}
void put_u64(uint8_t* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    out[i] = static_cast<uint8_t>(v >> (8 * i));
  }
}
uint32_t get_u32(const uint8_t* in) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) {
    v = (v << 8) | in[i];
  }
  return v;
}
uint64_t get_u64(const uint8_t* in) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) {
    v = (v << 8) | in[i];
  }
  return v;
}

void encode_record(const Entry& entry, uint8_t* out) {
  put_u64(out, static_cast<uint64_t>(entry.id));
  const auto code = code_to_bytes(entry.code);
  std::memcpy(out + 8, code.data(), code.size());
}

Entry decode_record(const uint8_t* in) {
  Entry entry;
  entry.id = static_cast<int64_t>(get_u64(in));
  entry.code = code_from_bytes(std::span<const uint8_t, 32>(in + 8, 32));
  return entry;
}

Error data_loss(std::string message) {
  return Error(ErrorCode::kDataLoss, "registry export: " + std::move(message));
}

// Checks the header and that `file_size` (when known) matches it; returns the record count.
base::Result<uint64_t> check_header(std::span<const uint8_t> header, uint64_t file_size) {
  if (header.size() < kRegistryHeaderSize ||
      std::memcmp(header.data(), kRegistryMagic, sizeof(kRegistryMagic)) != 0) {
    if (header.size() < sizeof(kRegistryMagic) ||
        std::memcmp(header.data(), kRegistryMagic, sizeof(kRegistryMagic)) != 0) {
      return Error(ErrorCode::kInvalidArgument,
                   "registry export: not a registry export file (bad magic)");
    }
    return data_loss("truncated header");
  }
  const uint32_t version = get_u32(header.data() + 8);
  if (version != kRegistryVersion) {
    return Error(ErrorCode::kUnsupported, "registry export: version " + std::to_string(version) +
                                              " (this build reads " +
                                              std::to_string(kRegistryVersion) + ")");
  }
  const uint32_t record_size = get_u32(header.data() + 12);
  if (record_size != kRegistryRecordSize) {
    return data_loss("record size " + std::to_string(record_size) + ", expected " +
                     std::to_string(kRegistryRecordSize));
  }
  const uint64_t count = get_u64(header.data() + 16);
  if (get_u64(header.data() + 24) != 0) {
    return data_loss("reserved header field is not zero");
  }
  if (count > kMaxRegistryRecords) {
    return Error(ErrorCode::kResourceExhausted,
                 "registry export: " + std::to_string(count) + " records; at most " +
                     std::to_string(kMaxRegistryRecords) + " fit one index");
  }
  // count <= 2^32 - 1, so the expected size cannot overflow 64 bits.
  const uint64_t expected =
      kRegistryHeaderSize + count * kRegistryRecordSize + kRegistryTrailerSize;
  if (file_size < expected) {
    return data_loss("truncated: " + std::to_string(file_size) + " bytes, the header's " +
                     std::to_string(count) + " records need " + std::to_string(expected));
  }
  if (file_size > expected) {
    return data_loss(std::to_string(file_size - expected) + " bytes after the checksum");
  }
  return count;
}

Status check_digest(const crypto::Sha256Digest& computed, std::span<const uint8_t> stored) {
  if (stored.size() != computed.size() ||
      !std::equal(computed.begin(), computed.end(), stored.begin())) {
    return data_loss("checksum mismatch (the file is corrupted)");
  }
  return {};
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

}  // namespace

std::vector<uint8_t> encode_registry_export(std::span<const Entry> entries) {
  std::vector<const Entry*> sorted;
  sorted.reserve(entries.size());
  for (const Entry& e : entries) {
    sorted.push_back(&e);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const Entry* a, const Entry* b) { return a->id < b->id; });
  for (size_t i = 1; i < sorted.size(); ++i) {
    CC_CHECK(sorted[i - 1]->id != sorted[i]->id);
  }
  CC_CHECK(entries.size() <= kMaxRegistryRecords);
  std::vector<uint8_t> out(kRegistryHeaderSize + entries.size() * kRegistryRecordSize +
                           kRegistryTrailerSize);
  std::memcpy(out.data(), kRegistryMagic, sizeof(kRegistryMagic));
  put_u32(out.data() + 8, kRegistryVersion);
  put_u32(out.data() + 12, kRegistryRecordSize);
  put_u64(out.data() + 16, entries.size());
  put_u64(out.data() + 24, 0);
  uint8_t* record = out.data() + kRegistryHeaderSize;
  for (const Entry* e : sorted) {
    encode_record(*e, record);
    record += kRegistryRecordSize;
  }
  const auto digest = crypto::sha256(std::span<const uint8_t>(out.data(), record - out.data()));
  std::memcpy(record, digest.data(), digest.size());
  return out;
}

base::Result<std::vector<Entry>> decode_registry_export(std::span<const uint8_t> bytes) {
  const uint64_t count = CC_TRY(check_header(bytes, bytes.size()));
  const size_t body = kRegistryHeaderSize + count * kRegistryRecordSize;
  CC_TRY(check_digest(crypto::sha256(bytes.first(body)), bytes.subspan(body)));
  std::vector<Entry> entries;
  entries.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    entries.push_back(decode_record(bytes.data() + kRegistryHeaderSize + i * kRegistryRecordSize));
  }
  std::vector<int64_t> ids;
  ids.reserve(entries.size());
  for (const Entry& e : entries) {
    ids.push_back(e.id);
  }
  std::sort(ids.begin(), ids.end());
  if (auto dup = std::adjacent_find(ids.begin(), ids.end()); dup != ids.end()) {
    return data_loss("id " + std::to_string(*dup) + " appears more than once");
  }
  return entries;
}

base::Status write_registry_export(const std::string& path, std::span<const Entry> entries) {
  return base::write_file_atomic(path, encode_registry_export(entries));
}

base::Status read_registry_export(const std::string& path, RegistrySink& sink) {
  File file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    return Error(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kUnavailable,
                 "open " + path + ": " + std::strerror(errno));
  }
  std::error_code ec;
  const uint64_t file_size = std::filesystem::file_size(path, ec);
  if (ec) {
    return Error(ErrorCode::kUnavailable, "stat " + path + ": " + ec.message());
  }
  uint8_t header[kRegistryHeaderSize];
  const size_t got = std::fread(header, 1, sizeof(header), file.get());
  auto count_or = check_header(std::span<const uint8_t>(header, got), file_size);
  if (!count_or) {
    return std::move(count_or).error().with_context(path);
  }
  const uint64_t count = *count_or;
  crypto::Sha256 sha;
  sha.update(std::span<const uint8_t>(header, sizeof(header)));
  sink.begin(count);

  constexpr size_t kChunkRecords = 1 << 15;  // 1.25 MiB a read
  std::vector<uint8_t> buffer(kChunkRecords * kRegistryRecordSize);
  std::vector<Entry> entries;
  entries.reserve(kChunkRecords);
  for (uint64_t done = 0; done < count;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kChunkRecords, count - done));
    const size_t want = n * kRegistryRecordSize;
    if (std::fread(buffer.data(), 1, want, file.get()) != want) {
      return data_loss("truncated while reading records").with_context(path);
    }
    sha.update(std::span<const uint8_t>(buffer.data(), want));
    entries.clear();
    for (size_t i = 0; i < n; ++i) {
      entries.push_back(decode_record(buffer.data() + i * kRegistryRecordSize));
    }
    sink.append(entries);
    done += n;
  }
  uint8_t trailer[kRegistryTrailerSize];
  if (std::fread(trailer, 1, sizeof(trailer), file.get()) != sizeof(trailer)) {
    return data_loss("truncated checksum").with_context(path);
  }
  if (auto status = check_digest(sha.finish(), trailer); !status) {
    return std::move(status).error().with_context(path);
  }
  return {};
}

}  // namespace clearcut::match
