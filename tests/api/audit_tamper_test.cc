// Tampering with the audit log of a demo database, directly in SQLite as an attacker with the
// file would: edit an event, delete one, reorder two, truncate the tail, forge a checkpoint.
// `clearcut audit verify` must exit 1 and name the first bad entry; the untouched copy exits 0.

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "tests/api/api_fixture.h"
#include "tests/api/child_process.h"
#include <gtest/gtest.h>

#include "clearcut/audit/audit_event.h"
#include "clearcut/base/hex.h"

namespace clearcut::apitest {
namespace {

namespace fs = std::filesystem;

class AuditTamperTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string name = testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');  // "EditedEvent/sqlite"
    dir_ = fs::temp_directory_path() /
           ("clearcut_api_tamper_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // The demo database the API tests start from, with a checkpoint over all of it.
    const DemoTemplate& t = demo_template(Backend::kSqlite);
    ASSERT_EQ(t.error, "");
    for (const char* file :
         {"clearcut.db", "clearcut.db-wal", "clearcut.db-shm", "clearcut-audit.key"}) {
      if (fs::exists(t.dir / file)) {
        fs::copy_file(t.dir / file, dir_ / file);
      }
    }
    ASSERT_EQ(sqlite3_open_v2((dir_ / "clearcut.db").c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr),
              SQLITE_OK);
    // An attacker with the file is not stopped by the append-only triggers.
    exec("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;");
    size_ = query_int("SELECT COUNT(*) FROM audit_events");
    ASSERT_GT(size_, 12);
  }
  void TearDown() override {
    if (db_ != nullptr) {
      sqlite3_close(db_);
    }
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void exec(const std::string& sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    ASSERT_EQ(rc, SQLITE_OK) << sql << ": " << (error != nullptr ? error : "");
  }
  int64_t query_int(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    int64_t value = -1;
    if (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    return value;
  }

  // Closes the database (so that the verifier sees every change) and runs `audit verify`.
  CommandResult verify() {
    sqlite3_close(db_);
    db_ = nullptr;
    return run_command(
        {CLEARCUT_BINARY, "audit", "verify", "--db", "sqlite:" + (dir_ / "clearcut.db").string()});
  }

  // Expects exit 1, a TAMPERED line of `kind` at `entry`, and the closing line naming it.
  void expect_tampered(const char* kind, int64_t entry) {
    CommandResult result = verify();
    EXPECT_EQ(result.exit_code, 1) << result.output;
    std::string at = " at entry " + std::to_string(entry) + ":";
    EXPECT_NE(result.output.find(std::string("TAMPERED (") + kind + ")" + at), std::string::npos)
        << result.output;
    EXPECT_NE(
        result.output.find("audit log FAILED: first bad entry " + std::to_string(entry) + "\n"),
        std::string::npos)
        << result.output;
  }

  fs::path dir_;
  sqlite3* db_ = nullptr;
  int64_t size_ = 0;
};

TEST_P(AuditTamperTest, UntouchedLogVerifies) {
  CommandResult result = verify();
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("audit log OK: " + std::to_string(size_) + " events"),
            std::string::npos)
      << result.output;
}

TEST_P(AuditTamperTest, EditedEvent) {
  exec("UPDATE audit_events SET payload_json = '{\"role\":\"admin\"}' WHERE sequence = 7");
  expect_tampered("edited", 7);
}

TEST_P(AuditTamperTest, EditedActor) {
  exec("UPDATE audit_events SET actor = 'user:999' WHERE sequence = 9");
  expect_tampered("edited", 9);
}

TEST_P(AuditTamperTest, EditedEventWithItsLeafHashRecomputed) {
  // A careful attacker also rewrites the stored leaf hash; the signed checkpoint still knows.
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db_,
                               "SELECT time, actor, action, subject_type, subject_id FROM "
                               "audit_events WHERE sequence = 7",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  audit::AuditEvent event;
  event.sequence = 7;
  auto column = [&](int i) {
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)));
  };
  event.time = column(0);
  event.actor = column(1);
  event.action = column(2);
  event.subject_type = column(3);
  event.subject_id = column(4);
  sqlite3_finalize(stmt);
  event.payload_json = R"({"role":"admin"})";
  auto leaf = audit::audit_event_leaf_hash(event);
  ASSERT_TRUE(leaf.has_value());
  exec("UPDATE audit_events SET payload_json = '{\"role\":\"admin\"}', leaf_hash = '" +
       base::to_hex(*leaf) + "' WHERE sequence = 7");
  CommandResult result = verify();
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("TAMPERED (edited)"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("audit log FAILED: first bad entry "), std::string::npos)
      << result.output;
}

TEST_P(AuditTamperTest, DeletedEvent) {
  exec("DELETE FROM audit_events WHERE sequence = 5");
  expect_tampered("deleted", 5);
}

TEST_P(AuditTamperTest, DeletedFirstEvent) {
  exec("DELETE FROM audit_events WHERE sequence = 0");
  expect_tampered("deleted", 0);
}

TEST_P(AuditTamperTest, ReorderedBySwappingContents) {
  exec(
      "CREATE TEMP TABLE saved AS SELECT * FROM audit_events WHERE sequence IN (10, 11);"
      "UPDATE audit_events SET (time, actor, action, subject_type, subject_id, payload_json, "
      "leaf_hash) = (SELECT time, actor, action, subject_type, subject_id, payload_json, "
      "leaf_hash FROM saved WHERE saved.sequence = 21 - audit_events.sequence) "
      "WHERE sequence IN (10, 11);");
  ASSERT_NE(query_int("SELECT COUNT(*) FROM audit_events WHERE sequence IN (10, 11)"), 0);
  expect_tampered("edited", 10);
}

TEST_P(AuditTamperTest, ReorderedBySwappingSequenceNumbers) {
  exec(
      "UPDATE audit_events SET sequence = 1000000 WHERE sequence = 10;"
      "UPDATE audit_events SET sequence = 10 WHERE sequence = 11;"
      "UPDATE audit_events SET sequence = 11 WHERE sequence = 1000000;");
  expect_tampered("edited", 10);
}

TEST_P(AuditTamperTest, TruncatedTail) {
  int64_t cut = size_ - 3;
  exec("DELETE FROM audit_events WHERE sequence >= " + std::to_string(cut));
  expect_tampered("truncated", cut);
}

TEST_P(AuditTamperTest, ForgedCheckpoint) {
  // Rewriting the tree size in the note breaks its signature.
  exec(
      "UPDATE checkpoints SET note = replace(note, char(10) || tree_size || char(10), "
      "char(10) || (tree_size - 1) || char(10))");
  CommandResult result = verify();
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("TAMPERED (bad_checkpoint)"), std::string::npos) << result.output;
}

INSTANTIATE_TEST_SUITE_P(api, AuditTamperTest, testing::Values(Backend::kSqlite), backend_name);

}  // namespace
}  // namespace clearcut::apitest
