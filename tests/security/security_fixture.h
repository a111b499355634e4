#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/api/child_process.h"
#include <gtest/gtest.h>

#include "clearcut/app/service.h"
#include "clearcut/audit/audit_event.h"

namespace clearcut::securitytest {

// The demo's accounts and productions (app/demo.cc) by the ids seed_demo gives them.
inline constexpr int64_t kAdmin = 1;
inline constexpr int64_t kContact = 2;
inline constexpr int64_t kLegal = 3;
inline constexpr int64_t kPartner = 4;
inline constexpr int64_t kOutsider = 5;
inline constexpr int64_t kShow = 1;
inline constexpr int64_t kRejectedUseCase = 5;
inline constexpr int64_t kApprovedUseCase = 3;

// A service configuration over `dir` (clearcut.db, clearcut-audit.key and
// clearcut-audit.checkpoints in it) with the periodic checkpointer off.
app::ServiceConfig config_in(const std::filesystem::path& dir);

// Builds, through the Service, a database with a row in every table the audit log describes:
// the demo (organizations, users, productions, memberships, use cases in every state, an
// approval, a comment), API tokens (one revoked), consents (one revoked), registered assets, a
// saved tool, a queued scan job. Then destroys the Service, which signs a last checkpoint.
// Returns "" or what failed.
std::string build_rich_database(const std::filesystem::path& dir);

// The rich database, built once per test program; copied into `dir`.
void copy_rich_database(const std::filesystem::path& dir);

// Runs `clearcut audit verify --db sqlite:DIR/clearcut.db` with `extra` arguments.
apitest::CommandResult verify(const std::filesystem::path& dir,
                              const std::vector<std::string>& extra = {});

// Direct SQLite access, as an attacker with the file has.
class Sqlite {
 public:
  explicit Sqlite(const std::filesystem::path& file);
  ~Sqlite();
  Sqlite(const Sqlite&) = delete;
  Sqlite& operator=(const Sqlite&) = delete;

  void exec(const std::string& sql);
  int64_t query_int(const std::string& sql);
  std::string query_text(const std::string& sql);
  // The audit log as stored, in sequence order.
  std::vector<audit::AuditEvent> events();
  // Replaces the whole log by `events`, numbered from 0, each with its recomputed leaf hash.
  void rewrite_log(std::vector<audit::AuditEvent> events);
  // Recomputes every stored leaf hash from the event as it now is.
  void recompute_leaf_hashes();
  void close();

 private:
  sqlite3* db_ = nullptr;
};

// A temporary folder named after the running test, removed at the end.
class SecurityTest : public testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::filesystem::path dir_;
};

}  // namespace clearcut::securitytest
