#include "tests/security/security_fixture.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <mutex>

#include <sys/file.h>

#include "clearcut/app/demo.h"
#include "clearcut/base/hex.h"
#include "clearcut/clearance/clock.h"

namespace clearcut::securitytest {

namespace fs = std::filesystem;

app::ServiceConfig config_in(const fs::path& dir) {
  app::ServiceConfig config;
  config.db = "sqlite:" + (dir / "clearcut.db").string();
  config.signing_key = (dir / "clearcut-audit.key").string();
  config.scan_root = dir / "deliveries";
  config.checkpoint_every_events = 0;
  config.checkpoint_interval = std::chrono::milliseconds(0);
  return config;
}

namespace {

template <typename T>
std::string failed(const char* what, const base::Result<T>& result) {
  return result.has_value() ? "" : std::string(what) + ": " + result.error().to_string();
}

#define CC_TEST_TRY(what, expr)     \
  do {                              \
    auto result_ = (expr);          \
    if (!result_.has_value()) {     \
      return failed(what, result_); \
    }                               \
  } while (0)

std::string build_in_service(app::Service& service) {
  CC_TEST_TRY("seed_demo", app::seed_demo(service));
  auto actor = [&](int64_t id) -> clearance::Actor {
    auto tx = service.store().begin();
    return service.accounts().actor_for(**tx, id).value();
  };
  clearance::Actor admin = actor(kAdmin);
  clearance::Actor legal = actor(kLegal);
  clearance::Actor partner = actor(kPartner);
  // Tokens: one kept, one revoked.
  CC_TEST_TRY("token", service.accounts().create_token(admin, "ci"));
  auto revoked = service.accounts().create_token(partner, "old laptop");
  CC_TEST_TRY("token", revoked);
  CC_TEST_TRY("revoke token", service.accounts().revoke_token(partner, revoked->token.id));
  // Consents: one in force, one revoked.
  domain::Consent consent;
  consent.production_id = kShow;
  consent.use_case_id = kApprovedUseCase;
  consent.performer = "Jane Performer";
  consent.kind = domain::ConsentKind::kReplicaUse;
  consent.scope = "Voice replica for ADR on S3E4";
  consent.document_sha256 = std::string(64, 'a');
  CC_TEST_TRY("consent", service.clearance().record_consent(legal, consent));
  consent.performer = "John Extra";
  consent.use_case_id = 0;
  consent.document_sha256 = std::string(64, 'b');
  auto second = service.clearance().record_consent(legal, consent);
  CC_TEST_TRY("consent", second);
  CC_TEST_TRY("revoke consent", service.clearance().revoke_consent(legal, second->id));
  // Registered outputs of the approved use case.
  for (char fill : {'1', '2'}) {
    domain::Asset asset;
    asset.production_id = kShow;
    asset.use_case_id = kApprovedUseCase;
    asset.file_name = std::string("voice-") + fill + ".png";
    asset.media_type = "image/png";
    asset.sha256 = std::string(64, fill);
    asset.pdq = std::string(64, 'f');
    asset.width = 640;
    asset.height = 360;
    asset.manifest_id = std::string("urn:c2pa:test-") + fill;
    asset.watermark_payload = 0x1234 + static_cast<uint64_t>(fill);
    CC_TEST_TRY("asset", service.assets().register_asset(partner, asset));
  }
  // A tool edit and a queued scan job.
  domain::Tool tool;
  tool.id = "inhouse-upscaler";
  tool.name = "In-house upscaler";
  tool.vendor = "Studio";
  tool.license_tier = "enterprise";
  tool.reviewed_on = "2026-10-01";
  CC_TEST_TRY("tool", service.clearance().upsert_tool(admin, tool));
  // Evidence attachments: the licence of the approved use case (downloaded once) and the tool's
  // reviewed terms.
  auto licence = service.attachments().add(legal, domain::AttachmentParent::kUseCase,
                                           std::to_string(kApprovedUseCase), "licence.pdf",
                                           "%PDF-1.7\nlicence\n%%EOF\n");
  CC_TEST_TRY("attachment", licence);
  CC_TEST_TRY("download", service.attachments().download(legal, licence->id));
  CC_TEST_TRY("attachment",
              service.attachments().add(admin, domain::AttachmentParent::kTool, tool.id,
                                        "terms.txt", "Reviewed terms of the upscaler\n"));
  clearance::ScanRequest request;
  request.paths = {"reel1.mp4"};
  CC_TEST_TRY("scan", service.scans().submit(admin, kShow, request));
  // Webhooks: one in use, one disabled.
  clearance::WebhookRequest hook;
  hook.url = "https://hooks.studio.example/clearcut";
  hook.secret = "a webhook secret of the studio";
  CC_TEST_TRY("webhook", service.notifications().create_webhook(admin, kShow, hook));
  hook.url = "https://old.studio.example/hook";
  hook.format = "slack";
  auto old_hook = service.notifications().create_webhook(admin, kShow, hook);
  CC_TEST_TRY("webhook", old_hook);
  CC_TEST_TRY("disable webhook", service.notifications().disable_webhook(admin, old_hook->id));
  return "";
}

}  // namespace

std::string build_rich_database(const fs::path& dir) {
  fs::create_directories(dir / "deliveries");
  { std::ofstream(dir / "deliveries" / "reel1.mp4") << "not really a video"; }
  auto service = app::Service::open(config_in(dir));
  if (!service.has_value()) {
    return "open: " + service.error().to_string();
  }
  return build_in_service(**service);
}

void copy_rich_database(const fs::path& dir) {
  // Built once per build of the test program and kept under the build tree, since ctest runs
  // each test in a process of its own and Argon2 (five demo accounts) is the slow part. A
  // file lock makes concurrent test processes wait for the first.
  static std::once_flag once;
  static fs::path built;
  static std::string error;
  std::call_once(once, [] {
    std::error_code ec;
    auto stamp = fs::last_write_time("/proc/self/exe", ec).time_since_epoch().count();
    fs::path cache = CLEARCUT_SECURITY_TEST_CACHE;
    fs::create_directories(cache);
    built = cache / ("rich-" + std::to_string(stamp));
    int lock = ::open((cache / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    ::flock(lock, LOCK_EX);
    if (!fs::exists(built / "done")) {
      fs::remove_all(built);
      error = build_rich_database(built);
      if (error.empty()) {
        std::ofstream(built / "done") << "ok\n";
      }
    }
    ::flock(lock, LOCK_UN);
    ::close(lock);
  });
  ASSERT_EQ(error, "");
  fs::create_directories(dir);
  for (const char* file : {"clearcut.db", "clearcut.db-wal", "clearcut.db-shm",
                           "clearcut-audit.key", "clearcut-audit.checkpoints"}) {
    if (fs::exists(built / file)) {
      fs::copy_file(built / file, dir / file, fs::copy_options::overwrite_existing);
    }
  }
}

apitest::CommandResult verify(const fs::path& dir, const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {CLEARCUT_BINARY, "audit", "verify", "--db",
                                   "sqlite:" + (dir / "clearcut.db").string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return apitest::run_command(argv);
}

Sqlite::Sqlite(const fs::path& file) {
  EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  // An attacker with the file is not stopped by the append-only triggers.
  exec(
      "DROP TRIGGER IF EXISTS audit_events_no_update; "
      "DROP TRIGGER IF EXISTS audit_events_no_delete;");
}

Sqlite::~Sqlite() {
  close();
}

void Sqlite::close() {
  if (db_ != nullptr) {
    sqlite3_close(db_);
    db_ = nullptr;
  }
}

void Sqlite::exec(const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (error != nullptr ? error : "");
  sqlite3_free(error);
}

int64_t Sqlite::query_int(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  int64_t value = -1;
  if (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
    value = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return value;
}

std::string Sqlite::query_text(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  std::string value;
  if (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0)) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  return value;
}

std::vector<audit::AuditEvent> Sqlite::events() {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db_,
                               "SELECT sequence, time, actor, action, subject_type, subject_id, "
                               "payload_json FROM audit_events ORDER BY sequence",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  std::vector<audit::AuditEvent> out;
  auto column = [&](int i) {
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)));
  };
  while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
    audit::AuditEvent e;
    e.sequence = static_cast<uint64_t>(sqlite3_column_int64(stmt, 0));
    e.time = column(1);
    e.actor = column(2);
    e.action = column(3);
    e.subject_type = column(4);
    e.subject_id = column(5);
    e.payload_json = column(6);
    out.push_back(e);
  }
  sqlite3_finalize(stmt);
  return out;
}

