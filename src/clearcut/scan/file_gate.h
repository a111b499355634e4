#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::scan {

// A descriptor of a regular file that FileGate opened; closes it. Move-only.
class OpenedFile {
 public:
  OpenedFile() = default;
  OpenedFile(int fd, uint64_t size) : fd_(fd), size_(size) {}
  OpenedFile(OpenedFile&& other) noexcept;
  OpenedFile& operator=(OpenedFile&& other) noexcept;
  OpenedFile(const OpenedFile&) = delete;
  OpenedFile& operator=(const OpenedFile&) = delete;
  ~OpenedFile();

  int fd() const { return fd_; }
  uint64_t size() const { return size_; }
  // Hands the descriptor to the caller, who closes it; -1 from then on.
  int release();
  // Up to `limit` bytes from the start of the file. kUnavailable on a read error.
  base::Result<std::vector<uint8_t>> read(size_t limit) const;
  // "/proc/self/fd/N": a path that reaches this open file, whatever its own path names by now,
  // for readers that open paths themselves.
  std::string proc_path() const;

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
};

// How a scan opens the files of a delivery. Only regular files are opened: a FIFO, socket or
// device is refused from its metadata, before anything could block on it. With a scan root,
// only files whose real path lies inside it are opened, and they are opened from "/" one path
// component at a time with O_NOFOLLOW, so that a symlink swapped in after the check is not
// followed; the opened descriptor is checked again with fstat. Without a root (the CLI, run by
// the files' owner) symlinks are followed as the shell would. Refusals are errors whose message
// is what the report says: kPermissionDenied "skipped: symlink leaving the scan root",
// kInvalidArgument "skipped: not a regular file"; also kNotFound and kUnavailable.
// Thread-safe: it holds only the root.
class FileGate {
 public:
  FileGate() = default;  // no root
  // The gate of a scan root (resolved to its real path). kInvalidArgument when it cannot be.
  static base::Result<FileGate> for_root(const std::filesystem::path& root);

  base::Result<OpenedFile> open(const std::string& path) const;

  // Why a folder walk skips `entry` (not a folder itself), or nullopt to scan it: a regular
  // file, or a symlink to one (inside the root, when there is one). Symlinked folders are not
  // walked.
  std::optional<std::string> skip_reason(const std::filesystem::directory_entry& entry) const;

  const std::optional<std::filesystem::path>& root() const { return root_; }

 private:
  std::optional<std::filesystem::path> root_;
};

inline constexpr const char* kSkippedLeavingRoot = "skipped: symlink leaving the scan root";
inline constexpr const char* kSkippedNotRegular = "skipped: not a regular file";
inline constexpr const char* kSkippedSymlinkedFolder = "skipped: symlinked folder, not followed";
inline constexpr const char* kSkippedBrokenSymlink = "skipped: broken symlink";

}  // namespace clearcut::scan
