#include "clearcut/audit/audit_log_verifier.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/audit/checkpoint.h"
#include "clearcut/audit/merkle_tree.h"
#include "clearcut/audit/note_signer.h"

namespace clearcut::audit {
namespace {

constexpr std::string_view kOrigin = "clearcut.example/audit";

class AuditLogVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    signer_ = NoteSigner::generate(kOrigin).value();
    for (uint64_t i = 0; i < 20; ++i) {
      AuditEvent event;
      event.sequence = i;
      event.time = "2026-11-22T10:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "Z";
      event.actor = i % 2 == 0 ? "user:vendor@vfx.example" : "user:legal@studio.example";
      event.action = i % 2 == 0 ? "use_case.declare" : "approval.grant";
      event.subject_type = "use_case";
      event.subject_id = "uc_" + std::to_string(i / 2);
      event.payload_json = R"({"step":)" + std::to_string(i) + "}";
      events_.push_back(event);
    }
  }

  // Checkpoints over the untampered log at the given sizes, signed by the log's key.
  std::vector<std::string> checkpoints(const std::vector<uint64_t>& sizes) const {
    return checkpoints_of(events_, sizes, *signer_);
  }

  static std::vector<std::string> checkpoints_of(const std::vector<AuditEvent>& events,
                                                 const std::vector<uint64_t>& sizes,
                                                 const NoteSigner& signer) {
    MerkleTree tree;
    for (const AuditEvent& event : events) {
      tree.append_leaf_hash(audit_event_leaf_hash(event).value());
    }
    std::vector<std::string> out;
    for (uint64_t size : sizes) {
      Checkpoint checkpoint{signer.name(), size, tree.root_at(size).value(), {}};
      out.push_back(sign_checkpoint(checkpoint, signer).value());
    }
    return out;
  }

  std::vector<std::string> every_size() const {
    std::vector<uint64_t> sizes;
    for (uint64_t n = 1; n <= events_.size(); ++n) {
      sizes.push_back(n);
    }
    return checkpoints(sizes);
  }

  std::vector<Hash> leaf_hashes() const {
    std::vector<Hash> out;
    for (const AuditEvent& event : events_) {
      out.push_back(audit_event_leaf_hash(event).value());
    }
    return out;
  }

  LogVerification verify(const std::vector<AuditEvent>& events,
                         const std::vector<std::string>& notes,
                         const VerifyLogOptions& options = {}) const {
    return verify_log(events, notes, signer_->verifier(), options).value();
  }

  std::optional<NoteSigner> signer_;
  std::vector<AuditEvent> events_;
};

void expect_first(const LogVerification& result, TamperKind kind, uint64_t first, uint64_t last) {
  ASSERT_FALSE(result.ok());
  const TamperFinding& finding = *result.first();
  EXPECT_EQ(tamper_kind_name(finding.kind), tamper_kind_name(kind)) << finding.message;
  EXPECT_EQ(finding.first_sequence, first) << finding.message;
  EXPECT_EQ(finding.last_sequence, last) << finding.message;
}

TEST_F(AuditLogVerifierTest, UntamperedLogVerifies) {
  LogVerification dense = verify(events_, every_size());
  EXPECT_TRUE(dense.ok()) << dense.first()->message;
  EXPECT_EQ(dense.event_count, 20u);
  EXPECT_EQ(dense.verified_size, 20u);
  EXPECT_EQ(dense.valid_checkpoints, 20u);

  LogVerification sparse = verify(events_, checkpoints({5, 10, 15}));
  EXPECT_TRUE(sparse.ok());
  EXPECT_EQ(sparse.verified_size, 15u);  // the last five are not yet checkpointed

  VerifyLogOptions options;
  std::vector<Hash> stored = leaf_hashes();
  options.stored_leaf_hashes = stored;
  EXPECT_TRUE(verify(events_, checkpoints({0, 20}), options).ok());
  EXPECT_TRUE(verify(events_, {}).ok());
  EXPECT_TRUE(verify({}, checkpoints({0})).ok());
}

TEST_F(AuditLogVerifierTest, EditIsNamedExactlyWithDenseCheckpoints) {
  std::vector<AuditEvent> edited = events_;
  edited[5].actor = "user:someone-else";
  LogVerification result = verify(edited, every_size());
  expect_first(result, TamperKind::kEdited, 5, 5);
  EXPECT_EQ(result.first()->checkpoint_index, 5u);  // the checkpoint of size 6
  EXPECT_EQ(result.verified_size, 5u);
}

