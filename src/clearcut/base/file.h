#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "clearcut/base/result.h"

namespace clearcut::base {

inline constexpr uint64_t kNoSizeLimit = std::numeric_limits<uint64_t>::max();

// Reads the whole file at `path`. Errors carry the path as their location: kNotFound when it does
// not exist, kInvalidArgument when it is a directory or holds more than `max_bytes`,
// kUnavailable when it cannot be opened or read (the message says why).
[[nodiscard]] Result<std::string> read_file(const std::string& path,
                                            uint64_t max_bytes = kNoSizeLimit);
[[nodiscard]] Result<std::vector<uint8_t>> read_file_bytes(const std::string& path,
                                                           uint64_t max_bytes = kNoSizeLimit);

// A file written beside its destination and moved into place by commit(), so that readers of
// the destination see the old bytes or all of the new ones, never a part. The temporary file is
// removed when the object dies uncommitted. Not thread-safe; movable, not copyable.
class StagedFile {
 public:
  // Creates the temporary file in `destination`'s directory (a rename never crosses
  // filesystems) with permissions `mode`, whatever the umask.
  [[nodiscard]] static Result<StagedFile> create(const std::string& destination,
                                                 mode_t mode = 0644);

  StagedFile(StagedFile&& other) noexcept;
  StagedFile& operator=(StagedFile&& other) noexcept;
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;
  ~StagedFile();

  // Appends `bytes`, retrying interrupted and short writes.
  [[nodiscard]] Status write(std::span<const uint8_t> bytes);
  [[nodiscard]] Status write(std::string_view bytes);
  // Flushes the bytes to the disk and closes the file; the temporary path can then be read by
  // others. commit() calls it when nobody has.
  [[nodiscard]] Status sync();
  // Moves the file to its destination and syncs the directory, so the new name survives a
  // crash. Without `replace` an existing destination is kept and the answer is kAlreadyExists.
  [[nodiscard]] Status commit(bool replace);

  const std::string& destination() const { return destination_; }
  const std::string& temp_path() const { return temp_path_; }

 private:
  StagedFile(std::string destination, std::string temp_path, int fd);
  void discard();

  std::string destination_;
  std::string temp_path_;  // empty once committed or moved from
  int fd_ = -1;            // -1 once synced
};

struct WriteOptions {
  mode_t mode = 0644;   // the file's permissions, whatever the umask
  bool replace = true;  // false: kAlreadyExists when the file exists, which is left alone
};

// Replaces (or, with `replace` false, creates) `path` with `bytes` atomically and durably: a
// StagedFile written, synced and committed.
[[nodiscard]] Status write_file_atomic(const std::string& path, std::span<const uint8_t> bytes,
                                       const WriteOptions& options = {});
[[nodiscard]] Status write_file_atomic(const std::string& path, std::string_view bytes,
                                       const WriteOptions& options = {});

}  // namespace clearcut::base
