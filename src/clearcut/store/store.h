#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/audit/audit_event.h"
#include "clearcut/base/result.h"
#include "clearcut/domain/account.h"
#include "clearcut/domain/asset.h"
#include "clearcut/domain/scan_job.h"
#include "clearcut/domain/tool_registry.h"
#include "clearcut/domain/use_case.h"

namespace clearcut::store {

// The largest `limit` a paged list accepts.
inline constexpr int kMaxListLimit = 10000;

// How many times a scan job is claimed before a job whose workers keep dying is given up.
inline constexpr int kMaxScanAttempts = 3;

// A stored policy pack: its text as uploaded, and whether it is the active one.
struct PolicyPackRecord {
  int64_t id = 0;
  std::string name;
  std::string version;
  std::string digest;  // PolicyPack::digest()
  std::string text;
  bool active = false;
  int64_t loaded_by = 0;  // user id; 0 = the system (the default pack at first start)
  std::string loaded_at;
};

// A signed checkpoint of the audit log (C2SP signed note text).
struct CheckpointRecord {
  uint64_t tree_size = 0;
  std::string note;
  std::string created_at;
};

// A stored audit event with the leaf hash computed when it was appended.
struct AuditRecord {
  audit::AuditEvent event;
  std::string leaf_hash;  // hex
};

struct UseCaseFilter {
  std::vector<int64_t> production_ids;  // empty = all
  std::optional<domain::UseCaseState> state;
  int64_t after_id = 0;  // keyset pagination: ids greater than this
  int limit = 50;        // 1..kMaxListLimit
};

// One unit of work. Every change made through it is applied atomically by commit(); a
// transaction destroyed without commit() is rolled back. Not thread-safe: one per request.
// Errors: kNotFound for a missing row, kAlreadyExists for a unique key taken (email, production
// code, token hash), kFailedPrecondition for a stale revision, kUnavailable when the database
// is busy or gone; never SQL text in messages. kNotFound also answers a write that names a
// missing row (a user id, a production id). Every *_at field must be RFC 3339 UTC
// (audit::is_rfc3339_utc), optional ones may be empty; else kInvalidArgument.
// When the database itself rejects a statement (a unique or foreign key, a lost connection)
// the transaction is aborted, as PostgreSQL does: later calls and commit() fail with
// kFailedPrecondition. Answers that need no failed statement (no such row, stale revision,
// invalid argument) leave it usable.
class Transaction {
 public:
  virtual ~Transaction() = default;

  virtual base::Status commit() = 0;

  // Organizations, users, memberships.
  virtual base::Result<int64_t> create_organization(const domain::Organization& org) = 0;
  virtual base::Result<domain::Organization> get_organization(int64_t id) = 0;
  virtual base::Result<std::vector<domain::Organization>> list_organizations() = 0;
  virtual base::Result<int64_t> create_user(const domain::User& user) = 0;
  virtual base::Result<domain::User> get_user(int64_t id) = 0;
  virtual base::Result<std::optional<domain::User>> find_user_by_email(
      const std::string& email) = 0;
  virtual base::Result<std::vector<domain::User>> list_users() = 0;
  // Emails are stored as given and must be lower case; find_user_by_email lower-cases its
  // argument (ASCII).
  virtual base::Status update_user(const domain::User& user) = 0;  // all fields but id
  virtual base::Status set_membership(const domain::Membership& membership) = 0;  // upsert
  virtual base::Status remove_membership(int64_t user_id, int64_t production_id) = 0;
  virtual base::Result<std::vector<domain::Membership>> list_memberships_of_user(
      int64_t user_id) = 0;
  virtual base::Result<std::vector<domain::Membership>> list_members_of_production(
      int64_t production_id) = 0;

  // Productions.
  virtual base::Result<int64_t> create_production(const domain::Production& production) = 0;
  virtual base::Result<domain::Production> get_production(int64_t id) = 0;
  virtual base::Result<std::optional<domain::Production>> find_production_by_code(
      const std::string& code) = 0;
  virtual base::Result<std::vector<domain::Production>> list_productions() = 0;

  // The tool registry.
  virtual base::Status upsert_tool(const domain::Tool& tool) = 0;
  virtual base::Status delete_tool(const std::string& id) = 0;
  virtual base::Result<std::vector<domain::Tool>> list_tools() = 0;

