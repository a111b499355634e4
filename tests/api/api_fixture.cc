#include "tests/api/api_fixture.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <stdexcept>

#include <sys/file.h>

#include "clearcut/app/demo.h"
#include "clearcut/app/policy_source.h"
#include "clearcut/base/embedded.h"
#include "clearcut/store/postgres/postgres_connection.h"
#include "clearcut/store/sql/sql_value.h"

namespace clearcut::apitest {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string email_of(Who who) {
  switch (who) {
    case Who::kPartner:
      return "partner@vendor.example";
    case Who::kContact:
      return "contact@studio.example";
    case Who::kLegal:
      return "legal@studio.example";
    case Who::kAdmin:
      return "admin@studio.example";
    case Who::kOutsider:
      return "partner@other.example";
    case Who::kAnonymous:
    case Who::kBadToken:
      break;
  }
  return "";
}

template <typename T>
T take(base::Result<T> result, const std::string& what) {
  if (!result.has_value()) {
    throw std::runtime_error(what + ": " + result.error().to_string());
  }
  return std::move(result).value();
}

void take(const base::Status& status, const std::string& what) {
  if (!status.has_value()) {
    throw std::runtime_error(what + ": " + status.error().to_string());
  }
}

const char* pg_base_url() {
  const char* url = std::getenv("CLEARCUT_TEST_PG_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

// `url` naming database `name` instead of its own.
std::string with_database(const std::string& url, const std::string& name) {
  size_t authority = url.find("://");
  size_t slash = url.find('/', authority == std::string::npos ? 0 : authority + 3);
  size_t query = url.find('?');
  std::string tail = query == std::string::npos ? "" : url.substr(query);
  std::string head =
      url.substr(0, slash == std::string::npos ? std::min(query, url.size()) : slash);
  return head + "/" + name + tail;
}

void pg_admin(const std::string& sql) {
  auto connection = take(store::postgres::PostgresConnection::open(pg_base_url()), "connect");
  take(connection->execute(sql), sql);
}

// A name no other test process uses, now or before: the pid alone repeats across runs, and a
// directory a killed run left behind would then collide with this one's.
std::string unique_name(const char* what) {
  static std::atomic<int> counter{0};
  static const std::string run = [] {
    std::random_device random;
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(random()));
    return std::string(hex);
  }();
  return std::string("clearcut_api_") + what + "_" + std::to_string(::getpid()) + "_" + run + "_" +
         std::to_string(counter++);
}

std::string session_cookie(const HttpAnswer& answer) {
  std::optional<std::string> header = answer.header("Set-Cookie");
  const std::string prefix = "clearcut_session=";
  if (!header || header->rfind(prefix, 0) != 0) {
    throw std::runtime_error("no session cookie in " + answer.body);
  }
  return header->substr(prefix.size(), header->find(';') - prefix.size());
}

// Seeds the demo in `t.dir` (SQLite) or a new database (PostgreSQL), signs every account in
// through the API, gives each a token, and signs a checkpoint over all of it.
void build(Backend backend, DemoTemplate& t) {
  app::ServiceConfig config;
  config.signing_key = (t.dir / "clearcut-audit.key").string();
  if (backend == Backend::kPostgres) {
    t.pg_database = unique_name("template");
    pg_admin("CREATE DATABASE " + t.pg_database + " ENCODING 'UTF8' TEMPLATE template0");
    t.url = with_database(pg_base_url(), t.pg_database);
  } else {
    t.url = "sqlite:" + (t.dir / "clearcut.db").string();
  }
  config.db = t.url;
  std::unique_ptr<app::Service> service = take(app::Service::open(config), "open");
  take(app::seed_demo(*service), "seed_demo");
  http::HttpServerOptions options;
  std::unique_ptr<http::HttpServer> server = take(service->serve(options), "serve");
  for (Who who : kSignedIn) {
    json login = {{"email", email_of(who)}, {"password", std::string(app::kDemoPassword)}};
    HttpAnswer answer = http_request(server->port(), "POST", "/api/v1/session", login.dump());
    if (answer.status != 201) {
      throw std::runtime_error("login of " + email_of(who) + ": " + std::to_string(answer.status) +
                               " " + answer.body + answer.error);
    }
    Credentials& c = t.credentials[who];
    c.session = session_cookie(answer);
    c.csrf = answer.json().at("csrf_token").get<std::string>();
    c.user_id = answer.json().at("user").at("id").get<int64_t>();
    HttpAnswer token =
        http_request(server->port(), "POST", "/api/v1/tokens", R"({"name":"api tests"})",
                     {{"Cookie", "clearcut_session=" + c.session}, {"X-CSRF-Token", c.csrf}});
    if (token.status != 201) {
      throw std::runtime_error("token of " + email_of(who) + ": " + token.body + token.error);
    }
    c.token = token.json().at("secret").get<std::string>();
  }
  server->stop();
  take(service->audit_service().checkpoint(), "checkpoint");
}

json to_json(const DemoTemplate& t) {
  json credentials = json::object();
  for (const auto& [who, c] : t.credentials) {
    credentials[std::string(who_name(who))] = {
        {"user_id", c.user_id}, {"session", c.session}, {"csrf", c.csrf}, {"token", c.token}};
  }
  return {{"url", t.url},
          {"pg_database", t.pg_database},
          {"created", std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count()},
          {"credentials", credentials}};
}

// Reads what to_json wrote; false when it is missing, unreadable, too old for its sessions, or
// names a PostgreSQL database that no longer exists (another server on the same port).
bool load(DemoTemplate& t) {
  std::ifstream in(t.dir / "template.json");
  json saved = json::parse(in, nullptr, false);
  if (saved.is_discarded() || !saved.is_object()) {
    return false;
  }
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  if (now - saved.value("created", int64_t{0}) > 6 * 3600) {
    return false;  // sessions last 12 hours
  }
  t.url = saved.value("url", "");
  t.pg_database = saved.value("pg_database", "");
  if (!t.pg_database.empty()) {
    auto connection = store::postgres::PostgresConnection::open(pg_base_url());
    if (!connection.has_value()) {
      return false;
    }
    auto rows = (*connection)
                    ->query("SELECT 1 FROM pg_database WHERE datname = ?",
                            {store::sql::SqlValue(t.pg_database)});
    if (!rows.has_value() || rows->empty()) {
      return false;
    }
  }
  for (Who who : kSignedIn) {
    const json& c = saved.at("credentials").value(std::string(who_name(who)), json::object());
    t.credentials[who] = {c.value("user_id", int64_t{0}), c.value("session", ""),
                          c.value("csrf", ""), c.value("token", "")};
  }
  return true;
}

// Names this build of the test program: a rebuilt program never reuses an older cache.
std::string program_stamp() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  auto mtime = fs::last_write_time(exe, ec).time_since_epoch().count();
  auto size = fs::file_size(exe, ec);
  return exe.filename().string() + "-" + std::to_string(mtime) + "-" + std::to_string(size);
}

// An exclusive lock on a file, held until destruction: one process builds a template while
// the others wait for it.
class FileLock {
 public:
  explicit FileLock(const fs::path& path)
      : fd_(::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644)) {
    if (fd_ >= 0) {
      while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
    }
  }
  ~FileLock() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

// Removes the cached templates this one replaces: those of other builds of this program, and
// older ones of the same backend (a PostgreSQL server of an earlier run), with their databases.
void prune(const fs::path& root, const std::string& stamp, Backend backend,
           const std::string& keep) {
  std::string program = stamp.substr(0, stamp.find('-') + 1);
  std::string same_backend = stamp + (backend == Backend::kSqlite ? "-sqlite" : "-postgresql");
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(root, ec)) {
    std::string name = entry.path().filename().string();
    bool replaced = name.rfind(program, 0) == 0 &&
                    (name.rfind(stamp, 0) != 0 || name.rfind(same_backend, 0) == 0);
    if (!entry.is_directory() || name == keep || !replaced) {
      continue;
    }
    std::ifstream in(entry.path() / "template.json");
    json saved = json::parse(in, nullptr, false);
    if (saved.is_object() && !saved.value("pg_database", "").empty() && pg_base_url() != nullptr) {
      try {
        pg_admin("DROP DATABASE IF EXISTS " + saved.value("pg_database", "") + " WITH (FORCE)");
      } catch (const std::exception&) {
        // Another server, or gone already.
      }
    }
    fs::remove_all(entry.path(), ec);
  }
}

}  // namespace

