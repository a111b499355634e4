#pragma once

#include "clearcut/store/scan_job_records.h"
#include "clearcut/store/sql/statements.h"

namespace clearcut::store::sql {

// Delivery scans and their cross-production matches, in SQL both backends speak.
class SqlScanJobRecords final : public ScanJobRecords {
 public:
  explicit SqlScanJobRecords(Statements& statements) : statements_(statements) {}

  base::Result<int64_t> create(const domain::ScanJob& job) override;
  base::Result<domain::ScanJob> get(int64_t id) override;
  base::Result<std::vector<domain::ScanJob>> list(int64_t production_id, int64_t before_id,
                                                  int limit) override;
  base::Result<std::optional<domain::ScanJob>> claim(const std::string& worker,
                                                     const std::string& now,
                                                     const std::string& stale_before) override;
  base::Status heartbeat(int64_t id, const std::string& worker, const std::string& now,
                         int files_done, int files_total) override;
  base::Status finish(const domain::ScanJobResult& result) override;
  base::Status release(int64_t id, const std::string& worker) override;
  base::Result<std::string> get_report(int64_t id, std::string_view format) override;
  base::Result<std::vector<domain::CrossProductionMatch>> list_cross_production_matches(
      int64_t production_id, int64_t before_id, int limit) override;

 private:
  Statements& statements_;
};

}  // namespace clearcut::store::sql
