#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "clearcut/audit/audit_event.h"
#include "clearcut/audit/merkle_tree.h"
#include "clearcut/audit/note_signer.h"
#include "clearcut/base/mutex.h"
#include "clearcut/base/result.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// Appends `event` to the log in `tx` (its sequence is assigned by the store), with the
// notifications it causes (notifications.h); visible once tx commits. What AuditLog::append
// does, for writers without a signing key (scan workers).
base::Result<uint64_t> append_audit_event(store::Transaction& tx, audit::AuditEvent event);

// The service side of the tamper-evident log: appends events inside the caller's transaction
// and signs C2SP checkpoints of the tree that the database holds, storing each in the database
// and appending it to the checkpoint file (checkpoint_file.h) when one is configured. Keeps the
// leaf hashes in memory and catches up from the database, so several serve processes can share
// one log; catching up compares each event's recomputed leaf hash with the stored one and
// refuses (kDataLoss, naming the entry) to sign over a difference. Thread-safe.
class AuditLog {
 public:
  // The checkpoints' origin line is the signing key's name (C2SP tlog-checkpoint).
  // `checkpoint_file`: where signed checkpoints are also appended; empty: nowhere.
  explicit AuditLog(audit::NoteSigner signer, std::string checkpoint_file = {})
      : signer_(signer),  // NoteSigner only copies
        origin_(signer_.name()),
        checkpoint_file_(std::move(checkpoint_file)) {}

  // Startup check: loads the whole log (comparing stored and recomputed leaf hashes), then
  // compares the tree with the newest checkpoint in the database and in the checkpoint file
  // that this key signed. kDataLoss naming the first bad entry when they differ or the log is
  // shorter than a checkpoint.
  base::Status open(store::Store& store);

  // Appends `event` (its sequence is assigned by the store) in `tx`; visible once tx commits.
  base::Result<uint64_t> append(store::Transaction& tx, audit::AuditEvent event);

  // Signs a checkpoint of the log as the database holds it now, stores it when the log grew
  // since the latest stored checkpoint (and appends it to the checkpoint file when that does
  // not have it yet), and returns the signed note.
  base::Result<std::string> checkpoint(store::Store& store, const std::string& now);

  // Waits until `events` appends were made through this object since the last checkpoint(),
  // `timeout` passed, or `stop` is requested. For the periodic checkpointer.
  void wait_for_appends(uint64_t events, std::chrono::milliseconds timeout,
                        const std::stop_token& stop);

  // RFC 9162 proofs over the tree of `tree_size` leaves (after catching up).
  base::Result<std::vector<audit::Hash>> inclusion_proof(store::Store& store, uint64_t index,
                                                         uint64_t tree_size);
  base::Result<std::vector<audit::Hash>> consistency_proof(store::Store& store, uint64_t old_size,
                                                           uint64_t new_size);

  const audit::NoteVerifier& verifier() const { return signer_.verifier(); }
  const std::string& origin() const { return origin_; }
  const std::string& checkpoint_file() const { return checkpoint_file_; }

 private:
  // Loads leaf hashes the database has beyond the in-memory tree.
  base::Status catch_up(store::Transaction& tx) REQUIRES(mu_);
  // Whether the checkpoint (signed by this key, of `size`) matches the tree.
  base::Status check_against_tree(const std::string& note, const std::string& where) REQUIRES(mu_);
  // Appends `note` to the checkpoint file unless it already holds one as large.
  base::Status record_in_file(uint64_t size, const std::string& note, const std::string& now)
      REQUIRES(mu_);

  audit::NoteSigner signer_;
  std::string origin_;
  std::string checkpoint_file_;
  base::Mutex mu_;
  audit::MerkleTree tree_ GUARDED_BY(mu_);
  uint64_t file_size_ GUARDED_BY(mu_) = 0;  // the largest tree size in the checkpoint file
  bool file_read_ GUARDED_BY(mu_) = false;
  base::Mutex appends_mu_;
  std::condition_variable_any appended_;
  uint64_t appends_ GUARDED_BY(appends_mu_) = 0;  // through append()
  // appends_ when the last checkpoint() began.
  uint64_t covered_appends_ GUARDED_BY(appends_mu_) = 0;
};

}  // namespace clearcut::clearance
