#include "clearcut/oidc/oidc_client.h"

#include <array>

#include "clearcut/base/base64.h"
#include "clearcut/base/strict_json.h"
#include "clearcut/base/text.h"
#include "clearcut/crypto/random.h"
#include "clearcut/crypto/sha256.h"
#include "clearcut/oidc/id_token.h"

namespace clearcut::oidc {
namespace {

using Json = nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

base::Error unavailable(const std::string& message) {
  return base::Error(base::ErrorCode::kUnavailable, message);
}

// A fresh random value of 256 bits, base64url: states, nonces, PKCE verifiers (43 characters,
// within RFC 7636's 43 to 128).
base::Result<std::string> random_token() {
  std::array<uint8_t, 32> bytes{};
  CC_TRY(crypto::random_bytes(bytes));
  return base::base64url_encode(bytes);
}

// The host of an http(s) URL, without port or brackets; empty when it has none.
std::string host_of(std::string_view url) {
  size_t start = url.find("://");
  if (start == std::string_view::npos) {
    return "";
  }
  std::string_view rest = url.substr(start + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (rest.find('@') != std::string_view::npos) {
    return "";  // credentials in a URL: refused
  }
  if (!rest.empty() && rest.front() == '[') {
    return std::string(rest.substr(1, rest.find(']') - 1));
  }
  return std::string(rest.substr(0, rest.find(':')));
}

// https anywhere; http only to this machine (a provider in a test, or on the same host).
base::Status check_url(const std::string& url, const std::string& field) {
  std::string host = host_of(url);
  bool loopback = host == "127.0.0.1" || host == "localhost" || host == "::1";
  bool https = url.rfind("https://", 0) == 0;
  bool http = url.rfind("http://", 0) == 0;
  if (host.empty() || !(https || (http && loopback))) {
    return base::invalid_argument("expected an https:// URL (http:// only on loopback), not \"" +
                                  url + "\"")
        .with_field(field);
  }
  return {};
}

std::string member(const Json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string form(const Headers& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    out += out.empty() ? "" : "&";
    out += base::percent_encode(name) + "=" + base::percent_encode(value);
  }
  return out;
}

}  // namespace

std::string pkce_challenge(const std::string& code_verifier) {
  return base::base64url_encode(crypto::sha256(code_verifier));
}

OidcClient::OidcClient(OidcConfig config, Fetch fetch,
                       std::function<std::chrono::system_clock::time_point()> now)
    : config_(std::move(config)), fetch_(std::move(fetch)), now_(std::move(now)) {}

base::Status OidcClient::check(const OidcConfig& config) {
  CC_TRY(check_url(config.issuer, "issuer"));
  CC_TRY(check_url(config.redirect_uri, "redirect_uri"));
  if (config.client_id.empty()) {
    return base::invalid_argument("the client id the provider registered is missing")
        .with_field("client_id");
  }
  if (config.client_secret.empty()) {
    return base::invalid_argument("the client secret is missing").with_field("client_secret");
  }
  if (config.scopes.find("openid") == std::string::npos) {
    return base::invalid_argument("the scopes must include openid").with_field("scopes");
  }
  return {};
}

base::Result<Json> OidcClient::get_json(const std::string& url, const std::string& what,
                                        const Headers& headers) {
  Headers all = headers;
  all.emplace_back("Accept", "application/json");
  base::Result<net::HttpReply> reply = fetch_("GET", url, all, "");
  if (!reply) {
    return unavailable("the identity provider's " + what +
                       " cannot be read: " + reply.error().message());
  }
  if (reply->status != 200) {
    return unavailable("the identity provider's " + what + " (" + url + ") answered " +
                       std::to_string(reply->status));
  }
  base::Result<Json> json = base::parse_strict_json(reply->body, 16);
  if (!json || !json->is_object()) {
    return unavailable("the identity provider's " + what + " (" + url + ") is not a JSON object");
  }
  return *json;
}

base::Result<OidcClient::Discovery> OidcClient::discovery() {
  {
    base::MutexLock lock(mu_);
    if (discovery_) {
      return *discovery_;
    }
  }
  std::string url = config_.issuer;
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  Json doc = CC_TRY(get_json(url + "/.well-known/openid-configuration", "discovery document"));
  if (member(doc, "issuer") != config_.issuer) {
    return unavailable("the discovery document names the issuer \"" + member(doc, "issuer") +
                       "\", not \"" + config_.issuer + "\" as configured");
  }
  Discovery found;
  found.authorization_endpoint = member(doc, "authorization_endpoint");
  found.token_endpoint = member(doc, "token_endpoint");
  found.jwks_uri = member(doc, "jwks_uri");
  found.userinfo_endpoint = member(doc, "userinfo_endpoint");
  for (const auto& [url_of, field] :
       {std::pair{&found.authorization_endpoint, "authorization_endpoint"},
        std::pair{&found.token_endpoint, "token_endpoint"},
        std::pair{&found.jwks_uri, "jwks_uri"}}) {
    base::Status fine = check_url(*url_of, field);
    if (!fine) {
      return unavailable("the discovery document's " + std::string(field) + ": " +
                         fine.error().message());
    }
  }
  if (!found.userinfo_endpoint.empty() && !check_url(found.userinfo_endpoint, "userinfo")) {
    found.userinfo_endpoint.clear();
  }
  auto methods = doc.find("token_endpoint_auth_methods_supported");
  if (methods != doc.end() && methods->is_array()) {
    bool basic = false;
    bool post = false;
    for (const Json& m : *methods) {
      basic = basic || m == "client_secret_basic";
      post = post || m == "client_secret_post";
    }
    found.basic_auth = basic || !post;
  }
  base::MutexLock lock(mu_);
  discovery_ = found;
  return found;
}

base::Result<std::vector<Jwk>> OidcClient::keys(bool refresh) {
  Discovery where = CC_TRY(discovery());
  {
    base::MutexLock lock(mu_);
    bool recent = now_() - keys_fetched_ < kKeyRefreshInterval;
    if (!keys_.empty() && (!refresh || recent)) {
      return keys_;
    }
  }
  base::Result<net::HttpReply> reply =
      fetch_("GET", where.jwks_uri, {{"Accept", "application/json"}}, "");
  if (!reply || reply->status != 200) {
    return unavailable("the identity provider's keys (" + where.jwks_uri + ") cannot be read" +
                       (reply ? ": it answered " + std::to_string(reply->status)
                              : ": " + reply.error().message()));
  }
  base::Result<std::vector<Jwk>> parsed = parse_jwks(reply->body);
  if (!parsed) {
    return unavailable("the identity provider's keys (" + where.jwks_uri +
                       ") are unreadable: " + parsed.error().message());
  }
  base::MutexLock lock(mu_);
  keys_ = *parsed;
  keys_fetched_ = now_();
  return keys_;
}

base::Result<AuthorizationStart> OidcClient::start() {
  Discovery where = CC_TRY(discovery());
  AuthorizationStart out;
  out.state = CC_TRY(random_token());
  out.nonce = CC_TRY(random_token());
  out.code_verifier = CC_TRY(random_token());
  std::string query = form({{"response_type", "code"},
                            {"client_id", config_.client_id},
                            {"redirect_uri", config_.redirect_uri},
                            {"scope", config_.scopes},
                            {"state", out.state},
                            {"nonce", out.nonce},
                            {"code_challenge", pkce_challenge(out.code_verifier)},
                            {"code_challenge_method", "S256"}});
  const std::string& endpoint = where.authorization_endpoint;
  out.url = endpoint + (endpoint.find('?') == std::string::npos ? "?" : "&") + query;
  return out;
}

base::Result<Identity> OidcClient::finish(const std::string& code, const std::string& code_verifier,
                                          const std::string& nonce) {
  Discovery where = CC_TRY(discovery());
  Headers fields = {{"grant_type", "authorization_code"},
                    {"code", code},
                    {"redirect_uri", config_.redirect_uri},
                    {"code_verifier", code_verifier}};
  Headers headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  if (where.basic_auth) {
    // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined.
    std::string pair =
        base::percent_encode(config_.client_id) + ":" + base::percent_encode(config_.client_secret);
    headers.emplace_back(
        "Authorization",
        "Basic " + base::base64_encode(
                       std::span(reinterpret_cast<const uint8_t*>(pair.data()), pair.size())));
  } else {
    fields.emplace_back("client_id", config_.client_id);
    fields.emplace_back("client_secret", config_.client_secret);
  }
  base::Result<net::HttpReply> reply = fetch_("POST", where.token_endpoint, headers, form(fields));
  if (!reply) {
    return unavailable("the identity provider's token endpoint cannot be reached: " +
                       reply.error().message());
  }
  base::Result<Json> body = base::parse_strict_json(reply->body, 16);
  if (!body || !body->is_object()) {
    return unavailable("the identity provider's token endpoint answered " +
                       std::to_string(reply->status) + " without a JSON object");
  }
  if (reply->status != 200) {
    std::string error = member(*body, "error");
    std::string detail = member(*body, "error_description");
    return base::Error(base::ErrorCode::kUnauthenticated,
                       "the identity provider refused the sign-in: " +
                           (error.empty() ? "status " + std::to_string(reply->status) : error) +
                           (detail.empty() ? "" : " (" + detail + ")"));
  }
  std::string id_token = member(*body, "id_token");
  if (id_token.empty()) {
    return unavailable("the identity provider's token endpoint sent no ID token");
  }
  IdTokenCheck check{config_.issuer, config_.client_id, nonce, now_(), config_.skew};
  std::vector<Jwk> known = CC_TRY(keys(false));
  base::Result<IdToken> token = verify_id_token(id_token, known, check);
  if (!token && token.error().code() == base::ErrorCode::kNotFound) {
    known = CC_TRY(keys(true));  // the provider may have rotated its keys
    token = verify_id_token(id_token, known, check);
  }
  if (!token) {
    return base::Error(base::ErrorCode::kUnauthenticated, token.error().message());
  }
  Json claims = token->claims;
  std::string access_token = member(*body, "access_token");
  if (!where.userinfo_endpoint.empty() && !access_token.empty()) {
    Json info = CC_TRY(get_json(where.userinfo_endpoint, "userinfo",
                                {{"Authorization", "Bearer " + access_token}}));
    if (member(info, "sub") != token->subject) {
      return base::Error(base::ErrorCode::kUnauthenticated,
                         "the identity provider's userinfo names another subject than the ID "
                         "token");
    }
    for (auto it = info.begin(); it != info.end(); ++it) {
      if (!claims.contains(it.key())) {
        claims[it.key()] = it.value();
      }
    }
  }
  Identity out;
  out.issuer = config_.issuer;
  out.subject = token->subject;
  out.email = base::ascii_lower(member(claims, "email"));
  auto verified = claims.find("email_verified");
  out.email_verified = verified != claims.end() &&
                       (*verified == true || (verified->is_string() && *verified == "true"));
  out.name = member(claims, "name");
  if (out.name.empty()) {
    out.name = member(claims, "preferred_username");
  }
  out.claims = std::move(claims);
  return out;
}

}  // namespace clearcut::oidc
