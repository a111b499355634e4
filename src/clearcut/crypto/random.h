#pragma once

#include <cstdint>
#include <span>

#include "clearcut/base/result.h"

namespace clearcut::crypto {

// Fills `out` from OpenSSL's CSPRNG (tokens, salts, serials, UUIDs). kUnavailable when the
// generator cannot be seeded.
base::Status random_bytes(std::span<uint8_t> out);
// The same from the generator OpenSSL keeps apart for private keys and seeds.
base::Status random_secret_bytes(std::span<uint8_t> out);

}  // namespace clearcut::crypto