const DemoTemplate& demo_template(Backend backend) {
  static std::mutex mu;
  static std::map<Backend, DemoTemplate> templates;
  std::lock_guard lock(mu);
  auto it = templates.find(backend);
  if (it != templates.end()) {
    return it->second;
  }
  DemoTemplate& t = templates[backend];
  try {
    fs::path root = CLEARCUT_API_TEST_CACHE;
    fs::create_directories(root);
    FileLock file_lock(root / "lock");
    std::string stamp = program_stamp();
    std::string key = stamp + "-" + (backend == Backend::kSqlite ? "sqlite" : "postgresql");
    if (backend == Backend::kPostgres) {
      key += "-" + std::to_string(std::hash<std::string>()(pg_base_url()));
    }
    t.dir = root / key;
    if (!load(t)) {
      t = DemoTemplate{};
      t.dir = root / key;
      prune(root, stamp, backend, key);
      fs::remove_all(t.dir);
      fs::create_directories(t.dir);
      build(backend, t);
      std::ofstream out(t.dir / "template.json.tmp");
      out << to_json(t).dump(2);
      out.close();
      fs::rename(t.dir / "template.json.tmp", t.dir / "template.json");
    }
  } catch (const std::exception& e) {
    t.error = e.what();
  }
  return t;
}

