#include <chrono>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/base/base64.h"
#include "clearcut/crypto/key.h"
#include "clearcut/crypto/signature.h"
#include "clearcut/oidc/id_token.h"
#include "clearcut/oidc/jwks.h"
#include "clearcut/oidc/oidc_client.h"

namespace clearcut::oidc {
namespace {

using Json = nlohmann::json;
using crypto::KeyKind;
using crypto::PrivateKey;
using crypto::SignatureScheme;
using std::chrono::seconds;
using std::chrono::system_clock;

const std::string kIssuer = "https://id.studio.example";
const system_clock::time_point kNow =
    system_clock::from_time_t(1796000000);  // 2026-11-30T00:53:20Z
const int64_t kNowSeconds = 1796000000;

std::string b64(std::string_view text) {
  return base::base64url_encode(
      std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

std::string b64(const std::vector<uint8_t>& bytes) {
  return base::base64url_encode(bytes);
}

Json jwk_of(const PrivateKey& key, const std::string& kid) {
  crypto::PublicKey pub = key.public_key();
  if (auto rsa = pub.rsa_components()) {
    return {{"kty", "RSA"}, {"kid", kid}, {"use", "sig"}, {"n", b64(rsa->n)}, {"e", b64(rsa->e)}};
  }
  if (auto ec = pub.ec_point()) {
    return {{"kty", "EC"}, {"kid", kid}, {"crv", ec->curve}, {"x", b64(ec->x)}, {"y", b64(ec->y)}};
  }
  auto raw = pub.ed25519_bytes().value();
  return {{"kty", "OKP"},
          {"kid", kid},
          {"crv", "Ed25519"},
          {"x", b64(std::vector<uint8_t>(raw.begin(), raw.end()))}};
}

std::string sign_jwt(const Json& header, const Json& payload, const PrivateKey& key,
                     SignatureScheme scheme) {
  std::string input = b64(header.dump()) + "." + b64(payload.dump());
  std::vector<uint8_t> signature =
      crypto::sign(key, scheme,
                   std::span(reinterpret_cast<const uint8_t*>(input.data()), input.size()))
          .value();
  return input + "." + b64(signature);
}

Json claims(const std::string& nonce = "n-1") {
  return {{"iss", kIssuer},
          {"sub", "248289761001"},
          {"aud", "clearcut"},
          {"exp", kNowSeconds + 300},
          {"iat", kNowSeconds - 10},
          {"nonce", nonce},
          {"email", "Ana@Studio.example"},
          {"email_verified", true},
          {"name", "Ana Lima"}};
}

IdTokenCheck check_for(const std::string& nonce = "n-1") {
  return {kIssuer, "clearcut", nonce, kNow, seconds(120)};
}

class IdTokenTest : public ::testing::Test {
 protected:
  IdTokenTest()
      : rsa_(PrivateKey::generate(KeyKind::kRsa2048).value()),
        ec_(PrivateKey::generate(KeyKind::kP256).value()) {
    Json set = {{"keys", {jwk_of(rsa_, "rsa-1"), jwk_of(ec_, "ec-1")}}};
    keys_ = parse_jwks(set.dump()).value();
  }

  std::string rs256(const Json& payload, const std::string& kid = "rsa-1") const {
    return sign_jwt({{"alg", "RS256"}, {"kid", kid}, {"typ", "JWT"}}, payload, rsa_,
                    SignatureScheme::kRsaPkcs1Sha256);
  }

  std::string refusal(const std::string& token, const IdTokenCheck& check = check_for()) const {
    base::Result<IdToken> r = verify_id_token(token, keys_, check);
    return r ? "(accepted)" : r.error().message();
  }

  PrivateKey rsa_;
  PrivateKey ec_;
  std::vector<Jwk> keys_;
};

TEST_F(IdTokenTest, AcceptsAGoodTokenSignedWithRs256OrEs256) {
  IdToken token = verify_id_token(rs256(claims()), keys_, check_for()).value();
  EXPECT_EQ(token.subject, "248289761001");
  EXPECT_EQ(token.key_id, "rsa-1");
  EXPECT_EQ(token.claims["name"], "Ana Lima");
  std::string es =
      sign_jwt({{"alg", "ES256"}, {"kid", "ec-1"}}, claims(), ec_, SignatureScheme::kEcdsaSha256);
  EXPECT_EQ(verify_id_token(es, keys_, check_for()).value().key_id, "ec-1");
}

TEST_F(IdTokenTest, RefusesATamperedToken) {
  std::string token = rs256(claims());
  size_t dot = token.find('.');
  Json changed = claims();
  changed["sub"] = "someone-else";
  std::string forged =
      token.substr(0, dot + 1) + b64(changed.dump()) + token.substr(token.rfind('.'));
  EXPECT_NE(refusal(forged).find("signature does not verify"), std::string::npos);
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_NE(refusal(flipped), "(accepted)");
}

TEST_F(IdTokenTest, RefusesAnotherAudienceIssuerOrNonce) {
  Json other = claims();
  other["aud"] = "another-app";
  EXPECT_NE(refusal(rs256(other)).find("another application (audience \"another-app\""),
            std::string::npos);
  other["aud"] = Json::array({"another-app", "clearcut"});  // several audiences need azp
  EXPECT_NE(refusal(rs256(other)).find("azp"), std::string::npos);
  other["azp"] = "clearcut";
  EXPECT_EQ(refusal(rs256(other)), "(accepted)");
  Json issuer = claims();
  issuer["iss"] = "https://evil.example";
  EXPECT_NE(refusal(rs256(issuer)).find("another issuer"), std::string::npos);
  EXPECT_NE(refusal(rs256(claims("n-2"))).find("nonce"), std::string::npos);
}

TEST_F(IdTokenTest, TimesAllowTheSkewAndNoMore) {
  Json late = claims();
  late["exp"] = kNowSeconds - 100;  // within 120 s of skew
  EXPECT_EQ(refusal(rs256(late)), "(accepted)");
  late["exp"] = kNowSeconds - 121;
  std::string message = refusal(rs256(late));
  EXPECT_NE(message.find("expired at 2026-11-30T00:51:19Z (now 2026-11-30T00:53:20Z, 120 s"),
            std::string::npos)
      << message;
  Json future = claims();
  future["iat"] = kNowSeconds + 3600;
  EXPECT_NE(refusal(rs256(future)).find("issued in the future"), std::string::npos);
  Json no_exp = claims();
  no_exp.erase("exp");
  EXPECT_NE(refusal(rs256(no_exp)).find("no expiry"), std::string::npos);
}

TEST_F(IdTokenTest, RefusesNoneHmacAndKeysOfTheWrongKind) {
  std::string none = b64(Json({{"alg", "none"}}).dump()) + "." + b64(claims().dump()) + ".";
  EXPECT_NE(refusal(none).find("\"none\""), std::string::npos);
  std::string hs = b64(Json({{"alg", "HS256"}, {"kid", "rsa-1"}}).dump()) + "." +
                   b64(claims().dump()) + "." + b64("mac");
  EXPECT_NE(refusal(hs).find("\"HS256\""), std::string::npos);
  // An RSA signature presented as made by the EC key.
  std::string swapped = rs256(claims(), "ec-1");
  EXPECT_NE(refusal(swapped).find("signature does not verify"), std::string::npos);
  EXPECT_NE(refusal("a.b").find("three parts"), std::string::npos);
  EXPECT_NE(refusal(std::string(kMaxIdTokenBytes + 1, 'a')).find("over"), std::string::npos);
}

TEST_F(IdTokenTest, AnUnknownKeyIdIsNotFoundSoTheCallerCanRefetch) {
  base::Result<IdToken> r = verify_id_token(rs256(claims(), "rsa-2"), keys_, check_for());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), base::ErrorCode::kNotFound);
}

TEST(JwksTest, KeepsSignatureKeysAndSkipsOthers) {
  PrivateKey ed = PrivateKey::generate(KeyKind::kEd25519).value();
  PrivateKey rsa = PrivateKey::generate(KeyKind::kRsa2048).value();
  Json enc = jwk_of(rsa, "enc-1");
  enc["use"] = "enc";
  Json set = {{"keys", {enc, jwk_of(ed, "ed-1"), {{"kty", "oct"}, {"k", "c2VjcmV0"}}}}};
  std::vector<Jwk> keys = parse_jwks(set.dump()).value();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].kid, "ed-1");
  EXPECT_EQ(keys[0].key.type(), crypto::KeyType::kEd25519);
}