  // Policy packs; exactly one is active once any is stored: a pack inserted with active set,
  // or the first pack, becomes the active one.
  virtual base::Result<int64_t> insert_policy_pack(const PolicyPackRecord& pack) = 0;
  virtual base::Result<std::optional<PolicyPackRecord>> active_policy_pack() = 0;
  virtual base::Result<PolicyPackRecord> get_policy_pack(int64_t id) = 0;
  virtual base::Result<std::vector<PolicyPackRecord>> list_policy_packs() = 0;  // text omitted
  virtual base::Status activate_policy_pack(int64_t id) = 0;

  // Use cases, their history and comments. A new use case is stored at revision 1.
  virtual base::Result<int64_t> create_use_case(const domain::UseCase& use_case) = 0;
  virtual base::Result<domain::UseCase> get_use_case(int64_t id) = 0;
  // Writes every field but id, production_id, created_by and created_at, if the stored
  // revision equals use_case.revision; stores revision + 1. Stale: kFailedPrecondition.
  virtual base::Status update_use_case(const domain::UseCase& use_case) = 0;
  virtual base::Result<std::vector<domain::UseCase>> list_use_cases(
      const UseCaseFilter& filter) = 0;  // ordered by id
  virtual base::Result<int64_t> append_use_case_event(const domain::UseCaseEvent& event) = 0;
  virtual base::Result<std::vector<domain::UseCaseEvent>> list_use_case_events(
      int64_t use_case_id) = 0;
  virtual base::Result<int64_t> add_comment(const domain::Comment& comment) = 0;
  virtual base::Result<std::vector<domain::Comment>> list_comments(int64_t use_case_id) = 0;

  // Consents and approvals.
  virtual base::Result<int64_t> add_consent(const domain::Consent& consent) = 0;
  virtual base::Result<domain::Consent> get_consent(int64_t id) = 0;
  // kFailedPrecondition when already revoked: the first revocation time stands.
  virtual base::Status revoke_consent(int64_t id, const std::string& revoked_at) = 0;
  virtual base::Result<std::vector<domain::Consent>> list_consents(int64_t production_id) = 0;
  virtual base::Result<int64_t> add_approval(const domain::Approval& approval) = 0;
  virtual base::Result<std::vector<domain::Approval>> list_approvals(int64_t use_case_id) = 0;
  virtual base::Status mark_approvals_outdated(int64_t use_case_id) = 0;

  // Registered AI outputs.
  virtual base::Result<int64_t> create_asset(const domain::Asset& asset) = 0;
  virtual base::Result<domain::Asset> get_asset(int64_t id) = 0;
  virtual base::Result<std::vector<domain::Asset>> list_assets(int64_t production_id,
                                                               int64_t after_id, int limit) = 0;
  virtual base::Result<std::vector<domain::Asset>> list_assets_of_use_case(int64_t use_case_id) = 0;
  virtual base::Status set_asset_status(int64_t id, domain::AssetStatus status) = 0;

  // Delivery scans. A job is stored queued. claim_scan_job hands `worker` the oldest job that
  // is queued, or running with a heartbeat older than `stale_before` (its worker died), and
  // marks it running; two transactions never claim the same job (PostgreSQL: FOR UPDATE SKIP
  // LOCKED; SQLite: one writer at a time). A stale job already claimed kMaxScanAttempts times
  // goes to error instead. heartbeat and finish are refused with kFailedPrecondition when the
  // job is no longer running under `worker` (another worker took it over, or it finished).
  virtual base::Result<int64_t> create_scan_job(const domain::ScanJob& job) = 0;
  virtual base::Result<domain::ScanJob> get_scan_job(int64_t id) = 0;
  // Newest first: ids below `before_id` (0: from the newest).
  virtual base::Result<std::vector<domain::ScanJob>> list_scan_jobs(int64_t production_id,
                                                                    int64_t before_id,
                                                                    int limit) = 0;
  virtual base::Result<std::optional<domain::ScanJob>> claim_scan_job(
      const std::string& worker, const std::string& now, const std::string& stale_before) = 0;
  virtual base::Status heartbeat_scan_job(int64_t id, const std::string& worker,
                                          const std::string& now, int files_done,
                                          int files_total) = 0;
  // Also stores the result's cross_production matches (their scan_job_id, scanning production
  // and found_at taken from the job and the result).
  virtual base::Status finish_scan_job(const domain::ScanJobResult& result) = 0;
  // Puts a job `worker` is running back in the queue because the worker is stopping: another
  // worker claims it at once instead of after its heartbeat goes stale, and the interrupted
  // claim does not count towards kMaxScanAttempts. Refused as heartbeat is.
  virtual base::Status release_scan_job(int64_t id, const std::string& worker) = 0;
  // A finished job's report, "json" or "html"; kNotFound before it finished.
  virtual base::Result<std::string> get_scan_report(int64_t id, std::string_view format) = 0;
  // Matches of scans to `production_id`'s assets (scans of other productions' deliveries),
  // newest first: ids below `before_id` (0: from the newest).
  virtual base::Result<std::vector<domain::CrossProductionMatch>> list_cross_production_matches(
      int64_t production_id, int64_t before_id, int limit) = 0;

