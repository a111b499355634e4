#include "clearcut/audit/audit_log_verifier.h"

#include <algorithm>
#include <numeric>

#include "clearcut/audit/checkpoint.h"
#include "clearcut/audit/merkle_tree.h"

namespace clearcut::audit {
namespace {

std::string seq(uint64_t sequence) {
  return "sequence " + std::to_string(sequence);
}

// An event's leaf hash, or why it has none.
struct Leaf {
  std::optional<Hash> hash;
  std::string error;
};

// Sequence order first; checkpoint-only findings (no sequence) last.
bool finding_before(const TamperFinding& a, const TamperFinding& b) {
  if (a.first_sequence.has_value() != b.first_sequence.has_value()) {
    return a.first_sequence.has_value();
  }
  if (a.first_sequence != b.first_sequence) {
    return *a.first_sequence < *b.first_sequence;
  }
  return a.checkpoint_index.value_or(0) < b.checkpoint_index.value_or(0);
}

}  // namespace

std::string_view tamper_kind_name(TamperKind kind) {
  switch (kind) {
    case TamperKind::kEdited:
      return "edited";
    case TamperKind::kDeleted:
      return "deleted";
    case TamperKind::kReordered:
      return "reordered";
    case TamperKind::kDuplicated:
      return "duplicated";
    case TamperKind::kTruncated:
      return "truncated";
    case TamperKind::kBadCheckpoint:
      return "bad_checkpoint";
    case TamperKind::kForkedCheckpoint:
      return "forked_checkpoint";
    case TamperKind::kMissingCheckpoint:
      return "missing_checkpoint";
  }
  return "unknown";
}

base::Result<LogVerification> verify_log(std::span<const AuditEvent> events,
                                         std::span<const std::string> checkpoints,
                                         const NoteVerifier& verifier,
                                         const VerifyLogOptions& options) {
  return verify_log(events, checkpoints, std::span<const NoteVerifier>(&verifier, 1), options);
}

base::Result<LogVerification> verify_log(std::span<const AuditEvent> events,
                                         std::span<const std::string> checkpoints,
                                         std::span<const NoteVerifier> verifiers,
                                         const VerifyLogOptions& options) {
  const std::span<const Hash> stored = options.stored_leaf_hashes;
  if (!stored.empty() && stored.size() != events.size()) {
    return base::invalid_argument("stored leaf hashes: " + std::to_string(stored.size()) + " for " +
                                  std::to_string(events.size()) + " events");
  }
  if (verifiers.empty()) {
    return base::invalid_argument("no verifier key");
  }
  if (!options.checkpoint_names.empty() && options.checkpoint_names.size() != checkpoints.size()) {
    return base::invalid_argument(
        "checkpoint names: " + std::to_string(options.checkpoint_names.size()) + " for " +
        std::to_string(checkpoints.size()) + " checkpoints");
  }
  auto name = [&](size_t i) {
    return options.checkpoint_names.empty() ? "checkpoint " + std::to_string(i)
                                            : options.checkpoint_names[i];
  };
  LogVerification result;
  result.event_count = events.size();
  std::vector<TamperFinding>& findings = result.findings;

  std::vector<Leaf> leaves(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    auto hash = audit_event_leaf_hash(events[i]);
    if (hash) {
      leaves[i].hash = *hash;
    } else {
      leaves[i].error = hash.error().to_string();
    }
  }

  // Stored order against sequence order. The stable sort keeps duplicates in stored order.
  std::vector<size_t> order(events.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return events[a].sequence < events[b].sequence; });
  for (size_t pos = 0; pos < order.size(); ++pos) {
    if (order[pos] != pos) {
      uint64_t moved = events[order[pos]].sequence;
      findings.push_back({TamperKind::kReordered, moved, moved, std::nullopt,
                          seq(moved) + " is stored at position " + std::to_string(order[pos]) +
                              ", expected at " + std::to_string(pos)});
      break;
    }
  }

  // Rebuild the tree in sequence order up to the first gap, duplicate-free, stopping at an
  // event that cannot be encoded: its leaf is unknown, so later roots cannot be checked.
  MerkleTree tree;
  bool stopped_early = false;
  bool duplicate_reported = false;
  for (size_t index : order) {
    uint64_t sequence = events[index].sequence;
    if (sequence < tree.size()) {
      if (!duplicate_reported) {
        findings.push_back({TamperKind::kDuplicated, sequence, sequence, std::nullopt,
                            seq(sequence) + " appears more than once (again at position " +
                                std::to_string(index) + ")"});
        duplicate_reported = true;
      }
      continue;
    }
    if (sequence > tree.size()) {
      findings.push_back({TamperKind::kDeleted, tree.size(), sequence - 1, std::nullopt,
                          "sequence " + std::to_string(tree.size()) + " to " +
                              std::to_string(sequence - 1) + " are missing"});
      stopped_early = true;
      break;
    }
    if (!leaves[index].hash) {
      findings.push_back({TamperKind::kEdited, sequence, sequence, std::nullopt,
                          seq(sequence) + " is not a valid event: " + leaves[index].error});
      stopped_early = true;
      break;
    }
    tree.append_leaf_hash(*leaves[index].hash);
  }
  const uint64_t checkable = tree.size();

