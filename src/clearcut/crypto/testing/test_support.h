#pragma once

#include <string>
#include <string_view>

#include "clearcut/base/result.h"

// Test support only (linked by tests, never by the product): what the product refuses or never
// does itself, to check how it copes.
namespace clearcut::crypto::testing {

// The private key of `pem` as encrypted PKCS#8 PEM (AES-256-CBC under `passphrase`).
base::Result<std::string> encrypt_private_key_pem(std::string_view pem,
                                                  std::string_view passphrase);

// Puts an "unsupported algorithm" reason on this thread's OpenSSL error queue.
void queue_unsupported_algorithm_error();

}  // namespace clearcut::crypto::testing
