#include "clearcut/clearance/password.h"

#include <argon2.h>

#include <vector>

#include "clearcut/base/hex.h"
#include "clearcut/crypto/random.h"

namespace clearcut::clearance {
namespace {

constexpr uint32_t kTimeCost = 2;
constexpr uint32_t kMemoryKiB = 19 * 1024;
constexpr uint32_t kLanes = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

}  // namespace

base::Result<std::string> hash_password(std::string_view password) {
  if (password.size() < 8 || password.size() > 1024) {
    return base::invalid_argument("a password has 8 to 1024 characters").with_field("password");
  }
  std::vector<uint8_t> salt(kSaltBytes);
  CC_CHECK(crypto::random_bytes(salt).has_value());
  size_t encoded_length =
      argon2_encodedlen(kTimeCost, kMemoryKiB, kLanes, kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(encoded_length, '\0');
  int rc =
      argon2id_hash_encoded(kTimeCost, kMemoryKiB, kLanes, password.data(), password.size(),
                            salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    return base::internal_error(std::string("argon2: ") + argon2_error_message(rc));
  }
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(std::string_view password, const std::string& encoded) {
  if (encoded.empty() || encoded.rfind("$argon2id$", 0) != 0) {
    return false;
  }
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

std::string random_hex(size_t bytes) {
  std::vector<uint8_t> buffer(bytes);
  CC_CHECK(crypto::random_bytes(buffer).has_value());
  return base::to_hex(buffer);
}

}  // namespace clearcut::clearance
