#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/audit/audit_event.h"
#include "clearcut/audit/merkle_hash.h"
#include "clearcut/audit/note_verifier.h"
#include "clearcut/base/result.h"

namespace clearcut::audit {

// How a log differs from what its signed checkpoints commit to.
enum class TamperKind {
  kEdited,             // an event's content (or its stored leaf hash) changed, or is invalid
  kDeleted,            // sequence numbers are missing before later ones
  kReordered,          // events are stored out of sequence order
  kDuplicated,         // a sequence number appears twice
  kTruncated,          // a signed checkpoint covers more events than the log holds
  kBadCheckpoint,      // a checkpoint is malformed, for another log, or not validly signed
  kForkedCheckpoint,   // a validly signed checkpoint contradicts a larger one the events match
  kMissingCheckpoint,  // a checkpoint kept outside the database is no longer in it
};

std::string_view tamper_kind_name(TamperKind kind);

struct TamperFinding {
  TamperKind kind = TamperKind::kEdited;
  // The first bad entry by sequence number; nullopt for findings about a checkpoint alone.
  std::optional<uint64_t> first_sequence;
  // The last sequence the damage may start at, when only a range is known: an edit found by
  // checkpoint roots lies between the largest matching and the smallest mismatching checkpoint
  // (exact when checkpoints are dense or stored leaf hashes pin it). For deletions and
  // truncations, the last missing sequence.
  std::optional<uint64_t> last_sequence;
  std::optional<size_t> checkpoint_index;  // the checkpoint that revealed it, if one did
  std::string message;
};

// The outcome of verify_log: a tampered log is a finding, not an error.
struct LogVerification {
  uint64_t event_count = 0;
  // Events [0, verified_size) match the largest signed checkpoint they were checked against;
  // later events are not yet covered by any checkpoint.
  uint64_t verified_size = 0;
  size_t valid_checkpoints = 0;
  std::vector<TamperFinding> findings;  // earliest sequence first; checkpoint-only ones last

  bool ok() const { return findings.empty(); }
  // The first bad entry by sequence number (the first finding), or nullptr when ok().
  const TamperFinding* first() const { return findings.empty() ? nullptr : &findings.front(); }
};

struct VerifyLogOptions {
  // The log's origin line; empty means the verifier key's name (tlog-checkpoint: a log's key
  // name should be its origin).
  std::string origin;
  // Leaf hashes the store kept beside each event, parallel to `events` (or empty). They pin an
  // edit to the exact event when the editor did not also rewrite them.
  std::span<const Hash> stored_leaf_hashes;
  // How messages name each checkpoint, parallel to `checkpoints` (or empty: "checkpoint i").
  std::span<const std::string> checkpoint_names;
  // The first `database_checkpoints` checkpoints are the database's, the rest copies kept
  // elsewhere (the checkpoint file, witnesses); every validly signed copy must also be in the
  // database, else kMissingCheckpoint. SIZE_MAX: all are the database's.
  size_t database_checkpoints = SIZE_MAX;
};

// Recomputes the Merkle tree from `events` (the log as stored, in stored order) and checks it
// against every signed checkpoint (C2SP signed notes, verified with `verifier`). Classifies:
// a stored order that differs from sequence order is kReordered; a sequence number seen twice
// kDuplicated; a gap kDeleted; an event that fails to encode, or whose prefix root differs from
// a signed checkpoint's, kEdited; events missing at the end of the largest checkpoint
// kTruncated. The tree is rebuilt in sequence order, so a pure reordering is reported as such
// and does not also show up as an edit. Renumbering events to hide a deletion or reordering
// changes their leaves and is caught as an edit. O(n log n) for n events.
// Fails (kInvalidArgument) only when stored_leaf_hashes is neither empty nor one per event.
base::Result<LogVerification> verify_log(std::span<const AuditEvent> events,
                                         std::span<const std::string> checkpoints,
                                         const NoteVerifier& verifier,
                                         const VerifyLogOptions& options = {});

// The same with several verifier keys (a log whose key was rotated): a checkpoint is valid
// when one of them signed it, under that key's name as origin unless options.origin is set. Fails
// (kInvalidArgument) also when `verifiers` is empty.
base::Result<LogVerification> verify_log(std::span<const AuditEvent> events,
                                         std::span<const std::string> checkpoints,
                                         std::span<const NoteVerifier> verifiers,
                                         const VerifyLogOptions& options = {});

}  // namespace clearcut::audit