TEST(JwksTest, ErrorsNameTheField) {
  Json bad = {{"keys", {{{"kty", "RSA"}, {"n", "AQAB="}, {"e", "AQAB"}}}}};
  base::Result<std::vector<Jwk>> r = parse_jwks(bad.dump());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field(), "keys[0].n");
  EXPECT_EQ(parse_jwks("{\"keys\":{}}").error().field(), "keys");
  // A good modulus and a bad exponent (fuzz_oidc found the modulus leaked on this path).
  Json bad_e = {{"keys", {{{"kty", "RSA"}, {"n", "AQAB"}, {"e", "*"}}}}};
  EXPECT_EQ(parse_jwks(bad_e.dump()).error().field(), "keys[0].e");
  Json bad_y = {{"keys", {{{"kty", "EC"}, {"crv", "P-256"}, {"x", "AQAB"}, {"y", "*"}}}}};
  EXPECT_EQ(parse_jwks(bad_y.dump()).error().field(), "keys[0].y");
  EXPECT_FALSE(parse_jwks("[").has_value());
  EXPECT_FALSE(parse_jwks(std::string(kMaxJwksBytes + 1, ' ')).has_value());
}

// A provider in memory: discovery, keys, token and userinfo endpoints, each request recorded.
class FakeProvider {
 public:
  FakeProvider() : signing_key(PrivateKey::generate(KeyKind::kRsa2048).value()) {
    discovery = {{"issuer", kIssuer},
                 {"authorization_endpoint", kIssuer + "/auth"},
                 {"token_endpoint", kIssuer + "/token"},
                 {"jwks_uri", kIssuer + "/jwks"},
                 {"userinfo_endpoint", kIssuer + "/me"}};
    publish({{"keys", {jwk_of(signing_key, "k1")}}});
  }

