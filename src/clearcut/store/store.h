#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "clearcut/base/result.h"
#include "clearcut/store/account_records.h"
#include "clearcut/store/approval_records.h"
#include "clearcut/store/asset_records.h"
#include "clearcut/store/attachment_records.h"
#include "clearcut/store/audit_records.h"
#include "clearcut/store/outbox_records.h"
#include "clearcut/store/policy_records.h"
#include "clearcut/store/scan_job_records.h"
#include "clearcut/store/use_case_records.h"

namespace clearcut::store {

// The largest `limit` a paged list accepts.
inline constexpr int kMaxListLimit = 10000;

// One unit of work, reaching the records by aggregate (one header each). Every change made
// through it is applied atomically by commit(); a transaction destroyed without commit() is
// rolled back. Not thread-safe: one per request; the record sets it hands out live as long as
// it does.
// Errors: kNotFound for a missing row, kAlreadyExists for a unique key taken (email, production
// code, token hash), kFailedPrecondition for a stale revision, kUnavailable when the database
// is busy or gone; never SQL text in messages. kNotFound also answers a write that names a
// missing row (a user id, a production id). Every *_at field must be RFC 3339 UTC
// (domain::check_time), optional ones may be empty; else kInvalidArgument. A limit outside
// 1..kMaxListLimit is kInvalidArgument.
// When the database itself rejects a statement (a unique or foreign key, a lost connection)
// the transaction is aborted, as PostgreSQL does: later calls and commit() fail with
// kFailedPrecondition. Answers that need no failed statement (no such row, stale revision,
// invalid argument) leave it usable.
class Transaction {
 public:
  virtual ~Transaction() = default;

  virtual base::Status commit() = 0;

  virtual AccountRecords& accounts() = 0;
  virtual PolicyRecords& policy() = 0;
  virtual UseCaseRecords& use_cases() = 0;
  virtual ApprovalRecords& approvals() = 0;
  virtual AssetRecords& assets() = 0;
  virtual AttachmentRecords& attachments() = 0;
  virtual ScanJobRecords& scan_jobs() = 0;
  virtual AuditRecords& audit() = 0;
  virtual OutboxRecords& outbox() = 0;
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
  // A count that grows once a transaction begun here that wrote a user, a membership or an API
  // token's revocation has committed (or failed to), and after every raw statement: a cache of
  // who a request is (clearance::TokenCache) is stale when it moved. Changes that other
  // processes make to the same database do not move it.
  virtual uint64_t account_changes() const = 0;
};

// Whether opening may create the database. Commands that only read or check one (scan, audit
// verify, a scan worker) open with kExisting, so a mistyped or forgotten --db is an error that
// names the file, not a new empty database left behind in the working directory.
enum class OpenMode { kCreate, kExisting };

// Opens (creating if needed, with kCreate) and migrates the database named by `url`:
//   sqlite:PATH (or a bare path)      the embedded default; WAL, foreign keys on. The file's
//                                     directory must exist (kNotFound otherwise).
//   postgresql://... / postgres://...  several serve processes may share one database; libpq's
//                                     URI syntax, the database must be UTF8
// A database migrated by a newer clearcut is refused (kFailedPrecondition); an unreachable
// server is kUnavailable. With kExisting a SQLite file that does not exist is kNotFound (a
// PostgreSQL database must always exist: the server creates databases, clearcut only tables).
base::Result<std::unique_ptr<Store>> open_store(const std::string& url,
                                                OpenMode mode = OpenMode::kCreate);

}  // namespace clearcut::store