  // API tokens and web sessions.
  virtual base::Result<int64_t> create_token(const domain::ApiToken& token) = 0;
  virtual base::Result<std::optional<domain::ApiToken>> find_token_by_hash(
      const std::string& token_hash) = 0;
  virtual base::Result<std::vector<domain::ApiToken>> list_tokens(int64_t user_id) = 0;
  virtual base::Status revoke_token(int64_t id) = 0;
  virtual base::Status touch_token(int64_t id, const std::string& last_used_at) = 0;
  virtual base::Status create_session(const domain::Session& session) = 0;
  virtual base::Result<std::optional<domain::Session>> find_session(const std::string& id_hash) = 0;
  virtual base::Status delete_session(const std::string& id_hash) = 0;

  // The audit log: append-only, sequence numbers dense from 0. append_audit_event assigns
  // event.sequence (the current size) and stores the leaf hash; readers see events in order.
  // The sequence is taken under the log's lock (PostgreSQL: a transaction-scoped advisory lock;
  // SQLite: the write lock every transaction holds), and the store computes the leaf hash of
  // the event as stored (audit_event_leaf_hash), so `leaf_hash` may be empty. A non-empty one
  // for the assigned sequence must match (else kInvalidArgument); one computed for another
  // sequence, which a concurrent writer took after audit_size(), is recomputed. An event that
  // cannot be encoded is kInvalidArgument. audit_size() is the committed size (on SQLite
  // stable until commit) and takes no lock.
  virtual base::Result<uint64_t> append_audit_event(const audit::AuditEvent& event,
                                                    const std::string& leaf_hash) = 0;
  virtual base::Result<uint64_t> audit_size() = 0;
  virtual base::Result<std::vector<AuditRecord>> list_audit_events(uint64_t from,
                                                                   uint64_t limit) = 0;
  // A checkpoint larger than the log, or smaller than the latest one, is kFailedPrecondition;
  // a second one of the same size kAlreadyExists.
  virtual base::Status append_checkpoint(const CheckpointRecord& checkpoint) = 0;
  virtual base::Result<std::vector<CheckpointRecord>> list_checkpoints() = 0;
  virtual base::Result<std::optional<CheckpointRecord>> latest_checkpoint() = 0;
};

// A database holding clearcut's state. Thread-safe: begin() may be called from many threads;
// each transaction is used by one. Writers are serialised by the database (SQLite: every
// transaction, one at a time; begin() waits up to 10 s, then kUnavailable). A transaction may
// outlive its Store.
class Store {
 public:
  virtual ~Store() = default;
  virtual base::Result<std::unique_ptr<Transaction>> begin() = 0;
  // "sqlite" or "postgresql".
  virtual std::string_view backend() const = 0;
};

// Opens (creating if needed) and migrates the database named by `url`:
//   sqlite:PATH (or a bare path)      the embedded default; WAL, foreign keys on. The file's
//                                     directory must exist (kNotFound otherwise).
//   postgresql://... / postgres://...  several serve processes may share one database; libpq's
//                                     URI syntax, the database must be UTF8
// A database migrated by a newer clearcut is refused (kFailedPrecondition); an unreachable
// server is kUnavailable.
base::Result<std::unique_ptr<Store>> open_store(const std::string& url);

}  // namespace clearcut::store
