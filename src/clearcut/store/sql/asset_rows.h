#pragma once

#include "clearcut/store/asset_records.h"
#include "clearcut/store/sql/statements.h"

namespace clearcut::store::sql {

// Registered AI outputs, in SQL both backends speak.
class SqlAssetRecords final : public AssetRecords {
 public:
  explicit SqlAssetRecords(Statements& statements) : statements_(statements) {}

  base::Result<int64_t> create(const domain::Asset& asset) override;
  base::Result<domain::Asset> get(int64_t id) override;
  base::Result<std::vector<domain::Asset>> list(int64_t production_id, int64_t after_id,
                                                int limit) override;
  base::Result<std::vector<domain::Asset>> list_of_use_case(int64_t use_case_id) override;
  base::Result<std::vector<domain::Asset>> list_registered(int64_t after_id, int limit) override;
  base::Result<std::vector<AssetStatusOf>> list_statuses(int64_t after_id, int limit) override;
  base::Result<std::vector<std::pair<int64_t, std::string>>> thumbnails(
      const std::vector<int64_t>& ids) override;
  base::Result<std::vector<AssetStatusCount>> count_by_status(
      const std::vector<int64_t>& production_ids) override;
  base::Status set_status(int64_t id, domain::AssetStatus status) override;

 private:
  Statements& statements_;
};

}  // namespace clearcut::store::sql
