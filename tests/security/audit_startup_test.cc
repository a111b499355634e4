// The service's side of the audit log's tamper evidence: checkpoints signed at startup, after
// N events and at shutdown, kept in the checkpoint file too; startup refusing a tampered log
// or a lost signing key; key rotation with `clearcut audit key` and `audit verify --key`; the
// modes of the files it creates.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tests/security/security_fixture.h"
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "clearcut/clearance/checkpoint_file.h"

namespace clearcut::securitytest {
namespace {

namespace fs = std::filesystem;

class AuditStartupTest : public SecurityTest {
 protected:
  std::unique_ptr<app::Service> open(const app::ServiceConfig& config) {
    auto service = app::Service::open(config);
    EXPECT_TRUE(service.has_value()) << service.error().to_string();
    return service.has_value() ? std::move(service).value() : nullptr;
  }
  clearance::Actor admin_of(app::Service& service) {
    // A fresh database has no users: make an organization and an admin through the service.
    auto org = service.accounts().create_organization(nullptr, "Studio");
    EXPECT_TRUE(org.has_value());
    auto user = service.accounts().create_user(
        nullptr, {org->id, "admin@studio.example", "Ada", "correct horse battery", true});
    EXPECT_TRUE(user.has_value()) << user.error().to_string();
    auto tx = service.store().begin();
    return service.accounts().actor_for(**tx, user->id).value();
  }
  clearance::Actor admin_of_existing(app::Service& service) {
    auto tx = service.store().begin();
    auto user = (*tx)->accounts().find_user_by_email("admin@studio.example").value();
    return service.accounts().actor_for(**tx, user->id).value();
  }
  uint64_t audit_size(app::Service& service) {
    auto tx = service.store().begin();
    return (*tx)->audit().size().value();
  }
  uint64_t latest_checkpoint(app::Service& service) {
    auto tx = service.store().begin();
    auto latest = (*tx)->audit().latest_checkpoint().value();
    return latest ? latest->tree_size : 0;
  }
  uint64_t latest_in_file() {
    auto entries = clearance::read_checkpoint_file((dir_ / "clearcut-audit.checkpoints").string());
    return entries.has_value() && !entries->empty() ? entries->back().tree_size : 0;
  }
  unsigned mode_of(const fs::path& file) {
    struct stat st {};
    EXPECT_EQ(::stat(file.c_str(), &st), 0) << file;
    return st.st_mode & 0777;
  }
};

TEST_F(AuditStartupTest, CheckpointSignedAtStartupCoversTheSeededLog) {
  auto service = open(config_in(dir_));
  ASSERT_NE(service, nullptr);
  uint64_t size = audit_size(*service);
  EXPECT_GT(size, 0u);  // the default policy pack and tools are logged
  EXPECT_EQ(latest_checkpoint(*service), size);
  EXPECT_EQ(latest_in_file(), size);
}

TEST_F(AuditStartupTest, CheckpointSignedAfterEveryNEvents) {
  app::ServiceConfig config = config_in(dir_);
  config.checkpoint_every_events = 3;
  config.checkpoint_interval = std::chrono::milliseconds(0);
  auto service = open(config);
  ASSERT_NE(service, nullptr);
  clearance::Actor admin = admin_of(*service);
  // From a checkpoint on, the third event triggers the next one.
  ASSERT_TRUE(service->audit_service().checkpoint().has_value());
  uint64_t before = latest_checkpoint(*service);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(service->clearance()
                    .create_production(admin, {0, admin.user.organization_id,
                                               "early-" + std::to_string(i), "Show", ""})
                    .has_value());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(latest_checkpoint(*service), before);  // two events: not yet
  for (int i = 0; i < 1; ++i) {
    ASSERT_TRUE(service->clearance()
                    .create_production(admin, {0, admin.user.organization_id,
                                               "show-" + std::to_string(i), "Show", ""})
                    .has_value());
  }
  uint64_t size = audit_size(*service);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  // The checkpoint reaches the database first and the file after it: wait for both.
  while ((latest_checkpoint(*service) < size || latest_in_file() < size) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(latest_checkpoint(*service), size);
  EXPECT_EQ(latest_in_file(), size);
}

TEST_F(AuditStartupTest, CheckpointSignedEveryIntervalForOtherWriters) {
  app::ServiceConfig config = config_in(dir_);
  config.checkpoint_every_events = 0;
  config.checkpoint_interval = std::chrono::milliseconds(200);
  auto service = open(config);
  ASSERT_NE(service, nullptr);
  {
    // A writer without the signing key (as a scan worker is).
    auto tx = service->store().begin();
    ASSERT_TRUE(clearance::append_audit_event(
                    **tx, {0, "2026-12-01T00:00:00Z", "worker:x", "scan.note", "", "", "{}"})
                    .has_value());
    ASSERT_TRUE((*tx)->commit().has_value());
  }
  uint64_t size = audit_size(*service);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (latest_checkpoint(*service) < size && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(latest_checkpoint(*service), size);
}

TEST_F(AuditStartupTest, CheckpointSignedAtShutdown) {
  uint64_t size = 0;
  {
    auto service = open(config_in(dir_));  // periodic checkpoints off
    ASSERT_NE(service, nullptr);
    admin_of(*service);
    size = audit_size(*service);
    EXPECT_LT(latest_checkpoint(*service), size);
  }
  EXPECT_EQ(latest_in_file(), size);
  auto again = open(config_in(dir_));
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(latest_checkpoint(*again), size);
}

TEST_F(AuditStartupTest, StartupRefusesATailEditedWithoutItsLeafHash) {
  { ASSERT_NE(open(config_in(dir_)), nullptr); }
  Sqlite db(dir_ / "clearcut.db");
  int64_t last = db.query_int("SELECT MAX(sequence) FROM audit_events");
  db.exec("UPDATE audit_events SET actor = 'user:99' WHERE sequence = " + std::to_string(last));
  db.close();
  auto service = app::Service::open(config_in(dir_));
  ASSERT_FALSE(service.has_value());
  EXPECT_EQ(service.error().code(), base::ErrorCode::kDataLoss);
  EXPECT_NE(service.error().message().find("audit log entry " + std::to_string(last) + ":"),
            std::string::npos)
      << service.error().to_string();
  EXPECT_NE(service.error().message().find("refusing to sign"), std::string::npos);
}

TEST_F(AuditStartupTest, StartupRefusesATailRewrittenWithItsLeafHashes) {
  { ASSERT_NE(open(config_in(dir_)), nullptr); }
  Sqlite db(dir_ / "clearcut.db");
  db.exec("UPDATE audit_events SET actor = 'user:99' WHERE sequence = 2");
  db.recompute_leaf_hashes();
  db.close();
  auto service = app::Service::open(config_in(dir_));
  ASSERT_FALSE(service.has_value());
  EXPECT_EQ(service.error().code(), base::ErrorCode::kDataLoss);
  EXPECT_NE(service.error().message().find("differs from the newest checkpoint"), std::string::npos)
      << service.error().to_string();
}

TEST_F(AuditStartupTest, StartupRefusesATruncatedLogWithItsCheckpointsDeleted) {
  { ASSERT_NE(open(config_in(dir_)), nullptr); }
  Sqlite db(dir_ / "clearcut.db");
  db.exec("DELETE FROM audit_events WHERE sequence >= 3; DELETE FROM checkpoints;");
  db.close();
  auto service = app::Service::open(config_in(dir_));
  ASSERT_FALSE(service.has_value());
  EXPECT_NE(service.error().message().find("clearcut-audit.checkpoints"), std::string::npos)
      << service.error().to_string();
  EXPECT_NE(service.error().message().find("truncated"), std::string::npos);
}

TEST_F(AuditStartupTest, MissingSigningKeyIsRefusedWhenTheDatabaseHasCheckpoints) {
  { ASSERT_NE(open(config_in(dir_)), nullptr); }
  fs::remove(dir_ / "clearcut-audit.key");
  auto service = app::Service::open(config_in(dir_));
  ASSERT_FALSE(service.has_value());
  EXPECT_EQ(service.error().code(), base::ErrorCode::kFailedPrecondition);
  std::string message = service.error().to_string();
  EXPECT_NE(message.find("signing key is missing"), std::string::npos) << message;
  EXPECT_NE(message.find("clearcut audit key --generate"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(dir_ / "clearcut-audit.key"));  // not silently replaced
}

TEST_F(AuditStartupTest, KeyRotationVerifiesWithOldAndNewKeys) {
  fs::path old_key = dir_ / "clearcut-audit.key";
  fs::path new_key = dir_ / "new-audit.key";
  {
    auto service = open(config_in(dir_));
    ASSERT_NE(service, nullptr);
    admin_of(*service);
  }
  apitest::CommandResult old_vkey =
      apitest::run_command({CLEARCUT_BINARY, "audit", "key", "--key", old_key.string()});
  ASSERT_EQ(old_vkey.exit_code, 0) << old_vkey.output;
  apitest::CommandResult new_vkey = apitest::run_command(
      {CLEARCUT_BINARY, "audit", "key", "--generate", "--key", new_key.string()});
  ASSERT_EQ(new_vkey.exit_code, 0) << new_vkey.output;
  EXPECT_EQ(mode_of(new_key), 0600u);
  EXPECT_EQ(new_vkey.output.rfind("clearcut.local/audit+", 0), 0u) << new_vkey.output;
  auto chomp = [](std::string s) {
    while (!s.empty() && s.back() == '\n') {
      s.pop_back();
    }
    return s;
  };
  {
    app::ServiceConfig config = config_in(dir_);
    config.signing_key = new_key.string();
    auto service = open(config);
    ASSERT_NE(service, nullptr);
    ASSERT_TRUE(service->clearance()
                    .create_production(admin_of_existing(*service), {0, 1, "rotated", "R", ""})
                    .has_value());
  }
  // Only the new key: the checkpoints of the old one do not verify.
  apitest::CommandResult only_new = verify(dir_, {"--key", chomp(new_vkey.output)});
  EXPECT_EQ(only_new.exit_code, 1) << only_new.output;
  EXPECT_NE(only_new.output.find("TAMPERED (bad_checkpoint)"), std::string::npos);
  // Both keys, on the command line and in a keys file.
  apitest::CommandResult both =
      verify(dir_, {"--key", chomp(old_vkey.output), "--key", chomp(new_vkey.output)});
  EXPECT_EQ(both.exit_code, 0) << both.output;
  {
    std::ofstream keys(dir_ / "keys.txt");
    keys << "# before the rotation\n" << old_vkey.output << "# since\n" << new_vkey.output;
  }
  apitest::CommandResult file = verify(dir_, {"--keys", (dir_ / "keys.txt").string()});
  EXPECT_EQ(file.exit_code, 0) << file.output;
}

TEST_F(AuditStartupTest, AuditKeyPrintsTheVerifierKey) {
  { ASSERT_NE(open(config_in(dir_)), nullptr); }
  auto signer = app::load_signing_key((dir_ / "clearcut-audit.key").string());
  ASSERT_TRUE(signer.has_value());
  apitest::CommandResult result = apitest::run_command(
      {CLEARCUT_BINARY, "audit", "key", "--key", (dir_ / "clearcut-audit.key").string()});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output, signer->verifier().to_string() + "\n");
  apitest::CommandResult again =
      apitest::run_command({CLEARCUT_BINARY, "audit", "key", "--generate", "--key",
                            (dir_ / "clearcut-audit.key").string()});
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_NE(again.output.find("will not overwrite"), std::string::npos) << again.output;
}

TEST_F(AuditStartupTest, NewFilesAreOwnerOnly) {
  { ASSERT_NE(open(config_in(dir_)), nullptr); }
  EXPECT_EQ(mode_of(dir_ / "clearcut.db"), 0600u);
  EXPECT_EQ(mode_of(dir_ / "clearcut-audit.key"), 0600u);
  EXPECT_EQ(mode_of(dir_ / "clearcut-audit.checkpoints"), 0600u);
}

TEST_F(AuditStartupTest, SigningKeyReadableByOthersIsWarnedAbout) {
  { ASSERT_NE(open(config_in(dir_)), nullptr); }
  fs::permissions(dir_ / "clearcut-audit.key", fs::perms::owner_read | fs::perms::owner_write |
                                                   fs::perms::group_read | fs::perms::others_read);
  auto service = open(config_in(dir_));
  ASSERT_NE(service, nullptr);
  ASSERT_EQ(service->warnings().size(), 1u);
  EXPECT_NE(service->warnings()[0].find("readable by group or others (mode 0644)"),
            std::string::npos)
      << service->warnings()[0];
  EXPECT_NE(service->warnings()[0].find("chmod 600"), std::string::npos);
}

TEST_F(AuditStartupTest, ExportCheckpointsWritesAWitnessThatVerifies) {
  {
    auto service = open(config_in(dir_));
    ASSERT_NE(service, nullptr);
    admin_of(*service);
  }
  fs::path witness = dir_ / "elsewhere.checkpoints";
  std::string db = "sqlite:" + (dir_ / "clearcut.db").string();
  apitest::CommandResult exported = apitest::run_command(
      {CLEARCUT_BINARY, "audit", "export-checkpoints", "--db", db, "--out", witness.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_NE(exported.output.find("exported 2 checkpoints"), std::string::npos) << exported.output;
  apitest::CommandResult again = apitest::run_command(
      {CLEARCUT_BINARY, "audit", "export-checkpoints", "--db", db, "--out", witness.string()});
  EXPECT_NE(again.output.find("exported 0 checkpoints"), std::string::npos) << again.output;
  apitest::CommandResult ok = verify(dir_, {"--witness", witness.string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  Sqlite sqlite(dir_ / "clearcut.db");
  sqlite.exec("DELETE FROM checkpoints");
  sqlite.close();
  fs::remove(dir_ / "clearcut-audit.checkpoints");
  apitest::CommandResult caught = verify(dir_, {"--witness", witness.string()});
  EXPECT_EQ(caught.exit_code, 1) << caught.output;
  EXPECT_NE(caught.output.find("TAMPERED (missing_checkpoint)"), std::string::npos)
      << caught.output;
}

}  // namespace
}  // namespace clearcut::securitytest