  // Open every checkpoint; compare those the rebuilt tree reaches.
  struct Signed {
    size_t index;
    Checkpoint checkpoint;
    bool matches;
  };
  std::vector<Signed> valid;
  for (size_t i = 0; i < checkpoints.size(); ++i) {
    // Each key signs under its own name unless the caller fixed the origin: a rotation may
    // also rename the log.
    auto origin_of = [&](const NoteVerifier& v) {
      return options.origin.empty() ? v.name() : options.origin;
    };
    auto opened = open_checkpoint(checkpoints[i], verifiers[0], origin_of(verifiers[0]));
    for (size_t k = 1; !opened && k < verifiers.size(); ++k) {
      if (auto other = open_checkpoint(checkpoints[i], verifiers[k], origin_of(verifiers[k]))) {
        opened = std::move(other);
      }
    }
    if (!opened) {
      findings.push_back({TamperKind::kBadCheckpoint, std::nullopt, std::nullopt, i,
                          name(i) + ": " + opened.error().message()});
      continue;
    }
    bool matches =
        opened->size <= checkable && tree.root_at(opened->size).value() == opened->root_hash;
    valid.push_back({i, std::move(opened).value(), matches});
  }
  result.valid_checkpoints = valid.size();

  uint64_t largest_match = 0;
  for (const Signed& s : valid) {
    if (s.matches) {
      largest_match = std::max(largest_match, s.checkpoint.size);
    }
  }
  result.verified_size = largest_match;

  // A mismatch at or below the largest match cannot be an edit (the events match the larger
  // signed root, which commits to every prefix): the log's key signed two different trees.
  // Above it, the smallest mismatch bounds the first edited event.
  const Signed* first_mismatch = nullptr;
  for (const Signed& s : valid) {
    if (s.matches || s.checkpoint.size > checkable) {
      continue;
    }
    if (s.checkpoint.size <= largest_match) {
      findings.push_back({TamperKind::kForkedCheckpoint, std::nullopt, std::nullopt, s.index,
                          name(s.index) + " (size " + std::to_string(s.checkpoint.size) +
                              ") contradicts the checkpoint of size " +
                              std::to_string(largest_match) + " that the events match"});
    } else if (first_mismatch == nullptr || s.checkpoint.size < first_mismatch->checkpoint.size) {
      first_mismatch = &s;
    }
  }
  std::optional<size_t> edit_finding;
  if (first_mismatch != nullptr) {
    uint64_t last = first_mismatch->checkpoint.size - 1;
    std::string where = largest_match == last
                            ? seq(last) + " was edited"
                            : "an event in sequence " + std::to_string(largest_match) + " to " +
                                  std::to_string(last) + " was edited";
    findings.push_back({TamperKind::kEdited, largest_match, last, first_mismatch->index,
                        where + ": the root of the first " +
                            std::to_string(first_mismatch->checkpoint.size) +
                            " events differs from signed " + name(first_mismatch->index)});
    edit_finding = findings.size() - 1;
  }

  // Missing events at the end (a gap or invalid event is already reported where it starts).
  if (!stopped_early) {
    const Signed* largest = nullptr;
    for (const Signed& s : valid) {
      if (largest == nullptr || s.checkpoint.size > largest->checkpoint.size) {
        largest = &s;
      }
    }
    if (largest != nullptr && largest->checkpoint.size > checkable) {
      findings.push_back(
          {TamperKind::kTruncated, checkable, largest->checkpoint.size - 1, largest->index,
           "the log ends before " + seq(checkable) + " but signed " + name(largest->index) +
               " covers " + std::to_string(largest->checkpoint.size) + " events"});
    }
  }

  // Stored leaf hashes pin an edit the editor did not carry into them.
  if (!stored.empty()) {
    std::optional<size_t> first_differing;
    for (size_t i = 0; i < events.size(); ++i) {
      if (leaves[i].hash && *leaves[i].hash != stored[i] &&
          (!first_differing || events[i].sequence < events[*first_differing].sequence)) {
        first_differing = i;
      }
    }
    if (first_differing) {
      uint64_t sequence = events[*first_differing].sequence;
      if (edit_finding && findings[*edit_finding].first_sequence <= sequence &&
          sequence <= findings[*edit_finding].last_sequence) {
        TamperFinding& edit = findings[*edit_finding];
        edit.first_sequence = sequence;
        edit.last_sequence = sequence;
        edit.message = seq(sequence) + " was edited: its leaf hash differs from the stored " +
                       "one and the root differs from signed " + name(*edit.checkpoint_index);
      } else {
        std::string why = sequence < largest_match
                              ? " (the event matches a signed checkpoint: the stored hash was "
                                "altered)"
                              : "";
        findings.push_back(
            {TamperKind::kEdited, sequence, sequence, std::nullopt,
             seq(sequence) + " was edited: its leaf hash differs from the " + "stored one" + why});
      }
    }
  }

  // Copies kept outside the database that it no longer holds: deleted checkpoint rows.
  if (options.database_checkpoints < checkpoints.size()) {
    for (const Signed& s : valid) {
      if (s.index < options.database_checkpoints) {
        continue;
      }
      bool in_database = std::any_of(valid.begin(), valid.end(), [&](const Signed& d) {
        return d.index < options.database_checkpoints && d.checkpoint == s.checkpoint;
      });
      if (!in_database) {
        findings.push_back({TamperKind::kMissingCheckpoint, std::nullopt, std::nullopt, s.index,
                            name(s.index) + " (size " + std::to_string(s.checkpoint.size) +
                                ") is not among the database's checkpoints: deleted from it"});
      }
    }
  }

  std::stable_sort(findings.begin(), findings.end(), finding_before);
  return result;
}

}  // namespace clearcut::audit
