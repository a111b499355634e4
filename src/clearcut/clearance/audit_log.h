#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "clearcut/audit/audit_event.h"
#include "clearcut/audit/merkle_tree.h"
#include "clearcut/audit/note_signer.h"
#include "clearcut/base/result.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// Appends `event` to the log in `tx` (its sequence is assigned by the store); visible once tx
// commits. What AuditLog::append does, for writers without a signing key (scan workers).
base::Result<uint64_t> append_audit_event(store::Transaction& tx, audit::AuditEvent event);

// The service side of the tamper-evident log: appends events inside the caller's transaction
// and signs C2SP checkpoints of the tree that the database holds. Keeps the leaf hashes in
// memory and catches up from the database, so several serve processes can share one log.
// Thread-safe.
class AuditLog {
 public:
  // The checkpoints' origin line is the signing key's name (C2SP tlog-checkpoint).
  explicit AuditLog(audit::NoteSigner signer)
      : signer_(std::move(signer)), origin_(signer_.name()) {}

  // Appends `event` (its sequence is assigned by the store) in `tx`; visible once tx commits.
  base::Result<uint64_t> append(store::Transaction& tx, audit::AuditEvent event);

  // Signs a checkpoint of the log as the database holds it now, stores it when the log grew
  // since the latest stored checkpoint, and returns the signed note.
  base::Result<std::string> checkpoint(store::Store& store, const std::string& now);

  // RFC 9162 proofs over the tree of `tree_size` leaves (after catching up).
  base::Result<std::vector<audit::Hash>> inclusion_proof(store::Store& store, uint64_t index,
                                                         uint64_t tree_size);
  base::Result<std::vector<audit::Hash>> consistency_proof(store::Store& store, uint64_t old_size,
                                                           uint64_t new_size);

  const audit::NoteVerifier& verifier() const { return signer_.verifier(); }
  const std::string& origin() const { return origin_; }

 private:
  // Loads leaf hashes the database has beyond the in-memory tree. Requires mu_.
  base::Status catch_up(store::Transaction& tx);

  audit::NoteSigner signer_;
  std::string origin_;
  std::mutex mu_;
  audit::MerkleTree tree_;  // guarded by mu_
};

}  // namespace clearcut::clearance
