#include "clearcut/scan/file_gate.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include <sys/stat.h>

namespace clearcut::scan {

namespace fs = std::filesystem;

namespace {

bool inside(const fs::path& path, const fs::path& root) {
  auto [root_end, _] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

base::Error os_error(const std::string& path, int error) {
  const std::string what = path + ": " + std::strerror(error);
  if (error == ENOENT || error == ENOTDIR) {
    return base::not_found(what);
  }
  if (error == EACCES || error == EPERM) {
    return base::Error(base::ErrorCode::kPermissionDenied, what);
  }
  return base::Error(base::ErrorCode::kUnavailable, what);
}

base::Error not_regular() {
  return base::invalid_argument(kSkippedNotRegular);
}

base::Error leaving_root() {
  return base::Error(base::ErrorCode::kPermissionDenied, kSkippedLeavingRoot);
}

base::Error changed(const std::string& path) {
  return base::Error(base::ErrorCode::kUnavailable,
                     path + ": changed while it was opened (a symlink or another file appeared)");
}

// The descriptor `fd` of the file that `before` described: still that regular file, and
// blocking from now on (it was opened non-blocking in case it was not a regular file after all).
base::Result<OpenedFile> checked(int fd, const struct stat& before, const std::string& path) {
  OpenedFile file(fd, 0);
  struct stat now {};
  if (::fstat(fd, &now) != 0) {
    return os_error(path, errno);
  }
  if (!S_ISREG(now.st_mode)) {
    return not_regular();
  }
  if (now.st_dev != before.st_dev || now.st_ino != before.st_ino) {
    return changed(path);
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
    return os_error(path, errno);
  }
  return OpenedFile(file.release(), static_cast<uint64_t>(now.st_size));
}

constexpr int kFileFlags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;

}  // namespace

OpenedFile::OpenedFile(OpenedFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_) {}

OpenedFile& OpenedFile::operator=(OpenedFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
  }
  return *this;
}

OpenedFile::~OpenedFile() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

int OpenedFile::release() {
  return std::exchange(fd_, -1);
}

base::Result<std::vector<uint8_t>> OpenedFile::read(size_t limit) const {
  std::vector<uint8_t> bytes(static_cast<size_t>(std::min<uint64_t>(size_, limit)));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        ::pread(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return base::Error(base::ErrorCode::kUnavailable,
                         std::string("cannot read the file: ") + std::strerror(errno));
    }
    if (n == 0) {
      break;  // shorter than when it was opened
    }
    done += static_cast<size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

std::string OpenedFile::proc_path() const {
  return "/proc/self/fd/" + std::to_string(fd_);
}

base::Result<FileGate> FileGate::for_root(const fs::path& root) {
  std::error_code error;
  fs::path real = fs::canonical(root, error);
  if (error || !fs::is_directory(real, error)) {
    return base::invalid_argument("the scan root " + root.string() + " cannot be resolved");
  }
  FileGate gate;
  gate.root_ = std::move(real);
  return gate;
}

base::Result<OpenedFile> FileGate::open(const std::string& path) const {
  struct stat before {};
  if (!root_) {
    if (::stat(path.c_str(), &before) != 0) {
      return os_error(path, errno);
    }
    if (!S_ISREG(before.st_mode)) {
      return not_regular();
    }
    const int fd = ::open(path.c_str(), kFileFlags);
    if (fd < 0) {
      return os_error(path, errno);
    }
    return checked(fd, before, path);
  }
  std::error_code error;
  const fs::path real = fs::canonical(path, error);
  if (error) {
    return os_error(path, error.value());
  }
  if (!inside(real, *root_)) {
    return leaving_root();
  }
  // The real path has no symlinks: one met now was swapped in after canonical() looked.
  std::vector<std::string> parts;
  for (const fs::path& part : real.relative_path()) {
    parts.push_back(part.string());
  }
  if (parts.empty()) {
    return not_regular();  // "/"
  }
  int dir = ::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) {
    return os_error("/", errno);
  }
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const int next = ::openat(dir, parts[i].c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    const int saved = errno;
    ::close(dir);
    if (next < 0) {
      return saved == ELOOP || saved == ENOTDIR ? changed(path) : os_error(path, saved);
    }
    dir = next;
  }
  const std::string& name = parts.back();
  if (::fstatat(dir, name.c_str(), &before, AT_SYMLINK_NOFOLLOW) != 0) {
    const int saved = errno;
    ::close(dir);
    return os_error(path, saved);
  }
  if (S_ISLNK(before.st_mode)) {
    ::close(dir);
    return changed(path);
  }
  if (!S_ISREG(before.st_mode)) {
    ::close(dir);
    return not_regular();
  }
  const int fd = ::openat(dir, name.c_str(), kFileFlags | O_NOFOLLOW);
  const int saved = errno;
  ::close(dir);
  if (fd < 0) {
    return saved == ELOOP ? changed(path) : os_error(path, saved);
  }
  return checked(fd, before, path);
}

std::optional<std::string> FileGate::skip_reason(const fs::directory_entry& entry) const {
  std::error_code error;
  const fs::file_status own = entry.symlink_status(error);
  if (error) {
    return std::string(kSkippedNotRegular);
  }
  if (fs::is_regular_file(own)) {
    return std::nullopt;
  }
  if (!fs::is_symlink(own)) {
    return std::string(kSkippedNotRegular);  // FIFO, socket, device
  }
  const fs::path real = fs::canonical(entry.path(), error);
  if (error) {
    return std::string(kSkippedBrokenSymlink);
  }
  if (root_ && !inside(real, *root_)) {
    return std::string(kSkippedLeavingRoot);
  }
  const fs::file_status target = fs::status(real, error);
  if (fs::is_directory(target)) {
    return std::string(kSkippedSymlinkedFolder);
  }
  if (!fs::is_regular_file(target)) {
    return std::string(kSkippedNotRegular);
  }
  return std::nullopt;
}

}  // namespace clearcut::scan
