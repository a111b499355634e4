#include "clearcut/oidc/id_token.h"

#include <optional>
#include <vector>

#include "clearcut/base/base64.h"
#include "clearcut/base/strict_json.h"
#include "clearcut/crypto/signature.h"

namespace clearcut::oidc {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::system_clock;

std::string member(const Json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

base::Error refused(const std::string& message) {
  return base::Error(base::ErrorCode::kUnauthenticated, "the ID token " + message);
}

struct Algorithm {
  const char* name;
  crypto::SignatureScheme scheme;
};

constexpr Algorithm kAlgorithms[] = {
    {"RS256", crypto::SignatureScheme::kRsaPkcs1Sha256},
    {"RS384", crypto::SignatureScheme::kRsaPkcs1Sha384},
    {"RS512", crypto::SignatureScheme::kRsaPkcs1Sha512},
    {"PS256", crypto::SignatureScheme::kRsaPssSha256},
    {"PS384", crypto::SignatureScheme::kRsaPssSha384},
    {"PS512", crypto::SignatureScheme::kRsaPssSha512},
    {"ES256", crypto::SignatureScheme::kEcdsaSha256},
    {"ES384", crypto::SignatureScheme::kEcdsaSha384},
    {"ES512", crypto::SignatureScheme::kEcdsaSha512},
    {"EdDSA", crypto::SignatureScheme::kEd25519},
};

// The curve an ECDSA algorithm requires (RFC 7518 §3.4).
std::optional<std::string> curve_of(std::string_view alg) {
  if (alg == "ES256") {
    return "prime256v1";
  }
  if (alg == "ES384") {
    return "secp384r1";
  }
  if (alg == "ES512") {
    return "secp521r1";
  }
  return std::nullopt;
}

base::Result<Json> part(std::string_view encoded, const char* what) {
  std::optional<std::vector<uint8_t>> bytes = base::base64url_decode(encoded);
  if (!bytes) {
    return refused(std::string("is malformed: its ") + what + " is not base64url");
  }
  base::Result<Json> json = base::parse_strict_json(
      std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()), 16);
  if (!json || !json->is_object()) {
    return refused(std::string("is malformed: its ") + what + " is not a JSON object");
  }
  return *json;
}

std::optional<int64_t> seconds(const Json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) {
    return std::nullopt;
  }
  double value = it->get<double>();
  if (!(value > -1e15 && value < 1e15)) {
    return std::nullopt;
  }
  return static_cast<int64_t>(value);
}

std::string utc(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

base::Status check_audience(const Json& claims, const std::string& client_id) {
  auto aud = claims.find("aud");
  std::vector<std::string> audiences;
  if (aud != claims.end() && aud->is_string()) {
    audiences.push_back(aud->get<std::string>());
  } else if (aud != claims.end() && aud->is_array()) {
    for (const Json& one : *aud) {
      if (one.is_string()) {
        audiences.push_back(one.get<std::string>());
      }
    }
  }
  bool ours = false;
  for (const std::string& one : audiences) {
    ours = ours || one == client_id;
  }
  if (!ours) {
    std::string named = audiences.empty() ? "no client" : "\"" + audiences.front() + "\"";
    return refused("is for another application (audience " + named + ", expected \"" + client_id +
                   "\")");
  }
  auto azp = claims.find("azp");
  if (audiences.size() > 1 || azp != claims.end()) {
    if (azp == claims.end() || !azp->is_string() || azp->get<std::string>() != client_id) {
      return refused("was issued to another party (azp), not \"" + client_id + "\"");
    }
  }
  return {};
}

base::Status check_times(const Json& claims, const IdTokenCheck& check) {
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(check.now.time_since_epoch()).count();
  const int64_t skew = check.skew.count();
  std::optional<int64_t> exp = seconds(claims, "exp");
  std::optional<int64_t> iat = seconds(claims, "iat");
  if (!exp || !iat) {
    return refused("has no expiry or issue time (exp, iat)");
  }
  if (now > *exp + skew) {
    return refused("expired at " + utc(*exp) + " (now " + utc(now) + ", " + std::to_string(skew) +
                   " s of clock skew allowed): sign in again");
  }
  if (*iat > now + skew) {
    return refused("was issued in the future (" + utc(*iat) +
                   "): the provider's clock or this server's is wrong");
  }
  std::optional<int64_t> nbf = seconds(claims, "nbf");
  if (nbf && *nbf > now + skew) {
    return refused("is not valid before " + utc(*nbf));
  }
  return {};
}

}  // namespace