TEST_F(AuditLogVerifierTest, EditIsBoundedBySparseCheckpointsAndPinnedByStoredHashes) {
  std::vector<AuditEvent> edited = events_;
  edited[5].payload_json = R"({"step":5,"approved":true})";
  std::vector<std::string> notes = checkpoints({4, 8, 12, 16, 20});
  expect_first(verify(edited, notes), TamperKind::kEdited, 4, 7);

  // The store's per-event leaf hashes were left alone: the edit is pinned to sequence 5.
  std::vector<Hash> stored = leaf_hashes();
  VerifyLogOptions options;
  options.stored_leaf_hashes = stored;
  LogVerification pinned = verify(edited, notes, options);
  expect_first(pinned, TamperKind::kEdited, 5, 5);
  EXPECT_EQ(pinned.findings.size(), 1u);

  // The editor rewrote the stored hash too: only the checkpoint range remains.
  stored[5] = audit_event_leaf_hash(edited[5]).value();
  expect_first(verify(edited, notes, options), TamperKind::kEdited, 4, 7);
}

TEST_F(AuditLogVerifierTest, DeletionIsNamed) {
  std::vector<AuditEvent> deleted = events_;
  deleted.erase(deleted.begin() + 5);
  expect_first(verify(deleted, every_size()), TamperKind::kDeleted, 5, 5);

  std::vector<AuditEvent> three_gone = events_;
  three_gone.erase(three_gone.begin() + 5, three_gone.begin() + 8);
  expect_first(verify(three_gone, checkpoints({20})), TamperKind::kDeleted, 5, 7);

  // Even with no checkpoint at all, a gap in the sequence numbers shows.
  expect_first(verify(deleted, {}), TamperKind::kDeleted, 5, 5);
}

TEST_F(AuditLogVerifierTest, ReorderIsNamedAndNotMistakenForAnEdit) {
  std::vector<AuditEvent> swapped = events_;
  std::swap(swapped[5], swapped[6]);
  LogVerification result = verify(swapped, every_size());
  expect_first(result, TamperKind::kReordered, 5, 5);
  EXPECT_EQ(result.findings.size(), 1u) << result.findings.back().message;
  EXPECT_EQ(result.verified_size, 20u);  // the content itself is intact

  std::vector<AuditEvent> moved = events_;
  AuditEvent third = moved[3];
  moved.erase(moved.begin() + 3);
  moved.push_back(third);
  expect_first(verify(moved, every_size()), TamperKind::kReordered, 3, 3);
}

TEST_F(AuditLogVerifierTest, TruncationIsNamed) {
  std::vector<AuditEvent> truncated(events_.begin(), events_.begin() + 17);
  LogVerification result = verify(truncated, every_size());
  expect_first(result, TamperKind::kTruncated, 17, 19);
  EXPECT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.verified_size, 17u);
  EXPECT_EQ(result.first()->checkpoint_index, 19u);

  expect_first(verify({}, checkpoints({3})), TamperKind::kTruncated, 0, 2);
}

TEST_F(AuditLogVerifierTest, TheFourTamperKindsAreDistinguishable) {
  std::vector<std::string> notes = every_size();
  std::vector<AuditEvent> edited = events_;
  edited[9].time = "2026-11-22T09:00:09Z";
  std::vector<AuditEvent> deleted = events_;
  deleted.erase(deleted.begin() + 9);
  std::vector<AuditEvent> reordered = events_;
  std::swap(reordered[9], reordered[12]);
  std::vector<AuditEvent> truncated(events_.begin(), events_.begin() + 9);
  const std::pair<const std::vector<AuditEvent>*, TamperKind> cases[] = {
      {&edited, TamperKind::kEdited},
      {&deleted, TamperKind::kDeleted},
      {&reordered, TamperKind::kReordered},
      {&truncated, TamperKind::kTruncated},
  };
  for (const auto& [events, kind] : cases) {
    LogVerification result = verify(*events, notes);
    ASSERT_FALSE(result.ok()) << tamper_kind_name(kind);
    EXPECT_EQ(result.first()->kind, kind) << result.first()->message;
    EXPECT_EQ(result.first()->first_sequence, 9u) << result.first()->message;
  }
}

