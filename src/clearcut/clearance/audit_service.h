#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clearcut/audit/merkle_tree.h"
#include "clearcut/base/result.h"
#include "clearcut/clearance/actor.h"
#include "clearcut/clearance/audit_log.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// Reading the tamper-evident log: signed checkpoints of what is committed, RFC 9162 proofs over
// it, and its events page by page (admins only). Writes go through AuditLog::append inside the
// writer's own transaction. Thread-safe.
class AuditService {
 public:
  AuditService(store::Store& store, AuditLog& log, const Clock& clock)
      : store_(store), log_(log), clock_(clock) {}

  // Signs a checkpoint covering everything committed so far.
  base::Result<std::string> checkpoint();
  // RFC 9162 proofs over the audit log (sizes as in signed checkpoints).
  base::Result<std::vector<audit::Hash>> inclusion_proof(uint64_t index, uint64_t tree_size);
  base::Result<std::vector<audit::Hash>> consistency_proof(uint64_t old_size, uint64_t new_size);

  // kPermissionDenied unless `actor` may read the events: only admins do.
  static base::Status may_read_events(const Actor& actor);

  struct EventPage {
    std::vector<store::AuditRecord> records;  // sequence `from` on, at most `limit`
    uint64_t size = 0;                        // events in the log, read with the page
  };
  // Events from sequence `from`, at most `limit`. kPermissionDenied as may_read_events.
  base::Result<EventPage> list_events(const Actor& actor, uint64_t from, uint64_t limit);

 private:
  store::Store& store_;
  AuditLog& log_;
  const Clock& clock_;
};

}  // namespace clearcut::clearance
