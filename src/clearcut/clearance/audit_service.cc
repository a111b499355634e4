#include "clearcut/clearance/audit_service.h"

namespace clearcut::clearance {

base::Result<std::string> AuditService::checkpoint() {
  return log_.checkpoint(store_, format_rfc3339(clock_.now()));
}

base::Result<std::vector<audit::Hash>> AuditService::inclusion_proof(uint64_t index,
                                                                     uint64_t tree_size) {
  return log_.inclusion_proof(store_, index, tree_size);
}

base::Result<std::vector<audit::Hash>> AuditService::consistency_proof(uint64_t old_size,
                                                                       uint64_t new_size) {
  return log_.consistency_proof(store_, old_size, new_size);
}

base::Status AuditService::may_read_events(const Actor& actor) {
  if (!actor.admin()) {
    return base::Error(base::ErrorCode::kPermissionDenied, "only an admin reads the audit log");
  }
  return {};
}

base::Result<AuditService::EventPage> AuditService::list_events(const Actor& actor, uint64_t from,
                                                                uint64_t limit) {
  CC_TRY(may_read_events(actor));
  auto tx = CC_TRY(store_.begin());
  EventPage page;
  page.records = CC_TRY(tx->audit().list(from, limit));
  page.size = CC_TRY(tx->audit().size());
  return page;
}

}  // namespace clearcut::clearance
