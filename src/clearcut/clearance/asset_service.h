#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/clearance/actor.h"
#include "clearcut/clearance/audit_log.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/domain/asset.h"
#include "clearcut/match/code.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// Registered AI outputs (POLICY.md §5): a partner registers what `clearcut stamp` produced,
// provisional until legal clears it under a written approval whose scope covers final use.
// Every change goes to the audit log. Thread-safe. Errors as ClearanceService's.
class AssetService {
 public:
  AssetService(store::Store& store, AuditLog& audit, const Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  // Registers `asset` (status provisional) against its use case, which must belong to the
  // asset's production and be neither withdrawn nor rejected.
  base::Result<domain::Asset> register_asset(const Actor& actor, domain::Asset asset);
  base::Result<domain::Asset> get_asset(const Actor& actor, int64_t id);
  base::Result<std::vector<domain::Asset>> list_assets(const Actor& actor, int64_t production_id,
                                                       int64_t after_id, int limit);
  // The registered outputs, of the productions `actor` may see, that match any of: the SHA-256
  // (hex), the watermark payload (0: none), or a PDQ hash (hex, empty: none) within `radius`
  // bits of the asset's own hash or of one of its frame hashes. What `clearcut inspect
  // --server` asks; at most 100, exact SHA-256 matches first.
  struct Lookup {
    std::string sha256;
    uint64_t watermark_payload = 0;
    std::string pdq;
    int radius = match::kPdqRadius;
  };
  base::Result<std::vector<domain::Asset>> lookup(const Actor& actor, const Lookup& query);
  // Legal moves an asset to cleared (only under a current approval of its use case whose scope
  // has final_use: true and, when the scope lists outputs, names this asset) or to rejected.
  base::Result<domain::Asset> set_status(const Actor& actor, int64_t id, domain::AssetStatus status,
                                         const std::string& note);

 private:
  std::string now() const { return format_rfc3339(clock_.now()); }

  store::Store& store_;
  AuditLog& audit_;
  const Clock& clock_;
};

// Whether `approval` clears `asset` for final use at time `now`: granted, not outdated, not
// expired, and its scope clears the asset (ApprovalScope::clears_output).
bool approval_clears(const domain::Approval& approval, const domain::Asset& asset,
                     std::chrono::system_clock::time_point now);

}  // namespace clearcut::clearance
