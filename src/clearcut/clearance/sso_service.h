#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/clearance/account_service.h"
#include "clearcut/clearance/actor.h"
#include "clearcut/clearance/audit_log.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/domain/account.h"
#include "clearcut/oidc/oidc_client.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

struct SsoOptions {
  int64_t organization_id = 0;                   // where accounts made at a first sign-in belong
  std::string provider_name = "single sign-on";  // the sign-in button says "Sign in with ..."
  std::chrono::seconds login_ttl = std::chrono::minutes(10);  // from start to callback
  // Sign-ins under way at most (each start writes a row that lives `login_ttl`); beyond it a
  // start is refused (kUnavailable) until rows expire, so a flood of starts cannot grow the
  // table without bound.
  int64_t max_pending_logins = 10000;
};

// Where start() sends the browser, and the state it must carry back (in a cookie).
struct SsoStart {
  std::string redirect_url;
  std::string state;
};

struct SsoSignIn {
  LoginResult login;
  std::string return_to;
  bool created = false;  // the account was made at this sign-in
};

// Single sign-on with the studio's OpenID provider (oidc::OidcClient), end to end:
// - start() keeps the state's hash, the nonce and the PKCE verifier in the database (any server
//   behind the load balancer may take the callback) for `login_ttl`;
// - finish() takes that row once (a replayed state is refused), checks that the browser carries
//   the same state (login CSRF), has the provider verify the code, and signs the person in: the
//   account linked to (issuer, subject), or the account with their verified e-mail (linked now),
//   or a new account in `organization_id` with no password. Their roles on every production an
//   admin mapped claims to are set from the claims at each sign-in (the most senior role of the
//   values they hold: legal, contact, partner; none when they hold none); roles on productions
//   without mappings are left to admins. Every change is an audit event (user.created,
//   user.identity_linked, membership.set, membership.removed, user.login), in the transaction
//   that makes it.
// - Role mappings are an admin's (kPermissionDenied for others), audited.
// Errors for the person signing in are kUnauthenticated with a message that says what to do.
class SsoService {
 public:
  SsoService(store::Store& store, AuditLog& audit, const Clock& clock, AccountService& accounts,
             oidc::OidcClient& client, SsoOptions options);

  const SsoOptions& options() const { return options_; }

  // `return_to`: a path of this site ("/#/p/3"); anything else lands on "/".
  base::Result<SsoStart> start(const std::string& return_to);
  base::Result<SsoSignIn> finish(const std::string& code, const std::string& state,
                                 const std::string& browser_state,
                                 const std::string& remote_address);

  base::Result<std::vector<domain::SsoRoleMapping>> list_mappings(const Actor& actor);
  base::Result<domain::SsoRoleMapping> add_mapping(const Actor& actor,
                                                   domain::SsoRoleMapping mapping);
  base::Status remove_mapping(const Actor& actor, int64_t id);

 private:
  // The user (issuer, subject) names, linked or made now.
  base::Result<int64_t> user_for(store::Transaction& tx, const oidc::Identity& who, bool* created);
  // Sets the user's roles on mapped productions from the claims.
  base::Status apply_mappings(store::Transaction& tx, int64_t user_id, const oidc::Identity& who);
  base::Status record(store::Transaction& tx, const std::string& time, const std::string& actor,
                      const std::string& action, const std::string& subject_type,
                      const std::string& subject_id, const std::string& payload_json);
  std::string now() const { return format_rfc3339(clock_.now()); }

  store::Store& store_;
  AuditLog& audit_;
  const Clock& clock_;
  AccountService& accounts_;
  oidc::OidcClient& client_;
  SsoOptions options_;
};

// Whether `path` is a place on this site to return to after sign-in: it starts with one "/",
// has no backslash or control character, and is at most 512 bytes (not "//evil.example").
bool is_local_return_path(const std::string& path);

}  // namespace clearcut::clearance
