#include "clearcut/clearance/account_service.h"

#include <algorithm>
#include <thread>

#include <nlohmann/json.hpp>

#include "clearcut/base/hex.h"
#include "clearcut/base/text.h"
#include "clearcut/clearance/password.h"
#include "clearcut/crypto/sha256.h"

namespace clearcut::clearance {
namespace {

// A real hash to check unknown emails against, so that a wrong email and a wrong password
// cost the same Argon2 verification and cannot be told apart by timing.
const std::string& dummy_hash() {
  static const std::string kHash = hash_password("not a real password").value();
  return kHash;
}

std::string secret_hash(const std::string& secret) {
  return base::to_hex(crypto::sha256(secret));
}

base::Error unauthenticated(const std::string& message) {
  return base::Error(base::ErrorCode::kUnauthenticated, message);
}

base::Status record(AuditLog& audit, store::Transaction& tx, const std::string& time,
                    const std::string& actor, const std::string& action,
                    const std::string& subject_type, int64_t subject_id, nlohmann::json payload) {
  audit::AuditEvent event;
  event.time = time;
  event.actor = actor;
  event.action = action;
  event.subject_type = subject_type;
  event.subject_id = std::to_string(subject_id);
  event.payload_json = payload.dump();
  CC_TRY(audit.append(tx, std::move(event)));
  return {};
}

}  // namespace

std::string_view local_passwords_name(LocalPasswords mode) {
  switch (mode) {
    case LocalPasswords::kOn:
      return "on";
    case LocalPasswords::kAdmins:
      return "admins";
    case LocalPasswords::kOff:
      return "off";
  }
  return "on";
}

std::optional<LocalPasswords> parse_local_passwords(std::string_view name) {
  for (LocalPasswords mode : {LocalPasswords::kOn, LocalPasswords::kAdmins, LocalPasswords::kOff}) {
    if (name == local_passwords_name(mode)) {
      return mode;
    }
  }
  return std::nullopt;
}

namespace {

int default_concurrent_checks(int configured) {
  if (configured > 0) {
    return configured;
  }
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency() / 2));
}

}  // namespace

AccountService::AccountService(store::Store& store, AuditLog& audit, const Clock& clock,
                               std::chrono::seconds session_ttl, LoginLimits limits)
    : store_(store),
      audit_(audit),
      clock_(clock),
      session_ttl_(session_ttl),
      limits_(limits),
      checks_(default_concurrent_checks(limits.concurrent_checks), limits.queued_checks) {}

std::vector<int> AccountService::stored_failures(const std::vector<std::string>& keys) {
  std::vector<int> counts(keys.size(), 0);
  auto tx = store_.begin();
  if (!tx) {
    return counts;  // the process's own counts still hold (reserve)
  }
  const std::string since = format_rfc3339(clock_.now() - limits_.window);
  for (size_t i = 0; i < keys.size(); ++i) {
    auto count = (*tx)->accounts().count_login_failures(keys[i], since);
    counts[i] = count.has_value() ? *count : 0;
  }
  return counts;
}

bool AccountService::reserve(const std::vector<std::string>& keys, const std::vector<int>& stored) {
  base::MutexLock lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  for (size_t i = 0; i < keys.size(); ++i) {
    auto it = attempts_.find(keys[i]);
    int failures = i < stored.size() ? stored[i] : 0;
    int in_flight = 0;
    if (it != attempts_.end()) {
      Attempts& a = it->second;
      if (a.failures > 0 && now - a.window_start > limits_.window) {
        a.failures = 0;
      }
      failures = std::max(failures, a.failures);
      in_flight = a.in_flight;
    }
    if (failures + in_flight >= limits_.max_failures) {
      return false;
    }
  }
  if (attempts_.size() > 100000) {  // bounded memory under a spray of addresses
    std::erase_if(attempts_, [](const auto& entry) { return entry.second.in_flight == 0; });
  }
  for (const std::string& key : keys) {
    ++attempts_[key].in_flight;
  }
  return true;
}

