#pragma once

#include "clearcut/store/audit_records.h"
#include "clearcut/store/sql/statements.h"

namespace clearcut::store::sql {

// The audit log and its checkpoints, in SQL both backends speak.
class SqlAuditRecords final : public AuditRecords {
 public:
  explicit SqlAuditRecords(Statements& statements) : statements_(statements) {}

  base::Result<uint64_t> append(const audit::AuditEvent& event,
                                const std::string& leaf_hash) override;
  base::Result<uint64_t> size() override;
  base::Result<std::vector<AuditRecord>> list(uint64_t from, uint64_t limit) override;
  base::Result<std::optional<AuditRecord>> find_first(std::string_view action,
                                                      std::string_view subject_type,
                                                      std::string_view subject_id) override;
  base::Status append_checkpoint(const CheckpointRecord& checkpoint) override;
  base::Result<std::vector<CheckpointRecord>> list_checkpoints() override;
  base::Result<std::optional<CheckpointRecord>> latest_checkpoint() override;

 private:
  Statements& statements_;
};

}  // namespace clearcut::store::sql
