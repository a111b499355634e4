#pragma once

#include <string>
#include <string_view>

#include "clearcut/base/result.h"

namespace clearcut::clearance {

// Argon2id (RFC 9106) password hashing, encoded in the PHC string format with a random salt.
// Parameters: 19 MiB, 2 passes, 1 lane (OWASP's minimum for Argon2id). Thread-safe.
base::Result<std::string> hash_password(std::string_view password);

// Constant-time check of `password` against an encoded hash; false for a malformed hash.
bool verify_password(std::string_view password, const std::string& encoded);

// `bytes` random bytes from the OS CSPRNG, as lower-case hex (tokens, session ids, CSRF).
std::string random_hex(size_t bytes);

}  // namespace clearcut::clearance
