#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/audit/audit_event.h"
#include "clearcut/base/result.h"

namespace clearcut::store {

// A stored audit event with the leaf hash computed when it was appended.
struct AuditRecord {
  audit::AuditEvent event;
  std::string leaf_hash;  // hex
};

// A signed checkpoint of the audit log (C2SP signed note text).
struct CheckpointRecord {
  uint64_t tree_size = 0;
  std::string note;
  std::string created_at;
};

// The audit log and its checkpoints. Part of a Transaction (store.h), whose contract every call
// follows.
//
// The log is append-only, sequence numbers dense from 0. append() assigns event.sequence (the
// current size) and stores the leaf hash; readers see events in order. The sequence is taken
// under the log's lock (PostgreSQL: a transaction-scoped advisory lock; SQLite: the write lock
// every transaction holds), and the store computes the leaf hash of the event as stored
// (audit_event_leaf_hash), so `leaf_hash` may be empty. A non-empty one for the assigned
// sequence must match (else kInvalidArgument); one computed for another sequence, which a
// concurrent writer took after size(), is recomputed. An event that cannot be encoded is
// kInvalidArgument. size() is the committed size (on SQLite stable until commit) and takes no
// lock.
class AuditRecords {
 public:
  virtual ~AuditRecords() = default;

  virtual base::Result<uint64_t> append(const audit::AuditEvent& event,
                                        const std::string& leaf_hash) = 0;
  virtual base::Result<uint64_t> size() = 0;
  virtual base::Result<std::vector<AuditRecord>> list(uint64_t from, uint64_t limit) = 0;
  // The first event with this action about this subject (e.g. the "approval.granted" of
  // approval 7), for proofs of one event; nullopt when there is none.
  virtual base::Result<std::optional<AuditRecord>> find_first(std::string_view action,
                                                              std::string_view subject_type,
                                                              std::string_view subject_id) = 0;

  // A checkpoint larger than the log, or smaller than the latest one, is kFailedPrecondition;
  // a second one of the same size kAlreadyExists.
  virtual base::Status append_checkpoint(const CheckpointRecord& checkpoint) = 0;
  virtual base::Result<std::vector<CheckpointRecord>> list_checkpoints() = 0;
  virtual base::Result<std::optional<CheckpointRecord>> latest_checkpoint() = 0;
};

}  // namespace clearcut::store
