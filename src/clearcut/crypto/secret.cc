#include "clearcut/crypto/secret.h"

#include <openssl/crypto.h>

namespace clearcut::crypto {

bool equal_constant_time(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  // Lengths are not secret here: tokens and CSRF values have one fixed length.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void cleanse(std::span<uint8_t> secret) {
  OPENSSL_cleanse(secret.data(), secret.size());
}

}  // namespace clearcut::crypto