  void publish(const Json& set) { published = set.dump(); }

  Fetch fetch() {
    return [this](const std::string& method, const std::string& url,
                  const std::vector<std::pair<std::string, std::string>>& headers,
                  const std::string& body) -> base::Result<net::HttpReply> {
      ++requests[method + " " + url];
      if (url == kIssuer + "/.well-known/openid-configuration") {
        return net::HttpReply{200, "application/json", discovery.dump()};
      }
      if (url == kIssuer + "/jwks") {
        return net::HttpReply{200, "application/json", published};
      }
      if (url == kIssuer + "/token") {
        last_token_body = body;
        for (const auto& [name, value] : headers) {
          if (name == "Authorization") {
            last_authorization = value;
          }
        }
        if (body.find("code=good") == std::string::npos) {
          return net::HttpReply{400, "application/json",
                                R"({"error":"invalid_grant","error_description":"code expired"})"};
        }
        return net::HttpReply{200, "application/json",
                              Json({{"id_token", id_token}, {"access_token", "at-1"}}).dump()};
      }
      if (url == kIssuer + "/me") {
        return net::HttpReply{200, "application/json", userinfo.dump()};
      }
      return net::HttpReply{404, "text/plain", "no"};
    };
  }

  std::string token(const Json& payload, const PrivateKey& key, const std::string& kid) {
    return sign_jwt({{"alg", "RS256"}, {"kid", kid}}, payload, key,
                    SignatureScheme::kRsaPkcs1Sha256);
  }

  PrivateKey signing_key;
  Json discovery;
  std::string published;  // the JWK Set served
  std::string id_token;
  Json userinfo = {{"sub", "248289761001"}, {"groups", {"studio-legal"}}};
  std::string last_token_body;
  std::string last_authorization;
  std::map<std::string, int> requests;
};

OidcConfig config() {
  return {kIssuer,
          "clearcut",
          "s3cret:/",
          "http://127.0.0.1:8080/api/v1/sso/callback",
          "openid email profile",
          seconds(120)};
}

