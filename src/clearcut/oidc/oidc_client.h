#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "clearcut/base/mutex.h"
#include "clearcut/base/result.h"
#include "clearcut/net/transport.h"
#include "clearcut/oidc/jwks.h"

namespace clearcut::oidc {

// This server as an OpenID Connect relying party (a confidential client).
struct OidcConfig {
  std::string issuer;  // https://..., or http:// on loopback only (tests, a local provider)
  std::string client_id;
  std::string client_secret;  // read from a file by `serve`
  std::string redirect_uri;   // this server's /api/v1/sso/callback as the provider knows it
  std::string scopes = "openid email profile";
  std::chrono::seconds skew{120};  // tolerated clock difference (ID token times)
};

// A sign-in to send the browser on: the provider's authorization URL, and the secrets the
// callback needs, which the caller keeps (state, nonce, PKCE verifier).
struct AuthorizationStart {
  std::string url;
  std::string state;
  std::string nonce;
  std::string code_verifier;
};

// Who signed in, from the verified ID token, completed by the userinfo endpoint.
struct Identity {
  std::string issuer;
  std::string subject;
  std::string email;  // lower case; empty when the provider released none
  bool email_verified = false;
  std::string name;
  nlohmann::json claims;  // every claim (ID token first, then userinfo for those it lacks)
};

// How the client reaches the provider: (method, url, headers, body) -> the reply. net::fetch in
// a server; a fake in tests.
using Fetch = std::function<base::Result<net::HttpReply>(
    const std::string& method, const std::string& url,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body)>;

// The authorization code flow with PKCE (OpenID Connect Core §3.1, RFC 7636 S256): discovery
// (cached, its issuer checked), the authorization URL with state and nonce, the code exchanged
// at the token endpoint (client_secret_basic, or _post when that is all the provider takes), the
// ID token verified (id_token.h) with the provider's JWK Set, and userinfo read for the claims
// the ID token leaves out. Keys are cached; a token signed with a key not in the cache fetches
// the set again (rotation), at most once per `kKeyRefreshInterval`. Errors: kUnavailable when
// the provider cannot be reached or answers nonsense, kUnauthenticated when it refuses the
// sign-in or its token fails a check, with a message for the person signing in. Thread-safe.
class OidcClient {
 public:
  static constexpr std::chrono::seconds kKeyRefreshInterval{10};

  OidcClient(OidcConfig config, Fetch fetch,
             std::function<std::chrono::system_clock::time_point()> now);

  // Whether `config` can work: every field set, URLs https (or http on loopback).
  static base::Status check(const OidcConfig& config);

  base::Result<AuthorizationStart> start();
  base::Result<Identity> finish(const std::string& code, const std::string& code_verifier,
                                const std::string& nonce);

 private:
  struct Discovery {
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string jwks_uri;
    std::string userinfo_endpoint;  // may be empty
    bool basic_auth = true;         // client_secret_basic; else client_secret_post
  };

  base::Result<Discovery> discovery();
  // The provider's keys: the cached set, or a fresh one when `refresh` (and the cache is older
  // than kKeyRefreshInterval) or there is none.
  base::Result<std::vector<Jwk>> keys(bool refresh);
  base::Result<nlohmann::json> get_json(
      const std::string& url, const std::string& what,
      const std::vector<std::pair<std::string, std::string>>& headers = {});

  const OidcConfig config_;
  const Fetch fetch_;
  const std::function<std::chrono::system_clock::time_point()> now_;
  base::Mutex mu_;
  std::optional<Discovery> discovery_ GUARDED_BY(mu_);
  std::vector<Jwk> keys_ GUARDED_BY(mu_);
  std::chrono::system_clock::time_point keys_fetched_ GUARDED_BY(mu_);  // by now_
};

// The PKCE S256 challenge of a verifier (RFC 7636 §4.2): base64url(SHA-256(verifier)).
std::string pkce_challenge(const std::string& code_verifier);

}  // namespace clearcut::oidc
