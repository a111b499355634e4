#pragma once

#include <cstdint>

#include "clearcut/base/result.h"
#include "clearcut/clearance/actor.h"
#include "clearcut/clearance/audit_service.h"
#include "clearcut/clearance/clearance_service.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/exports/title_exports.h"
#include "clearcut/store/store.h"

namespace clearcut::exports {

// Builds a title's exports from the store (title_exports.h). Reading them changes nothing but
// the audit log's checkpoints (a certificate is proven against a checkpoint signed when it is
// read, as GET /approvals/{id}/certificate does). Thread-safe.
// Errors: kNotFound for a production the actor may not see (a non-member: nothing is told),
// kPermissionDenied for a member whose role may not read the export, kDataLoss for a stored
// scan report that is not the JSON a scan worker writes; the store's errors otherwise.
class ExportService {
 public:
  ExportService(store::Store& store, clearance::ClearanceService& clearance,
                clearance::AuditService& audit, const clearance::Clock& clock)
      : store_(store), clearance_(clearance), audit_(audit), clock_(clock) {}

  // The production's members (any role) and admins.
  base::Result<DisclosureReport> disclosure(const clearance::Actor& actor, int64_t production_id);
  // The production's contacts and legal, and admins; its partners get kPermissionDenied.
  base::Result<Dossier> dossier(const clearance::Actor& actor, int64_t production_id);

 private:
  store::Store& store_;
  clearance::ClearanceService& clearance_;
  clearance::AuditService& audit_;
  const clearance::Clock& clock_;
};

}  // namespace clearcut::exports