TEST_F(AuditLogVerifierTest, RenumberingToHideTamperingIsAnEdit) {
  // Delete sequence 5 and renumber the rest so the sequence numbers look contiguous.
  std::vector<AuditEvent> renumbered = events_;
  renumbered.erase(renumbered.begin() + 5);
  for (size_t i = 5; i < renumbered.size(); ++i) {
    renumbered[i].sequence = i;
  }
  expect_first(verify(renumbered, every_size()), TamperKind::kEdited, 5, 5);

  // Swap two events and swap their sequence numbers back.
  std::vector<AuditEvent> relabelled = events_;
  std::swap(relabelled[5], relabelled[6]);
  relabelled[5].sequence = 5;
  relabelled[6].sequence = 6;
  expect_first(verify(relabelled, every_size()), TamperKind::kEdited, 5, 5);
}

TEST_F(AuditLogVerifierTest, DuplicateAndInvalidEvents) {
  std::vector<AuditEvent> duplicated = events_;
  duplicated.insert(duplicated.begin() + 6, events_[5]);
  expect_first(verify(duplicated, every_size()), TamperKind::kDuplicated, 5, 5);

  std::vector<AuditEvent> invalid = events_;
  invalid[5].payload_json = "{not json";
  LogVerification result = verify(invalid, every_size());
  expect_first(result, TamperKind::kEdited, 5, 5);
  EXPECT_NE(result.first()->message.find("payload"), std::string::npos) << result.first()->message;
}

TEST_F(AuditLogVerifierTest, BadAndForkedCheckpoints) {
  std::vector<std::string> notes = checkpoints({10, 20});
  NoteSigner impostor = NoteSigner::generate(kOrigin).value();  // same name, another key
  std::vector<AuditEvent> rewritten = events_;
  rewritten[2].action = "approval.refuse";
  notes.push_back(checkpoints_of(rewritten, {20}, impostor)[0]);
  notes.push_back("not a note");
  NoteSigner other_log = NoteSigner::generate("other.example/log").value();
  notes.push_back(checkpoints_of(events_, {20}, other_log)[0]);
  std::string altered = notes[0];
  altered.replace(altered.find("\n10\n"), 4, "\n11\n");
  notes.push_back(altered);

  LogVerification result = verify(events_, notes);
  EXPECT_EQ(result.valid_checkpoints, 2u);
  EXPECT_EQ(result.verified_size, 20u);
  ASSERT_EQ(result.findings.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(result.findings[i].kind, TamperKind::kBadCheckpoint);
    EXPECT_EQ(result.findings[i].checkpoint_index, i + 2);
    EXPECT_FALSE(result.findings[i].first_sequence.has_value());
  }

  // The log's own key signed a root for size 3 that the later signed roots contradict.
  std::vector<std::string> forked = checkpoints({10, 20});
  forked.push_back(checkpoints_of(rewritten, {3}, *signer_)[0]);
  LogVerification fork = verify(events_, forked);
  ASSERT_EQ(fork.findings.size(), 1u);
  EXPECT_EQ(fork.findings[0].kind, TamperKind::kForkedCheckpoint);
  EXPECT_EQ(fork.findings[0].checkpoint_index, 2u);
  EXPECT_EQ(fork.verified_size, 20u);
}

TEST_F(AuditLogVerifierTest, ReportsTheEarliestOfSeveralFindings) {
  std::vector<AuditEvent> events = events_;
  events[2].actor = "user:mallory";
  events.resize(15);
  LogVerification result = verify(events, every_size());
  expect_first(result, TamperKind::kEdited, 2, 2);
  ASSERT_EQ(result.findings.size(), 2u);
  EXPECT_EQ(result.findings[1].kind, TamperKind::kTruncated);

  std::vector<AuditEvent> mixed = events_;
  mixed.erase(mixed.begin() + 10);
  std::swap(mixed[3], mixed[4]);
  expect_first(verify(mixed, every_size()), TamperKind::kReordered, 3, 3);
}

