#include "clearcut/provenance/c2pa/digest.h"

#include <openssl/evp.h>

#include "clearcut/base/result.h"

namespace clearcut::c2pa {

std::optional<HashAlgorithm> hash_algorithm_from_name(std::string_view name) {
  if (name == "sha256") {
    return HashAlgorithm::kSha256;
  }
  if (name == "sha384") {
    return HashAlgorithm::kSha384;
  }
  if (name == "sha512") {
    return HashAlgorithm::kSha512;
  }
  return std::nullopt;
}

std::string_view hash_algorithm_name(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::kSha256:
      return "sha256";
    case HashAlgorithm::kSha384:
      return "sha384";
    case HashAlgorithm::kSha512:
      return "sha512";
  }
  return "sha256";
}

struct Digester::State {
  EVP_MD_CTX* ctx = nullptr;
};

Digester::Digester(HashAlgorithm algorithm) : state_(std::make_unique<State>()) {
  const EVP_MD* md = algorithm == HashAlgorithm::kSha256   ? EVP_sha256()
                     : algorithm == HashAlgorithm::kSha384 ? EVP_sha384()
                                                           : EVP_sha512();
  state_->ctx = EVP_MD_CTX_new();
  CC_CHECK(state_->ctx != nullptr);
  CC_CHECK(EVP_DigestInit_ex(state_->ctx, md, nullptr) == 1);
}

Digester::~Digester() {
  EVP_MD_CTX_free(state_->ctx);
}

void Digester::update(std::span<const uint8_t> bytes) {
  CC_CHECK(EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size()) == 1);
}

std::vector<uint8_t> Digester::finish() {
  std::vector<uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  CC_CHECK(EVP_DigestFinal_ex(state_->ctx, out.data(), &length) == 1);
  out.resize(length);
  return out;
}

std::vector<uint8_t> digest(HashAlgorithm algorithm, std::span<const uint8_t> bytes) {
  Digester digester(algorithm);
  digester.update(bytes);
  return digester.finish();
}

}  // namespace clearcut::c2pa
