#pragma once

#include <cstdint>
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
  // Counts by production and status, in one query (dashboards): only statuses with outputs.
  // Empty `production_ids`: every production.
  virtual base::Result<std::vector<AssetStatusCount>> count_by_status(
      const std::vector<int64_t>& production_ids) = 0;
  virtual base::Status set_status(int64_t id, domain::AssetStatus status) = 0;
};

}  // namespace clearcut::store
