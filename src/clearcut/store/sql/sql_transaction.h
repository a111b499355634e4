#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "clearcut/store/sql/connection_pool.h"
#include "clearcut/store/sql/sql_connection.h"
#include "clearcut/store/store.h"

namespace clearcut::store::sql {

// The Transaction of every SQL backend: the same statements on any SqlConnection, with the
// dialect's BEGIN and locks. Owns its connection and gives it back to the pool when committed
// or destroyed (rolled back). Once the database rejects a statement the transaction is
// aborted, as PostgreSQL does, so that both backends behave alike.
class SqlTransaction final : public Transaction {
 public:
  // `connection` must be inside a transaction begun with dialect.begin.
  SqlTransaction(std::shared_ptr<ConnectionPool> pool, std::unique_ptr<SqlConnection> connection,
                 const SqlDialect& dialect);
  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;
  ~SqlTransaction() override;

  base::Status commit() override;

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

  base::Status upsert_tool(const domain::Tool& tool) override;
  base::Status delete_tool(const std::string& id) override;
  base::Result<std::vector<domain::Tool>> list_tools() override;

  base::Result<int64_t> insert_policy_pack(const PolicyPackRecord& pack) override;
  base::Result<std::optional<PolicyPackRecord>> active_policy_pack() override;
  base::Result<PolicyPackRecord> get_policy_pack(int64_t id) override;
  base::Result<std::vector<PolicyPackRecord>> list_policy_packs() override;
  base::Status activate_policy_pack(int64_t id) override;

  base::Result<int64_t> create_use_case(const domain::UseCase& use_case) override;
  base::Result<domain::UseCase> get_use_case(int64_t id) override;
  base::Status update_use_case(const domain::UseCase& use_case) override;
  base::Result<std::vector<domain::UseCase>> list_use_cases(const UseCaseFilter& filter) override;
  base::Result<int64_t> append_use_case_event(const domain::UseCaseEvent& event) override;
  base::Result<std::vector<domain::UseCaseEvent>> list_use_case_events(
      int64_t use_case_id) override;
  base::Result<int64_t> add_comment(const domain::Comment& comment) override;
  base::Result<std::vector<domain::Comment>> list_comments(int64_t use_case_id) override;

  base::Result<int64_t> add_consent(const domain::Consent& consent) override;
  base::Result<domain::Consent> get_consent(int64_t id) override;
  base::Status revoke_consent(int64_t id, const std::string& revoked_at) override;
  base::Result<std::vector<domain::Consent>> list_consents(int64_t production_id) override;
  base::Result<int64_t> add_approval(const domain::Approval& approval) override;
  base::Result<std::vector<domain::Approval>> list_approvals(int64_t use_case_id) override;
  base::Status mark_approvals_outdated(int64_t use_case_id) override;

  base::Result<int64_t> create_asset(const domain::Asset& asset) override;
  base::Result<domain::Asset> get_asset(int64_t id) override;
  base::Result<std::vector<domain::Asset>> list_assets(int64_t production_id, int64_t after_id,
                                                       int limit) override;
  base::Result<std::vector<domain::Asset>> list_assets_of_use_case(int64_t use_case_id) override;
  base::Status set_asset_status(int64_t id, domain::AssetStatus status) override;

  base::Result<int64_t> create_scan_job(const domain::ScanJob& job) override;
  base::Result<domain::ScanJob> get_scan_job(int64_t id) override;
  base::Result<std::vector<domain::ScanJob>> list_scan_jobs(int64_t production_id,
                                                            int64_t before_id, int limit) override;
  base::Result<std::optional<domain::ScanJob>> claim_scan_job(
      const std::string& worker, const std::string& now, const std::string& stale_before) override;
  base::Status release_scan_job(int64_t id, const std::string& worker) override;
  base::Status heartbeat_scan_job(int64_t id, const std::string& worker, const std::string& now,
                                  int files_done, int files_total) override;
  base::Status finish_scan_job(const domain::ScanJobResult& result) override;
  base::Result<std::string> get_scan_report(int64_t id, std::string_view format) override;
  base::Result<std::vector<domain::CrossProductionMatch>> list_cross_production_matches(
      int64_t production_id, int64_t before_id, int limit) override;

  base::Result<int64_t> create_token(const domain::ApiToken& token) override;
  base::Result<std::optional<domain::ApiToken>> find_token_by_hash(
      const std::string& token_hash) override;
  base::Result<std::vector<domain::ApiToken>> list_tokens(int64_t user_id) override;
  base::Status revoke_token(int64_t id) override;
  base::Status touch_token(int64_t id, const std::string& last_used_at) override;
  base::Status create_session(const domain::Session& session) override;
  base::Result<std::optional<domain::Session>> find_session(const std::string& id_hash) override;
  base::Status delete_session(const std::string& id_hash) override;

  base::Result<uint64_t> append_audit_event(const audit::AuditEvent& event,
                                            const std::string& leaf_hash) override;
  base::Result<uint64_t> audit_size() override;
  base::Result<std::vector<AuditRecord>> list_audit_events(uint64_t from, uint64_t limit) override;
  base::Status append_checkpoint(const CheckpointRecord& checkpoint) override;
  base::Result<std::vector<CheckpointRecord>> list_checkpoints() override;
  base::Result<std::optional<CheckpointRecord>> latest_checkpoint() override;

 private:
  enum class State { kOpen, kAborted, kFinished };

  // What to tell people when a unique key is taken or a referenced row is missing.
  struct Messages {
    std::string_view exists;
    std::string_view missing;
  };

  // Runs one statement; a database error aborts the transaction and is reworded with `action`
  // and `messages`.
  base::Result<SqlRows> run(std::string_view action, std::string_view sql,
                            const std::vector<SqlValue>& params, Messages messages = {});
  base::Status usable() const;
  base::Status lock(std::string_view action, int64_t key);
  // The audit log's size, counted as the statement sees it.
  base::Result<uint64_t> count_audit_events(std::string_view action);
  // Rolls back unless committed and gives the connection back.
  void finish();

  std::shared_ptr<ConnectionPool> pool_;
  std::unique_ptr<SqlConnection> connection_;
  SqlDialect dialect_;
  State state_ = State::kOpen;
};

}  // namespace clearcut::store::sql
