#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "clearcut/store/sql/account_rows.h"
#include "clearcut/store/sql/approval_rows.h"
#include "clearcut/store/sql/asset_rows.h"
#include "clearcut/store/sql/attachment_rows.h"
#include "clearcut/store/sql/audit_rows.h"
#include "clearcut/store/sql/connection_pool.h"
#include "clearcut/store/sql/outbox_rows.h"
#include "clearcut/store/sql/policy_rows.h"
#include "clearcut/store/sql/scan_job_rows.h"
#include "clearcut/store/sql/sql_connection.h"
#include "clearcut/store/sql/statements.h"
#include "clearcut/store/sql/use_case_rows.h"
#include "clearcut/store/store.h"

namespace clearcut::store::sql {

// The Transaction of every SQL backend: one record set per aggregate (the *_rows files), all
// running their statements on the one connection it holds, with the dialect's BEGIN and locks.
// Gives the connection back to the pool when committed or destroyed (rolled back).
class SqlTransaction final : public Transaction {
 public:
  // `connection` must be inside a transaction begun with dialect.begin. `account_changes` is
  // the store's count (Store::account_changes), moved by commit() when accounts() wrote.
  SqlTransaction(std::shared_ptr<ConnectionPool> pool, std::unique_ptr<SqlConnection> connection,
                 const SqlDialect& dialect, std::shared_ptr<std::atomic<uint64_t>> account_changes);
  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;
  ~SqlTransaction() override;

  base::Status commit() override;

  AccountRecords& accounts() override { return accounts_; }
  PolicyRecords& policy() override { return policy_; }
  UseCaseRecords& use_cases() override { return use_cases_; }
  ApprovalRecords& approvals() override { return approvals_; }
  AssetRecords& assets() override { return assets_; }
  AttachmentRecords& attachments() override { return attachments_; }
  ScanJobRecords& scan_jobs() override { return scan_jobs_; }
  AuditRecords& audit() override { return audit_; }
  OutboxRecords& outbox() override { return outbox_; }

 private:
  // Rolls back unless committed and gives the connection back.
  void finish();

  std::shared_ptr<ConnectionPool> pool_;
  std::shared_ptr<std::atomic<uint64_t>> account_changes_;
  Statements statements_;
  SqlAccountRecords accounts_{statements_};
  SqlPolicyRecords policy_{statements_};
  SqlUseCaseRecords use_cases_{statements_};
  SqlApprovalRecords approvals_{statements_};
  SqlAssetRecords assets_{statements_};
  SqlAttachmentRecords attachments_{statements_};
  SqlScanJobRecords scan_jobs_{statements_};
  SqlAuditRecords audit_{statements_};
  SqlOutboxRecords outbox_{statements_};
};

}  // namespace clearcut::store::sql