std::string backend_name(const testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "sqlite" : "postgresql";
}

std::string_view who_name(Who who) {
  switch (who) {
    case Who::kPartner:
      return "partner";
    case Who::kContact:
      return "contact";
    case Who::kLegal:
      return "legal";
    case Who::kAdmin:
      return "admin";
    case Who::kOutsider:
      return "outsider";
    case Who::kAnonymous:
      return "anonymous";
    case Who::kBadToken:
      return "bad token";
  }
  return "?";
}

std::string text_of(const json& value, const char* field) {
  if (!value.is_object() || !value.contains(field) || !value.at(field).is_string()) {
    return "";
  }
  return value.at(field).get<std::string>();
}

std::string notify_declaration(std::string_view summary) {
  return "schema: clearcut/v1\n"
         "summary: " +
         std::string(summary) +
         "\n"
         "purpose: ideation\n"
         "media: [image]\n"
         "pipeline:\n"
         "  - tool: imagegen-pro\n"
         "inputs: [own_material]\n"
         "references: [none]\n"
         "training: {trains_model: no, on: []}\n"
         "output: {in_final: no, prominence: incidental, story_relevant: no,\n"
         "         key_creative_element: no, on_screen_element: none,\n"
         "         could_be_mistaken_for_real: no, factual_content: no}\n"
         "talent: {likeness: no, digital_replica: none, alteration: none,\n"
         "         replaces_union_work: no, performer_model_outside_scope: no}\n"
         "principles: {p1_no_infringement: yes, p2_no_training_on_production_data: yes,\n"
         "             p3_enterprise_environment: yes, p4_temporary_not_final: yes,\n"
         "             p5_no_talent_replacement_without_consent: yes}\n";
}

std::string escalate_declaration(std::string_view summary) {
  std::string text = notify_declaration(summary);
  // In the final cut and a key creative element: written approval (TRIG-FINAL, MATRIX-3).
  auto replace = [&](std::string_view from, std::string_view to) {
    size_t at = text.find(from);
    if (at == std::string::npos) {
      throw std::logic_error("notify_declaration changed: " + std::string(from));
    }
    text.replace(at, from.size(), to);
  };
  replace("purpose: ideation", "purpose: final_asset");
  replace("in_final: no", "in_final: yes");
  replace("key_creative_element: no", "key_creative_element: yes");
  replace("p4_temporary_not_final: yes", "p4_temporary_not_final: no");
  return text;
}

std::string strict_pack() {
  return "name: strict-house-rules\n"
         "version: \"2026.1\"\n"
         "description: Every GenAI use needs written approval.\n"
         "rules:\n"
         "  - id: ALL-WRITTEN\n"
         "    section: intro\n"
         "    outcome: written_approval\n"
         "    actions: [notify_contact, legal_review]\n"
         "    why: This studio asks for written approval of every GenAI use.\n"
         "    when: \"true\"\n";
}

std::string default_pack() {
  std::optional<std::string_view> text = base::find_embedded(app::kDefaultPackPath);
  return text ? std::string(*text) : std::string();
}

