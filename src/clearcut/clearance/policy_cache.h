#pragma once

#include <chrono>
#include <memory>

#include "clearcut/base/mutex.h"
#include "clearcut/base/result.h"
#include "clearcut/domain/tool_registry.h"
#include "clearcut/policy/engine.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// The active policy pack (compiled) and the tool registry, as the database holds them, cached
// for a short time so that stateless assessment does not read the database per request.
// Several serve processes see an activation within `max_age`. Thread-safe.
class PolicyCache {
 public:
  struct Snapshot {
    std::shared_ptr<const policy::Engine> engine;
    std::shared_ptr<const domain::ToolRegistry> registry;
    int64_t pack_id = 0;
  };

  PolicyCache(store::Store& store, std::chrono::milliseconds max_age)
      : store_(store), max_age_(max_age) {}

  // The current snapshot, refreshed from the database when older than max_age.
  base::Result<Snapshot> get();
  // Reads the database now (after an activation or a registry change in this process).
  base::Result<Snapshot> refresh();
  // Builds a snapshot from explicit parts, inside a transaction the caller holds.
  static base::Result<Snapshot> load(store::Transaction& tx);

 private:
  store::Store& store_;
  std::chrono::milliseconds max_age_;
  base::Mutex mu_;
  Snapshot snapshot_ GUARDED_BY(mu_);
  std::chrono::steady_clock::time_point loaded_at_ GUARDED_BY(mu_);
  bool loaded_ GUARDED_BY(mu_) = false;
};

}  // namespace clearcut::clearance
