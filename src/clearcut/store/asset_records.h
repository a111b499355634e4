#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/asset.h"

namespace clearcut::store {

// How many outputs of a production have a status.
struct AssetStatusCount {
  int64_t production_id = 0;
  domain::AssetStatus status = domain::AssetStatus::kProvisional;
  int64_t count = 0;
};

// One output's status.
struct AssetStatusOf {
  int64_t id = 0;
  domain::AssetStatus status = domain::AssetStatus::kProvisional;
};

// Registered AI outputs (what `clearcut stamp` wrote and `clearcut scan` looks for). Part of
// a Transaction (store.h), whose contract every call follows.
class AssetRecords {
 public:
  virtual ~AssetRecords() = default;

  virtual base::Result<int64_t> create(const domain::Asset& asset) = 0;
  virtual base::Result<domain::Asset> get(int64_t id) = 0;
  // Ids above `after_id`, in order.
  virtual base::Result<std::vector<domain::Asset>> list(int64_t production_id, int64_t after_id,
                                                        int limit) = 0;
  virtual base::Result<std::vector<domain::Asset>> list_of_use_case(int64_t use_case_id) = 0;
  // What a scan matches against: every production's outputs with ids above `after_id`, in
  // order, without their thumbnails (Asset::thumbnail empty; thumbnails() reads those of the
  // outputs a scan found). Outputs are never changed but for their status, so a scan worker
  // keeps what it read and asks only for ids above the last one (scan/registry.h).
  virtual base::Result<std::vector<domain::Asset>> list_registered(int64_t after_id, int limit) = 0;
  // The status of every output with an id above `after_id`, in id order.
  virtual base::Result<std::vector<AssetStatusOf>> list_statuses(int64_t after_id, int limit) = 0;
  // The thumbnails of those of `ids` (at most kMaxListLimit) that have one, with their ids, in
  // id order.
  virtual base::Result<std::vector<std::pair<int64_t, std::string>>> thumbnails(
      const std::vector<int64_t>& ids) = 0;
  // Counts by production and status, in one query (dashboards): only statuses with outputs.
  // Empty `production_ids`: every production.
  virtual base::Result<std::vector<AssetStatusCount>> count_by_status(
      const std::vector<int64_t>& production_ids) = 0;
  virtual base::Status set_status(int64_t id, domain::AssetStatus status) = 0;
};

}  // namespace clearcut::store
