#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/account.h"

namespace clearcut::store {

// Who may do what: organizations, users and their memberships of productions, the productions
// themselves, API tokens and web sessions. Part of a Transaction (store.h), whose contract
// every call follows.
class AccountRecords {
 public:
  virtual ~AccountRecords() = default;

  virtual base::Result<int64_t> create_organization(const domain::Organization& org) = 0;
  virtual base::Result<domain::Organization> get_organization(int64_t id) = 0;
  virtual base::Result<std::vector<domain::Organization>> list_organizations() = 0;

  // Emails are stored as given and must be lower case; find_user_by_email lower-cases its
  // argument (ASCII).
  virtual base::Result<int64_t> create_user(const domain::User& user) = 0;
  virtual base::Result<domain::User> get_user(int64_t id) = 0;
  virtual base::Result<std::optional<domain::User>> find_user_by_email(
      const std::string& email) = 0;
  virtual base::Result<std::vector<domain::User>> list_users() = 0;
  virtual base::Status update_user(const domain::User& user) = 0;  // all fields but id

  virtual base::Status set_membership(const domain::Membership& membership) = 0;  // upsert
  virtual base::Status remove_membership(int64_t user_id, int64_t production_id) = 0;
  virtual base::Result<std::vector<domain::Membership>> list_memberships_of_user(
      int64_t user_id) = 0;
  virtual base::Result<std::vector<domain::Membership>> list_members_of_production(
      int64_t production_id) = 0;

  virtual base::Result<int64_t> create_production(const domain::Production& production) = 0;
  virtual base::Result<domain::Production> get_production(int64_t id) = 0;
  virtual base::Result<std::optional<domain::Production>> find_production_by_code(
      const std::string& code) = 0;
  virtual base::Result<std::vector<domain::Production>> list_productions() = 0;
  // Writes the title and answer_within_days (kNotFound when there is no such production).
  virtual base::Status update_production(const domain::Production& production) = 0;

  // One delegation per user (domain::Delegation), replaced by the next; kNotFound naming a
  // user that does not exist. Expired ones stay until removed or replaced.
  virtual base::Status set_delegation(const domain::Delegation& delegation) = 0;
  virtual base::Status remove_delegation(int64_t user_id) = 0;  // kNotFound when there is none
  virtual base::Result<std::optional<domain::Delegation>> find_delegation(int64_t user_id) = 0;
  // Those naming `delegate_id`, by user id; every delegation when it is 0.
  virtual base::Result<std::vector<domain::Delegation>> list_delegations(int64_t delegate_id) = 0;

  virtual base::Result<int64_t> create_token(const domain::ApiToken& token) = 0;
  virtual base::Result<std::optional<domain::ApiToken>> find_token_by_hash(
      const std::string& token_hash) = 0;
  virtual base::Result<std::vector<domain::ApiToken>> list_tokens(int64_t user_id) = 0;
  virtual base::Status revoke_token(int64_t id) = 0;
  virtual base::Status touch_token(int64_t id, const std::string& last_used_at) = 0;

  virtual base::Status create_session(const domain::Session& session) = 0;
  virtual base::Result<std::optional<domain::Session>> find_session(const std::string& id_hash) = 0;
  virtual base::Status delete_session(const std::string& id_hash) = 0;
  // Ends every session of the user (a password reset); how many there were.
  virtual base::Result<int64_t> delete_sessions_of_user(int64_t user_id) = 0;

  // Failed sign-ins, the login throttle's counts (clearance::LoginLimits), shared by every
  // process on the database. `key` names what failed ("email:...", "addr:..."); times are
  // RFC 3339 UTC as the clock writes them, so they order as text. Adding one also deletes every
  // failure before `forget_before`, which keeps the table to one window's worth.
  virtual base::Status add_login_failure(const std::string& key, const std::string& at,
                                         const std::string& forget_before) = 0;
  // Failures of `key` after `since`.
  virtual base::Result<int> count_login_failures(const std::string& key,
                                                 const std::string& since) = 0;

  // Single sign-on (domain::UserIdentity, SsoLogin, SsoRoleMapping). An identity is linked
  // once (kAlreadyExists for a pair taken).
  virtual base::Status link_identity(const domain::UserIdentity& identity) = 0;
  virtual base::Result<std::optional<domain::UserIdentity>> find_identity(
      const std::string& issuer, const std::string& subject) = 0;
  virtual base::Result<std::vector<domain::UserIdentity>> list_identities() = 0;
  // Adding a sign-in also deletes those that expired before `forget_before`.
  virtual base::Status add_sso_login(const domain::SsoLogin& login,
                                     const std::string& forget_before) = 0;
  // Sign-ins under way (expired ones not yet forgotten included).
  virtual base::Result<int64_t> count_sso_logins() = 0;
  // Reads and deletes the sign-in of `state_hash` (nullopt when there is none): a state works
  // once, however many callbacks race for it.
  virtual base::Result<std::optional<domain::SsoLogin>> take_sso_login(
      const std::string& state_hash) = 0;
  virtual base::Result<int64_t> create_sso_mapping(const domain::SsoRoleMapping& mapping) = 0;
  virtual base::Result<std::vector<domain::SsoRoleMapping>> list_sso_mappings() = 0;
  virtual base::Status delete_sso_mapping(int64_t id) = 0;  // kNotFound when there is none

  // Password reset links (domain::PasswordReset). Adding one also deletes those that expired
  // before `forget_before`.
  virtual base::Status add_password_reset(const domain::PasswordReset& reset,
                                          const std::string& forget_before) = 0;
  // The newest link of the user created after `since` (nullopt when none): the throttle.
  virtual base::Result<std::optional<domain::PasswordReset>> latest_password_reset(
      int64_t user_id, const std::string& since) = 0;
  // Reads and deletes the link of `token_hash` (nullopt when there is none): a link works once.
  virtual base::Result<std::optional<domain::PasswordReset>> take_password_reset(
      const std::string& token_hash) = 0;
  // Deletes every link of the user (a reset done); how many there were.
  virtual base::Result<int64_t> delete_password_resets(int64_t user_id) = 0;
};

}  // namespace clearcut::store
