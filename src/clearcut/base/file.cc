#include "clearcut/base/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include <sys/stat.h>

namespace clearcut::base {
namespace {

Error io_error(ErrorCode code, const std::string& path, const std::string& what, int error) {
  return Error(code, what + ": " + std::strerror(error)).with_location({path, 0, 0});
}

Error too_large(const std::string& path, uint64_t max_bytes) {
  return invalid_argument("larger than the limit of " + std::to_string(max_bytes) + " bytes")
      .with_location({path, 0, 0});
}

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd;
  ~Fd() { ::close(fd); }
};

template <typename Bytes>
Result<Bytes> read_into(const std::string& path, uint64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    const bool missing = error == ENOENT || error == ENOTDIR;
    return io_error(missing ? ErrorCode::kNotFound : ErrorCode::kUnavailable, path, "cannot open",
                    error);
  }
  Fd closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    return io_error(ErrorCode::kUnavailable, path, "cannot stat", errno);
  }
  if (S_ISDIR(info.st_mode)) {
    return invalid_argument("is a directory").with_location({path, 0, 0});
  }
  Bytes bytes;
  // Pipes and devices report no size; they are read until their end, under the same limit.
  if (S_ISREG(info.st_mode)) {
    if (static_cast<uint64_t>(info.st_size) > max_bytes) {
      return too_large(path, max_bytes);
    }
    bytes.reserve(static_cast<size_t>(info.st_size));
  }
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return io_error(ErrorCode::kUnavailable, path, "read failed", errno);
    }
    if (n == 0) {
      return bytes;
    }
    if (bytes.size() + static_cast<size_t>(n) > max_bytes) {
      return too_large(path, max_bytes);
    }
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
}

// Syncs the directory holding `path`, so that a name just created in it survives a crash.
Status sync_directory(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) {
    dir = ".";
  }
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return io_error(ErrorCode::kUnavailable, dir.string(), "cannot open the directory", errno);
  }
  Fd closer{fd};
  if (::fsync(fd) != 0) {
    return io_error(ErrorCode::kUnavailable, dir.string(), "cannot sync the directory", errno);
  }
  return {};
}

}  // namespace

Result<std::string> read_file(const std::string& path, uint64_t max_bytes) {
  return read_into<std::string>(path, max_bytes);
}

Result<std::vector<uint8_t>> read_file_bytes(const std::string& path, uint64_t max_bytes) {
  return read_into<std::vector<uint8_t>>(path, max_bytes);
}

Result<StagedFile> StagedFile::create(const std::string& destination, mode_t mode) {
  const std::filesystem::path target(destination);
  const std::filesystem::path dir =
      target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  std::string name = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    return io_error(ErrorCode::kUnavailable, dir.string(), "cannot create a temporary file", errno);
  }
  StagedFile file(destination, name, fd);
  // mkstemp creates 0600; O_CREAT's mode would be cut by the umask.
  if (::fchmod(fd, mode) != 0) {
    return io_error(ErrorCode::kUnavailable, name, "cannot set the file mode", errno);
  }
  return file;
}

StagedFile::StagedFile(std::string destination, std::string temp_path, int fd)
    : destination_(std::move(destination)), temp_path_(std::move(temp_path)), fd_(fd) {}

StagedFile::StagedFile(StagedFile&& other) noexcept
    : destination_(std::move(other.destination_)),
      temp_path_(std::exchange(other.temp_path_, {})),
      fd_(std::exchange(other.fd_, -1)) {}

StagedFile& StagedFile::operator=(StagedFile&& other) noexcept {
  if (this != &other) {
    discard();
    destination_ = std::move(other.destination_);
    temp_path_ = std::exchange(other.temp_path_, {});
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

StagedFile::~StagedFile() {
  discard();
}

void StagedFile::discard() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
    temp_path_.clear();
  }
}

Status StagedFile::write(std::span<const uint8_t> bytes) {
  if (fd_ < 0) {
    return Error(ErrorCode::kFailedPrecondition, "the staged file is already closed")
        .with_location({temp_path_, 0, 0});
  }
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return io_error(ErrorCode::kUnavailable, temp_path_, "write failed", n < 0 ? errno : EIO);
    }
    done += static_cast<size_t>(n);
  }
  return {};
}

Status StagedFile::write(std::string_view bytes) {
  return write(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

Status StagedFile::sync() {
  if (fd_ < 0) {
    return {};
  }
  const int fd = std::exchange(fd_, -1);
  const bool synced = ::fsync(fd) == 0;
  const int sync_error = errno;
  if (::close(fd) != 0 || !synced) {
    return io_error(ErrorCode::kUnavailable, temp_path_, "cannot sync",
                    synced ? errno : sync_error);
  }
  return {};
}

Status StagedFile::commit(bool replace) {
  if (temp_path_.empty()) {
    return Error(ErrorCode::kFailedPrecondition, "the staged file is already committed")
        .with_location({destination_, 0, 0});
  }
  CC_TRY(sync());
  if (replace) {
    if (::rename(temp_path_.c_str(), destination_.c_str()) != 0) {
      return io_error(ErrorCode::kUnavailable, destination_, "cannot move into place", errno);
    }
  } else {
    // link() refuses an existing destination atomically, where rename() would replace it.
    if (::link(temp_path_.c_str(), destination_.c_str()) != 0) {
      const int error = errno;
      return io_error(error == EEXIST ? ErrorCode::kAlreadyExists : ErrorCode::kUnavailable,
                      destination_, "cannot create", error);
    }
    ::unlink(temp_path_.c_str());
  }
  temp_path_.clear();
  return sync_directory(destination_);
}

Status write_file_atomic(const std::string& path, std::span<const uint8_t> bytes,
                         const WriteOptions& options) {
  StagedFile file = CC_TRY(StagedFile::create(path, options.mode));
  CC_TRY(file.write(bytes));
  return file.commit(options.replace);
}

Status write_file_atomic(const std::string& path, std::string_view bytes,
                         const WriteOptions& options) {
  return write_file_atomic(
      path, std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), options);
}

}  // namespace clearcut::base