void ApiTest::SetUp() {
  if (GetParam() == Backend::kPostgres && pg_base_url() == nullptr) {
    GTEST_SKIP() << "CLEARCUT_TEST_PG_URL is not set: run under scripts/with-postgres to test "
                    "PostgreSQL";
  }
  const DemoTemplate& t = demo_template(GetParam());
  ASSERT_EQ(t.error, "") << "building the demo database failed";
  credentials_ = t.credentials;
  dir_ = std::filesystem::temp_directory_path() / unique_name("test");
  std::filesystem::create_directories(dir_);
  app::ServiceConfig config;
  config.signing_key = (dir_ / "clearcut-audit.key").string();
  std::filesystem::copy_file(t.dir / "clearcut-audit.key", config.signing_key);
  if (GetParam() == Backend::kPostgres) {
    pg_database_ = unique_name("test");
    ASSERT_NO_THROW(pg_admin("CREATE DATABASE " + pg_database_ + " TEMPLATE " + t.pg_database));
    db_url_ = with_database(pg_base_url(), pg_database_);
  } else {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::path from = t.dir / (std::string("clearcut.db") + suffix);
      if (std::filesystem::exists(from)) {
        std::filesystem::copy_file(from, dir_ / from.filename());
      }
    }
    db_url_ = "sqlite:" + (dir_ / "clearcut.db").string();
  }
  config.db = db_url_;
  config.scan_root = dir_ / "deliveries";
  config.blob_dir = (dir_ / "blobs").string();
  std::filesystem::create_directories(config.scan_root);
  configure(config);
  auto service = app::Service::open(config);
  ASSERT_TRUE(service.has_value()) << service.error().to_string();
  service_ = std::move(service).value();
  http::HttpServerOptions options;
  auto server = service_->serve(options);
  ASSERT_TRUE(server.has_value()) << server.error().to_string();
  server_ = std::move(server).value();
}

