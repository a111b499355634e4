#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/crypto/key.h"

namespace clearcut::oidc {

// One signing key of an OpenID provider, from its JWK Set.
struct Jwk {
  std::string kid;  // may be empty (a provider with one key need not name it)
  std::string alg;  // the one algorithm the key is for, when the JWK says (RFC 7517 §4.4)
  crypto::PublicKey key;
};

// The largest JWK Set read, and the most keys kept of it.
inline constexpr size_t kMaxJwksBytes = 256 * 1024;
inline constexpr size_t kMaxJwks = 64;

// Reads a JWK Set (RFC 7517 §5) as a provider's jwks_uri serves it: the signature keys among
// "keys" (kty RSA, EC on P-256/384/521, or OKP Ed25519; "use" absent or "sig"). Keys for
// encryption, of other types, or that do not decode are skipped, since a provider may publish
// keys this reader has no use for; a set with no usable key is an error. Untrusted text:
// strict JSON, at most kMaxJwksBytes. Errors are kInvalidArgument naming the field
// ("keys[2].n") and what was expected.
base::Result<std::vector<Jwk>> parse_jwks(std::string_view text);

}  // namespace clearcut::oidc
