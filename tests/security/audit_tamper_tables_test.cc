// Tampering with a database the service produced, directly in SQLite as an attacker with the
// file would: the audit log itself, its checkpoints (in the database and in the checkpoint
// file), and every table the audit events describe. `clearcut audit verify` must exit 1 and
// name what changed; the untouched copy verifies.

#include <algorithm>
#include <filesystem>
#include <string>

#include "tests/security/security_fixture.h"
#include <gtest/gtest.h>

namespace clearcut::securitytest {
namespace {

namespace fs = std::filesystem;

class AuditTamperTablesTest : public SecurityTest {
 protected:
  void SetUp() override {
    SecurityTest::SetUp();
    copy_rich_database(dir_);
    db_ = std::make_unique<Sqlite>(dir_ / "clearcut.db");
    size_ = db_->query_int("SELECT COUNT(*) FROM audit_events");
    ASSERT_GT(size_, 40);
  }

  // Closes the database, runs `audit verify`, expects exit 1 and every one of `expected` in
  // its output.
  void expect_detected(std::initializer_list<std::string> expected,
                       const std::vector<std::string>& extra = {}) {
    db_->close();
    apitest::CommandResult result = verify(dir_, extra);
    EXPECT_EQ(result.exit_code, 1) << result.output;
    EXPECT_NE(result.output.find("audit log FAILED"), std::string::npos) << result.output;
    for (const std::string& text : expected) {
      EXPECT_NE(result.output.find(text), std::string::npos) << "expected \"" << text << "\" in:\n"
                                                             << result.output;
    }
  }