void Sqlite::rewrite_log(std::vector<audit::AuditEvent> events) {
  exec("DELETE FROM audit_events");
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db_,
                               "INSERT INTO audit_events (sequence, time, actor, action, "
                               "subject_type, subject_id, payload_json, leaf_hash) VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?)",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  for (size_t i = 0; i < events.size(); ++i) {
    audit::AuditEvent& e = events[i];
    e.sequence = i;
    auto leaf = audit::audit_event_leaf_hash(e);
    ASSERT_TRUE(leaf.has_value());
    std::string hex = base::to_hex(*leaf);
    sqlite3_bind_int64(stmt, 1, static_cast<int64_t>(i));
    const std::string* texts[] = {&e.time,       &e.actor,        &e.action, &e.subject_type,
                                  &e.subject_id, &e.payload_json, &hex};
    for (int k = 0; k < 7; ++k) {
      sqlite3_bind_text(stmt, k + 2, texts[k]->c_str(), -1, SQLITE_TRANSIENT);
    }
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
}

void Sqlite::recompute_leaf_hashes() {
  rewrite_log(events());
}

void SecurityTest::SetUp() {
  const auto* info = testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "_" + info->name();
  std::replace(name.begin(), name.end(), '/', '_');
  dir_ =
      fs::temp_directory_path() / ("clearcut_security_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(dir_);
  fs::create_directories(dir_);
}

void SecurityTest::TearDown() {
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

}  // namespace clearcut::securitytest
