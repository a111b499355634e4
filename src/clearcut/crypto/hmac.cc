#include "clearcut/crypto/hmac.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "clearcut/base/result.h"

namespace clearcut::crypto {

std::array<uint8_t, 32> hmac_sha256(std::string_view key, std::string_view data) {
  std::array<uint8_t, 32> out{};
  unsigned int size = 0;
  const uint8_t* result =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &size);
  // Only an allocation failure makes the one-shot HMAC fail.
  CC_CHECK(result != nullptr && size == out.size());
  return out;
}

}  // namespace clearcut::crypto
