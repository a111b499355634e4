#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "clearcut/base/result.h"
#include "clearcut/oidc/jwks.h"

namespace clearcut::oidc {

inline constexpr size_t kMaxIdTokenBytes = 16 * 1024;

// What an ID token must be for this sign-in (OpenID Connect Core §3.1.3.7).
struct IdTokenCheck {
  std::string issuer;     // `iss`, exactly
  std::string client_id;  // in `aud`; `azp` when there are several audiences
  std::string nonce;      // `nonce`, exactly: the one this sign-in sent
  std::chrono::system_clock::time_point now;
  std::chrono::seconds skew{120};  // tolerated difference between the provider's clock and ours
};

// A verified ID token.
struct IdToken {
  std::string subject;    // `sub`
  std::string key_id;     // the `kid` of the key that verified it
  nlohmann::json claims;  // the whole payload, an object
};

// Verifies a compact JWS ID token (RFC 7515 §7.1) against the provider's keys, then checks its
// claims against `check`. Signatures: RS256/384/512, PS256/384/512, ES256/384/512 and EdDSA; "none"
// and the HMAC algorithms are refused (a provider's public key is not a shared secret). A key
// whose JWK names an algorithm is used for that algorithm only.
// Errors (kUnauthenticated) say what is wrong in words a person signing in can pass on: the
// signature, the issuer, the audience, the expiry (with the times), the nonce. kNotFound when no
// key has the token's `kid`: the caller may fetch the provider's keys again (key rotation) and
// retry. Untrusted input: at most kMaxIdTokenBytes, strict JSON.
base::Result<IdToken> verify_id_token(std::string_view token, std::span<const Jwk> keys,
                                      const IdTokenCheck& check);

}  // namespace clearcut::oidc
