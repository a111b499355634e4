#pragma once

#include "clearcut/store/account_records.h"
#include "clearcut/store/sql/statements.h"

namespace clearcut::store::sql {

// Organizations, users, memberships, productions, API tokens and web sessions, in SQL both backends
// speak.
class SqlAccountRecords final : public AccountRecords {
 public:
  explicit SqlAccountRecords(Statements& statements) : statements_(statements) {}

  // Whether this transaction has written, or tried to write, what an authenticated Actor is made
  // of: a user, a membership, an API token's revocation (SqlTransaction tells the store).
  bool changed_actors() const { return changed_actors_; }

  base::Result<int64_t> create_organization(const domain::Organization& org) override;
  base::Result<domain::Organization> get_organization(int64_t id) override;
  base::Result<std::vector<domain::Organization>> list_organizations() override;
  base::Result<int64_t> create_user(const domain::User& user) override;
  base::Result<domain::User> get_user(int64_t id) override;
  base::Result<std::optional<domain::User>> find_user_by_email(const std::string& email) override;
  base::Result<std::vector<domain::User>> list_users() override;
  base::Status update_user(const domain::User& user) override;
  base::Status set_membership(const domain::Membership& membership) override;
  base::Status remove_membership(int64_t user_id, int64_t production_id) override;
  base::Result<std::vector<domain::Membership>> list_memberships_of_user(int64_t user_id) override;
  base::Result<std::vector<domain::Membership>> list_members_of_production(
      int64_t production_id) override;
  base::Result<int64_t> create_production(const domain::Production& production) override;
  base::Result<domain::Production> get_production(int64_t id) override;
  base::Result<std::optional<domain::Production>> find_production_by_code(
      const std::string& code) override;
  base::Result<std::vector<domain::Production>> list_productions() override;
  base::Status update_production(const domain::Production& production) override;
  base::Status set_delegation(const domain::Delegation& delegation) override;
  base::Status remove_delegation(int64_t user_id) override;
  base::Result<std::optional<domain::Delegation>> find_delegation(int64_t user_id) override;
  base::Result<std::vector<domain::Delegation>> list_delegations(int64_t delegate_id) override;
  base::Result<int64_t> create_token(const domain::ApiToken& token) override;
  base::Result<std::optional<domain::ApiToken>> find_token_by_hash(
      const std::string& token_hash) override;
  base::Result<std::vector<domain::ApiToken>> list_tokens(int64_t user_id) override;
  base::Status revoke_token(int64_t id) override;
  base::Status touch_token(int64_t id, const std::string& last_used_at) override;
  base::Status create_session(const domain::Session& session) override;
  base::Result<std::optional<domain::Session>> find_session(const std::string& id_hash) override;
  base::Status delete_session(const std::string& id_hash) override;
  base::Result<int64_t> delete_sessions_of_user(int64_t user_id) override;
  base::Status add_login_failure(const std::string& key, const std::string& at,
                                 const std::string& forget_before) override;
  base::Result<int> count_login_failures(const std::string& key, const std::string& since) override;
  base::Status link_identity(const domain::UserIdentity& identity) override;
  base::Result<std::optional<domain::UserIdentity>> find_identity(
      const std::string& issuer, const std::string& subject) override;
  base::Result<std::vector<domain::UserIdentity>> list_identities() override;
  base::Status add_sso_login(const domain::SsoLogin& login,
                             const std::string& forget_before) override;
  base::Result<int64_t> count_sso_logins() override;
  base::Result<std::optional<domain::SsoLogin>> take_sso_login(
      const std::string& state_hash) override;
  base::Result<int64_t> create_sso_mapping(const domain::SsoRoleMapping& mapping) override;
  base::Result<std::vector<domain::SsoRoleMapping>> list_sso_mappings() override;
  base::Status delete_sso_mapping(int64_t id) override;

  base::Status add_password_reset(const domain::PasswordReset& reset,
                                  const std::string& forget_before) override;
  base::Result<std::optional<domain::PasswordReset>> latest_password_reset(
      int64_t user_id, const std::string& since) override;
  base::Result<std::optional<domain::PasswordReset>> take_password_reset(
      const std::string& token_hash) override;
  base::Result<int64_t> delete_password_resets(int64_t user_id) override;

 private:
  Statements& statements_;
  bool changed_actors_ = false;
};

}  // namespace clearcut::store::sql