void ApiTest::TearDown() {
  if (server_) {
    server_->stop();
  }
  server_.reset();
  service_.reset();
  if (!pg_database_.empty()) {
    EXPECT_NO_THROW(pg_admin("DROP DATABASE IF EXISTS " + pg_database_ + " WITH (FORCE)"));
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

HttpAnswer ApiTest::send(Who who, std::string_view method, std::string_view path, const json& body,
                         Auth auth) {
  return call(who, method, path, body.dump(), auth);
}

HttpAnswer ApiTest::call(Who who, std::string_view method, std::string_view path,
                         std::string_view body, Auth auth, const Headers& extra) {
  Headers headers;
  if (who == Who::kBadToken) {
    headers.emplace_back("Authorization", "Bearer cc_0000000000000000000000000000000000000000");
  } else if (who != Who::kAnonymous) {
    const Credentials& c = credentials_.at(who);
    if (auth == Auth::kToken) {
      headers.emplace_back("Authorization", "Bearer " + c.token);
    } else {
      headers.emplace_back("Cookie", "clearcut_session=" + c.session);
      if (method != "GET") {
        headers.emplace_back("X-CSRF-Token", c.csrf);
      }
    }
  }
  headers.insert(headers.end(), extra.begin(), extra.end());
  return http_request(port(), method, path, body, headers);
}

json ApiTest::use_case(int64_t id) {
  HttpAnswer answer = get(Who::kAdmin, "/api/v1/use-cases/" + std::to_string(id));
  EXPECT_EQ(answer.status, 200) << answer.body << answer.error;
  return answer.json();
}

json ApiTest::declare(const std::string& declaration, bool submit) {
  HttpAnswer answer =
      send(Who::kPartner, "POST", "/api/v1/productions/" + std::to_string(kShow) + "/use-cases",
           json{{"declaration", declaration}, {"submit", submit}});
  EXPECT_EQ(answer.status, 201) << answer.body << answer.error;
  return answer.json();
}

void ApiTest::settle_checklist(int64_t id) {
  std::string path = "/api/v1/use-cases/" + std::to_string(id) + "/checklist";
  HttpAnswer checklist = get(Who::kAdmin, path);
  ASSERT_EQ(checklist.status, 200) << checklist.body;
  bool consented = false;
  json body = checklist.json();
  for (const json& item : body.at("items")) {
    if (item.value("state", "") != "open") {
      continue;
    }
    std::string met_by = item.value("met_by", "");
    std::string item_path = path + "/" + std::to_string(item.value("id", int64_t{0}));
    HttpAnswer answer;
    if (met_by == "consent") {
      for (const char* kind : {"replica_creation", "replica_use", "alteration"}) {
        if (consented) {
          break;  // the consents recorded for the first consent item meet the others too
        }
        answer =
            send(Who::kLegal, "POST", "/api/v1/productions/" + std::to_string(kShow) + "/consents",
                 json{{"performer", "The performer"},
                      {"kind", kind},
                      {"scope", "This use case only"},
                      {"document_sha256", std::string(64, 'f')},
                      {"use_case_id", id}});
        ASSERT_EQ(answer.status, 201) << answer.body;
      }
      consented = true;
      continue;
    }
    if (met_by == "declaration" || met_by == "registry") {
      answer = send(Who::kLegal, "POST", item_path + "/waive",
                    json{{"reason", "Settled with the partner in the review call"}});
    } else if (met_by == "document") {
      answer = send(Who::kContact, "POST", item_path + "/evidence",
                    json{{"document_sha256", std::string(64, 'e')}});
    } else {
      answer = send(Who::kContact, "POST", item_path + "/evidence",
                    json{{"text", "On file with the episode's clearance pack"}});
    }
    ASSERT_EQ(answer.status, 200) << item.dump() << " " << answer.body;
  }
}

json ApiTest::approval_body(const json& revision, std::string_view conditions) {
  return {{"revision", revision},
          {"conditions", conditions},
          {"signer_name", "Lee Legal"},
          {"reason", "Reviewed; the checklist is met"}};
}

HttpAnswer ApiTest::act(Who who, int64_t id, std::string_view action, std::string_view note) {
  json body = {{"action", action}, {"revision", use_case(id).value("revision", int64_t{0})}};
  if (!note.empty()) {
    body["note"] = note;
  }
  return send(who, "POST", "/api/v1/use-cases/" + std::to_string(id) + "/transitions", body);
}

std::vector<clearance::StateDifference> ApiTest::replay_differences() {
  auto store = store::open_store(db_url(), store::OpenMode::kExisting);
  EXPECT_TRUE(store.has_value());
  auto tx = (*store)->begin().value();
  std::vector<audit::AuditEvent> all;
  for (uint64_t from = 0;;) {
    std::vector<store::AuditRecord> page = tx->audit().list(from, 10000).value();
    for (const store::AuditRecord& r : page) {
      all.push_back(r.event);
    }
    if (page.size() < 10000) {
      break;
    }
    from = page.back().event.sequence + 1;
  }
  return clearance::compare_state_with_events(all, *tx).value();
}

uint64_t ApiTest::audit_size() {
  HttpAnswer answer = get(Who::kAdmin, "/api/v1/audit/events?limit=1");
  EXPECT_EQ(answer.status, 200) << answer.body << answer.error;
  return answer.json().value("size", uint64_t{0});
}

std::string ApiTest::snapshot(int64_t use_case_id) {
  std::string out;
  for (std::string path :
       {"/api/v1/use-cases/" + std::to_string(use_case_id),
        std::string("/api/v1/productions/1/use-cases?limit=200"),
        std::string("/api/v1/productions/2/use-cases?limit=200"),
        "/api/v1/use-cases/" + std::to_string(use_case_id) + "/checklist",
        std::string("/api/v1/productions/1/consents"), std::string("/api/v1/productions"),
        std::string("/api/v1/tools"), std::string("/api/v1/policy-packs"),
        std::string("/api/v1/users"), std::string("/api/v1/audit/events?limit=1")}) {
    HttpAnswer answer = get(Who::kAdmin, path);
    out += path + " -> " + std::to_string(answer.status) + " " + answer.body + "\n";
  }
  return out;
}

bool ApiTest::expect_unchanged(const std::string& before, int64_t use_case_id) {
  std::string after = snapshot(use_case_id);
  if (after == before) {
    return true;
  }
  size_t at = 0;
  while (at < before.size() && at < after.size() && before[at] == after[at]) {
    ++at;
  }
  size_t line = before.rfind('\n', at);
  line = line == std::string::npos ? 0 : line + 1;
  size_t from = at > line + 120 ? at - 120 : line;
  ADD_FAILURE() << "the state changed at " << before.substr(line, before.find(' ', line) - line)
                << ":\n  before: ..." << before.substr(from, 240) << "\n  after:  ..."
                << after.substr(from, 240);
  return false;
}

}  // namespace clearcut::apitest