  std::unique_ptr<Sqlite> db_;
  int64_t size_ = 0;
};

TEST_F(AuditTamperTablesTest, UntouchedDatabaseVerifies) {
  db_->close();
  apitest::CommandResult result = verify(dir_);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("audit log OK: " + std::to_string(size_) + " events"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("every table matches the events"), std::string::npos)
      << result.output;
}

TEST_F(AuditTamperTablesTest, UntouchedDatabaseVerifiesAgainstAWitness) {
  db_->close();
  fs::copy_file(dir_ / "clearcut-audit.checkpoints", dir_ / "witness.checkpoints");
  apitest::CommandResult result =
      verify(dir_, {"--witness", (dir_ / "witness.checkpoints").string()});
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

// --- the audit log and its checkpoints ---

TEST_F(AuditTamperTablesTest, EditedEvent) {
  db_->exec("UPDATE audit_events SET payload_json = '{\"role\":\"legal\"}' WHERE sequence = 7");
  expect_detected({"TAMPERED (edited) at entry 7", "first bad entry 7"});
}

TEST_F(AuditTamperTablesTest, DeletedEvent) {
  db_->exec("DELETE FROM audit_events WHERE sequence = 5");
  expect_detected({"TAMPERED (deleted) at entry 5", "first bad entry 5"});
}

TEST_F(AuditTamperTablesTest, ReorderedEvents) {
  db_->exec(
      "UPDATE audit_events SET sequence = 1000000 WHERE sequence = 10;"
      "UPDATE audit_events SET sequence = 10 WHERE sequence = 11;"
      "UPDATE audit_events SET sequence = 11 WHERE sequence = 1000000;");
  expect_detected({"TAMPERED (edited) at entry 10"});
}

TEST_F(AuditTamperTablesTest, InsertedEventWithTheLogRenumberedAndRehashed) {
  std::vector<audit::AuditEvent> events = db_->events();
  audit::AuditEvent forged = events[12];
  forged.action = "membership.set";
  forged.subject_type = "production";
  forged.subject_id = "1";
  forged.payload_json = R"({"role":"legal","user_id":5})";
  events.insert(events.begin() + 12, forged);
  db_->rewrite_log(events);
  expect_detected({"TAMPERED (edited)"});
}

TEST_F(AuditTamperTablesTest, RewrittenEventWithItsLeafHashRecomputed) {
  db_->exec("UPDATE audit_events SET actor = 'user:5' WHERE sequence = 20");
  db_->recompute_leaf_hashes();
  expect_detected({"TAMPERED (edited)", "root of the first"});
}

TEST_F(AuditTamperTablesTest, TruncatedLog) {
  int64_t cut = size_ - 4;
  db_->exec("DELETE FROM audit_events WHERE sequence >= " + std::to_string(cut));
  expect_detected({"TAMPERED (truncated) at entry " + std::to_string(cut)});
}

TEST_F(AuditTamperTablesTest, TruncatedLogWithItsCheckpointsDeleted) {
  // Cut the log back and drop every checkpoint that covers the cut events: the database alone
  // looks intact; the checkpoint file knows better.
  int64_t cut = size_ - 4;
  db_->exec("DELETE FROM audit_events WHERE sequence >= " + std::to_string(cut) +
            "; DELETE FROM checkpoints WHERE tree_size > " + std::to_string(cut));
  expect_detected(
      {"TAMPERED (truncated) at entry " + std::to_string(cut), "clearcut-audit.checkpoints:"});
}

TEST_F(AuditTamperTablesTest, DeletedNewestCheckpoints) {
  int64_t before = db_->query_int("SELECT COUNT(*) FROM checkpoints");
  ASSERT_GE(before, 2);
  db_->exec("DELETE FROM checkpoints WHERE tree_size = (SELECT MAX(tree_size) FROM checkpoints)");
  expect_detected({"TAMPERED (missing_checkpoint)", "deleted from it"});
}

TEST_F(AuditTamperTablesTest, DeletedAllCheckpointsAndRecomputedLeafHashes) {
  db_->exec("DELETE FROM checkpoints");
  db_->exec(
      "UPDATE audit_events SET payload_json = '{\"role\":\"legal\",\"user_id\":5}' "
      "WHERE sequence = 15");
  db_->recompute_leaf_hashes();
  expect_detected({"TAMPERED (edited)", "TAMPERED (missing_checkpoint)"});
}

TEST_F(AuditTamperTablesTest, DeletedCheckpointsAndCheckpointFileButAWitnessKeptACopy) {
  fs::copy_file(dir_ / "clearcut-audit.checkpoints", dir_ / "witness.checkpoints");
  fs::remove(dir_ / "clearcut-audit.checkpoints");
  db_->exec("DELETE FROM checkpoints");
  db_->exec("UPDATE audit_events SET actor = 'user:5' WHERE sequence = 30");
  db_->recompute_leaf_hashes();
  expect_detected({"TAMPERED (edited)", "witness.checkpoints:"},
                  {"--witness", (dir_ / "witness.checkpoints").string()});
}

TEST_F(AuditTamperTablesTest, ForgedCheckpointInTheDatabase) {
  db_->exec(
      "UPDATE checkpoints SET note = replace(note, char(10) || tree_size || char(10), "
      "char(10) || (tree_size - 1) || char(10))");
  expect_detected({"TAMPERED (bad_checkpoint)"});
}

// --- the tables the events describe ---

TEST_F(AuditTamperTablesTest, RejectedUseCaseSetToApproved) {
  db_->exec("UPDATE use_cases SET state = 'approved' WHERE id = " +
            std::to_string(kRejectedUseCase));
  expect_detected(
      {"TAMPERED (state): use_cases id 5 column state: expected \"rejected\", "
       "found \"approved\""});
}

TEST_F(AuditTamperTablesTest, UseCaseDeclarationRewritten) {
  db_->exec(
      "UPDATE use_cases SET declaration_json = replace(declaration_json, 'final', "
      "'temp') WHERE id = 3");
  expect_detected({"use_cases id 3 column declaration_json (sha256)"});
}

TEST_F(AuditTamperTablesTest, UseCaseHistoryEdited) {
  db_->exec(
      "UPDATE use_case_events SET note = 'approved by phone' WHERE use_case_id = 5 AND "
      "kind = 'rejected'");
  expect_detected({"use_case_events id 5#3 column note"});
}

TEST_F(AuditTamperTablesTest, EveryAssetSetToCleared) {
  db_->exec("UPDATE assets SET status = 'cleared'");
  expect_detected({"assets id 1 column status: expected \"provisional\", found \"cleared\"",
                   "assets id 2 column status"});
}

TEST_F(AuditTamperTablesTest, AssetHashReplaced) {
  db_->exec("UPDATE assets SET sha256 = '" + std::string(64, 'c') + "' WHERE id = 2");
  expect_detected({"assets id 2 column sha256"});
}

// What a scan matches an output by: a frame hash or an audio fingerprint swapped in the row
// would let the output through a scan unseen (or blame another's).
TEST_F(AuditTamperTablesTest, AssetFrameHashesReplaced) {
  db_->exec("UPDATE assets SET frame_pdq = '" + std::string(64, 'a') + "' WHERE id = 1");
  expect_detected({"assets id 1 column frame_pdq_sha256"});
}

TEST_F(AuditTamperTablesTest, AssetAudioFingerprintAdded) {
  db_->exec("UPDATE assets SET audio_fingerprint = 'Y2NhZgHAPoABZAEFFCg=' WHERE id = 2");
  expect_detected({"assets id 2 column audio_fingerprint_sha256"});
}

TEST_F(AuditTamperTablesTest, MembershipAdded) {
  db_->exec("INSERT INTO memberships (user_id, production_id, role) VALUES (" +
            std::to_string(kOutsider) + ", " + std::to_string(kShow) + ", 'legal')");
  expect_detected(
      {"memberships id user_id=5,production_id=1: row was not written by any audit event"});
}

TEST_F(AuditTamperTablesTest, MembershipRoleChanged) {
  db_->exec("UPDATE memberships SET role = 'legal' WHERE user_id = " + std::to_string(kPartner));
  expect_detected(
      {"memberships id user_id=4,production_id=1 column role: expected "
       "\"partner\", found \"legal\""});
}

TEST_F(AuditTamperTablesTest, MembershipDeleted) {
  db_->exec("DELETE FROM memberships WHERE user_id = " + std::to_string(kContact));
  expect_detected({"memberships id user_id=2,production_id=1: row is missing"});
}

TEST_F(AuditTamperTablesTest, ConsentRevokedBehindTheLogsBack) {
  db_->exec("UPDATE consents SET revoked_at = '2026-01-01T00:00:00Z' WHERE id = 1");
  expect_detected({"consents id 1 column revoked: expected \"false\", found \"true\""});
}

TEST_F(AuditTamperTablesTest, RevokedConsentUnrevoked) {
  db_->exec("UPDATE consents SET revoked_at = NULL WHERE id = 3");
  expect_detected({"consents id 3 column revoked: expected \"true\", found \"false\""});
}

TEST_F(AuditTamperTablesTest, ConsentScopeWidened) {
  db_->exec("UPDATE consents SET scope = 'any use, any show' WHERE id = 1");
  expect_detected({"consents id 1 column scope"});
}

TEST_F(AuditTamperTablesTest, ApprovalConditionsEdited) {
  db_->exec("UPDATE approvals SET conditions = 'none'");
  expect_detected({"approvals id 1 column conditions"});
}

TEST_F(AuditTamperTablesTest, ApprovalScopeEdited) {
  db_->exec("UPDATE approvals SET scope_json = '{\"final_use\":true,\"deliverables\":[\"ALL\"]}'");
  expect_detected({"approvals id 1 column scope_json"});
}

TEST_F(AuditTamperTablesTest, ApprovalSignerRenamed) {
  db_->exec("UPDATE approvals SET signer_name = 'Someone Senior'");
  expect_detected({"approvals id 1 column signer_name"});
}

// The second doll's checklist (use case 2) is open: waiving it behind the log's back.
TEST_F(AuditTamperTablesTest, ChecklistItemWaivedBehindTheLogsBack) {
  db_->exec("UPDATE checklist_items SET state = 'waived', reason = 'agreed by phone' WHERE id = 1");
  expect_detected({"checklist_items id 1 column state: expected \"open\", found \"waived\""});
}

TEST_F(AuditTamperTablesTest, ChecklistItemDeleted) {
  db_->exec("DELETE FROM checklist_items WHERE id = 2");
  expect_detected({"checklist_items id 2: row is missing"});
}

TEST_F(AuditTamperTablesTest, ApprovalForged) {
  db_->exec(
      "INSERT INTO approvals (use_case_id, approver_id, granted, declaration_digest, conditions, "
      "scope_json, expires_at, outdated, created_at) SELECT 2, 3, 1, declaration_digest, '', "
      "'{\"final_use\":true}', NULL, 0, created_at FROM use_cases WHERE id = 2");
  expect_detected({"approvals id 2: row was not written by any audit event"});
}

TEST_F(AuditTamperTablesTest, AttachmentRenamed) {
  db_->exec("UPDATE attachments SET file_name = 'licence-v2.pdf' WHERE id = 1");
  expect_detected(
      {"attachments id 1 column file_name: expected \"licence.pdf\", found \"licence-v2.pdf\""});
}

TEST_F(AuditTamperTablesTest, AttachmentPointedAtOtherBytes) {
  db_->exec("UPDATE attachments SET sha256 = '" + std::string(64, 'e') + "' WHERE id = 1");
  expect_detected({"attachments id 1 column sha256"});
}

TEST_F(AuditTamperTablesTest, AttachmentDeleted) {
  db_->exec("DELETE FROM attachments WHERE id = 2");
  expect_detected({"attachments id 2: row is missing"});
}

TEST_F(AuditTamperTablesTest, AttachmentForged) {
  db_->exec(
      "INSERT INTO attachments (production_id, parent_type, parent_id, sha256, size, "
      "content_type, file_name, added_by, added_at) SELECT production_id, parent_type, "
      "parent_id, sha256, size, content_type, 'consent-form.pdf', added_by, added_at FROM "
      "attachments WHERE id = 1");
  expect_detected({"attachments id 3: row was not written by any audit event"});
}

TEST_F(AuditTamperTablesTest, ApprovalDeleted) {
  db_->exec("DELETE FROM approvals WHERE id = 1");
  expect_detected({"approvals id 1: row is missing"});
}

TEST_F(AuditTamperTablesTest, UserMadeAdmin) {
  db_->exec("UPDATE users SET admin = 1 WHERE id = " + std::to_string(kPartner));
  expect_detected({"users id 4 column admin: expected \"false\", found \"true\""});
}

TEST_F(AuditTamperTablesTest, UserPasswordHashReplaced) {
  db_->exec(
      "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = 4) "
      "WHERE id = 1");
  expect_detected({"users id 1 column password_hash (sha256)"});
}

TEST_F(AuditTamperTablesTest, UserInserted) {
  db_->exec(
      "INSERT INTO users (organization_id, email, name, password_hash, admin, disabled, "
      "created_at) VALUES (1, 'mallory@example.com', 'M', '', 1, 0, "
      "'2026-01-01T00:00:00Z')");
  expect_detected({"users id 6: row was not written by any audit event"});
}

TEST_F(AuditTamperTablesTest, ApiTokenHashReplaced) {
  db_->exec("UPDATE api_tokens SET token_hash = '" + std::string(64, '0') + "' WHERE id = 1");
  expect_detected({"api_tokens id 1 column token_hash"});
}

TEST_F(AuditTamperTablesTest, RevokedApiTokenUnrevoked) {
  db_->exec("UPDATE api_tokens SET revoked = 0 WHERE revoked = 1");
  expect_detected({"column revoked: expected \"true\", found \"false\""});
}

TEST_F(AuditTamperTablesTest, ToolLicenceTierEdited) {
  db_->exec("UPDATE tools SET license_tier = 'consumer' WHERE id = 'inhouse-upscaler'");
  expect_detected(
      {"tools id inhouse-upscaler column license_tier: expected \"enterprise\", "
       "found \"consumer\""});
}

TEST_F(AuditTamperTablesTest, ToolDeleted) {
  db_->exec("DELETE FROM tools WHERE id = 'inhouse-upscaler'");
  expect_detected({"tools id inhouse-upscaler: row is missing"});
}

TEST_F(AuditTamperTablesTest, PolicyPackTextRewritten) {
  db_->exec("UPDATE policy_packs SET text = text || char(10) || '# lenient' WHERE active = 1");
  expect_detected({"policy_packs id 1 column text (sha256)"});
}

TEST_F(AuditTamperTablesTest, CommentEdited) {
  db_->exec("UPDATE comments SET body = 'LGTM'");
  expect_detected({"comments id 1 column body"});
}

TEST_F(AuditTamperTablesTest, ProductionRenamed) {
  db_->exec("UPDATE productions SET title = 'Something else' WHERE id = 1");
  expect_detected({"productions id 1 column title"});
}

TEST_F(AuditTamperTablesTest, OrganizationRenamed) {
  db_->exec("UPDATE organizations SET name = 'Evil Corp' WHERE id = 2");
  expect_detected({"organizations id 2 column name"});
}

TEST_F(AuditTamperTablesTest, ScanJobPathsEdited) {
  db_->exec("UPDATE scan_jobs SET paths_json = '[\"other.mp4\"]'");
  expect_detected({"scan_jobs id 1 column paths_json"});
}

TEST_F(AuditTamperTablesTest, ScanJobMarkedFinishedAndPassing) {
  db_->exec("UPDATE scan_jobs SET state = 'finished', passes = 1");
  expect_detected({"scan_jobs id 1 column finished: expected \"false\", found \"true\""});
}

// A webhook added behind the log's back would send the production's notifications (titles,
// people, links) to whoever set it up.
TEST_F(AuditTamperTablesTest, WebhookAddedBehindTheLogsBack) {
  db_->exec(
      "INSERT INTO webhooks (production_id, url, secret, format, disabled, created_by, "
      "created_at) VALUES (1, 'https://attacker.example/x', 'sixteen characters', 'json', 0, "
      "1, '2026-01-01T00:00:00Z')");
  expect_detected({"webhooks id 3: row was not written by any audit event"});
}

TEST_F(AuditTamperTablesTest, WebhookAddressChanged) {
  db_->exec("UPDATE webhooks SET url = 'https://attacker.example/x' WHERE id = 1");
  expect_detected(
      {"webhooks id 1 column url: expected \"https://hooks.studio.example/clearcut\", found "
       "\"https://attacker.example/x\""});
}

TEST_F(AuditTamperTablesTest, DisabledWebhookEnabledAgain) {
  db_->exec("UPDATE webhooks SET disabled = 0 WHERE id = 2");
  expect_detected({"webhooks id 2 column disabled: expected \"true\", found \"false\""});
}

}  // namespace
}  // namespace clearcut::securitytest
