// libFuzzer target for what an OpenID provider sends (clearcut/oidc/): JWK Sets and ID tokens,
// both untrusted bytes off the network. The first byte chooses: even, the rest is a JWK Set;
// odd, the rest is an ID token checked against a fixed set of keys (Ed25519, from a fixed seed,
// so that a seed token signed with it reaches the claim checks). Any input must parse or give an
// Error of the documented kind, never crash; a token that verifies has an object of claims and
// a subject.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/base64.h"
#include "clearcut/crypto/key.h"
#include "clearcut/oidc/id_token.h"
#include "clearcut/oidc/jwks.h"

namespace clearcut::oidc {
namespace {

const std::vector<Jwk>& keys() {
  static const std::vector<Jwk> kKeys = [] {
    std::array<uint8_t, crypto::kEd25519SeedSize> seed{};
    seed.fill(7);
    crypto::PrivateKey key = crypto::PrivateKey::from_ed25519_seed(seed).value();
    auto raw = key.public_key().ed25519_bytes().value();
    std::string set = R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k","x":")" +
                      base::base64url_encode(raw) + R"("}]})";
    return parse_jwks(set).value();
  }();
  return kKeys;
}

void check_jwks(std::string_view text) {
  auto parsed = parse_jwks(text);
  if (!parsed.has_value()) {
    if (parsed.error().code() != base::ErrorCode::kInvalidArgument) {
      __builtin_trap();
    }
    return;
  }
  if (parsed->empty() || parsed->size() > kMaxJwks) {
    __builtin_trap();
  }
}

void check_token(std::string_view token) {
  IdTokenCheck check;
  check.issuer = "https://id.example";
  check.client_id = "clearcut";
  check.nonce = "n";
  check.now = std::chrono::system_clock::from_time_t(1796000000);
  auto verified = verify_id_token(token, keys(), check);
  if (!verified.has_value()) {
    base::ErrorCode code = verified.error().code();
    if (code != base::ErrorCode::kUnauthenticated && code != base::ErrorCode::kNotFound) {
      __builtin_trap();
    }
    return;
  }
  if (!verified->claims.is_object() || verified->subject.empty()) {
    __builtin_trap();
  }
}

}  // namespace
}  // namespace clearcut::oidc

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    clearcut::oidc::check_jwks(rest);
  } else {
    clearcut::oidc::check_token(rest);
  }
  return 0;
}
