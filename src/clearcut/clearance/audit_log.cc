#include "clearcut/clearance/audit_log.h"

#include "clearcut/audit/checkpoint.h"
#include "clearcut/base/hex.h"

namespace clearcut::clearance {

base::Result<uint64_t> AuditLog::append(store::Transaction& tx, audit::AuditEvent event) {
  return append_audit_event(tx, std::move(event));
}

base::Result<uint64_t> append_audit_event(store::Transaction& tx, audit::AuditEvent event) {
  // The store assigns the sequence; the leaf covers it, so hash with the number it will get.
  event.sequence = CC_TRY(tx.audit_size());
  audit::Hash leaf = CC_TRY(audit::audit_event_leaf_hash(event));
  return tx.append_audit_event(event, base::to_hex(leaf));
}

base::Status AuditLog::catch_up(store::Transaction& tx) {
  uint64_t size = CC_TRY(tx.audit_size());
  while (tree_.size() < size) {
    auto records = CC_TRY(tx.list_audit_events(tree_.size(), 10000));
    if (records.empty()) {
      return base::internal_error("audit log shorter than its size");
    }
    for (const store::AuditRecord& record : records) {
      // Recompute rather than trust the stored hash: a checkpoint must never sign an edit.
      audit::Hash leaf = CC_TRY(audit::audit_event_leaf_hash(record.event));
      tree_.append_leaf_hash(leaf);
    }
  }
  return {};
}

base::Result<std::string> AuditLog::checkpoint(store::Store& store, const std::string& now) {
  auto tx = CC_TRY(store.begin());
  std::lock_guard lock(mu_);
  CC_TRY(catch_up(*tx));
  uint64_t size = tree_.size();
  audit::Hash root = CC_TRY(tree_.root_at(size));
  std::optional<store::CheckpointRecord> latest = CC_TRY(tx->latest_checkpoint());
  if (latest && latest->tree_size >= size) {
    return latest->note;
  }
  audit::Checkpoint checkpoint;
  checkpoint.origin = origin_;
  checkpoint.size = size;
  checkpoint.root_hash = root;
  std::string note = CC_TRY(audit::sign_checkpoint(checkpoint, signer_));
  CC_TRY(tx->append_checkpoint({size, note, now}));
  CC_TRY(tx->commit());
  return note;
}

base::Result<std::vector<audit::Hash>> AuditLog::inclusion_proof(store::Store& store,
                                                                 uint64_t index,
                                                                 uint64_t tree_size) {
  auto tx = CC_TRY(store.begin());
  std::lock_guard lock(mu_);
  CC_TRY(catch_up(*tx));
  return tree_.inclusion_proof(index, tree_size);
}

base::Result<std::vector<audit::Hash>> AuditLog::consistency_proof(store::Store& store,
                                                                   uint64_t old_size,
                                                                   uint64_t new_size) {
  auto tx = CC_TRY(store.begin());
  std::lock_guard lock(mu_);
  CC_TRY(catch_up(*tx));
  return tree_.consistency_proof(old_size, new_size);
}

}  // namespace clearcut::clearance
