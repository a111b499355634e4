#include "clearcut/crypto/random.h"

#include <algorithm>
#include <climits>

#include <openssl/rand.h>

namespace clearcut::crypto {

namespace {

// RAND_bytes takes an int count: larger requests go in pieces.
template <int (*Fill)(unsigned char*, int)>
base::Status fill(std::span<uint8_t> out) {
  while (!out.empty()) {
    size_t n = std::min<size_t>(out.size(), INT_MAX);
    if (Fill(out.data(), static_cast<int>(n)) != 1) {
      return base::Error(base::ErrorCode::kUnavailable, "the random number generator failed");
    }
    out = out.subspan(n);
  }
  return {};
}

}  // namespace

base::Status random_bytes(std::span<uint8_t> out) {
  return fill<RAND_bytes>(out);
}

base::Status random_secret_bytes(std::span<uint8_t> out) {
  return fill<RAND_priv_bytes>(out);
}

}  // namespace clearcut::crypto
