#include "clearcut/store/sql/account_rows.h"

#include <string>

#include "clearcut/base/text.h"
#include "clearcut/domain/validation.h"
#include "clearcut/store/sql/table.h"

namespace clearcut::store::sql {
namespace {

using base::Result;
using base::Status;
using domain::ApiToken;
using domain::Membership;
using domain::Organization;
using domain::Production;
using domain::Session;
using domain::User;

constexpr auto kOrganizations = table<Organization>("organizations", key<&Organization::id>("id"),
                                                    field<&Organization::name>("name"),
                                                    field<&Organization::created_at>("created_at"));

constexpr auto kUsers =
    table<User>("users", key<&User::id>("id"), field<&User::organization_id>("organization_id"),
                field<&User::email>("email"), field<&User::name>("name"),
                field<&User::password_hash>("password_hash"), field<&User::admin>("admin"),
                field<&User::disabled>("disabled"), field<&User::created_at>("created_at"));

constexpr auto kMemberships =
    table<Membership>("memberships", field<&Membership::user_id>("user_id"),
                      field<&Membership::production_id>("production_id"),
                      enum_field<&Membership::role, domain::role_name, domain::parse_role>("role"));

constexpr auto kProductions = table<Production>(
    "productions", key<&Production::id>("id"),
    field<&Production::organization_id>("organization_id"), field<&Production::code>("code"),
    field<&Production::title>("title"), field<&Production::created_at>("created_at"),
    field<&Production::answer_within_days>("answer_within_days"));

constexpr auto kDelegations =
    table<domain::Delegation>("delegations", field<&domain::Delegation::user_id>("user_id"),
                              field<&domain::Delegation::delegate_id>("delegate_id"),
                              field<&domain::Delegation::until>("until"),
                              field<&domain::Delegation::created_at>("created_at"));

constexpr auto kTokens = table<ApiToken>(
    "api_tokens", key<&ApiToken::id>("id"), field<&ApiToken::user_id>("user_id"),
    field<&ApiToken::name>("name"), field<&ApiToken::token_hash>("token_hash"),
    field<&ApiToken::created_at>("created_at"),
    optional_field<&ApiToken::last_used_at>("last_used_at"), field<&ApiToken::revoked>("revoked"));

constexpr auto kSessions = table<Session>(
    "sessions", field<&Session::id_hash>("id_hash"), field<&Session::user_id>("user_id"),
    field<&Session::csrf_token>("csrf_token"), field<&Session::created_at>("created_at"),
    field<&Session::expires_at>("expires_at"));

constexpr auto kIdentities =
    table<domain::UserIdentity>("user_identities", field<&domain::UserIdentity::issuer>("issuer"),
                                field<&domain::UserIdentity::subject>("subject"),
                                field<&domain::UserIdentity::user_id>("user_id"),
                                field<&domain::UserIdentity::created_at>("created_at"));

constexpr auto kPasswordResets = table<domain::PasswordReset>(
    "password_resets", field<&domain::PasswordReset::token_hash>("token_hash"),
    field<&domain::PasswordReset::user_id>("user_id"),
    field<&domain::PasswordReset::created_at>("created_at"),
    field<&domain::PasswordReset::expires_at>("expires_at"));

constexpr auto kSsoLogins =
    table<domain::SsoLogin>("sso_logins", field<&domain::SsoLogin::state_hash>("state_hash"),
                            field<&domain::SsoLogin::nonce>("nonce"),
                            field<&domain::SsoLogin::code_verifier>("code_verifier"),
                            field<&domain::SsoLogin::return_to>("return_to"),
                            field<&domain::SsoLogin::created_at>("created_at"),
                            field<&domain::SsoLogin::expires_at>("expires_at"));

constexpr auto kSsoMappings = table<domain::SsoRoleMapping>(
    "sso_role_mappings", key<&domain::SsoRoleMapping::id>("id"),
    field<&domain::SsoRoleMapping::claim>("claim"),
    field<&domain::SsoRoleMapping::value>("claim_value"),
    field<&domain::SsoRoleMapping::production_id>("production_id"),
    enum_field<&domain::SsoRoleMapping::role, domain::role_name, domain::parse_role>("role"),
    field<&domain::SsoRoleMapping::created_at>("created_at"));

constexpr Statements::Messages kUserMessages = {"a user with this email already exists",
                                                "organization not found"};

}  // namespace

// Organizations.

Result<int64_t> SqlAccountRecords::create_organization(const Organization& org) {
  CC_TRY(domain::check_time(org.created_at, "created_at"));
  return single_integer(CC_TRY(
      statements_.run("create organization", kOrganizations.insert(), kOrganizations.values(org))));
}

Result<Organization> SqlAccountRecords::get_organization(int64_t id) {
  SqlRows rows =
      CC_TRY(statements_.run("get organization", kOrganizations.select("WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("organization", id);
  }
  return kOrganizations.read(rows[0]);
}

Result<std::vector<Organization>> SqlAccountRecords::list_organizations() {
  return kOrganizations.read_all(
      CC_TRY(statements_.run("list organizations", kOrganizations.select("ORDER BY id"), {})));
}

// Users.

Result<int64_t> SqlAccountRecords::create_user(const User& user) {
  CC_TRY(domain::check_email(user.email));
  CC_TRY(domain::check_time(user.created_at, "created_at"));
  return single_integer(
      CC_TRY(statements_.run("create user", kUsers.insert(), kUsers.values(user), kUserMessages)));
}

Result<User> SqlAccountRecords::get_user(int64_t id) {
  SqlRows rows = CC_TRY(statements_.run("get user", kUsers.select("WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("user", id);
  }
  return kUsers.read(rows[0]);
}

Result<std::optional<User>> SqlAccountRecords::find_user_by_email(const std::string& email) {
  return kUsers.read_first(CC_TRY(
      statements_.run("find user", kUsers.select("WHERE email = ?"), {base::ascii_lower(email)})));
}

Result<std::vector<User>> SqlAccountRecords::list_users() {
  return kUsers.read_all(CC_TRY(statements_.run("list users", kUsers.select("ORDER BY id"), {})));
}

Status SqlAccountRecords::update_user(const User& user) {
  changed_actors_ = true;
  constexpr std::string_view kAction = "update user";
  CC_TRY(domain::check_email(user.email));
  CC_TRY(domain::check_time(user.created_at, "created_at"));
  std::vector<SqlValue> params = kUsers.values(user);
  params.emplace_back(user.id);
  SqlRows rows = CC_TRY(
      statements_.run(kAction, kUsers.update("WHERE id = ? RETURNING id"), params, kUserMessages));
  return statements_.changed(kAction, rows, "users", "user", user.id);
}

// Memberships.

Status SqlAccountRecords::set_membership(const Membership& membership) {
  changed_actors_ = true;
  CC_TRY(statements_.run("set membership", kMemberships.upsert("user_id, production_id"),
                         kMemberships.values(membership), {{}, "user or production not found"}));
  return {};
}

Status SqlAccountRecords::remove_membership(int64_t user_id, int64_t production_id) {
  changed_actors_ = true;
  SqlRows rows = CC_TRY(statements_.run("remove membership",
                                        "DELETE FROM memberships WHERE user_id = ? AND "
                                        "production_id = ? RETURNING user_id",
                                        {user_id, production_id}));
  if (rows.empty()) {
    return base::not_found("remove membership: user " + std::to_string(user_id) +
                           " is not a member of production " + std::to_string(production_id));
  }
  return {};
}

Result<std::vector<Membership>> SqlAccountRecords::list_memberships_of_user(int64_t user_id) {
  return kMemberships.read_all(CC_TRY(
      statements_.run("list memberships",
                      kMemberships.select("WHERE user_id = ? ORDER BY production_id"), {user_id})));
}

Result<std::vector<Membership>> SqlAccountRecords::list_members_of_production(
    int64_t production_id) {
  return kMemberships.read_all(CC_TRY(statements_.run(
      "list members", kMemberships.select("WHERE production_id = ? ORDER BY user_id"),
      {production_id})));
}

// Productions.

Result<int64_t> SqlAccountRecords::create_production(const Production& production) {
  CC_TRY(domain::check_not_empty(production.code, "code"));
  CC_TRY(domain::check_time(production.created_at, "created_at"));
  return single_integer(CC_TRY(
      statements_.run("create production", kProductions.insert(), kProductions.values(production),
                      {"a production with this code already exists", "organization not found"})));
}

Result<Production> SqlAccountRecords::get_production(int64_t id) {
  SqlRows rows =
      CC_TRY(statements_.run("get production", kProductions.select("WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("production", id);
  }
  return kProductions.read(rows[0]);
}

Result<std::optional<Production>> SqlAccountRecords::find_production_by_code(
    const std::string& code) {
  return kProductions.read_first(
      CC_TRY(statements_.run("find production", kProductions.select("WHERE code = ?"), {code})));
}

Result<std::vector<Production>> SqlAccountRecords::list_productions() {
  return kProductions.read_all(
      CC_TRY(statements_.run("list productions", kProductions.select("ORDER BY id"), {})));
}

Status SqlAccountRecords::update_production(const Production& production) {
  constexpr std::string_view kAction = "update production";
  SqlRows rows = CC_TRY(statements_.run(
      kAction, "UPDATE productions SET title = ?, answer_within_days = ? WHERE id = ? RETURNING id",
      {production.title, static_cast<int64_t>(production.answer_within_days), production.id}));
  return statements_.changed(kAction, rows, "productions", "production", production.id);
}

// Delegations.

Status SqlAccountRecords::set_delegation(const domain::Delegation& delegation) {
  CC_TRY(domain::check_time(delegation.until, "until"));
  CC_TRY(domain::check_time(delegation.created_at, "created_at"));
  CC_TRY(statements_.run("set delegation", kDelegations.upsert("user_id"),
                         kDelegations.values(delegation), {{}, "user not found"}));
  return {};
}

Status SqlAccountRecords::remove_delegation(int64_t user_id) {
  SqlRows rows = CC_TRY(
      statements_.run("remove delegation",
                      "DELETE FROM delegations WHERE user_id = ? RETURNING user_id", {user_id}));
  if (rows.empty()) {
    return base::not_found("user " + std::to_string(user_id) + " has no delegate");
  }
  return {};
}

Result<std::optional<domain::Delegation>> SqlAccountRecords::find_delegation(int64_t user_id) {
  return kDelegations.read_first(CC_TRY(
      statements_.run("find delegation", kDelegations.select("WHERE user_id = ?"), {user_id})));
}

Result<std::vector<domain::Delegation>> SqlAccountRecords::list_delegations(int64_t delegate_id) {
  if (delegate_id == 0) {
    return kDelegations.read_all(
        CC_TRY(statements_.run("list delegations", kDelegations.select("ORDER BY user_id"), {})));
  }
  return kDelegations.read_all(CC_TRY(statements_.run(
      "list delegations", kDelegations.select("WHERE delegate_id = ? ORDER BY user_id"),
      {delegate_id})));
}

// API tokens.

Result<int64_t> SqlAccountRecords::create_token(const ApiToken& token) {
  CC_TRY(domain::check_not_empty(token.token_hash, "token_hash"));
  CC_TRY(domain::check_time(token.created_at, "created_at"));
  CC_TRY(domain::check_optional_time(token.last_used_at, "last_used_at"));
  return single_integer(
      CC_TRY(statements_.run("create token", kTokens.insert(), kTokens.values(token),
                             {"a token with this hash already exists", "user not found"})));
}

Result<std::optional<ApiToken>> SqlAccountRecords::find_token_by_hash(
    const std::string& token_hash) {
  return kTokens.read_first(
      CC_TRY(statements_.run("find token", kTokens.select("WHERE token_hash = ?"), {token_hash})));
}

Result<std::vector<ApiToken>> SqlAccountRecords::list_tokens(int64_t user_id) {
  return kTokens.read_all(CC_TRY(
      statements_.run("list tokens", kTokens.select("WHERE user_id = ? ORDER BY id"), {user_id})));
}

Status SqlAccountRecords::revoke_token(int64_t id) {
  changed_actors_ = true;
  constexpr std::string_view kAction = "revoke token";
  SqlRows rows = CC_TRY(statements_.run(
      kAction, "UPDATE api_tokens SET revoked = ? WHERE id = ? RETURNING id", {true, id}));
  return statements_.changed(kAction, rows, "api_tokens", "token", id);
}

Status SqlAccountRecords::touch_token(int64_t id, const std::string& last_used_at) {
  constexpr std::string_view kAction = "touch token";
  CC_TRY(domain::check_time(last_used_at, "last_used_at"));
  SqlRows rows = CC_TRY(
      statements_.run(kAction, "UPDATE api_tokens SET last_used_at = ? WHERE id = ? RETURNING id",
                      {last_used_at, id}));
  return statements_.changed(kAction, rows, "api_tokens", "token", id);
}

// Web sessions.

Status SqlAccountRecords::create_session(const Session& session) {
  CC_TRY(domain::check_not_empty(session.id_hash, "id_hash"));
  CC_TRY(domain::check_time(session.created_at, "created_at"));
  CC_TRY(domain::check_time(session.expires_at, "expires_at"));
  CC_TRY(statements_.run("create session", kSessions.insert(""), kSessions.values(session),
                         {"a session with this id already exists", "user not found"}));
  return {};
}

Result<std::optional<Session>> SqlAccountRecords::find_session(const std::string& id_hash) {
  return kSessions.read_first(
      CC_TRY(statements_.run("find session", kSessions.select("WHERE id_hash = ?"), {id_hash})));
}

Status SqlAccountRecords::delete_session(const std::string& id_hash) {
  SqlRows rows = CC_TRY(statements_.run(
      "delete session", "DELETE FROM sessions WHERE id_hash = ? RETURNING id_hash", {id_hash}));
  if (rows.empty()) {
    return base::not_found("delete session: session not found");
  }
  return {};
}

// Failed sign-ins.

Status SqlAccountRecords::add_login_failure(const std::string& key, const std::string& at,
                                            const std::string& forget_before) {
  CC_TRY(domain::check_not_empty(key, "key"));
  CC_TRY(domain::check_time(at, "at"));
  CC_TRY(domain::check_time(forget_before, "forget_before"));
  CC_TRY(statements_.run("forget login failures", "DELETE FROM login_failures WHERE failed_at < ?",
                         {forget_before}));
  CC_TRY(statements_.run("add login failure",
                         "INSERT INTO login_failures (throttle_key, failed_at) VALUES (?, ?)",
                         {key, at}));
  return {};
}

Result<int> SqlAccountRecords::count_login_failures(const std::string& key,
                                                    const std::string& since) {
  CC_TRY(domain::check_time(since, "since"));
  const int64_t n = CC_TRY(single_integer(CC_TRY(statements_.run(
      "count login failures",
      "SELECT COUNT(*) FROM login_failures WHERE throttle_key = ? AND failed_at > ?",
      {key, since}))));
  return static_cast<int>(n);
}

// Single sign-on.

Status SqlAccountRecords::link_identity(const domain::UserIdentity& identity) {
  CC_TRY(domain::check_not_empty(identity.issuer, "issuer"));
  CC_TRY(domain::check_not_empty(identity.subject, "subject"));
  CC_TRY(domain::check_time(identity.created_at, "created_at"));
  CC_TRY(statements_.run("link identity", kIdentities.insert(""), kIdentities.values(identity),
                         {"this identity is linked to a user already", "user not found"}));
  return {};
}

Result<std::optional<domain::UserIdentity>> SqlAccountRecords::find_identity(
    const std::string& issuer, const std::string& subject) {
  return kIdentities.read_first(CC_TRY(statements_.run(
      "find identity", kIdentities.select("WHERE issuer = ? AND subject = ?"), {issuer, subject})));
}

Result<std::vector<domain::UserIdentity>> SqlAccountRecords::list_identities() {
  return kIdentities.read_all(CC_TRY(
      statements_.run("list identities", kIdentities.select("ORDER BY issuer, subject"), {})));
}

Status SqlAccountRecords::add_sso_login(const domain::SsoLogin& login,
                                        const std::string& forget_before) {
  CC_TRY(domain::check_not_empty(login.state_hash, "state_hash"));
  CC_TRY(domain::check_time(login.created_at, "created_at"));
  CC_TRY(domain::check_time(login.expires_at, "expires_at"));
  CC_TRY(domain::check_time(forget_before, "forget_before"));
  CC_TRY(statements_.run("forget sign-ins", "DELETE FROM sso_logins WHERE expires_at < ?",
                         {forget_before}));
  CC_TRY(statements_.run("add sign-in", kSsoLogins.insert(""), kSsoLogins.values(login),
                         {"a sign-in with this state exists already", {}}));
  return {};
}

Result<int64_t> SqlAccountRecords::count_sso_logins() {
  return single_integer(
      CC_TRY(statements_.run("count sign-ins", "SELECT COUNT(*) FROM sso_logins", {})));
}

Result<int64_t> SqlAccountRecords::delete_sessions_of_user(int64_t user_id) {
  SqlRows rows = CC_TRY(statements_.run(
      "end sessions", "DELETE FROM sessions WHERE user_id = ? RETURNING id_hash", {user_id}));
  return static_cast<int64_t>(rows.size());
}

Result<std::optional<domain::SsoLogin>> SqlAccountRecords::take_sso_login(
    const std::string& state_hash) {
  return kSsoLogins.read_first(CC_TRY(statements_.run(
      "take sign-in",
      "DELETE FROM sso_logins WHERE state_hash = ? RETURNING " + kSsoLogins.columns(),
      {state_hash})));
}

Result<int64_t> SqlAccountRecords::create_sso_mapping(const domain::SsoRoleMapping& mapping) {
  CC_TRY(domain::check_not_empty(mapping.claim, "claim"));
  CC_TRY(domain::check_not_empty(mapping.value, "value"));
  CC_TRY(domain::check_time(mapping.created_at, "created_at"));
  return single_integer(CC_TRY(statements_.run(
      "create role mapping", kSsoMappings.insert(), kSsoMappings.values(mapping),
      {"this claim value has a role on this production already", "production not found"})));
}

Result<std::vector<domain::SsoRoleMapping>> SqlAccountRecords::list_sso_mappings() {
  return kSsoMappings.read_all(
      CC_TRY(statements_.run("list role mappings", kSsoMappings.select("ORDER BY id"), {})));
}

Status SqlAccountRecords::delete_sso_mapping(int64_t id) {
  SqlRows rows = CC_TRY(statements_.run(
      "delete role mapping", "DELETE FROM sso_role_mappings WHERE id = ? RETURNING id", {id}));
  if (rows.empty()) {
    return base::not_found("role mapping " + std::to_string(id) + " not found");
  }
  return {};
}

Status SqlAccountRecords::add_password_reset(const domain::PasswordReset& reset,
                                             const std::string& forget_before) {
  CC_TRY(domain::check_not_empty(reset.token_hash, "token_hash"));
  CC_TRY(domain::check_time(reset.created_at, "created_at"));
  CC_TRY(domain::check_time(reset.expires_at, "expires_at"));
  CC_TRY(domain::check_time(forget_before, "forget_before"));
  CC_TRY(statements_.run("forget reset links", "DELETE FROM password_resets WHERE expires_at < ?",
                         {forget_before}));
  CC_TRY(statements_.run("add reset link", kPasswordResets.insert(""),
                         kPasswordResets.values(reset),
                         {"a reset link with this token exists already", "user not found"}));
  return {};
}

Result<std::optional<domain::PasswordReset>> SqlAccountRecords::latest_password_reset(
    int64_t user_id, const std::string& since) {
  CC_TRY(domain::check_time(since, "since"));
  return kPasswordResets.read_first(CC_TRY(
      statements_.run("find reset link",
                      kPasswordResets.select(
                          "WHERE user_id = ? AND created_at > ? ORDER BY created_at DESC LIMIT 1"),
                      {user_id, since})));
}

Result<std::optional<domain::PasswordReset>> SqlAccountRecords::take_password_reset(
    const std::string& token_hash) {
  return kPasswordResets.read_first(CC_TRY(statements_.run(
      "take reset link",
      "DELETE FROM password_resets WHERE token_hash = ? RETURNING " + kPasswordResets.columns(),
      {token_hash})));
}

Result<int64_t> SqlAccountRecords::delete_password_resets(int64_t user_id) {
  SqlRows rows = CC_TRY(statements_.run(
      "delete reset links", "DELETE FROM password_resets WHERE user_id = ? RETURNING token_hash",
      {user_id}));
  return static_cast<int64_t>(rows.size());
}

}  // namespace clearcut::store::sql
