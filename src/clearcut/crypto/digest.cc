#include "clearcut/crypto/digest.h"

#include "clearcut/crypto/internal/openssl_ptr.h"

namespace clearcut::crypto {

namespace {

const EVP_MD* md_of(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::kSha256:
      return EVP_sha256();
    case HashAlgorithm::kSha384:
      return EVP_sha384();
    case HashAlgorithm::kSha512:
      return EVP_sha512();
  }
  return EVP_sha256();
}

}  // namespace

size_t digest_size(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::kSha256:
      return 32;
    case HashAlgorithm::kSha384:
      return 48;
    case HashAlgorithm::kSha512:
      return 64;
  }
  return 32;
}

struct Digester::State {
  internal::MdCtxPtr ctx;
};

Digester::Digester(HashAlgorithm algorithm)
    : algorithm_(algorithm), state_(std::make_unique<State>()) {
  state_->ctx.reset(EVP_MD_CTX_new());
  CC_CHECK(state_->ctx != nullptr);
  CC_CHECK(EVP_DigestInit_ex(state_->ctx.get(), md_of(algorithm_), nullptr) == 1);
}

Digester::~Digester() = default;

void Digester::update(std::span<const uint8_t> bytes) {
  CC_CHECK(EVP_DigestUpdate(state_->ctx.get(), bytes.data(), bytes.size()) == 1);
}

void Digester::update(std::string_view text) {
  CC_CHECK(EVP_DigestUpdate(state_->ctx.get(), text.data(), text.size()) == 1);
}

void Digester::finish(std::span<uint8_t> out) {
  CC_CHECK(out.size() == digest_size(algorithm_));
  unsigned int length = 0;
  CC_CHECK(EVP_DigestFinal_ex(state_->ctx.get(), out.data(), &length) == 1);
  CC_CHECK(length == out.size());
  CC_CHECK(EVP_DigestInit_ex(state_->ctx.get(), md_of(algorithm_), nullptr) == 1);
}

std::vector<uint8_t> Digester::finish() {
  std::vector<uint8_t> out(digest_size(algorithm_));
  finish(out);
  return out;
}

std::vector<uint8_t> digest(HashAlgorithm algorithm, std::span<const uint8_t> bytes) {
  Digester digester(algorithm);
  digester.update(bytes);
  return digester.finish();
}

}  // namespace clearcut::crypto
