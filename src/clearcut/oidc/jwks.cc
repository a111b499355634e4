#include "clearcut/oidc/jwks.h"

#include <optional>

#include "clearcut/base/base64.h"
#include "clearcut/base/strict_json.h"

namespace clearcut::oidc {
namespace {

using Json = nlohmann::json;

// A member that must be a string, or nullopt.
std::optional<std::string> text(const Json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

base::Result<std::vector<uint8_t>> number(const Json& jwk, const char* name,
                                          const std::string& where) {
  std::optional<std::string> encoded = text(jwk, name);
  std::optional<std::vector<uint8_t>> bytes;
  if (encoded) {
    bytes = base::base64url_decode(*encoded);
  }
  if (!bytes || bytes->empty()) {
    return base::invalid_argument("expected unpadded base64url").with_field(where + "." + name);
  }
  return *bytes;
}

// The public key a JWK describes; an error says why it is not one this reader can use.
base::Result<crypto::PublicKey> key_of(const Json& jwk, const std::string& where) {
  std::string kty = text(jwk, "kty").value_or("");
  if (kty == "RSA") {
    // Each CC_TRY bound to a variable: one returning from inside a braced list skips the
    // destructors of the members built before it (GCC statement expressions), a leak.
    std::vector<uint8_t> n = CC_TRY(number(jwk, "n", where));
    std::vector<uint8_t> e = CC_TRY(number(jwk, "e", where));
    return crypto::PublicKey::from_rsa({std::move(n), std::move(e)});
  }
  if (kty == "EC") {
    std::vector<uint8_t> x = CC_TRY(number(jwk, "x", where));
    std::vector<uint8_t> y = CC_TRY(number(jwk, "y", where));
    return crypto::PublicKey::from_ec({text(jwk, "crv").value_or(""), std::move(x), std::move(y)});
  }
  if (kty == "OKP" && text(jwk, "crv") == "Ed25519") {
    return crypto::PublicKey::from_ed25519(CC_TRY(number(jwk, "x", where)));
  }
  return base::invalid_argument("expected kty RSA, EC or OKP (Ed25519)").with_field(where + ".kty");
}

}  // namespace

base::Result<std::vector<Jwk>> parse_jwks(std::string_view text_in) {
  if (text_in.size() > kMaxJwksBytes) {
    return base::invalid_argument("a JWK Set is at most " + std::to_string(kMaxJwksBytes) +
                                  " bytes, not " + std::to_string(text_in.size()));
  }
  Json set = CC_TRY(base::parse_strict_json(text_in, 8));
  if (!set.is_object() || !set.contains("keys") || !set["keys"].is_array()) {
    return base::invalid_argument("expected a JWK Set: an object with an array \"keys\"")
        .with_field("keys");
  }
  std::vector<Jwk> keys;
  std::optional<base::Error> first_refusal;
  size_t index = 0;
  for (const Json& jwk : set["keys"]) {
    std::string where = "keys[" + std::to_string(index++) + "]";
    if (!jwk.is_object()) {
      continue;
    }
    std::optional<std::string> use = text(jwk, "use");
    if (use && *use != "sig") {
      continue;  // an encryption key
    }
    base::Result<crypto::PublicKey> key = key_of(jwk, where);
    if (!key) {
      if (!first_refusal) {
        first_refusal = key.error();
      }
      continue;
    }
    keys.push_back(Jwk{text(jwk, "kid").value_or(""), text(jwk, "alg").value_or(""), *key});
    if (keys.size() == kMaxJwks) {
      break;
    }
  }
  if (keys.empty()) {
    if (first_refusal) {
      return base::Error(
                 base::ErrorCode::kInvalidArgument,
                 "the JWK Set has no key this server can verify with: " + first_refusal->message())
          .with_field(first_refusal->field());
    }
    return base::invalid_argument("the JWK Set has no signature key").with_field("keys");
  }
  return keys;
}

}  // namespace clearcut::oidc