TEST_F(AuditLogVerifierTest, StoredHashesCatchEditsBeyondTheLastCheckpoint) {
  std::vector<AuditEvent> edited = events_;
  edited[18].subject_id = "uc_99";
  std::vector<Hash> stored = leaf_hashes();
  VerifyLogOptions options;
  options.stored_leaf_hashes = stored;
  LogVerification result = verify(edited, checkpoints({10}), options);
  expect_first(result, TamperKind::kEdited, 18, 18);
  EXPECT_FALSE(result.first()->checkpoint_index.has_value());
  EXPECT_TRUE(verify(edited, checkpoints({10})).ok());  // nothing signed covers it yet

  std::vector<Hash> short_list(stored.begin(), stored.begin() + 3);
  options.stored_leaf_hashes = short_list;
  EXPECT_FALSE(verify_log(events_, {}, signer_->verifier(), options).has_value());
}

TEST_F(AuditLogVerifierTest, ExplicitOrigin) {
  NoteSigner signer = NoteSigner::generate("log-key-2026").value();
  MerkleTree tree;
  for (const Hash& leaf : leaf_hashes()) {
    tree.append_leaf_hash(leaf);
  }
  std::vector<std::string> notes = {
      sign_checkpoint({"clearcut.example/audit", 20, tree.root(), {}}, signer).value()};
  VerifyLogOptions options;
  EXPECT_FALSE(verify_log(events_, notes, signer.verifier(), options).value().ok());
  options.origin = "clearcut.example/audit";
  EXPECT_TRUE(verify_log(events_, notes, signer.verifier(), options).value().ok());
}

TEST_F(AuditLogVerifierTest, CheckpointsOfRotatedKeysVerifyWithEveryKey) {
  NoteSigner next = NoteSigner::generate("clearcut.example/audit-2027").value();
  std::vector<std::string> notes = checkpoints({5, 10});
  for (const std::string& note : checkpoints_of(events_, {15, 20}, next)) {
    notes.push_back(note);
  }
  std::vector<NoteVerifier> both = {signer_->verifier(), next.verifier()};
  LogVerification result = verify_log(events_, notes, both).value();
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.verified_size, 20u);
  EXPECT_EQ(result.valid_checkpoints, 4u);
  // With the old key alone the new key's checkpoints are bad.
  LogVerification old_only = verify(events_, notes);
  ASSERT_EQ(old_only.findings.size(), 2u);
  EXPECT_EQ(old_only.findings[0].kind, TamperKind::kBadCheckpoint);
  EXPECT_TRUE(verify_log(events_, notes, std::span<const NoteVerifier>()).has_value() == false);
}

TEST_F(AuditLogVerifierTest, ACheckpointKeptOutsideButGoneFromTheDatabaseIsMissing) {
  std::vector<std::string> notes = checkpoints({5, 10, 15});
  std::vector<std::string> outside = checkpoints({10, 15});
  notes.pop_back();  // the database lost its newest checkpoint
  notes.insert(notes.end(), outside.begin(), outside.end());
  std::vector<std::string> names = {"db 0", "db 1", "file:1", "file:2"};
  VerifyLogOptions options;
  options.database_checkpoints = 2;
  options.checkpoint_names = names;
  LogVerification result = verify(events_, notes, options);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].kind, TamperKind::kMissingCheckpoint);
  EXPECT_EQ(result.findings[0].checkpoint_index, 3u);
  EXPECT_NE(result.findings[0].message.find("file:2 (size 15)"), std::string::npos)
      << result.findings[0].message;
  EXPECT_EQ(tamper_kind_name(TamperKind::kMissingCheckpoint), "missing_checkpoint");
}

TEST_F(AuditLogVerifierTest, ACheckpointKeptOutsideCatchesATruncationTheDatabaseHides) {
  std::vector<AuditEvent> cut(events_.begin(), events_.begin() + 12);
  std::vector<std::string> notes = checkpoints({5, 10});  // the database's, cut back too
  std::vector<std::string> outside = checkpoints({20});
  notes.insert(notes.end(), outside.begin(), outside.end());
  std::vector<std::string> names = {"db 0", "db 1", "witness:7"};
  VerifyLogOptions options;
  options.database_checkpoints = 2;
  options.checkpoint_names = names;
  LogVerification result = verify(cut, notes, options);
  ASSERT_GE(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].kind, TamperKind::kTruncated);
  EXPECT_EQ(result.findings[0].first_sequence, 12u);
  EXPECT_NE(result.findings[0].message.find("witness:7"), std::string::npos);
}

}  // namespace
}  // namespace clearcut::audit
