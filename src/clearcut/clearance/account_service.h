#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/mutex.h"
#include "clearcut/base/result.h"
#include "clearcut/clearance/actor.h"
#include "clearcut/clearance/admission_gate.h"
#include "clearcut/clearance/audit_log.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/clearance/token_cache.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

struct LoginResult {
  std::string session_secret;  // the cookie value; only its hash is stored
  std::string csrf_token;
  std::string expires_at;
  Actor actor;
};

struct SessionActor {
  Actor actor;
  std::string csrf_token;
};

struct NewToken {
  domain::ApiToken token;
  std::string secret;  // shown once: "cc_" + 40 hex digits
};

struct NewUser {
  int64_t organization_id = 0;
  std::string email;
  std::string name;
  std::string password;
  bool admin = false;
};

// How sign-in resists guessing and floods. Failures are kept in the database, so every process
// on it counts every failure (several `serve` processes behind a load balancer share the limit);
// checks in flight are counted per process.
struct LoginLimits {
  // Failures per account (email) and per client address within the last `window` before that
  // key is locked. Checks in flight count too, so parallel guesses get at most this many real
  // checks from one process.
  int max_failures = 5;
  std::chrono::seconds window = std::chrono::minutes(15);
  // Argon2 checks running at once (0: half the cores, at least 1), and sign-ins that may wait
  // for one up to `max_wait`; beyond that a sign-in is refused at once (kUnavailable), so a
  // flood of anonymous logins cannot take every request thread from signed-in users.
  int concurrent_checks = 0;
  int queued_checks = 2;
  std::chrono::milliseconds max_wait = std::chrono::seconds(5);
};

// Who may sign in with a password kept here (a local account) when single sign-on is on:
// everyone (vendors outside the studio's directory), admins only (a way in when the identity
// provider is down), or no one.
enum class LocalPasswords { kOn, kAdmins, kOff };

std::string_view local_passwords_name(LocalPasswords mode);
std::optional<LocalPasswords> parse_local_passwords(std::string_view name);

// Users, passwords (Argon2id), web sessions, API tokens and login throttling. Resolves the
// Actor of each request. Thread-safe. Failed logins are throttled per email and per client
// address (LoginLimits; a locked key is kResourceExhausted); a wrong email and a wrong password
// look the same (kUnauthenticated). The password check runs outside any database transaction.
class AccountService {
 public:
  AccountService(store::Store& store, AuditLog& audit, const Clock& clock,
                 std::chrono::seconds session_ttl = std::chrono::hours(12),
                 LoginLimits limits = {});

  base::Result<LoginResult> login(const std::string& email, const std::string& password,
                                  const std::string& remote_address);
  // Refuses password sign-ins the mode does not allow (kFailedPrecondition, after the password
  // is checked, so the answer tells nothing to someone who does not know it). Set at start-up.
  void set_local_passwords(LocalPasswords mode) { local_passwords_ = mode; }
  LocalPasswords local_passwords() const { return local_passwords_; }
  // A session for `user_id` opened in `tx` (which the caller commits), audited as "user.login"
  // with how the user signed in ("password", "sso").
  base::Result<LoginResult> open_session(store::Transaction& tx, int64_t user_id,
                                         const std::string& remote_address,
                                         const std::string& method);
  base::Status logout(const std::string& session_secret);
  base::Result<SessionActor> authenticate_session(const std::string& session_secret);
  // The bearer's Actor; kUnauthenticated for a token unknown or revoked, or a disabled user.
  // Answers from a TokenCache: a change committed through this process's store takes effect on
  // the next request, one made by another process within TokenCache::kDefaultTtl.
  base::Result<Actor> authenticate_token(const std::string& bearer_secret);

  base::Result<NewToken> create_token(const Actor& actor, const std::string& name);
  base::Result<std::vector<domain::ApiToken>> list_tokens(const Actor& actor);
  base::Status revoke_token(const Actor& actor, int64_t token_id);

  // Admin only (or `bootstrap` = true for the first admin, from the command line).
  base::Result<domain::User> create_user(const Actor* actor, const NewUser& user);
  base::Result<std::vector<domain::User>> list_users(const Actor& actor);
  base::Result<domain::Organization> create_organization(const Actor* actor,
                                                         const std::string& name);

  base::Result<Actor> actor_for(store::Transaction& tx, int64_t user_id);

  // Password reset by e-mail, for accounts that have a password here, may sign in with it (the
  // mode allows it) and are not disabled; never for an account made at a single sign-on. Asking
  // never tells whether the address has an account: OK whatever it is, and nothing happens for an
  // unknown one, a disabled one, or one that was sent a link within kPasswordResetThrottle.
  // Otherwise a link with a fresh token (only its SHA-256 is stored) valid for
  // kPasswordResetLifetime is e-mailed through the outbox, and "user.password_reset_requested" is
  // audited without the token.
  base::Status request_password_reset(const std::string& email, const std::string& remote_address);
  // Sets the password of the link's account, ends all its sessions and its other links, and
  // audits "user.password_reset". The link works once. kInvalidArgument naming "token" for a
  // link that is unknown, used or expired, naming "password" for a password shorter than
  // kMinPasswordLength (or longer than 1024 bytes); kUnavailable when too many password checks
  // run at once.
  base::Status reset_password(const std::string& token, const std::string& new_password);
  static constexpr std::chrono::minutes kPasswordResetLifetime{60};
  static constexpr std::chrono::seconds kPasswordResetThrottle{60};
  static constexpr size_t kMinPasswordLength = 12;

 private:
  // Whether `user` may sign in with a password under the current mode.
  bool password_allowed(const domain::User& user) const;
  struct Attempts {
    int failures = 0;
    int in_flight = 0;  // checks reserved and not yet settled
    std::chrono::steady_clock::time_point window_start;
  };
  // Reserves one check on every key unless one of them is locked (failures plus checks in
  // flight reach the limit). `stored` holds each key's failures in the database within the
  // window (stored_failures), read before; this process's own count stands in when it is
  // higher (a failure the database did not take). Atomic over all keys within the process.
  bool reserve(const std::vector<std::string>& keys, const std::vector<int>& stored);
  // Ends a reserved check; `failed` counts it against every key, in the database first.
  void settle(const std::vector<std::string>& keys, bool failed);
  // Each key's failures in the database within the window (0 for a key it cannot read).
  std::vector<int> stored_failures(const std::vector<std::string>& keys);
  std::string now() const { return format_rfc3339(clock_.now()); }

  store::Store& store_;
  AuditLog& audit_;
  const Clock& clock_;
  std::chrono::seconds session_ttl_;
  LoginLimits limits_;
  std::atomic<LocalPasswords> local_passwords_{LocalPasswords::kOn};
  AdmissionGate checks_;
  base::Mutex mu_;
  std::map<std::string, Attempts> attempts_ GUARDED_BY(mu_);
  TokenCache tokens_;
};

}  // namespace clearcut::clearance
