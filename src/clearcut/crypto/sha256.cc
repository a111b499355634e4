#include "clearcut/crypto/sha256.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace clearcut::crypto {

Sha256Digest Sha256::finish() {
  Sha256Digest digest{};
  digester_.finish(digest);
  return digest;
}

Sha256Digest sha256(std::string_view data) {
  Sha256 hasher;
  hasher.update(data);
  return hasher.finish();
}

Sha256Digest sha256(std::span<const uint8_t> data) {
  Sha256 hasher;
  hasher.update(data);
  return hasher.finish();
}

base::Result<Sha256Digest> sha256_file(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return base::Error(base::ErrorCode::kNotFound,
                       std::string("cannot open: ") + std::strerror(errno))
        .with_location({path, 0, 0});
  }
  Sha256 hasher;
  std::vector<uint8_t> buffer(1 << 20);
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), file)) > 0) {
    hasher.update(std::span<const uint8_t>(buffer.data(), n));
  }
  bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) {
    return base::Error(base::ErrorCode::kUnavailable, "read error").with_location({path, 0, 0});
  }
  return hasher.finish();
}

}  // namespace clearcut::crypto