void AccountService::settle(const std::vector<std::string>& keys, bool failed) {
  if (failed) {
    // Stored before the check stops counting as in flight, so that it is never counted by
    // neither. A failure the database does not take is still counted by this process.
    const auto now = clock_.now();
    const std::string at = format_rfc3339(now);
    const std::string forget_before = format_rfc3339(now - limits_.window);
    if (auto tx = store_.begin()) {
      bool stored = true;
      for (const std::string& key : keys) {
        stored = stored && (*tx)->accounts().add_login_failure(key, at, forget_before).has_value();
      }
      if (stored) {
        (void)(*tx)->commit();
      }
    }
  }
  base::MutexLock lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  for (const std::string& key : keys) {
    auto it = attempts_.find(key);
    if (it == attempts_.end()) {
      continue;  // cleared under memory pressure
    }
    Attempts& a = it->second;
    a.in_flight = std::max(0, a.in_flight - 1);
    if (failed) {
      if (a.failures == 0 || now - a.window_start > limits_.window) {
        a.failures = 0;
        a.window_start = now;
      }
      ++a.failures;
    }
    if (a.failures == 0 && a.in_flight == 0) {
      attempts_.erase(it);
    }
  }
}

base::Result<Actor> AccountService::actor_for(store::Transaction& tx, int64_t user_id) {
  Actor actor;
  actor.user = CC_TRY(tx.accounts().get_user(user_id));
  if (actor.user.disabled) {
    return unauthenticated("account disabled");
  }
  actor.memberships = CC_TRY(tx.accounts().list_memberships_of_user(user_id));
  return actor;
}

base::Result<LoginResult> AccountService::login(const std::string& email,
                                                const std::string& password,
                                                const std::string& remote_address) {
  const std::vector<std::string> keys = {"email:" + base::ascii_lower(email),
                                         "addr:" + remote_address};
  if (!reserve(keys, stored_failures(keys))) {
    return base::Error(base::ErrorCode::kResourceExhausted,
                       "too many failed sign-in attempts; try again later");
  }
  // Every path out settles the reservation; only a wrong password counts as a failure.
  struct Settle {
    AccountService* self;
    const std::vector<std::string>* keys;
    bool failed = false;
    ~Settle() { self->settle(*keys, failed); }
  } outcome{this, &keys};

  std::optional<domain::User> user;
  {
    auto tx = CC_TRY(store_.begin());
    user = CC_TRY(tx->accounts().find_user_by_email(base::ascii_lower(email)));
  }  // no transaction (on SQLite, the write lock) is held through the hash
  bool ok = false;
  {
    std::optional<AdmissionGate::Ticket> ticket = checks_.enter(limits_.max_wait);
    if (!ticket) {
      return base::Error(base::ErrorCode::kUnavailable,
                         "too many sign-ins at once; try again in a moment");
    }
    // An account without a password (made at a single sign-on) costs the same check.
    bool has_password = user && !user->password_hash.empty();
    ok = verify_password(password, has_password ? user->password_hash : dummy_hash()) &&
         has_password;
  }
  if (!user || !ok || user->disabled) {
    outcome.failed = true;
    return unauthenticated("wrong email or password");
  }
  LocalPasswords mode = local_passwords_;
  if (mode == LocalPasswords::kOff || (mode == LocalPasswords::kAdmins && !user->admin)) {
    return base::Error(base::ErrorCode::kFailedPrecondition,
                       "passwords are turned off on this server: sign in with single sign-on");
  }
  auto tx = CC_TRY(store_.begin());
  LoginResult result = CC_TRY(open_session(*tx, user->id, remote_address, "password"));
  CC_TRY(tx->commit());
  return result;
}

