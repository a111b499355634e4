#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tests/api/http_client.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/api/http/http_server.h"
#include "clearcut/app/service.h"
#include "clearcut/clearance/state_replay.h"

namespace clearcut::apitest {

// Every API test runs against SQLite (a file in a temporary folder) and, when
// CLEARCUT_TEST_PG_URL names a server (scripts/with-postgres), against PostgreSQL in a database
// of its own.
enum class Backend { kSqlite, kPostgres };
std::string backend_name(const testing::TestParamInfo<Backend>& info);

// Who sends a request: the demo's accounts (app/demo.h), nobody, or a made-up bearer token.
enum class Who { kPartner, kContact, kLegal, kAdmin, kOutsider, kAnonymous, kBadToken };
std::string_view who_name(Who who);
inline constexpr Who kSignedIn[] = {Who::kPartner, Who::kContact, Who::kLegal, Who::kAdmin,
                                    Who::kOutsider};

// How a signed-in account authenticates: session cookie (+ X-CSRF-Token on unsafe methods) or
// `Authorization: Bearer`.
enum class Auth { kSession, kToken };

struct Credentials {
  int64_t user_id = 0;
  std::string session;  // the clearcut_session cookie's value
  std::string csrf;
  std::string token;  // an API token's secret
};

// The demo's productions and use cases (app/demo.cc), by the ids seed_demo gives them.
inline constexpr int64_t kShow = 1;       // squid-game-s3: partner, contact, legal are members
inline constexpr int64_t kOtherShow = 2;  // other-show: only the outsider (a partner)
inline constexpr int64_t kDemoNotified = 1;
inline constexpr int64_t kDemoEscalated = 2;
inline constexpr int64_t kDemoApproved = 3;
inline constexpr int64_t kDemoDraft = 4;
inline constexpr int64_t kDemoRejected = 5;
inline constexpr int64_t kDemoWithdrawn = 6;

// A declaration that the default pack answers with `notify` (ideation, nothing on screen).
std::string notify_declaration(std::string_view summary = "Mood board for the glass bridge set");
// One that needs written approval, so that submitting it escalates (a key visual in the final).
std::string escalate_declaration(std::string_view summary = "Key art of the masked guards");
// A pack that asks for written approval of everything: stricter than the default for any case.
std::string strict_pack();
// The default pack's text.
std::string default_pack();

// The demo database of a backend (app/demo.h) with every account signed in and holding an API
// token, and a checkpoint over its whole audit log. Built once per build of the test program and
// cached under the build tree (CLEARCUT_API_TEST_CACHE; a file lock makes concurrent test
// processes wait for the first), because Argon2 makes seeding and signing in the slow part.
struct DemoTemplate {
  std::string error;          // why building it failed; then nothing else is set
  std::filesystem::path dir;  // clearcut-audit.key, and clearcut.db for SQLite
  std::string url;            // the database
  std::string pg_database;    // its name, for PostgreSQL (a template for CREATE DATABASE)
  std::map<Who, Credentials> credentials;
};
const DemoTemplate& demo_template(Backend backend);

// A server on port 0 over a copy of the demo template, so that each test starts from the same
// state without paying for Argon2 again.
class ApiTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Adjusts the server's configuration before it opens (secure cookies, proxies, limits).
  virtual void configure(app::ServiceConfig& /*config*/) {}

  // Sends a request as `who` with a JSON body.
  HttpAnswer send(Who who, std::string_view method, std::string_view path,
                  const nlohmann::json& body, Auth auth = Auth::kSession);
  // Sends a request as `who` with a body as it is.
  HttpAnswer call(Who who, std::string_view method, std::string_view path,
                  std::string_view body = {}, Auth auth = Auth::kSession,
                  const Headers& extra = {});
  HttpAnswer get(Who who, std::string_view path) { return call(who, "GET", path); }

  // The use case as the admin sees it (GET /api/v1/use-cases/{id}); a test failure otherwise.
  nlohmann::json use_case(int64_t id);
  // A new use case in kShow, declared by the partner; submitted when `submit`.
  nlohmann::json declare(const std::string& declaration, bool submit);
  // Meets every open item of the use case's checklist as the studio would: legal links a
  // consent of each kind for a consent item, the contact records a statement (or a licence's
  // digest) for each other action, legal waives each question with a reason.
  void settle_checklist(int64_t id);
  // The signed body of an approval at `revision` (signer_name and reason given).
  static nlohmann::json approval_body(const nlohmann::json& revision,
                                      std::string_view conditions = "");
  // Takes `action` on the use case as `who` at its current revision; returns the answer.
  HttpAnswer act(Who who, int64_t id, std::string_view action, std::string_view note = "");
  // The audit log's size (GET /api/v1/audit/events as the admin).
  uint64_t audit_size();
  // The state tables against a replay of the whole audit log (what `audit verify` compares).
  std::vector<clearance::StateDifference> replay_differences();
  // Everything a failed request could have touched, as the admin reads it: the use case, the
  // lists of use cases, comments, approvals, consents, tools, packs, users, and the audit size
  // (the log is append-only: its size says whether anything was written).
  std::string snapshot(int64_t use_case_id);
  // Expects snapshot(use_case_id) to equal `before`; reports the first line that differs.
  bool expect_unchanged(const std::string& before, int64_t use_case_id);

  const Credentials& credentials(Who who) const { return credentials_.at(who); }
  uint16_t port() const { return server_->port(); }
  app::Service& service() { return *service_; }
  std::string db_url() const { return db_url_; }
  // The server's scan root (ServiceConfig::scan_root), an empty folder at the start.
  std::filesystem::path scan_root() const { return dir_ / "deliveries"; }

 private:
  std::map<Who, Credentials> credentials_;
  std::string db_url_;
  std::string pg_database_;
  std::filesystem::path dir_;
  std::unique_ptr<app::Service> service_;
  std::unique_ptr<http::HttpServer> server_;
};

// `json["field"]` as text, or "" when absent; for messages.
std::string text_of(const nlohmann::json& json, const char* field);

}  // namespace clearcut::apitest
