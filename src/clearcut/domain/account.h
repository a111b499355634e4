#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clearcut::domain {

// A studio or a production partner (vendor, VFX house). Users belong to one.
struct Organization {
  int64_t id = 0;
  std::string name;
  std::string created_at;  // RFC 3339 UTC, as every *_at field
};

struct User {
  int64_t id = 0;
  int64_t organization_id = 0;
  std::string email;  // unique, lower case
  std::string name;
  std::string password_hash;  // Argon2id encoded string; empty = cannot log in with a password
  bool admin = false;         // the `admin` role: users, tools, policy packs
  bool disabled = false;
  std::string created_at;
};

// Roles a user holds on one production (POLICY.md §5, issue 3). `admin` is global (User::admin).
enum class Role : uint8_t { kPartner, kContact, kLegal };

std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view name);

struct Membership {
  int64_t user_id = 0;
  int64_t production_id = 0;
  Role role = Role::kPartner;
};

// A title in production. `code` is what declarations name in `production:`.
struct Production {
  int64_t id = 0;
  int64_t organization_id = 0;  // the studio that owns it
  std::string code;             // unique, e.g. "squid-game-s3"
  std::string title;
  std::string created_at;
  // Working days (Monday to Friday, UTC) the studio has to answer a use case waiting on it:
  // its due time (clearance/working_days.h).
  int answer_within_days = 2;
};

// A user away names a delegate (a member of the same organization) until a time: while it holds,
// the delegate's tasks include the user's and the user's notifications reach the delegate too.
// The delegate acts with their own roles; nothing is borrowed.
struct Delegation {
  int64_t user_id = 0;
  int64_t delegate_id = 0;
  std::string until;  // RFC 3339 UTC; the delegation holds while now is before it
  std::string created_at;
};

// A bearer token for automation. Only its SHA-256 is stored.
struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;
  std::string token_hash;  // hex SHA-256 of the secret
  std::string created_at;
  std::string last_used_at;  // empty until used
  bool revoked = false;
};

// A web session. Only the SHA-256 of the cookie value is stored.
struct Session {
  std::string id_hash;  // hex SHA-256 of the cookie value
  int64_t user_id = 0;
  std::string csrf_token;
  std::string created_at;
  std::string expires_at;
};

// A person's account at an OpenID provider, linked to a user: the pair (issuer, subject) is
// the provider's stable name for them (OpenID Connect Core §2: `sub` is unique per issuer).
struct UserIdentity {
  std::string issuer;
  std::string subject;
  int64_t user_id = 0;
  std::string created_at;
};

// A sign-in at the OpenID provider that has been started and not yet finished. Only the SHA-256
// of `state` is stored; the row is taken (read and deleted) by the callback, so a state works
// once.
struct SsoLogin {
  std::string state_hash;
  std::string nonce;
  std::string code_verifier;  // PKCE (RFC 7636)
  std::string return_to;      // a path of this site to land on
  std::string created_at;
  std::string expires_at;
};

// A password reset link sent by e-mail. Only the SHA-256 of its token is stored; the row is
// taken (read and deleted) when the link is used, so a link works once.
struct PasswordReset {
  std::string token_hash;
  int64_t user_id = 0;
  std::string created_at;
  std::string expires_at;
};

// An admin's rule: a person whose ID token (or userinfo) has `value` in its claim `claim`
// (a string, or an array of strings such as `groups`) holds `role` on the production.
struct SsoRoleMapping {
  int64_t id = 0;
  std::string claim;
  std::string value;
  int64_t production_id = 0;
  Role role = Role::kPartner;
  std::string created_at;
};

}  // namespace clearcut::domain