base::Result<LoginResult> AccountService::open_session(store::Transaction& tx, int64_t user_id,
                                                       const std::string& remote_address,
                                                       const std::string& method) {
  LoginResult result;
  result.actor = CC_TRY(actor_for(tx, user_id));  // disabled since the check: refused here
  result.session_secret = random_hex(32);
  result.csrf_token = random_hex(32);
  domain::Session session;
  session.id_hash = secret_hash(result.session_secret);
  session.user_id = user_id;
  session.csrf_token = result.csrf_token;
  session.created_at = now();
  session.expires_at = format_rfc3339(clock_.now() + session_ttl_);
  result.expires_at = session.expires_at;
  CC_TRY(tx.accounts().create_session(session));
  CC_TRY(record(audit_, tx, session.created_at, result.actor.audit_name(), "user.login", "user",
                user_id, {{"remote_address", remote_address}, {"method", method}}));
  return result;
}

base::Status AccountService::logout(const std::string& session_secret) {
  auto tx = CC_TRY(store_.begin());
  CC_TRY(tx->accounts().delete_session(secret_hash(session_secret)));
  return tx->commit();
}

base::Result<SessionActor> AccountService::authenticate_session(const std::string& session_secret) {
  auto tx = CC_TRY(store_.begin());
  std::optional<domain::Session> session =
      CC_TRY(tx->accounts().find_session(secret_hash(session_secret)));
  // RFC 3339 UTC strings of one format compare like the times they name.
  if (!session || session->expires_at <= now()) {
    return unauthenticated("not signed in");
  }
  SessionActor out;
  out.actor = CC_TRY(actor_for(*tx, session->user_id));
  out.csrf_token = session->csrf_token;
  return out;
}

base::Result<Actor> AccountService::authenticate_token(const std::string& bearer_secret) {
  const std::string hash = secret_hash(bearer_secret);
  // Both taken before the database is read: a change committed during the read moves the count
  // past what the entry is kept under.
  const uint64_t changes = store_.account_changes();
  const TokenCache::TimePoint read_at = std::chrono::steady_clock::now();
  if (std::optional<Actor> cached = tokens_.find(hash, changes, read_at)) {
    return std::move(*cached);
  }
  auto tx = CC_TRY(store_.begin());
  std::optional<domain::ApiToken> token = CC_TRY(tx->accounts().find_token_by_hash(hash));
  if (!token || token->revoked) {
    return unauthenticated("invalid or revoked token");
  }
  Actor actor = CC_TRY(actor_for(*tx, token->user_id));
  tokens_.insert(hash, actor, changes, read_at);
  return actor;
}

base::Result<NewToken> AccountService::create_token(const Actor& actor, const std::string& name) {
  if (name.empty() || name.size() > 200) {
    return base::invalid_argument("a token name has 1 to 200 characters").with_field("name");
  }
  NewToken out;
  out.secret = "cc_" + random_hex(20);
  out.token.user_id = actor.user.id;
  out.token.name = name;
  out.token.token_hash = secret_hash(out.secret);
  out.token.created_at = now();
  auto tx = CC_TRY(store_.begin());
  out.token.id = CC_TRY(tx->accounts().create_token(out.token));
  CC_TRY(record(
      audit_, *tx, out.token.created_at, actor.audit_name(), "token.created", "token", out.token.id,
      {{"name", name}, {"user_id", out.token.user_id}, {"token_hash", out.token.token_hash}}));
  CC_TRY(tx->commit());
  return out;
}

base::Result<std::vector<domain::ApiToken>> AccountService::list_tokens(const Actor& actor) {
  auto tx = CC_TRY(store_.begin());
  return tx->accounts().list_tokens(actor.user.id);
}

base::Status AccountService::revoke_token(const Actor& actor, int64_t token_id) {
  auto tx = CC_TRY(store_.begin());
  std::vector<domain::ApiToken> tokens = CC_TRY(tx->accounts().list_tokens(actor.user.id));
  bool own = std::any_of(tokens.begin(), tokens.end(),
                         [&](const domain::ApiToken& t) { return t.id == token_id; });
  if (!own) {
    return base::not_found("no token " + std::to_string(token_id));
  }
  CC_TRY(tx->accounts().revoke_token(token_id));
  // An empty object: `{}` here would be JSON null, which the audit log refuses as a payload.
  CC_TRY(record(audit_, *tx, now(), actor.audit_name(), "token.revoked", "token", token_id,
                nlohmann::json::object()));
  return tx->commit();
}