base::Result<IdToken> verify_id_token(std::string_view token, std::span<const Jwk> keys,
                                      const IdTokenCheck& check) {
  if (token.size() > kMaxIdTokenBytes) {
    return refused("is over " + std::to_string(kMaxIdTokenBytes) + " bytes");
  }
  size_t dot1 = token.find('.');
  size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return refused("is malformed: expected three parts separated by dots");
  }
  Json header = CC_TRY(part(token.substr(0, dot1), "header"));
  std::optional<std::vector<uint8_t>> signature = base::base64url_decode(token.substr(dot2 + 1));
  if (!signature) {
    return refused("is malformed: its signature is not base64url");
  }
  std::string alg = member(header, "alg");
  const Algorithm* algorithm = nullptr;
  for (const Algorithm& a : kAlgorithms) {
    if (alg == a.name) {
      algorithm = &a;
    }
  }
  if (algorithm == nullptr) {
    return refused("is signed with \"" + alg +
                   "\"; expected an asymmetric algorithm (RS256, PS256, ES256, EdDSA, ...)");
  }
  if (header.contains("crit")) {
    return refused("names critical extensions (crit) this server does not understand");
  }
  std::string kid = member(header, "kid");
  std::string_view signed_part = token.substr(0, dot2);
  std::span<const uint8_t> message(reinterpret_cast<const uint8_t*>(signed_part.data()),
                                   signed_part.size());
  bool kid_known = false;
  const Jwk* verified_by = nullptr;
  for (const Jwk& jwk : keys) {
    if (!kid.empty() && jwk.kid != kid) {
      continue;
    }
    kid_known = true;
    if ((!jwk.alg.empty() && jwk.alg != alg) ||
        !crypto::key_fits(jwk.key.type(), algorithm->scheme)) {
      continue;
    }
    std::optional<std::string> curve = curve_of(alg);
    if (curve && jwk.key.ec_curve_name() != curve) {
      continue;
    }
    base::Result<bool> ok = crypto::verify(jwk.key, algorithm->scheme, message, *signature);
    if (ok && *ok) {
      verified_by = &jwk;
      break;
    }
  }
  if (!kid.empty() && !kid_known) {
    return base::Error(base::ErrorCode::kNotFound, "the ID token is signed with a key (kid \"" +
                                                       kid + "\") the provider does not publish");
  }
  if (verified_by == nullptr) {
    return refused(
        "was altered or not issued by this provider: its signature does not verify "
        "with the provider's keys");
  }
  Json claims = CC_TRY(part(token.substr(dot1 + 1, dot2 - dot1 - 1), "payload"));
  auto iss = claims.find("iss");
  if (iss == claims.end() || !iss->is_string() || iss->get<std::string>() != check.issuer) {
    std::string named = iss != claims.end() && iss->is_string() ? iss->get<std::string>() : "";
    return refused("comes from another issuer (\"" + named + "\", expected \"" + check.issuer +
                   "\")");
  }
  CC_TRY(check_audience(claims, check.client_id));
  CC_TRY(check_times(claims, check));
  auto nonce = claims.find("nonce");
  if (nonce == claims.end() || !nonce->is_string() || nonce->get<std::string>() != check.nonce) {
    return refused("does not belong to this sign-in (its nonce differs): start again");
  }
  auto sub = claims.find("sub");
  if (sub == claims.end() || !sub->is_string() || sub->get<std::string>().empty() ||
      sub->get<std::string>().size() > 255) {
    return refused("names no subject (sub)");
  }
  return IdToken{sub->get<std::string>(), verified_by->kid, std::move(claims)};
}

}  // namespace clearcut::oidc
