#include "clearcut/base/sha256.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <openssl/evp.h>

namespace clearcut::base {

struct Sha256::State {
  EVP_MD_CTX* ctx = nullptr;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  state_->ctx = EVP_MD_CTX_new();
  CC_CHECK(state_->ctx != nullptr);
  CC_CHECK(EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) == 1);
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(state_->ctx);
}

void Sha256::update(std::span<const uint8_t> bytes) {
  CC_CHECK(EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size()) == 1);
}

void Sha256::update(std::string_view text) {
  CC_CHECK(EVP_DigestUpdate(state_->ctx, text.data(), text.size()) == 1);
}

Sha256Digest Sha256::finish() {
  Sha256Digest digest{};
  unsigned int length = 0;
  CC_CHECK(EVP_DigestFinal_ex(state_->ctx, digest.data(), &length) == 1);
  CC_CHECK(length == digest.size());
  CC_CHECK(EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) == 1);
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

Result<Sha256Digest> sha256_file(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Error(ErrorCode::kNotFound, std::string("cannot open: ") + std::strerror(errno))
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
    return Error(ErrorCode::kUnavailable, "read error").with_location({path, 0, 0});
  }
  return hasher.finish();
}

}  // namespace clearcut::base