bool AccountService::password_allowed(const domain::User& user) const {
  LocalPasswords mode = local_passwords_;
  return mode == LocalPasswords::kOn || (mode == LocalPasswords::kAdmins && user.admin);
}

base::Status AccountService::request_password_reset(const std::string& email,
                                                    const std::string& remote_address) {
  const auto at = clock_.now();
  const std::string created_at = format_rfc3339(at);
  auto tx = CC_TRY(store_.begin());
  std::optional<domain::User> user =
      CC_TRY(tx->accounts().find_user_by_email(base::ascii_lower(email)));
  // An account made at a single sign-on has no password here, and gets none this way: the
  // studio's directory decides whether it may sign in.
  if (!user || user->disabled || user->password_hash.empty() || !password_allowed(*user)) {
    return {};
  }
  if (CC_TRY(tx->accounts().latest_password_reset(user->id,
                                                  format_rfc3339(at - kPasswordResetThrottle)))) {
    return {};  // a link went out a moment ago: a flood of requests sends one
  }
  const std::string token = random_hex(32);
  domain::PasswordReset reset{secret_hash(token), user->id, created_at,
                              format_rfc3339(at + kPasswordResetLifetime)};
  CC_TRY(tx->accounts().add_password_reset(reset, created_at));
  audit::AuditEvent event;
  event.time = created_at;
  event.actor = "anonymous";
  event.action = "user.password_reset_requested";
  event.subject_type = "user";
  event.subject_id = std::to_string(user->id);
  event.payload_json =
      nlohmann::json({{"remote_address", remote_address}, {"expires_at", reset.expires_at}}).dump();
  uint64_t sequence = CC_TRY(audit_.append(*tx, std::move(event)));
  domain::Notification n;
  // The key names the link by a prefix of its token's hash: never the token itself.
  n.idempotency_key = "reset." + reset.token_hash.substr(0, 32);
  n.event_sequence = static_cast<int64_t>(sequence);
  n.event_action = "user.password_reset_requested";
  n.channel = domain::NotificationChannel::kEmail;
  n.recipient_user_id = user->id;
  n.address = user->email;
  n.payload_json =
      nlohmann::json(
          {{"event", "user.password_reset_requested"},
           {"what", "Someone asked to reset the password of your clearcut account " + user->email +
                        " (from " + remote_address + ")."},
           {"todo",
            "To choose a new password, open the link below within an hour; it works once. If "
            "it was not you, ignore this e-mail: your password stays as it is."},
           {"path", "/#/reset?token=" + token},
           {"time", created_at},
           {"footer", "clearcut sent this because a password reset was asked for this address."}})
          .dump();
  n.created_at = n.next_attempt_at = created_at;
  CC_TRY(tx->outbox().enqueue(n));
  return tx->commit();
}