TEST(OidcClientTest, StartsWithStateNonceAndAPkceChallenge) {
  FakeProvider idp;
  OidcClient client(config(), idp.fetch(), [] { return kNow; });
  AuthorizationStart start = client.start().value();
  EXPECT_EQ(start.url.rfind(kIssuer + "/auth?response_type=code&client_id=clearcut&", 0), 0u)
      << start.url;
  EXPECT_NE(
      start.url.find("redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fapi%2Fv1%2Fsso%2Fcallback"),
      std::string::npos);
  EXPECT_NE(start.url.find("state=" + start.state), std::string::npos);
  EXPECT_NE(start.url.find("nonce=" + start.nonce), std::string::npos);
  EXPECT_NE(start.url.find("code_challenge=" + pkce_challenge(start.code_verifier) +
                           "&code_challenge_method=S256"),
            std::string::npos);
  EXPECT_EQ(start.code_verifier.size(), 43u);
  EXPECT_NE(client.start().value().state, start.state);
  // RFC 7636 Appendix B.
  EXPECT_EQ(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(OidcClientTest, FinishesWithTheVerifiedTokenAndUserinfo) {
  FakeProvider idp;
  idp.id_token = idp.token(claims("n-9"), idp.signing_key, "k1");
  OidcClient client(config(), idp.fetch(), [] { return kNow; });
  Identity who = client.finish("good", "verifier-1", "n-9").value();
  EXPECT_EQ(who.subject, "248289761001");
  EXPECT_EQ(who.email, "ana@studio.example");
  EXPECT_TRUE(who.email_verified);
  EXPECT_EQ(who.name, "Ana Lima");
  EXPECT_EQ(who.claims["groups"], Json::array({"studio-legal"}));  // from userinfo
  EXPECT_NE(idp.last_token_body.find("code_verifier=verifier-1"), std::string::npos);
  EXPECT_NE(idp.last_token_body.find("grant_type=authorization_code"), std::string::npos);
  // Basic credentials, form-encoded first: "clearcut:s3cret%3A%2F".
  EXPECT_EQ(idp.last_authorization, "Basic Y2xlYXJjdXQ6czNjcmV0JTNBJTJG");
  EXPECT_EQ(idp.requests["GET " + kIssuer + "/.well-known/openid-configuration"], 1);
}

TEST(OidcClientTest, TheProvidersRefusalIsPassedOn) {
  FakeProvider idp;
  OidcClient client(config(), idp.fetch(), [] { return kNow; });
  base::Result<Identity> r = client.finish("stale", "v", "n");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), base::ErrorCode::kUnauthenticated);
  EXPECT_NE(r.error().message().find("invalid_grant (code expired)"), std::string::npos);
}

TEST(OidcClientTest, ARotatedKeyIsFetchedAtMostOncePerInterval) {
  FakeProvider idp;
  system_clock::time_point now = kNow;
  OidcClient client(config(), idp.fetch(), [&now] { return now; });
  idp.id_token = idp.token(claims("n-1"), idp.signing_key, "k1");
  ASSERT_TRUE(client.finish("good", "v", "n-1").has_value());
  PrivateKey next = PrivateKey::generate(KeyKind::kRsa2048).value();
  idp.publish({{"keys", {jwk_of(next, "k2"), jwk_of(idp.signing_key, "k1")}}});
  idp.id_token = idp.token(claims("n-2"), next, "k2");
  // The cached set is younger than kKeyRefreshInterval: a token naming an unknown key does
  // not make every sign-in fetch the set.
  base::Result<Identity> early = client.finish("good", "v", "n-2");
  ASSERT_FALSE(early.has_value());
  EXPECT_NE(early.error().message().find("kid \"k2\""), std::string::npos);
  EXPECT_EQ(idp.requests["GET " + kIssuer + "/jwks"], 1);
  now += OidcClient::kKeyRefreshInterval + seconds(1);
  EXPECT_TRUE(client.finish("good", "v", "n-2").has_value());
  EXPECT_EQ(idp.requests["GET " + kIssuer + "/jwks"], 2);
  EXPECT_TRUE(client.finish("good", "v", "n-2").has_value());  // now cached
  EXPECT_EQ(idp.requests["GET " + kIssuer + "/jwks"], 2);
}

TEST(OidcClientTest, ADiscoveryDocumentForAnotherIssuerIsRefused) {
  FakeProvider idp;
  idp.discovery["issuer"] = "https://elsewhere.example";
  OidcClient client(config(), idp.fetch(), [] { return kNow; });
  base::Result<AuthorizationStart> r = client.start();
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("elsewhere.example"), std::string::npos);
}

TEST(OidcClientTest, ConfigurationIsChecked) {
  EXPECT_TRUE(OidcClient::check(config()).has_value());
  OidcConfig plain = config();
  plain.issuer = "http://id.studio.example";
  EXPECT_EQ(OidcClient::check(plain).error().field(), "issuer");
  plain.issuer = "http://127.0.0.1:9000";
  EXPECT_TRUE(OidcClient::check(plain).has_value());
  OidcConfig no_secret = config();
  no_secret.client_secret.clear();
  EXPECT_EQ(OidcClient::check(no_secret).error().field(), "client_secret");
}

}  // namespace
}  // namespace clearcut::oidc
