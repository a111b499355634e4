#include "clearcut/clearance/policy_cache.h"

namespace clearcut::clearance {

base::Result<PolicyCache::Snapshot> PolicyCache::load(store::Transaction& tx) {
  std::optional<store::PolicyPackRecord> record = CC_TRY(tx.policy().active_policy_pack());
  if (!record) {
    return base::Error(base::ErrorCode::kFailedPrecondition, "no policy pack is active");
  }
  policy::PolicyPack pack = CC_TRY(policy::PolicyPack::parse(record->text, record->name));
  Snapshot snapshot;
  snapshot.engine =
      std::make_shared<const policy::Engine>(std::make_shared<const policy::PolicyPack>(pack));
  snapshot.registry =
      std::make_shared<const domain::ToolRegistry>(CC_TRY(tx.policy().list_tools()));
  snapshot.pack_id = record->id;
  return snapshot;
}

base::Result<PolicyCache::Snapshot> PolicyCache::refresh() {
  auto tx = CC_TRY(store_.begin());
  Snapshot snapshot = CC_TRY(load(*tx));
  base::MutexLock lock(mu_);
  snapshot_ = snapshot;
  loaded_at_ = std::chrono::steady_clock::now();
  loaded_ = true;
  return snapshot;
}

base::Result<PolicyCache::Snapshot> PolicyCache::get() {
  {
    base::MutexLock lock(mu_);
    if (loaded_ && std::chrono::steady_clock::now() - loaded_at_ < max_age_) {
      return snapshot_;
    }
  }
  return refresh();
}

}  // namespace clearcut::clearance