base::Status AccountService::reset_password(const std::string& token,
                                            const std::string& new_password) {
  if (new_password.size() < kMinPasswordLength || new_password.size() > 1024) {
    return base::invalid_argument("a password has at least " + std::to_string(kMinPasswordLength) +
                                  " characters (and at most 1024 bytes)")
        .with_field("password");
  }
  const auto refused = [] {
    return base::invalid_argument(
               "this reset link has expired or was already used; ask for a new one")
        .with_field("token");
  };
  if (token.empty() || token.size() > 256) {
    return refused();
  }
  // The link is taken first, so that a guessed token never costs an Argon2 hash; a link whose
  // reset then fails is spent, and a new one is asked for.
  domain::PasswordReset reset;
  {
    auto tx = CC_TRY(store_.begin());
    std::optional<domain::PasswordReset> taken =
        CC_TRY(tx->accounts().take_password_reset(secret_hash(token)));
    CC_TRY(tx->commit());
    // RFC 3339 UTC strings of one format compare like the times they name.
    if (!taken || taken->expires_at <= now()) {
      return refused();
    }
    reset = *taken;
  }
  std::string hash;
  {
    std::optional<AdmissionGate::Ticket> ticket = checks_.enter(limits_.max_wait);
    if (!ticket) {
      return base::Error(base::ErrorCode::kUnavailable,
                         "too many password checks at once; try again in a moment");
    }
    hash = CC_TRY(hash_password(new_password));
  }
  auto tx = CC_TRY(store_.begin());
  domain::User user = CC_TRY(tx->accounts().get_user(reset.user_id));
  if (user.disabled || user.password_hash.empty() || !password_allowed(user)) {
    return refused();
  }
  user.password_hash = hash;
  CC_TRY(tx->accounts().update_user(user));
  CC_TRY(tx->accounts().delete_password_resets(user.id));
  int64_t ended = CC_TRY(tx->accounts().delete_sessions_of_user(user.id));
  CC_TRY(record(audit_, *tx, now(), "user:" + std::to_string(user.id), "user.password_reset",
                "user", user.id,
                {{"password_sha256", base::to_hex(crypto::sha256(user.password_hash))},
                 {"sessions_ended", ended}}));
  return tx->commit();
}

base::Result<domain::User> AccountService::create_user(const Actor* actor, const NewUser& user) {
  if (actor != nullptr && !actor->admin()) {
    return base::Error(base::ErrorCode::kPermissionDenied, "only an admin creates users");
  }
  std::string email = base::ascii_lower(user.email);
  if (email.find('@') == std::string::npos || email.size() > 254) {
    return base::invalid_argument("expected an email address").with_field("email");
  }
  domain::User row;
  row.organization_id = user.organization_id;
  row.email = email;
  row.name = user.name;
  row.password_hash = CC_TRY(hash_password(user.password));
  row.admin = user.admin;
  row.created_at = now();
  auto tx = CC_TRY(store_.begin());
  CC_TRY(tx->accounts().get_organization(user.organization_id));
  row.id = CC_TRY(tx->accounts().create_user(row));
  CC_TRY(record(audit_, *tx, row.created_at, actor ? actor->audit_name() : "admin-cli",
                "user.created", "user", row.id,
                {{"email", email},
                 {"admin", user.admin},
                 {"name", row.name},
                 {"organization_id", row.organization_id},
                 // Of the encoded Argon2 string (salt included), so nothing to crack offline.
                 {"password_sha256", base::to_hex(crypto::sha256(row.password_hash))}}));
  CC_TRY(tx->commit());
  return row;
}

base::Result<std::vector<domain::User>> AccountService::list_users(const Actor& actor) {
  if (!actor.admin()) {
    return base::Error(base::ErrorCode::kPermissionDenied, "only an admin lists users");
  }
  auto tx = CC_TRY(store_.begin());
  return tx->accounts().list_users();
}

base::Result<domain::Organization> AccountService::create_organization(const Actor* actor,
                                                                       const std::string& name) {
  if (actor != nullptr && !actor->admin()) {
    return base::Error(base::ErrorCode::kPermissionDenied, "only an admin creates organizations");
  }
  if (name.empty()) {
    return base::invalid_argument("an organization needs a name").with_field("name");
  }
  domain::Organization org;
  org.name = name;
  org.created_at = now();
  auto tx = CC_TRY(store_.begin());
  org.id = CC_TRY(tx->accounts().create_organization(org));
  CC_TRY(record(audit_, *tx, org.created_at, actor ? actor->audit_name() : "admin-cli",
                "organization.created", "organization", org.id, {{"name", name}}));
  CC_TRY(tx->commit());
  return org;
}

}  // namespace clearcut::clearance
