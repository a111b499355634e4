// The store's conformance suite: every test runs against SQLite and, when CLEARCUT_TEST_PG_URL
// names a server, PostgreSQL, through the Transaction interface alone. Over 800 lines: the tests
// share one parameterised fixture and its helpers; splitting it by aggregate, as
// store/*_records.h are, is still to do.

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "clearcut/base/hex.h"
#include "clearcut/store/postgres/postgres_connection.h"
#include "clearcut/store/sql/sql_store.h"
#include "clearcut/store/store.h"

namespace clearcut::store {
namespace {

using base::ErrorCode;
using base::Result;

// One suite for every backend: each test runs against SQLite (a temporary file) and, when
// CLEARCUT_TEST_PG_URL is set, against PostgreSQL in a schema of its own.
enum class Backend { kSqlite, kPostgres };

constexpr const char* kT0 = "2026-11-22T01:00:00Z";
constexpr const char* kT1 = "2026-11-22T02:00:00.125Z";
constexpr const char* kT2 = "2026-11-23T09:30:00Z";

// The value of a Result, or a test failure (GoogleTest reports the exception).
template <typename T>
T take(Result<T> result) {
  if (!result.has_value()) {
    throw std::runtime_error("unexpected error: " + result.error().to_string());
  }
  return std::move(result).value();
}

void ok(const base::Status& status) {
  if (!status.has_value()) {
    throw std::runtime_error("unexpected error: " + status.error().to_string());
  }
}

// "ok" or the error code's name, for readable expectations.
template <typename T>
std::string code(const Result<T>& result) {
  return result.has_value() ? "ok" : std::string(base::error_code_name(result.error().code()));
}

std::string backend_name(const testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "sqlite" : "postgresql";
}

// gtest finds a parameter's printer by this name.
void PrintTo(Backend backend, std::ostream* os) {  // NOLINT(readability-identifier-naming)
  *os << (backend == Backend::kSqlite ? "sqlite" : "postgresql");
}

// The rows every test starts from.
struct World {
  int64_t studio = 0;
  int64_t vendor = 0;
  int64_t admin = 0;
  int64_t partner = 0;
  int64_t legal = 0;
  int64_t production = 0;
  int64_t other_production = 0;
  int64_t use_case = 0;
};

domain::User make_user(int64_t org, const std::string& email) {
  domain::User user;
  user.organization_id = org;
  user.email = email;
  user.name = "Name of " + email;
  user.password_hash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA";
  user.created_at = kT0;
  return user;
}

domain::UseCase make_use_case(int64_t production, int64_t user) {
  domain::UseCase use_case;
  use_case.production_id = production;
  use_case.created_by = user;
  use_case.summary = "De-age the lead in the flashback";
  use_case.declaration_json = R"({"schema":"clearcut/v1"})";
  use_case.declaration_digest = std::string(64, 'a');
  use_case.state = domain::UseCaseState::kDraft;
  use_case.created_at = kT0;
  use_case.updated_at = kT0;
  return use_case;
}

audit::AuditEvent make_event(const std::string& actor, int n) {
  audit::AuditEvent event;
  event.time = kT1;
  event.actor = actor;
  event.action = "use_case.created";
  event.subject_type = "use_case";
  event.subject_id = std::to_string(n);
  event.payload_json = R"({"n":)" + std::to_string(n) + "}";
  return event;
}

std::string leaf_hex(const audit::AuditEvent& event) {
  return base::to_hex(take(audit::audit_event_leaf_hash(event)));
}

class StoreTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    std::string unique = std::to_string(getpid()) + "_" + std::to_string(counter++);
    if (GetParam() == Backend::kPostgres) {
      const char* url = std::getenv("CLEARCUT_TEST_PG_URL");
      if (url == nullptr || *url == '\0') {
        GTEST_SKIP() << "CLEARCUT_TEST_PG_URL is not set: run under scripts/with-postgres to "
                        "test PostgreSQL";
      }
      base_url_ = url;
      schema_ = "clearcut_test_" + unique;
      ok(admin_execute("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_));
      url_ = base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") +
             "options=-csearch_path%3D" + schema_;
    } else {
      dir_ = std::filesystem::temp_directory_path() / ("clearcut_store_test_" + unique);
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "clearcut.db").string();
    }
    store_ = take(open_store(url_));
  }

  void TearDown() override {
    store_.reset();
    if (!schema_.empty()) {
      (void)admin_execute("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    }
    if (!dir_.empty()) {
      std::filesystem::remove_all(dir_);
    }
  }

  base::Status admin_execute(const std::string& sql) {
    auto connection = CC_TRY(postgres::PostgresConnection::open(base_url_));
    return connection->execute(sql);
  }

  // SQLite runs one transaction at a time: tests end one (tx.reset()) before the next.
  std::unique_ptr<Transaction> begin() { return take(store_->begin()); }

  sql::SqlStore& raw() { return dynamic_cast<sql::SqlStore&>(*store_); }

  World seed() {
    World w;
    auto tx = begin();
    w.studio = take(tx->accounts().create_organization({0, "Studio", kT0}));
    w.vendor = take(tx->accounts().create_organization({0, "VFX vendor", kT0}));
    domain::User admin = make_user(w.studio, "admin@studio.example");
    admin.admin = true;
    w.admin = take(tx->accounts().create_user(admin));
    w.partner = take(tx->accounts().create_user(make_user(w.vendor, "partner@vendor.example")));
    w.legal = take(tx->accounts().create_user(make_user(w.studio, "legal@studio.example")));
    w.production =
        take(tx->accounts().create_production({0, w.studio, "squid-game-s3", "Squid Game", kT0}));
    w.other_production =
        take(tx->accounts().create_production({0, w.studio, "other-show", "Other", kT0}));
    w.use_case = take(tx->use_cases().create(make_use_case(w.production, w.partner)));
    ok(tx->commit());
    return w;
  }

  std::string url_;
  std::string base_url_;
  std::string schema_;
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, Backend) {
  EXPECT_EQ(store_->backend(), GetParam() == Backend::kSqlite ? "sqlite" : "postgresql");
}

TEST_P(StoreTest, Organizations) {
  auto tx = begin();
  int64_t a = take(tx->accounts().create_organization({0, "Studio", kT0}));
  int64_t b = take(tx->accounts().create_organization({0, "Vendor ünïcode", kT1}));
  EXPECT_NE(a, b);
  domain::Organization got = take(tx->accounts().get_organization(b));
  EXPECT_EQ(got.id, b);
  EXPECT_EQ(got.name, "Vendor ünïcode");
  EXPECT_EQ(got.created_at, kT1);
  std::vector<domain::Organization> all = take(tx->accounts().list_organizations());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, a);
  EXPECT_EQ(all[1].id, b);
  EXPECT_EQ(code(tx->accounts().get_organization(b + 100)), "not_found");
  EXPECT_EQ(code(tx->accounts().create_organization({0, "Bad time", "yesterday"})),
            "invalid_argument");
  ok(tx->commit());
}

TEST_P(StoreTest, Users) {
  World w = seed();
  auto tx = begin();
  domain::User user = make_user(w.vendor, "new@vendor.example");
  user.admin = true;
  user.disabled = true;
  user.password_hash = "";
  user.created_at = kT1;
  user.id = take(tx->accounts().create_user(user));
  domain::User got = take(tx->accounts().get_user(user.id));
  EXPECT_EQ(got.id, user.id);
  EXPECT_EQ(got.organization_id, w.vendor);
  EXPECT_EQ(got.email, "new@vendor.example");
  EXPECT_EQ(got.name, user.name);
  EXPECT_EQ(got.password_hash, "");
  EXPECT_TRUE(got.admin);
  EXPECT_TRUE(got.disabled);
  EXPECT_EQ(got.created_at, kT1);

  std::optional<domain::User> found = take(tx->accounts().find_user_by_email("New@Vendor.example"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, user.id);
  EXPECT_FALSE(take(tx->accounts().find_user_by_email("nobody@vendor.example")).has_value());

  got.name = "Renamed";
  got.email = "renamed@vendor.example";
  got.organization_id = w.studio;
  got.admin = false;
  got.disabled = false;
  got.password_hash = "$argon2id$new";
  ok(tx->accounts().update_user(got));
  domain::User updated = take(tx->accounts().get_user(user.id));
  EXPECT_EQ(updated.name, "Renamed");
  EXPECT_EQ(updated.email, "renamed@vendor.example");
  EXPECT_EQ(updated.organization_id, w.studio);
  EXPECT_FALSE(updated.admin);
  EXPECT_FALSE(updated.disabled);
  EXPECT_EQ(updated.password_hash, "$argon2id$new");

  std::vector<domain::User> all = take(tx->accounts().list_users());
  ASSERT_EQ(all.size(), 4u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(),
                             [](const auto& x, const auto& y) { return x.id < y.id; }));

  EXPECT_EQ(code(tx->accounts().get_user(9999)), "not_found");
  domain::User ghost = updated;
  ghost.id = 9999;
  EXPECT_EQ(code(tx->accounts().update_user(ghost)), "not_found");
  EXPECT_EQ(code(tx->accounts().create_user(make_user(w.vendor, "Upper@vendor.example"))),
            "invalid_argument");
  EXPECT_EQ(code(tx->accounts().create_user(make_user(w.vendor, ""))), "invalid_argument");
  ok(tx->commit());

  tx.reset();
  tx = begin();
  auto duplicate = tx->accounts().create_user(make_user(w.vendor, "partner@vendor.example"));
  EXPECT_EQ(code(duplicate), "already_exists");
  EXPECT_NE(duplicate.error().message().find("email"), std::string::npos);
  EXPECT_EQ(duplicate.error().message().find("INSERT"), std::string::npos);

  tx.reset();
  tx = begin();
  updated.email = "partner@vendor.example";
  EXPECT_EQ(code(tx->accounts().update_user(updated)), "already_exists");

  tx.reset();
  tx = begin();
  EXPECT_EQ(code(tx->accounts().create_user(make_user(9999, "orphan@vendor.example"))),
            "not_found");
}

TEST_P(StoreTest, Memberships) {
  World w = seed();
  auto tx = begin();
  ok(tx->accounts().set_membership({w.partner, w.production, domain::Role::kPartner}));
  ok(tx->accounts().set_membership({w.partner, w.other_production, domain::Role::kContact}));
  ok(tx->accounts().set_membership({w.legal, w.production, domain::Role::kLegal}));
  // An upsert: the role changes, the row stays one.
  ok(tx->accounts().set_membership({w.partner, w.other_production, domain::Role::kLegal}));

  std::vector<domain::Membership> of_partner =
      take(tx->accounts().list_memberships_of_user(w.partner));
  ASSERT_EQ(of_partner.size(), 2u);
  EXPECT_EQ(of_partner[0].production_id, w.production);
  EXPECT_EQ(of_partner[0].role, domain::Role::kPartner);
  EXPECT_EQ(of_partner[1].production_id, w.other_production);
  EXPECT_EQ(of_partner[1].role, domain::Role::kLegal);
  EXPECT_EQ(of_partner[1].user_id, w.partner);

  std::vector<domain::Membership> members =
      take(tx->accounts().list_members_of_production(w.production));
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0].user_id, w.partner);
  EXPECT_EQ(members[1].user_id, w.legal);
  EXPECT_EQ(members[1].role, domain::Role::kLegal);

  ok(tx->accounts().remove_membership(w.partner, w.other_production));
  EXPECT_EQ(take(tx->accounts().list_memberships_of_user(w.partner)).size(), 1u);
  EXPECT_EQ(code(tx->accounts().remove_membership(w.partner, w.other_production)), "not_found");
  EXPECT_TRUE(take(tx->accounts().list_memberships_of_user(9999)).empty());
  ok(tx->commit());

  tx.reset();
  tx = begin();
  EXPECT_EQ(code(tx->accounts().set_membership({9999, w.production, domain::Role::kPartner})),
            "not_found");
  tx.reset();
  tx = begin();
  EXPECT_EQ(code(tx->accounts().set_membership({w.partner, 9999, domain::Role::kPartner})),
            "not_found");
}

TEST_P(StoreTest, Productions) {
  World w = seed();
  auto tx = begin();
  domain::Production got = take(tx->accounts().get_production(w.production));
  EXPECT_EQ(got.organization_id, w.studio);
  EXPECT_EQ(got.code, "squid-game-s3");
  EXPECT_EQ(got.title, "Squid Game");
  EXPECT_EQ(got.created_at, kT0);
  std::optional<domain::Production> found =
      take(tx->accounts().find_production_by_code("other-show"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, w.other_production);
  EXPECT_FALSE(take(tx->accounts().find_production_by_code("nope")).has_value());
  std::vector<domain::Production> all = take(tx->accounts().list_productions());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, w.production);
  EXPECT_EQ(code(tx->accounts().get_production(9999)), "not_found");
  EXPECT_EQ(code(tx->accounts().create_production({0, w.studio, "", "No code", kT0})),
            "invalid_argument");
  EXPECT_EQ(code(tx->accounts().create_production({0, w.studio, "squid-game-s3", "Again", kT0})),
            "already_exists");
  tx.reset();
  tx = begin();
  EXPECT_EQ(code(tx->accounts().create_production({0, 9999, "orphan", "Orphan", kT0})),
            "not_found");
}

// The inbox's answer time is a production setting, 2 working days unless changed.
TEST_P(StoreTest, ProductionAnswerTime) {
  World w = seed();
  auto tx = begin();
  domain::Production p = take(tx->accounts().get_production(w.production));
  EXPECT_EQ(p.answer_within_days, 2);
  p.answer_within_days = 5;
  p.title = "Squid Game 3";
  p.code = "ignored";
  ok(tx->accounts().update_production(p));
  domain::Production got = take(tx->accounts().get_production(w.production));
  EXPECT_EQ(got.answer_within_days, 5);
  EXPECT_EQ(got.title, "Squid Game 3");
  EXPECT_EQ(got.code, "squid-game-s3");
  EXPECT_EQ(take(tx->accounts().get_production(w.other_production)).answer_within_days, 2);
  p.id = 9999;
  EXPECT_EQ(code(tx->accounts().update_production(p)), "not_found");
  ok(tx->commit());
}

// A waiting use case's assignee: set and cleared without a new revision, ended by a change of
// state, kept by an update in the same state.
TEST_P(StoreTest, UseCaseAssignee) {
  World w = seed();
  auto tx = begin();
  EXPECT_EQ(take(tx->use_cases().get(w.use_case)).assignee_id, 0);
  ok(tx->use_cases().set_assignee(w.use_case, w.legal));
  domain::UseCase got = take(tx->use_cases().get(w.use_case));
  EXPECT_EQ(got.assignee_id, w.legal);
  EXPECT_EQ(got.revision, 1);
  got.summary = "Same state";
  got.updated_at = kT1;
  ok(tx->use_cases().update(got));
  got = take(tx->use_cases().get(w.use_case));
  EXPECT_EQ(got.assignee_id, w.legal);
  got.state = domain::UseCaseState::kEscalated;
  ok(tx->use_cases().update(got));
  EXPECT_EQ(take(tx->use_cases().get(w.use_case)).assignee_id, 0);
  ok(tx->use_cases().set_assignee(w.use_case, w.partner));
  ok(tx->use_cases().set_assignee(w.use_case, 0));
  EXPECT_EQ(take(tx->use_cases().get(w.use_case)).assignee_id, 0);
  EXPECT_EQ(code(tx->use_cases().set_assignee(9999, w.legal)), "not_found");
  ok(tx->commit());
  tx.reset();
  tx = begin();
  EXPECT_EQ(code(tx->use_cases().set_assignee(w.use_case, 9999)), "not_found");
}

// One delegation per user, replaced by the next; listed by delegate.
TEST_P(StoreTest, Delegations) {
  World w = seed();
  auto tx = begin();
  EXPECT_FALSE(take(tx->accounts().find_delegation(w.legal)).has_value());
  ok(tx->accounts().set_delegation({w.legal, w.admin, kT1, kT0}));
  ok(tx->accounts().set_delegation({w.partner, w.admin, kT2, kT0}));
  std::optional<domain::Delegation> got = take(tx->accounts().find_delegation(w.legal));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->delegate_id, w.admin);
  EXPECT_EQ(got->until, kT1);
  EXPECT_EQ(got->created_at, kT0);
  ok(tx->accounts().set_delegation({w.legal, w.partner, kT2, kT1}));
  got = take(tx->accounts().find_delegation(w.legal));
  EXPECT_EQ(got->delegate_id, w.partner);
  EXPECT_EQ(got->until, kT2);
  std::vector<domain::Delegation> to_admin = take(tx->accounts().list_delegations(w.admin));
  ASSERT_EQ(to_admin.size(), 1u);
  EXPECT_EQ(to_admin[0].user_id, w.partner);
  EXPECT_EQ(take(tx->accounts().list_delegations(0)).size(), 2u);
  ok(tx->accounts().remove_delegation(w.legal));
  EXPECT_EQ(code(tx->accounts().remove_delegation(w.legal)), "not_found");
  EXPECT_EQ(take(tx->accounts().list_delegations(0)).size(), 1u);
  EXPECT_EQ(code(tx->accounts().set_delegation({w.legal, w.admin, "tomorrow", kT0})),
            "invalid_argument");
  ok(tx->commit());
  tx.reset();
  tx = begin();
  EXPECT_EQ(code(tx->accounts().set_delegation({w.legal, 9999, kT1, kT0})), "not_found");
}

TEST_P(StoreTest, Tools) {
  auto tx = begin();
  domain::Tool tool;
  tool.id = "runway-gen4";
  tool.name = "Runway Gen-4";
  tool.vendor = "Runway";
  tool.license_tier = "enterprise";
  tool.reviewed_on = "2026-10-01";
  for (size_t i = 0; i < tool.scalars.size(); ++i) {
    tool.scalars[i] = static_cast<int8_t>(static_cast<int>(i) % 3 - 1);
  }
  ok(tx->policy().upsert_tool(tool));
  domain::Tool other;
  other.id = "adobe-firefly";
  other.name = "Firefly";
  ok(tx->policy().upsert_tool(other));

  std::vector<domain::Tool> tools = take(tx->policy().list_tools());
  ASSERT_EQ(tools.size(), 2u);
  EXPECT_EQ(tools[0].id, "adobe-firefly");  // ordered by id
  EXPECT_EQ(tools[0].scalars, other.scalars);
  EXPECT_EQ(tools[1].id, tool.id);
  EXPECT_EQ(tools[1].name, tool.name);
  EXPECT_EQ(tools[1].vendor, tool.vendor);
  EXPECT_EQ(tools[1].license_tier, tool.license_tier);
  EXPECT_EQ(tools[1].reviewed_on, tool.reviewed_on);
  EXPECT_EQ(tools[1].scalars, tool.scalars);

  tool.vendor = "Runway AI";
  tool.scalars.fill(domain::kAbsent);
  ok(tx->policy().upsert_tool(tool));
  tools = take(tx->policy().list_tools());
  ASSERT_EQ(tools.size(), 2u);
  EXPECT_EQ(tools[1].vendor, "Runway AI");
  EXPECT_EQ(tools[1].scalars, tool.scalars);

  ok(tx->policy().delete_tool("adobe-firefly"));
  EXPECT_EQ(take(tx->policy().list_tools()).size(), 1u);
  EXPECT_EQ(code(tx->policy().delete_tool("adobe-firefly")), "not_found");
  EXPECT_EQ(code(tx->policy().upsert_tool(domain::Tool())), "invalid_argument");
  ok(tx->commit());
}

TEST_P(StoreTest, PolicyPacks) {
  World w = seed();
  auto tx = begin();
  EXPECT_FALSE(take(tx->policy().active_policy_pack()).has_value());

  PolicyPackRecord first;
  first.name = "netflix-genai";
  first.version = "1";
  first.digest = std::string(64, '1');
  first.text = "name: netflix-genai\nversion: 1\n";
  first.loaded_by = 0;  // the system, at first start
  first.loaded_at = kT0;
  first.id = take(tx->policy().insert_policy_pack(first));
  // The first pack becomes active although it was not asked to.
  std::optional<PolicyPackRecord> active = take(tx->policy().active_policy_pack());
  ASSERT_TRUE(active.has_value());
  EXPECT_EQ(active->id, first.id);
  EXPECT_TRUE(active->active);
  EXPECT_EQ(active->text, first.text);
  EXPECT_EQ(active->loaded_by, 0);

  PolicyPackRecord second = first;
  second.version = "2";
  second.digest = std::string(64, '2');
  second.text = "name: netflix-genai\nversion: 2\n";
  second.loaded_by = w.admin;
  second.loaded_at = kT1;
  second.id = take(tx->policy().insert_policy_pack(second));
  EXPECT_EQ(take(tx->policy().active_policy_pack())->id, first.id);

  PolicyPackRecord got = take(tx->policy().get_policy_pack(second.id));
  EXPECT_EQ(got.name, second.name);
  EXPECT_EQ(got.version, "2");
  EXPECT_EQ(got.digest, second.digest);
  EXPECT_EQ(got.text, second.text);
  EXPECT_FALSE(got.active);
  EXPECT_EQ(got.loaded_by, w.admin);
  EXPECT_EQ(got.loaded_at, kT1);

  ok(tx->policy().activate_policy_pack(second.id));
  active = take(tx->policy().active_policy_pack());
  EXPECT_EQ(active->id, second.id);
  EXPECT_EQ(active->text, second.text);
  ok(tx->policy().activate_policy_pack(second.id));  // again: no change

  std::vector<PolicyPackRecord> all = take(tx->policy().list_policy_packs());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, first.id);
  EXPECT_FALSE(all[0].active);
  EXPECT_TRUE(all[1].active);
  EXPECT_TRUE(all[0].text.empty());  // text omitted from the list
  EXPECT_TRUE(all[1].text.empty());
  EXPECT_EQ(all[1].digest, second.digest);

  // Inserted active: it takes over.
  PolicyPackRecord third = second;
  third.version = "3";
  third.active = true;
  third.id = take(tx->policy().insert_policy_pack(third));
  EXPECT_EQ(take(tx->policy().active_policy_pack())->id, third.id);
  EXPECT_FALSE(take(tx->policy().get_policy_pack(second.id)).active);

  EXPECT_EQ(code(tx->policy().activate_policy_pack(9999)), "not_found");
  EXPECT_EQ(code(tx->policy().get_policy_pack(9999)), "not_found");
  EXPECT_EQ(take(tx->policy().active_policy_pack())->id, third.id);
  ok(tx->commit());

  tx.reset();
  tx = begin();
  PolicyPackRecord orphan = first;
  orphan.loaded_by = 9999;
  EXPECT_EQ(code(tx->policy().insert_policy_pack(orphan)), "not_found");
}

TEST_P(StoreTest, UseCases) {
  World w = seed();
  auto tx = begin();
  domain::UseCase got = take(tx->use_cases().get(w.use_case));
  EXPECT_EQ(got.production_id, w.production);
  EXPECT_EQ(got.created_by, w.partner);
  EXPECT_EQ(got.summary, "De-age the lead in the flashback");
  EXPECT_EQ(got.declaration_json, R"({"schema":"clearcut/v1"})");
  EXPECT_EQ(got.declaration_digest, std::string(64, 'a'));
  EXPECT_EQ(got.state, domain::UseCaseState::kDraft);
  EXPECT_FALSE(got.outcome.has_value());
  EXPECT_EQ(got.decision_json, "");
  EXPECT_EQ(got.revision, 1);
  EXPECT_EQ(got.created_at, kT0);
  EXPECT_EQ(got.updated_at, kT0);

  domain::UseCase edit = got;
  edit.summary = "Edited";
  edit.declaration_json = R"({"schema":"clearcut/v1","x":1})";
  edit.declaration_digest = std::string(64, 'b');
  edit.state = domain::UseCaseState::kEscalated;
  edit.outcome = domain::Outcome::kEscalate;
  edit.decision_json = R"({"outcome":"escalate"})";
  edit.policy_digest = std::string(64, 'c');
  edit.engine_version = "0.1.0";
  edit.updated_at = kT1;
  edit.production_id = w.other_production;  // ignored: not updatable
  edit.created_by = w.admin;                // ignored
  edit.created_at = kT2;                    // ignored
  ok(tx->use_cases().update(edit));
  domain::UseCase updated = take(tx->use_cases().get(w.use_case));
  EXPECT_EQ(updated.revision, 2);
  EXPECT_EQ(updated.summary, "Edited");
  EXPECT_EQ(updated.declaration_json, edit.declaration_json);
  EXPECT_EQ(updated.declaration_digest, edit.declaration_digest);
  EXPECT_EQ(updated.state, domain::UseCaseState::kEscalated);
  EXPECT_EQ(updated.outcome, domain::Outcome::kEscalate);
  EXPECT_EQ(updated.decision_json, edit.decision_json);
  EXPECT_EQ(updated.policy_digest, edit.policy_digest);
  EXPECT_EQ(updated.engine_version, "0.1.0");
  EXPECT_EQ(updated.updated_at, kT1);
  EXPECT_EQ(updated.production_id, w.production);
  EXPECT_EQ(updated.created_by, w.partner);
  EXPECT_EQ(updated.created_at, kT0);

  // The revision read before the edit is stale now.
  auto stale = tx->use_cases().update(edit);
  EXPECT_EQ(code(stale), "failed_precondition");
  edit.id = 9999;
  EXPECT_EQ(code(tx->use_cases().update(edit)), "not_found");
  EXPECT_EQ(code(tx->use_cases().get(9999)), "not_found");
  // Neither answer aborted the transaction.
  updated.summary = "Edited twice";
  updated.updated_at = kT2;
  ok(tx->use_cases().update(updated));
  EXPECT_EQ(take(tx->use_cases().get(w.use_case)).revision, 3);
  ok(tx->commit());

  tx.reset();
  tx = begin();
  EXPECT_EQ(code(tx->use_cases().create(make_use_case(9999, w.partner))), "not_found");
  tx.reset();
  tx = begin();
  EXPECT_EQ(code(tx->use_cases().create(make_use_case(w.production, 9999))), "not_found");
  tx.reset();
  tx = begin();
  domain::UseCase bad = make_use_case(w.production, w.partner);
  bad.updated_at = "2026-11-22 01:00:00";
  EXPECT_EQ(code(tx->use_cases().create(bad)), "invalid_argument");
}

TEST_P(StoreTest, ListUseCasesFiltersAndPages) {
  World w = seed();
  auto tx = begin();
  std::vector<int64_t> in_production = {w.use_case};
  std::vector<int64_t> in_other;
  std::vector<int64_t> escalated;
  for (int i = 0; i < 12; ++i) {
    int64_t production = i % 3 == 0 ? w.other_production : w.production;
    domain::UseCase use_case = make_use_case(production, w.partner);
    use_case.state = i % 2 == 0 ? domain::UseCaseState::kEscalated : domain::UseCaseState::kDraft;
    int64_t id = take(tx->use_cases().create(use_case));
    (production == w.production ? in_production : in_other).push_back(id);
    if (i % 2 == 0) {
      escalated.push_back(id);
    }
  }
  ok(tx->commit());

  tx.reset();
  tx = begin();
  auto ids = [](const std::vector<domain::UseCase>& page) {
    std::vector<int64_t> out;
    for (const auto& u : page) {
      out.push_back(u.id);
    }
    return out;
  };
  // Every use case, five at a time.
  UseCaseFilter filter;
  filter.limit = 5;
  std::vector<int64_t> seen;
  for (;;) {
    std::vector<domain::UseCase> page = take(tx->use_cases().list(filter));
    ASSERT_LE(page.size(), 5u);
    for (const auto& u : page) {
      seen.push_back(u.id);
    }
    if (page.size() < 5) {
      break;
    }
    filter.after_id = page.back().id;
  }
  EXPECT_EQ(seen.size(), 13u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

  filter = {};
  filter.production_ids = {w.other_production};
  EXPECT_EQ(ids(take(tx->use_cases().list(filter))), in_other);
  filter.production_ids = {w.production, w.other_production};
  EXPECT_EQ(take(tx->use_cases().list(filter)).size(), 13u);
  filter.production_ids = {9999};
  EXPECT_TRUE(take(tx->use_cases().list(filter)).empty());

  filter = {};
  filter.state = domain::UseCaseState::kEscalated;
  EXPECT_EQ(ids(take(tx->use_cases().list(filter))), escalated);
  filter.production_ids = {w.other_production};
  for (const auto& u : take(tx->use_cases().list(filter))) {
    EXPECT_EQ(u.production_id, w.other_production);
    EXPECT_EQ(u.state, domain::UseCaseState::kEscalated);
  }
  filter.after_id = escalated.back();
  EXPECT_TRUE(take(tx->use_cases().list(filter)).empty());

  filter = {};
  filter.limit = 0;
  EXPECT_EQ(code(tx->use_cases().list(filter)), "invalid_argument");
  filter.limit = kMaxListLimit + 1;
  EXPECT_EQ(code(tx->use_cases().list(filter)), "invalid_argument");
  filter.limit = kMaxListLimit;
  EXPECT_EQ(take(tx->use_cases().list(filter)).size(), 13u);
}

// The dashboards' aggregates: counts grouped in SQL, the categories of the rules stored
// decisions list (JSON read by the database), and several histories in one query.
TEST_P(StoreTest, UseCaseAggregates) {
  World w = seed();  // one draft in w.production
  auto tx = begin();
  auto decided = [&](int64_t production, domain::UseCaseState state, const std::string& rules) {
    domain::UseCase use_case = make_use_case(production, w.partner);
    use_case.state = state;
    use_case.outcome = domain::Outcome::kWrittenApproval;
    use_case.decision_json = R"({"outcome":"written_approval","rules":[)" + rules + "]}";
    return take(tx->use_cases().create(use_case));
  };
  const std::string final_use = R"({"id":"TRIG-FINAL","unknown":false})";
  const std::string talent_unknown = R"({"id":"TAL-5","unknown":true})";
  const std::string likeness = R"({"id":"TRIG-LIKENESS","unknown":false})";
  int64_t a =
      decided(w.production, domain::UseCaseState::kEscalated, final_use + "," + talent_unknown);
  decided(w.production, domain::UseCaseState::kApproved,
          final_use + "," + likeness + "," + talent_unknown);
  decided(w.production, domain::UseCaseState::kNotified, R"({"id":"BASE-1","unknown":false})");
  decided(w.production, domain::UseCaseState::kRejected, final_use);  // not counted by category
  decided(w.other_production, domain::UseCaseState::kEscalated, final_use);
  // Text that is not a decision lists no rules rather than failing the query.
  domain::UseCase odd = make_use_case(w.production, w.partner);
  odd.state = domain::UseCaseState::kEscalated;
  odd.decision_json = "not json";
  take(tx->use_cases().create(odd));

  std::vector<StateCount> counts = take(tx->use_cases().count_by_state({w.production}));
  std::map<std::string, int64_t> by_state;
  for (const StateCount& c : counts) {
    EXPECT_EQ(c.production_id, w.production);
    by_state[std::string(domain::use_case_state_name(c.state))] = c.count;
  }
  EXPECT_EQ(
      by_state,
      (std::map<std::string, int64_t>{
          {"approved", 1}, {"draft", 1}, {"escalated", 2}, {"notified", 1}, {"rejected", 1}}));
  EXPECT_EQ(take(tx->use_cases().count_by_state({})).size(), counts.size() + 1);
  EXPECT_TRUE(take(tx->use_cases().count_by_state({9999})).empty());

  std::vector<std::pair<std::string, std::string>> pairs = {{"final_use", "TRIG-FINAL"},
                                                            {"talent", "TRIG-LIKENESS"},
                                                            {"talent", "TAL-5"},
                                                            {"personal_data", "TRIG-PERSONAL"}};
  std::vector<CategoryCount> categories =
      take(tx->use_cases().count_by_rule_category(w.production, pairs));
  std::vector<std::string> got;
  for (const CategoryCount& c : categories) {
    got.push_back(c.category + " " + std::string(domain::use_case_state_name(c.state)) +
                  (c.unsettled ? " unsettled " : " ") + std::to_string(c.count));
  }
  // The escalated one is only unknown on talent; the approved one fired a talent rule too.
  EXPECT_EQ(got, (std::vector<std::string>{"final_use approved 1", "final_use escalated 1",
                                           "talent approved 1", "talent escalated unsettled 1"}));
  EXPECT_TRUE(take(tx->use_cases().count_by_rule_category(w.production, {})).empty());

  domain::UseCaseEvent event;
  event.use_case_id = a;
  event.kind = domain::UseCaseEventKind::kSubmitted;
  event.from_state = "draft";
  event.to_state = "escalated";
  event.at = kT1;
  take(tx->use_cases().append_event(event));
  event.use_case_id = w.use_case;
  take(tx->use_cases().append_event(event));
  take(tx->use_cases().append_event(event));
  std::vector<domain::UseCaseEvent> events = take(tx->use_cases().list_events_of({a, w.use_case}));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].use_case_id, w.use_case);  // by use case, then event
  EXPECT_LT(events[0].id, events[1].id);
  EXPECT_EQ(events[2].use_case_id, a);
  EXPECT_TRUE(take(tx->use_cases().list_events_of({})).empty());
  EXPECT_EQ(code(tx->use_cases().list_events_of(std::vector<int64_t>(kMaxListLimit + 1, a))),
            "invalid_argument");
}

TEST_P(StoreTest, UseCaseEventsAndComments) {
  World w = seed();
  auto tx = begin();
  domain::UseCaseEvent event;
  event.use_case_id = w.use_case;
  event.actor_id = w.partner;
  event.kind = domain::UseCaseEventKind::kSubmitted;
  event.from_state = "draft";
  event.to_state = "escalated";
  event.note = "triaged: escalate";
  event.at = kT1;
  event.id = take(tx->use_cases().append_event(event));
  domain::UseCaseEvent system = event;
  system.actor_id = 0;  // the system
  system.kind = domain::UseCaseEventKind::kRetriaged;
  system.at = kT2;
  system.id = take(tx->use_cases().append_event(system));

  std::vector<domain::UseCaseEvent> events = take(tx->use_cases().list_events(w.use_case));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].id, event.id);
  EXPECT_EQ(events[0].use_case_id, w.use_case);
  EXPECT_EQ(events[0].actor_id, w.partner);
  EXPECT_EQ(events[0].kind, domain::UseCaseEventKind::kSubmitted);
  EXPECT_EQ(events[0].from_state, "draft");
  EXPECT_EQ(events[0].to_state, "escalated");
  EXPECT_EQ(events[0].note, "triaged: escalate");
  EXPECT_EQ(events[0].at, kT1);
  EXPECT_EQ(events[1].id, system.id);
  EXPECT_EQ(events[1].actor_id, 0);
  EXPECT_TRUE(take(tx->use_cases().list_events(9999)).empty());

  domain::Comment comment;
  comment.use_case_id = w.use_case;
  comment.author_id = w.legal;
  comment.body = "Which performer? \"Quotes\" and 'apostrophes'; DROP TABLE users; --";
  comment.created_at = kT2;
  comment.id = take(tx->use_cases().add_comment(comment));
  std::vector<domain::Comment> comments = take(tx->use_cases().list_comments(w.use_case));
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_EQ(comments[0].id, comment.id);
  EXPECT_EQ(comments[0].use_case_id, w.use_case);
  EXPECT_EQ(comments[0].author_id, w.legal);
  EXPECT_EQ(comments[0].body, comment.body);
  EXPECT_EQ(comments[0].created_at, kT2);
  ok(tx->commit());

  tx.reset();
  tx = begin();
  event.use_case_id = 9999;
  EXPECT_EQ(code(tx->use_cases().append_event(event)), "not_found");
  tx.reset();
  tx = begin();
  comment.author_id = 9999;
  EXPECT_EQ(code(tx->use_cases().add_comment(comment)), "not_found");
}

TEST_P(StoreTest, Consents) {
  World w = seed();
  auto tx = begin();
  domain::Consent consent;
  consent.production_id = w.production;
  consent.use_case_id = w.use_case;
  consent.performer = "Jane Doe";
  consent.kind = domain::ConsentKind::kReplicaUse;
  consent.scope = "flashback scenes of episode 3";
  consent.document_sha256 = std::string(64, 'd');
  consent.expires_at = kT2;
  consent.recorded_by = w.legal;
  consent.created_at = kT1;
  consent.id = take(tx->approvals().add_consent(consent));
  domain::Consent wide = consent;
  wide.use_case_id = 0;  // production-wide
  wide.kind = domain::ConsentKind::kAlteration;
  wide.expires_at = "";
  wide.id = take(tx->approvals().add_consent(wide));

  domain::Consent got = take(tx->approvals().get_consent(consent.id));
  EXPECT_EQ(got.production_id, w.production);
  EXPECT_EQ(got.use_case_id, w.use_case);
  EXPECT_EQ(got.performer, "Jane Doe");
  EXPECT_EQ(got.kind, domain::ConsentKind::kReplicaUse);
  EXPECT_EQ(got.scope, consent.scope);
  EXPECT_EQ(got.document_sha256, consent.document_sha256);
  EXPECT_EQ(got.expires_at, kT2);
  EXPECT_EQ(got.revoked_at, "");
  EXPECT_EQ(got.recorded_by, w.legal);
  EXPECT_EQ(got.created_at, kT1);
  domain::Consent got_wide = take(tx->approvals().get_consent(wide.id));
  EXPECT_EQ(got_wide.use_case_id, 0);
  EXPECT_EQ(got_wide.expires_at, "");
  EXPECT_EQ(got_wide.kind, domain::ConsentKind::kAlteration);

  // The sweep sees consents with an expiry that are neither revoked nor lapsed, and each lapses
  // once.
  domain::Consent expiring = consent;
  expiring.id = take(tx->approvals().add_consent(expiring));
  std::vector<domain::Consent> to_lapse = take(tx->approvals().list_consents_to_lapse());
  ASSERT_EQ(to_lapse.size(), 2u);
  EXPECT_EQ(to_lapse[0].id, consent.id);
  EXPECT_EQ(to_lapse[1].id, expiring.id);
  ok(tx->approvals().lapse_consent(expiring.id, kT2));
  EXPECT_EQ(take(tx->approvals().get_consent(expiring.id)).lapsed_at, kT2);
  EXPECT_EQ(take(tx->approvals().get_consent(consent.id)).lapsed_at, "");
  EXPECT_EQ(code(tx->approvals().lapse_consent(expiring.id, kT2)), "failed_precondition");
  EXPECT_EQ(code(tx->approvals().lapse_consent(9999, kT2)), "not_found");
  EXPECT_EQ(code(tx->approvals().lapse_consent(consent.id, "later")), "invalid_argument");
  to_lapse = take(tx->approvals().list_consents_to_lapse());
  ASSERT_EQ(to_lapse.size(), 1u);
  EXPECT_EQ(to_lapse[0].id, consent.id);

  ok(tx->approvals().revoke_consent(consent.id, kT2));
  EXPECT_TRUE(take(tx->approvals().list_consents_to_lapse()).empty());
  EXPECT_EQ(take(tx->approvals().get_consent(consent.id)).revoked_at, kT2);
  EXPECT_EQ(code(tx->approvals().revoke_consent(consent.id, kT2)), "failed_precondition");
  EXPECT_EQ(code(tx->approvals().revoke_consent(9999, kT2)), "not_found");
  EXPECT_EQ(code(tx->approvals().revoke_consent(wide.id, "soon")), "invalid_argument");
  EXPECT_EQ(code(tx->approvals().get_consent(9999)), "not_found");

  std::vector<domain::Consent> all = take(tx->approvals().list_consents(w.production));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, consent.id);
  EXPECT_EQ(all[1].id, wide.id);
  EXPECT_EQ(all[2].id, expiring.id);
  EXPECT_TRUE(take(tx->approvals().list_consents(w.other_production)).empty());
  ok(tx->commit());

  // A consent's use case must belong to its production.
  tx.reset();
  tx = begin();
  domain::Consent crossed = consent;
  crossed.production_id = w.other_production;
  EXPECT_EQ(code(tx->approvals().add_consent(crossed)), "not_found");
}

TEST_P(StoreTest, Approvals) {
  World w = seed();
  auto tx = begin();
  domain::Approval approval;
  approval.use_case_id = w.use_case;
  approval.approver_id = w.legal;
  approval.granted = true;
  approval.declaration_digest = std::string(64, 'a');
  approval.conditions = "Only for episode 3";
  approval.scope =
      domain::read_approval_scope(R"({"final_use":true,"deliverables":["ep3"],"outputs":[]})");
  approval.expires_at = kT2;
  approval.created_at = kT1;
  approval.signer_name = "Dana Whitfield";
  approval.reason = "Consent on file; disclosure card in the end credits";
  approval.id = take(tx->approvals().add_approval(approval));
  domain::Approval refusal = approval;
  refusal.granted = false;
  refusal.expires_at = "";
  refusal.id = take(tx->approvals().add_approval(refusal));

  std::vector<domain::Approval> all = take(tx->approvals().list_approvals(w.use_case));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, approval.id);
  EXPECT_EQ(all[0].use_case_id, w.use_case);
  EXPECT_EQ(all[0].approver_id, w.legal);
  EXPECT_TRUE(all[0].granted);
  EXPECT_EQ(all[0].declaration_digest, approval.declaration_digest);
  EXPECT_EQ(all[0].conditions, approval.conditions);
  EXPECT_EQ(all[0].scope.json, approval.scope.json);
  EXPECT_TRUE(all[0].scope.final_use);
  EXPECT_EQ(all[0].scope.deliverables, std::vector<std::string>{"ep3"});
  EXPECT_EQ(all[0].expires_at, kT2);
  EXPECT_FALSE(all[0].outdated);
  EXPECT_EQ(all[0].created_at, kT1);
  EXPECT_EQ(all[0].signer_name, approval.signer_name);
  EXPECT_EQ(all[0].reason, approval.reason);
  EXPECT_FALSE(all[1].granted);
  EXPECT_EQ(all[1].expires_at, "");

  ok(tx->approvals().mark_approvals_outdated(w.use_case));
  for (const auto& a : take(tx->approvals().list_approvals(w.use_case))) {
    EXPECT_TRUE(a.outdated);
  }
  EXPECT_EQ(code(tx->approvals().mark_approvals_outdated(9999)), "not_found");
  EXPECT_TRUE(take(tx->approvals().list_approvals(9999)).empty());
  ok(tx->commit());

  tx.reset();
  tx = begin();
  approval.approver_id = 9999;
  EXPECT_EQ(code(tx->approvals().add_approval(approval)), "not_found");
}

TEST_P(StoreTest, ChecklistItems) {
  World w = seed();
  auto tx = begin();
  domain::ChecklistItem consent;
  consent.use_case_id = w.use_case;
  consent.kind = domain::ChecklistItemKind::kAction;
  consent.name = "talent_consent";
  consent.rules = {"TAL-1", "TRIG-LIKENESS"};
  consent.id = take(tx->use_cases().add_checklist_item(consent));
  domain::ChecklistItem question;
  question.use_case_id = w.use_case;
  question.kind = domain::ChecklistItemKind::kQuestion;
  question.name = "talent.real_person";
  question.rules = {"TAL-5"};
  question.conditional = true;
  question.id = take(tx->use_cases().add_checklist_item(question));
  ok(tx->commit());

  tx.reset();
  tx = begin();
  std::vector<domain::ChecklistItem> items = take(tx->use_cases().list_checklist(w.use_case));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].id, consent.id);
  EXPECT_EQ(items[0].use_case_id, w.use_case);
  EXPECT_EQ(items[0].kind, domain::ChecklistItemKind::kAction);
  EXPECT_EQ(items[0].name, "talent_consent");
  EXPECT_EQ(items[0].rules, (std::vector<std::string>{"TAL-1", "TRIG-LIKENESS"}));
  EXPECT_FALSE(items[0].conditional);
  EXPECT_EQ(items[0].state, domain::ChecklistItemState::kOpen);
  EXPECT_EQ(items[0].decided_by, 0);
  EXPECT_EQ(items[0].decided_at, "");
  EXPECT_EQ(items[1].kind, domain::ChecklistItemKind::kQuestion);
  EXPECT_TRUE(items[1].conditional);

  question.state = domain::ChecklistItemState::kWaived;
  question.reason = "Only actors under contract appear; confirmed with the director";
  question.decided_by = w.legal;
  question.decided_at = kT1;
  question.rules = {"TAL-5", "ETH-3"};
  ok(tx->use_cases().update_checklist_item(question));
  items = take(tx->use_cases().list_checklist(w.use_case));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].state, domain::ChecklistItemState::kWaived);
  EXPECT_EQ(items[1].reason, question.reason);
  EXPECT_EQ(items[1].decided_by, w.legal);
  EXPECT_EQ(items[1].decided_at, kT1);
  EXPECT_EQ(items[1].rules, (std::vector<std::string>{"TAL-5", "ETH-3"}));

  ok(tx->use_cases().delete_checklist_item(consent.id));
  items = take(tx->use_cases().list_checklist(w.use_case));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].id, question.id);
  EXPECT_EQ(code(tx->use_cases().delete_checklist_item(consent.id)), "not_found");
  consent.state = domain::ChecklistItemState::kMet;
  EXPECT_EQ(code(tx->use_cases().update_checklist_item(consent)), "not_found");
  question.decided_at = "yesterday";
  EXPECT_EQ(code(tx->use_cases().update_checklist_item(question)), "invalid_argument");
  EXPECT_TRUE(take(tx->use_cases().list_checklist(9999)).empty());
  ok(tx->commit());

  tx.reset();
  tx = begin();
  question.decided_at = kT1;
  EXPECT_EQ(code(tx->use_cases().add_checklist_item(question)), "already_exists");
  tx.reset();
  tx = begin();
  consent.use_case_id = 9999;
  EXPECT_EQ(code(tx->use_cases().add_checklist_item(consent)), "not_found");
}

TEST_P(StoreTest, Assets) {
  World w = seed();
  auto tx = begin();
  domain::Asset asset;
  asset.production_id = w.production;
  asset.use_case_id = w.use_case;
  asset.file_name = "shot_010_v003.png";
  asset.media_type = "image/png";
  asset.sha256 = std::string(64, 'e');
  asset.pdq = std::string(64, 'f');
  asset.pdq_quality = 87;
  asset.width = 3840;
  asset.height = 2160;
  asset.duration_ms = 0;
  asset.manifest_id = "urn:c2pa:1234";
  asset.watermark_payload = 0xfedcba9876543210ULL;  // the top bit set
  asset.thumbnail = "/9j/4AAQSkZJRgABAQ==";
  asset.frame_pdq = {std::string(64, 'a'), std::string(64, 'b')};
  asset.audio_fingerprint = "Y2NhZgHAPoABZAEFFCg=";
  asset.status = domain::AssetStatus::kProvisional;
  asset.created_by = w.partner;
  asset.created_at = kT1;
  asset.id = take(tx->assets().create(asset));

  domain::Asset got = take(tx->assets().get(asset.id));
  EXPECT_EQ(got.id, asset.id);
  EXPECT_EQ(got.production_id, w.production);
  EXPECT_EQ(got.use_case_id, w.use_case);
  EXPECT_EQ(got.file_name, asset.file_name);
  EXPECT_EQ(got.media_type, asset.media_type);
  EXPECT_EQ(got.sha256, asset.sha256);
  EXPECT_EQ(got.pdq, asset.pdq);
  EXPECT_EQ(got.pdq_quality, 87);
  EXPECT_EQ(got.width, 3840);
  EXPECT_EQ(got.height, 2160);
  EXPECT_EQ(got.duration_ms, 0);
  EXPECT_EQ(got.manifest_id, asset.manifest_id);
  EXPECT_EQ(got.watermark_payload, 0xfedcba9876543210ULL);
  EXPECT_EQ(got.status, domain::AssetStatus::kProvisional);
  EXPECT_EQ(got.created_by, w.partner);
  EXPECT_EQ(got.created_at, kT1);
  EXPECT_EQ(got.thumbnail, asset.thumbnail);
  EXPECT_EQ(got.frame_pdq, asset.frame_pdq);
  EXPECT_EQ(got.audio_fingerprint, asset.audio_fingerprint);

  std::vector<int64_t> ids = {asset.id};
  for (int i = 0; i < 6; ++i) {
    domain::Asset more = asset;
    more.media_type = "video/mp4";
    more.duration_ms = 1000 * i + 1;
    more.pdq = "";
    more.frame_pdq.clear();
    ids.push_back(take(tx->assets().create(more)));
  }
  std::vector<domain::Asset> page = take(tx->assets().list(w.production, 0, 4));
  ASSERT_EQ(page.size(), 4u);
  EXPECT_EQ(page[0].id, ids[0]);
  EXPECT_EQ(page[3].id, ids[3]);
  page = take(tx->assets().list(w.production, page.back().id, 4));
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].id, ids[4]);
  EXPECT_EQ(page[2].duration_ms, 5001);
  EXPECT_TRUE(take(tx->assets().list(w.other_production, 0, 10)).empty());
  EXPECT_EQ(code(tx->assets().list(w.production, 0, 0)), "invalid_argument");
  EXPECT_EQ(take(tx->assets().list_of_use_case(w.use_case)).size(), 7u);

  ok(tx->assets().set_status(asset.id, domain::AssetStatus::kCleared));
  EXPECT_EQ(take(tx->assets().get(asset.id)).status, domain::AssetStatus::kCleared);
  ok(tx->assets().set_status(asset.id, domain::AssetStatus::kRejected));
  EXPECT_EQ(take(tx->assets().get(asset.id)).status, domain::AssetStatus::kRejected);
  EXPECT_EQ(code(tx->assets().set_status(9999, domain::AssetStatus::kCleared)), "not_found");
  EXPECT_EQ(code(tx->assets().get(9999)), "not_found");
  // Seven outputs, one of them rejected now, counted by status in one query.
  std::vector<AssetStatusCount> counts = take(tx->assets().count_by_status({w.production}));
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].status, domain::AssetStatus::kProvisional);
  EXPECT_EQ(counts[0].count, 6);
  EXPECT_EQ(counts[1].status, domain::AssetStatus::kRejected);
  EXPECT_EQ(counts[1].count, 1);
  EXPECT_EQ(counts[1].production_id, w.production);
  EXPECT_TRUE(take(tx->assets().count_by_status({w.other_production})).empty());
  EXPECT_EQ(take(tx->assets().count_by_status({})).size(), 2u);

  // What a scan reads: every production's outputs in id order, without thumbnails; statuses
  // alone; the thumbnails of the outputs it found.
  const int64_t other_use_case =
      take(tx->use_cases().create(make_use_case(w.other_production, w.partner)));
  domain::Asset elsewhere = asset;
  elsewhere.production_id = w.other_production;
  elsewhere.use_case_id = other_use_case;
  elsewhere.thumbnail.clear();
  ids.push_back(take(tx->assets().create(elsewhere)));
  std::vector<domain::Asset> registered = take(tx->assets().list_registered(0, 5));
  ASSERT_EQ(registered.size(), 5u);
  EXPECT_EQ(registered[0].id, ids[0]);
  EXPECT_EQ(registered[0].pdq, asset.pdq);
  EXPECT_EQ(registered[0].frame_pdq, asset.frame_pdq);
  EXPECT_EQ(registered[0].audio_fingerprint, asset.audio_fingerprint);
  EXPECT_EQ(registered[0].status, domain::AssetStatus::kRejected);
  EXPECT_EQ(registered[0].thumbnail, "");  // left out
  registered = take(tx->assets().list_registered(registered.back().id, 100));
  ASSERT_EQ(registered.size(), 3u);
  EXPECT_EQ(registered.back().id, ids.back());
  EXPECT_EQ(registered.back().production_id, w.other_production);
  EXPECT_TRUE(take(tx->assets().list_registered(ids.back(), 10)).empty());
  EXPECT_EQ(code(tx->assets().list_registered(0, 0)), "invalid_argument");
  std::vector<AssetStatusOf> statuses = take(tx->assets().list_statuses(ids[0] - 1, 2));
  ASSERT_EQ(statuses.size(), 2u);
  EXPECT_EQ(statuses[0].id, ids[0]);
  EXPECT_EQ(statuses[0].status, domain::AssetStatus::kRejected);
  EXPECT_EQ(statuses[1].status, domain::AssetStatus::kProvisional);
  EXPECT_EQ(take(tx->assets().list_statuses(0, 100)).size(), ids.size());
  // Only those asked for that have one: the other production's has none.
  auto thumbnails = take(tx->assets().thumbnails({ids.back(), ids[1], ids[0], 9999}));
  ASSERT_EQ(thumbnails.size(), 2u);
  EXPECT_EQ(thumbnails[0].first, ids[0]);
  EXPECT_EQ(thumbnails[0].second, asset.thumbnail);
  EXPECT_EQ(thumbnails[1].first, ids[1]);
  EXPECT_TRUE(take(tx->assets().thumbnails({})).empty());
  ok(tx->commit());

  tx.reset();
  tx = begin();
  domain::Asset crossed = asset;
  crossed.production_id = w.other_production;  // the use case is in another production
  EXPECT_EQ(code(tx->assets().create(crossed)), "not_found");
  tx.reset();
  tx = begin();
  domain::Asset negative = asset;
  negative.width = -1;
  EXPECT_EQ(code(tx->assets().create(negative)), "invalid_argument");
}

TEST_P(StoreTest, Attachments) {
  World w = seed();
  auto tx = begin();
  domain::Attachment a;
  a.production_id = w.production;
  a.parent_type = domain::AttachmentParent::kUseCase;
  a.parent_id = std::to_string(w.use_case);
  a.sha256 = std::string(64, 'a');
  a.size = 1234;
  a.content_type = "application/pdf";
  a.file_name = "licence \"final\" é.pdf";
  a.added_by = w.legal;
  a.added_at = kT1;
  a.id = take(tx->attachments().add(a));

  domain::Attachment got = take(tx->attachments().get(a.id));
  EXPECT_EQ(got.id, a.id);
  EXPECT_EQ(got.production_id, w.production);
  EXPECT_EQ(got.parent_type, domain::AttachmentParent::kUseCase);
  EXPECT_EQ(got.parent_id, a.parent_id);
  EXPECT_EQ(got.sha256, a.sha256);
  EXPECT_EQ(got.size, 1234);
  EXPECT_EQ(got.content_type, "application/pdf");
  EXPECT_EQ(got.file_name, a.file_name);
  EXPECT_EQ(got.added_by, w.legal);
  EXPECT_EQ(got.added_at, kT1);

  // A tool's attachment belongs to no production; the same bytes may be attached twice.
  domain::Attachment tool = a;
  tool.production_id = 0;
  tool.parent_type = domain::AttachmentParent::kTool;
  tool.parent_id = "sora";
  tool.id = take(tx->attachments().add(tool));
  domain::Attachment second = a;
  second.sha256 = std::string(64, 'b');
  second.id = take(tx->attachments().add(second));

  EXPECT_EQ(take(tx->attachments().get(tool.id)).production_id, 0);
  std::vector<domain::Attachment> of =
      take(tx->attachments().list_of(domain::AttachmentParent::kUseCase, a.parent_id));
  ASSERT_EQ(of.size(), 2u);
  EXPECT_EQ(of[0].id, a.id);
  EXPECT_EQ(of[1].id, second.id);
  EXPECT_EQ(take(tx->attachments().list_of(domain::AttachmentParent::kTool, "sora")).size(), 1u);
  EXPECT_TRUE(
      take(tx->attachments().list_of(domain::AttachmentParent::kConsent, a.parent_id)).empty());
  std::vector<domain::Attachment> all = take(tx->attachments().list_all(0, 2));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(take(tx->attachments().list_all(all.back().id, 10)).size(), 1u);
  EXPECT_EQ(code(tx->attachments().list_all(0, 0)), "invalid_argument");
  EXPECT_TRUE(take(tx->attachments().attached_to_production(w.production, a.sha256)));
  EXPECT_FALSE(take(tx->attachments().attached_to_production(w.other_production, a.sha256)));
  EXPECT_FALSE(take(tx->attachments().attached_to_production(w.production, std::string(64, 'c'))));
  EXPECT_EQ(code(tx->attachments().get(9999)), "not_found");

  domain::Attachment bad = a;
  bad.sha256 = "../x";
  EXPECT_EQ(code(tx->attachments().add(bad)), "invalid_argument");
  bad = a;
  bad.size = 0;
  EXPECT_EQ(code(tx->attachments().add(bad)), "invalid_argument");
  bad = a;
  bad.added_at = "yesterday";
  EXPECT_EQ(code(tx->attachments().add(bad)), "invalid_argument");
  ok(tx->commit());

  tx.reset();
  tx = begin();
  domain::Attachment orphan = a;
  orphan.production_id = 9999;
  EXPECT_EQ(code(tx->attachments().add(orphan)), "not_found");
}

TEST_P(StoreTest, ScanJobs) {
  World w = seed();
  auto tx = begin();
  domain::ScanJob job;
  job.production_id = w.production;
  job.paths = {"ep101/final.mov", "stills/kv é.png"};
  job.stride = 2;
  job.radius = 24;
  job.submitted_by = w.legal;
  job.submitted_at = kT0;
  job.id = take(tx->scan_jobs().create(job));
  domain::ScanJob got = take(tx->scan_jobs().get(job.id));
  EXPECT_EQ(got.production_id, w.production);
  EXPECT_EQ(got.paths, job.paths);
  EXPECT_EQ(got.stride, 2);
  EXPECT_EQ(got.radius, 24);
  EXPECT_EQ(got.state, domain::ScanJobState::kQueued);
  EXPECT_EQ(got.submitted_by, w.legal);
  EXPECT_EQ(got.attempts, 0);
  EXPECT_EQ(got.worker, "");
  int64_t second = take(tx->scan_jobs().create(job));
  EXPECT_EQ(code(tx->scan_jobs().get_report(job.id, "json")), "not_found");  // not finished yet

  // Oldest first; a claimed job is not handed out again while its heartbeat is fresh.
  auto claimed = take(tx->scan_jobs().claim("worker-a", kT1, kT0));
  ASSERT_TRUE(claimed.has_value());
  EXPECT_EQ(claimed->id, job.id);
  EXPECT_EQ(claimed->state, domain::ScanJobState::kRunning);
  EXPECT_EQ(claimed->worker, "worker-a");
  EXPECT_EQ(claimed->attempts, 1);
  EXPECT_EQ(claimed->heartbeat_at, kT1);
  EXPECT_EQ(take(tx->scan_jobs().claim("worker-b", kT1, kT0))->id, second);
  EXPECT_FALSE(take(tx->scan_jobs().claim("worker-c", kT1, kT0)).has_value());

  // A stopping worker puts its job back: it is claimed again at once, the attempt not counted.
  ok(tx->scan_jobs().heartbeat(job.id, "worker-a", kT1, 1, 2));
  EXPECT_EQ(code(tx->scan_jobs().release(job.id, "worker-b")), "failed_precondition");
  EXPECT_EQ(code(tx->scan_jobs().release(9999, "worker-a")), "not_found");
  ok(tx->scan_jobs().release(job.id, "worker-a"));
  got = take(tx->scan_jobs().get(job.id));
  EXPECT_EQ(got.state, domain::ScanJobState::kQueued);
  EXPECT_EQ(got.attempts, 0);
  EXPECT_EQ(got.worker, "");
  EXPECT_EQ(got.files_done, 0);
  EXPECT_EQ(code(tx->scan_jobs().release(job.id, "worker-a")), "failed_precondition");
  claimed = take(tx->scan_jobs().claim("worker-a", kT1, kT0));
  ASSERT_TRUE(claimed.has_value());
  EXPECT_EQ(claimed->id, job.id);
  EXPECT_EQ(claimed->attempts, 1);

  ok(tx->scan_jobs().heartbeat(job.id, "worker-a", kT1, 1, 2));
  EXPECT_EQ(take(tx->scan_jobs().get(job.id)).files_done, 1);
  EXPECT_EQ(code(tx->scan_jobs().heartbeat(job.id, "worker-b", kT1, 1, 2)), "failed_precondition");
  EXPECT_EQ(code(tx->scan_jobs().heartbeat(9999, "worker-a", kT1, 1, 2)), "not_found");

  domain::ScanJobResult result;
  result.id = job.id;
  result.worker = "worker-a";
  result.state = domain::ScanJobState::kFinished;
  result.passes = false;
  result.files = 2;
  result.summary_json = R"({"files":2})";
  result.report_json = R"({"passes":false})";
  result.report_html = "<!doctype html><title>r</title>";
  result.finished_at = kT2;
  // The delivery matched an asset of the other production: kept for that production.
  int64_t other_use_case =
      take(tx->use_cases().create(make_use_case(w.other_production, w.partner)));
  domain::Asset foreign;
  foreign.production_id = w.other_production;
  foreign.use_case_id = other_use_case;
  foreign.file_name = "their_key_art.png";
  foreign.media_type = "image/png";
  foreign.sha256 = std::string(64, 'c');
  foreign.status = domain::AssetStatus::kProvisional;
  foreign.created_by = w.partner;
  foreign.created_at = kT1;
  foreign.id = take(tx->assets().create(foreign));
  domain::CrossProductionMatch hit;
  hit.production_id = w.other_production;
  hit.asset_id = foreign.id;
  hit.finding_json = R"({"asset_name":"their_key_art.png"})";
  result.cross_production = {hit};
  EXPECT_EQ(code(tx->scan_jobs().finish([&] {
              auto other = result;
              other.worker = "worker-b";
              return other;
            }())),
            "failed_precondition");
  ok(tx->scan_jobs().finish(result));
  got = take(tx->scan_jobs().get(job.id));
  EXPECT_EQ(got.state, domain::ScanJobState::kFinished);
  EXPECT_FALSE(got.passes);
  EXPECT_EQ(got.summary_json, result.summary_json);
  EXPECT_EQ(got.finished_at, kT2);
  EXPECT_EQ(got.files_done, 2);
  EXPECT_EQ(take(tx->scan_jobs().get_report(job.id, "json")), result.report_json);
  EXPECT_EQ(take(tx->scan_jobs().get_report(job.id, "html")), result.report_html);
  EXPECT_EQ(code(tx->scan_jobs().get_report(job.id, "pdf")), "invalid_argument");
  EXPECT_EQ(code(tx->scan_jobs().finish(result)), "failed_precondition");  // finished once
  std::vector<domain::CrossProductionMatch> hits =
      take(tx->scan_jobs().list_cross_production_matches(w.other_production, 0, 10));
  ASSERT_EQ(hits.size(), 1u);  // stored once, not again by the refused finish
  EXPECT_GT(hits[0].id, 0);
  EXPECT_EQ(hits[0].scan_job_id, job.id);
  EXPECT_EQ(hits[0].scanning_production_id, w.production);
  EXPECT_EQ(hits[0].production_id, w.other_production);
  EXPECT_EQ(hits[0].asset_id, foreign.id);
  EXPECT_EQ(hits[0].found_at, kT2);
  EXPECT_EQ(hits[0].finding_json, hit.finding_json);
  EXPECT_TRUE(
      take(tx->scan_jobs().list_cross_production_matches(w.other_production, hits[0].id, 10))
          .empty());
  EXPECT_TRUE(take(tx->scan_jobs().list_cross_production_matches(w.production, 0, 10)).empty());

  // Newest first, paged with before_id; other productions' jobs stay apart.
  std::vector<domain::ScanJob> page = take(tx->scan_jobs().list(w.production, 0, 1));
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].id, second);
  page = take(tx->scan_jobs().list(w.production, second, 10));
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].id, job.id);
  EXPECT_TRUE(take(tx->scan_jobs().list(w.other_production, 0, 10)).empty());
  ok(tx->commit());

  // A stale job (its worker stopped sending heartbeats) goes to another worker, and is given
  // up after kMaxScanAttempts claims.
  tx.reset();
  tx = begin();
  for (int attempt = 2; attempt <= kMaxScanAttempts; ++attempt) {
    // Each claim comes a day after the one before, when its heartbeat is stale.
    std::string day = "2026-11-" + std::to_string(22 + attempt) + "T00:00:00Z";
    auto again = take(tx->scan_jobs().claim("worker-" + std::to_string(attempt), day, day));
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->id, second);
    EXPECT_EQ(again->attempts, attempt);
  }
  EXPECT_EQ(code(tx->scan_jobs().heartbeat(second, "worker-b", kT2, 0, 1)), "failed_precondition");
  EXPECT_FALSE(
      take(tx->scan_jobs().claim("worker-x", "2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z"))
          .has_value());
  got = take(tx->scan_jobs().get(second));
  EXPECT_EQ(got.state, domain::ScanJobState::kError);
  EXPECT_NE(got.error.find("abandoned"), std::string::npos);

  // Bad input.
  domain::ScanJob empty = job;
  empty.paths.clear();
  EXPECT_EQ(code(tx->scan_jobs().create(empty)), "invalid_argument");
  domain::ScanJob bad_path = job;
  bad_path.paths = {std::string("a\xff", 2)};
  EXPECT_EQ(code(tx->scan_jobs().create(bad_path)), "invalid_argument");
  EXPECT_EQ(code(tx->scan_jobs().claim("", kT1, kT0)), "invalid_argument");
  EXPECT_EQ(code(tx->scan_jobs().get(9999)), "not_found");
  tx.reset();
  tx = begin();
  domain::ScanJob orphan = job;
  orphan.production_id = 9999;
  EXPECT_EQ(code(tx->scan_jobs().create(orphan)), "not_found");
}

// Several workers claiming at once, each in its own transaction: every job is claimed exactly
// once. On PostgreSQL a claim held open does not block the next claimer (SKIP LOCKED).
TEST_P(StoreTest, ConcurrentScanClaims) {
  World w = seed();
  constexpr int kJobs = 40;
  constexpr int kThreads = 4;
  {
    auto tx = begin();
    domain::ScanJob job;
    job.production_id = w.production;
    job.paths = {"reel.mov"};
    job.submitted_by = w.legal;
    job.submitted_at = kT0;
    for (int i = 0; i < kJobs; ++i) {
      take(tx->scan_jobs().create(job));
    }
    ok(tx->commit());
  }
  if (GetParam() == Backend::kPostgres) {
    auto held = begin();
    auto first = take(held->scan_jobs().claim("holder", kT1, kT0));
    ASSERT_TRUE(first.has_value());
    auto other = begin();
    auto next = take(other->scan_jobs().claim("other", kT1, kT0));
    ASSERT_TRUE(next.has_value());
    EXPECT_NE(next->id, first->id);
    // Both roll back: the jobs are queued again.
  }
  std::vector<std::vector<int64_t>> claimed(kThreads);
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string worker = "worker-" + std::to_string(t);
      for (;;) {
        auto tx = store_->begin();
        if (!tx.has_value()) {
          failures[t] = tx.error().to_string();
          return;
        }
        auto job = (*tx)->scan_jobs().claim(worker, kT1, kT0);
        if (!job.has_value()) {
          failures[t] = job.error().to_string();
          return;
        }
        if (!job->has_value()) {
          return;
        }
        if (base::Status committed = (*tx)->commit(); !committed.has_value()) {
          failures[t] = committed.error().to_string();
          return;
        }
        claimed[t].push_back((*job)->id);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  std::vector<int64_t> all;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], "") << "thread " << t;
    all.insert(all.end(), claimed[t].begin(), claimed[t].end());
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
}

// The partner's "CI pipeline" token, created at kT0, not yet stored.
domain::ApiToken ci_token(int64_t user) {
  domain::ApiToken token;
  token.user_id = user;
  token.name = "CI pipeline";
  token.token_hash = std::string(64, '7');
  token.created_at = kT0;
  return token;
}

TEST_P(StoreTest, Tokens) {
  World w = seed();
  auto tx = begin();
  domain::ApiToken token = ci_token(w.partner);
  token.id = take(tx->accounts().create_token(token));
  domain::ApiToken second = token;
  second.name = "laptop";
  second.token_hash = std::string(64, '8');
  second.id = take(tx->accounts().create_token(second));

  std::optional<domain::ApiToken> found = take(tx->accounts().find_token_by_hash(token.token_hash));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, token.id);
  EXPECT_EQ(found->user_id, w.partner);
  EXPECT_EQ(found->name, "CI pipeline");
  EXPECT_EQ(found->token_hash, token.token_hash);
  EXPECT_EQ(found->created_at, kT0);
  EXPECT_EQ(found->last_used_at, "");
  EXPECT_FALSE(found->revoked);
  EXPECT_FALSE(take(tx->accounts().find_token_by_hash(std::string(64, '9'))).has_value());

  ok(tx->accounts().touch_token(token.id, kT1));
  ok(tx->accounts().revoke_token(second.id));
  ok(tx->accounts().revoke_token(second.id));  // revoking twice is harmless
  std::vector<domain::ApiToken> tokens = take(tx->accounts().list_tokens(w.partner));
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].last_used_at, kT1);
  EXPECT_FALSE(tokens[0].revoked);
  EXPECT_TRUE(tokens[1].revoked);
  EXPECT_TRUE(take(tx->accounts().list_tokens(w.legal)).empty());
  EXPECT_EQ(code(tx->accounts().revoke_token(9999)), "not_found");
  EXPECT_EQ(code(tx->accounts().touch_token(9999, kT1)), "not_found");
  ok(tx->commit());

  tx.reset();
  tx = begin();
  domain::ApiToken duplicate = token;
  duplicate.user_id = w.legal;
  EXPECT_EQ(code(tx->accounts().create_token(duplicate)), "already_exists");
  tx.reset();
  tx = begin();
  duplicate.token_hash = std::string(64, '6');
  duplicate.user_id = 9999;
  EXPECT_EQ(code(tx->accounts().create_token(duplicate)), "not_found");
}

TEST_P(StoreTest, AccountChangesMoveWhenWhatAnActorIsMadeOfIsCommitted) {
  World w = seed();
  domain::ApiToken token = ci_token(w.partner);
  auto tx = begin();
  token.id = take(tx->accounts().create_token(token));
  ok(tx->commit());
  tx.reset();
  // Reading, writing something else, and a write rolled back leave the count alone.
  uint64_t changes = store_->account_changes();
  tx = begin();
  (void)take(tx->accounts().find_token_by_hash(token.token_hash));
  (void)take(tx->accounts().create_organization({0, "Another vendor", kT0}));
  ok(tx->commit());
  tx.reset();
  tx = begin();
  ok(tx->accounts().revoke_token(token.id));
  tx.reset();
  EXPECT_EQ(store_->account_changes(), changes);
  // A revocation, a role, a user's record: each moves it once committed.
  tx = begin();
  ok(tx->accounts().revoke_token(token.id));
  ok(tx->commit());
  tx.reset();
  EXPECT_GT(store_->account_changes(), changes);
  changes = store_->account_changes();
  tx = begin();
  ok(tx->accounts().set_membership({w.partner, w.production, domain::Role::kLegal}));
  ok(tx->commit());
  tx.reset();
  EXPECT_GT(store_->account_changes(), changes);
  changes = store_->account_changes();
  tx = begin();
  ok(tx->accounts().remove_membership(w.partner, w.production));
  ok(tx->commit());
  tx.reset();
  EXPECT_GT(store_->account_changes(), changes);
  changes = store_->account_changes();
  tx = begin();
  domain::User partner = take(tx->accounts().get_user(w.partner));
  partner.disabled = true;
  ok(tx->accounts().update_user(partner));
  ok(tx->commit());
  tx.reset();
  EXPECT_GT(store_->account_changes(), changes);
  // Raw statements may change anything.
  changes = store_->account_changes();
  ok(raw().execute_raw("SELECT 1"));
  EXPECT_GT(store_->account_changes(), changes);
  // Another store on the same database (another process) counts only its own commits.
  std::unique_ptr<Store> other = take(open_store(url_));
  EXPECT_EQ(other->account_changes(), 0u);
}

TEST_P(StoreTest, Sessions) {
  World w = seed();
  auto tx = begin();
  domain::Session session;
  session.id_hash = std::string(64, '5');
  session.user_id = w.legal;
  session.csrf_token = "csrf-123";
  session.created_at = kT0;
  session.expires_at = kT2;
  ok(tx->accounts().create_session(session));
  std::optional<domain::Session> found = take(tx->accounts().find_session(session.id_hash));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id_hash, session.id_hash);
  EXPECT_EQ(found->user_id, w.legal);
  EXPECT_EQ(found->csrf_token, "csrf-123");
  EXPECT_EQ(found->created_at, kT0);
  EXPECT_EQ(found->expires_at, kT2);
  EXPECT_FALSE(take(tx->accounts().find_session(std::string(64, '4'))).has_value());
  ok(tx->accounts().delete_session(session.id_hash));
  EXPECT_FALSE(take(tx->accounts().find_session(session.id_hash)).has_value());
  EXPECT_EQ(code(tx->accounts().delete_session(session.id_hash)), "not_found");
  ok(tx->accounts().create_session(session));
  ok(tx->commit());

  tx.reset();
  tx = begin();
  EXPECT_EQ(code(tx->accounts().create_session(session)), "already_exists");
  tx.reset();
  tx = begin();
  session.id_hash = std::string(64, '3');
  session.user_id = 9999;
  EXPECT_EQ(code(tx->accounts().create_session(session)), "not_found");
}

TEST_P(StoreTest, AuditLog) {
  auto tx = begin();
  EXPECT_EQ(take(tx->audit().size()), 0u);
  EXPECT_TRUE(take(tx->audit().list(0, 10)).empty());

  std::vector<audit::AuditEvent> events;
  for (int i = 0; i < 5; ++i) {
    audit::AuditEvent event = make_event("user:" + std::to_string(i), i);
    event.sequence = take(tx->audit().size());
    uint64_t sequence = take(tx->audit().append(event, leaf_hex(event)));
    EXPECT_EQ(sequence, static_cast<uint64_t>(i));
    events.push_back(event);
  }
  // An empty leaf hash lets the store hash; the sequence in the event is then ignored.
  audit::AuditEvent unhashed = make_event("system", 5);
  unhashed.sequence = 77;
  EXPECT_EQ(take(tx->audit().append(unhashed, "")), 5u);
  unhashed.sequence = 5;
  events.push_back(unhashed);
  EXPECT_EQ(take(tx->audit().size()), 6u);

  // A hash for the sequence the event gets must be right ...
  audit::AuditEvent wrong = make_event("wrong", 6);
  wrong.sequence = 6;
  EXPECT_EQ(code(tx->audit().append(wrong, leaf_hex(unhashed))), "invalid_argument");
  audit::AuditEvent invalid = make_event("", 6);
  EXPECT_EQ(code(tx->audit().append(invalid, "")), "invalid_argument");
  invalid = make_event("x", 6);
  invalid.payload_json = "[1]";
  EXPECT_EQ(code(tx->audit().append(invalid, "")), "invalid_argument");
  EXPECT_EQ(take(tx->audit().size()), 6u);
  // ... one for a sequence a concurrent writer took is recomputed for the one it gets.
  audit::AuditEvent late = make_event("late", 6);
  late.sequence = 5;
  EXPECT_EQ(take(tx->audit().append(late, leaf_hex(late))), 6u);
  late.sequence = 6;
  events.push_back(late);
  ok(tx->commit());

  tx.reset();
  tx = begin();
  std::vector<AuditRecord> records = take(tx->audit().list(0, 100));
  ASSERT_EQ(records.size(), 7u);
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].event, events[i]);
    EXPECT_EQ(records[i].leaf_hash, leaf_hex(events[i]));
  }
  records = take(tx->audit().list(2, 3));
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].event.sequence, 2u);
  EXPECT_EQ(records[2].event.sequence, 4u);
  EXPECT_TRUE(take(tx->audit().list(7, 10)).empty());
  EXPECT_TRUE(take(tx->audit().list(UINT64_MAX, UINT64_MAX)).empty());
  EXPECT_EQ(take(tx->audit().list(4, UINT64_MAX)).size(), 3u);
  EXPECT_TRUE(take(tx->audit().list(0, 0)).empty());
}

TEST_P(StoreTest, AuditLogIsAppendOnly) {
  auto tx = begin();
  EXPECT_EQ(take(tx->audit().append(make_event("a", 0), "")), 0u);
  ok(tx->commit());
  EXPECT_EQ(code(raw().execute_raw("UPDATE audit_events SET actor = 'mallory'")),
            "failed_precondition");
  EXPECT_EQ(code(raw().execute_raw("DELETE FROM audit_events")), "failed_precondition");
  tx.reset();
  tx = begin();
  EXPECT_EQ(take(tx->audit().list(0, 10)).at(0).event.actor, "a");
}

TEST_P(StoreTest, Checkpoints) {
  auto tx = begin();
  EXPECT_FALSE(take(tx->audit().latest_checkpoint()).has_value());
  EXPECT_TRUE(take(tx->audit().list_checkpoints()).empty());
  ok(tx->audit().append_checkpoint({0, "origin\n0\nhash\n\n— sig\n", kT0}));
  for (int i = 0; i < 3; ++i) {
    (void)take(tx->audit().append(make_event("a", i), ""));
  }
  ok(tx->audit().append_checkpoint({3, "origin\n3\nhash\n", kT1}));
  EXPECT_EQ(code(tx->audit().append_checkpoint({4, "too big", kT1})), "failed_precondition");
  EXPECT_EQ(code(tx->audit().append_checkpoint({2, "shrinks", kT1})), "failed_precondition");
  EXPECT_EQ(code(tx->audit().append_checkpoint({3, "x", "now"})), "invalid_argument");
  std::optional<CheckpointRecord> latest = take(tx->audit().latest_checkpoint());
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->tree_size, 3u);
  EXPECT_EQ(latest->note, "origin\n3\nhash\n");
  EXPECT_EQ(latest->created_at, kT1);
  std::vector<CheckpointRecord> all = take(tx->audit().list_checkpoints());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].tree_size, 0u);
  EXPECT_EQ(all[0].note, "origin\n0\nhash\n\n— sig\n");
  EXPECT_EQ(all[0].created_at, kT0);
  ok(tx->commit());

  tx.reset();
  tx = begin();
  EXPECT_EQ(code(tx->audit().append_checkpoint({3, "again", kT2})), "already_exists");
}

// 4 threads × 50 appends, each in its own transaction, hashing with the sequence audit_size()
// showed (which another writer may take first): the sequences come out dense and unique, every
// stored leaf hash right.
TEST_P(StoreTest, ConcurrentAuditAppends) {
  constexpr int kThreads = 4;
  constexpr int kAppends = 50;
  std::vector<std::vector<uint64_t>> sequences(kThreads);
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAppends; ++i) {
        auto tx = store_->begin();
        if (!tx.has_value()) {
          failures[t] = tx.error().to_string();
          return;
        }
        audit::AuditEvent event = make_event("thread:" + std::to_string(t), i);
        auto size = (*tx)->audit().size();
        if (!size.has_value()) {
          failures[t] = size.error().to_string();
          return;
        }
        event.sequence = *size;
        // Half the writers hash themselves, half leave it to the store.
        std::string hash = t % 2 == 0 ? leaf_hex(event) : "";
        auto sequence = (*tx)->audit().append(event, hash);
        if (!sequence.has_value()) {
          failures[t] = sequence.error().to_string();
          return;
        }
        if (base::Status committed = (*tx)->commit(); !committed.has_value()) {
          failures[t] = committed.error().to_string();
          return;
        }
        sequences[t].push_back(*sequence);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], "") << "thread " << t;
  }
  std::vector<uint64_t> all;
  for (const auto& s : sequences) {
    EXPECT_TRUE(std::is_sorted(s.begin(), s.end()));
    all.insert(all.end(), s.begin(), s.end());
  }
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kAppends));
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(all[i], i);
  }
  auto tx = begin();
  EXPECT_EQ(take(tx->audit().size()), all.size());
  std::vector<AuditRecord> records = take(tx->audit().list(0, 1000));
  ASSERT_EQ(records.size(), all.size());
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].event.sequence, i);
    EXPECT_EQ(records[i].leaf_hash, leaf_hex(records[i].event));
  }
}

TEST_P(StoreTest, DroppedTransactionRollsBack) {
  World w = seed();
  {
    auto tx = begin();
    (void)take(tx->accounts().create_organization({0, "Never", kT0}));
    ok(tx->accounts().set_membership({w.partner, w.production, domain::Role::kPartner}));
    (void)take(tx->audit().append(make_event("a", 0), ""));
  }
  auto tx = begin();
  EXPECT_EQ(take(tx->accounts().list_organizations()).size(), 2u);
  EXPECT_TRUE(take(tx->accounts().list_memberships_of_user(w.partner)).empty());
  EXPECT_EQ(take(tx->audit().size()), 0u);
  // The log's next sequence was given back too.
  EXPECT_EQ(take(tx->audit().append(make_event("b", 0), "")), 0u);
  ok(tx->commit());
}

TEST_P(StoreTest, DatabaseErrorAbortsTransaction) {
  World w = seed();
  auto tx = begin();
  (void)take(tx->accounts().create_organization({0, "Lost with the transaction", kT0}));
  // Answers that need no failed statement leave the transaction usable ...
  EXPECT_EQ(code(tx->accounts().get_user(9999)), "not_found");
  EXPECT_EQ(code(tx->accounts().create_organization({0, "x", "not a time"})), "invalid_argument");
  EXPECT_EQ(code(tx->accounts().create_organization({0, "bad \xff utf-8", kT0})),
            "invalid_argument");
  EXPECT_EQ(code(tx->accounts().create_organization({0, std::string("nul\0byte", 8), kT0})),
            "invalid_argument");
  (void)take(tx->accounts().list_users());
  // ... a rejected statement does not.
  EXPECT_EQ(code(tx->accounts().create_user(make_user(w.vendor, "partner@vendor.example"))),
            "already_exists");
  auto after = tx->accounts().list_users();
  EXPECT_EQ(code(after), "failed_precondition");
  EXPECT_EQ(code(tx->commit()), "failed_precondition");
  EXPECT_EQ(code(tx->commit()), "failed_precondition");

  tx.reset();
  tx = begin();
  EXPECT_EQ(take(tx->accounts().list_organizations()).size(), 2u);
  ok(tx->commit());
  EXPECT_EQ(code(tx->commit()), "failed_precondition");
  EXPECT_EQ(code(tx->accounts().list_users()), "failed_precondition");
}

TEST_P(StoreTest, TransactionsSeeCommittedWork) {
  auto tx = begin();
  int64_t id = take(tx->accounts().create_organization({0, "Committed", kT0}));
  ok(tx->commit());
  tx.reset();
  std::unique_ptr<Store> second = take(open_store(url_));
  auto other = take(second->begin());
  EXPECT_EQ(take(other->accounts().get_organization(id)).name, "Committed");
}

TEST_P(StoreTest, TransactionMayOutliveStore) {
  auto tx = begin();
  store_.reset();
  (void)take(tx->accounts().create_organization({0, "Orphaned store", kT0}));
  ok(tx->commit());
  store_ = take(open_store(url_));
  EXPECT_EQ(take(begin()->accounts().list_organizations()).size(), 1u);
}

domain::Notification make_email(int64_t production, int64_t user, const std::string& key) {
  domain::Notification n;
  n.idempotency_key = key;
  n.event_sequence = 3;
  n.event_action = "use_case.submitted";
  n.production_id = production;
  n.channel = domain::NotificationChannel::kEmail;
  n.recipient_user_id = user;
  n.address = "legal@studio.example";
  n.payload_json = R"({"kind":"use_case.submitted"})";
  n.next_attempt_at = kT0;
  n.created_at = kT0;
  return n;
}

TEST_P(StoreTest, OutboxEnqueueIsIdempotent) {
  World w = seed();
  auto tx = begin();
  domain::Notification n = make_email(w.production, w.legal, "ev3-email-user2");
  n.state = domain::NotificationState::kSent;  // ignored: a new row is pending
  n.attempts = 7;
  EXPECT_TRUE(take(tx->outbox().enqueue(n)));
  EXPECT_FALSE(take(tx->outbox().enqueue(n)));
  std::vector<domain::Notification> all = take(tx->outbox().list({}));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].idempotency_key, "ev3-email-user2");
  EXPECT_EQ(all[0].state, domain::NotificationState::kPending);
  EXPECT_EQ(all[0].attempts, 0);
  EXPECT_EQ(all[0].recipient_user_id, w.legal);
  EXPECT_EQ(all[0].webhook_id, 0);
  EXPECT_EQ(all[0].payload_json, n.payload_json);
  EXPECT_EQ(take(tx->outbox().get(all[0].id)).address, "legal@studio.example");
  domain::Notification both = make_email(w.production, w.legal, "both");
  both.webhook_id = 1;
  EXPECT_EQ(code(tx->outbox().enqueue(both)), "invalid_argument");
  EXPECT_EQ(code(tx->outbox().get(all[0].id + 100)), "not_found");
  ok(tx->commit());
}

TEST_P(StoreTest, OutboxLeasesRetriesAndDeadLetters) {
  World w = seed();
  {
    auto tx = begin();
    ASSERT_TRUE(take(tx->outbox().enqueue(make_email(w.production, w.legal, "a"))));
    domain::Notification later = make_email(w.production, w.legal, "b");
    later.next_attempt_at = kT2;  // not due at kT1
    ASSERT_TRUE(take(tx->outbox().enqueue(later)));
    ok(tx->commit());
  }
  auto tx = begin();
  std::vector<domain::Notification> claimed =
      take(tx->outbox().claim("d1", kT1, "2026-11-22T02:05:00.000Z", 10));
  ASSERT_EQ(claimed.size(), 1u);
  int64_t id = claimed[0].id;
  EXPECT_EQ(claimed[0].state, domain::NotificationState::kSending);
  EXPECT_EQ(claimed[0].lease_owner, "d1");
  EXPECT_EQ(claimed[0].attempts, 1);
  // Leased: not claimable again until the lease ends; then another dispatcher takes it over
  // and the first one can no longer finish it.
  EXPECT_TRUE(take(tx->outbox().claim("d2", kT1, "2026-11-22T02:05:00.000Z", 10)).empty());
  claimed =
      take(tx->outbox().claim("d2", "2026-11-22T02:06:00.000Z", "2026-11-22T02:11:00.000Z", 1));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].id, id);
  EXPECT_EQ(claimed[0].attempts, 2);
  EXPECT_EQ(code(tx->outbox().mark_sent(id, "d1", kT1)), "failed_precondition");
  ok(tx->outbox().mark_failed(id, "d2", "connection refused", "2026-11-22T03:00:00.000Z", false));
  domain::Notification got = take(tx->outbox().get(id));
  EXPECT_EQ(got.state, domain::NotificationState::kPending);
  EXPECT_EQ(got.last_error, "connection refused");
  EXPECT_EQ(got.lease_owner, "");
  EXPECT_TRUE(take(tx->outbox().claim("d2", "2026-11-22T02:59:00.000Z", kT2, 1)).empty());
  claimed = take(tx->outbox().claim("d2", "2026-11-22T03:00:00.000Z", kT2, 1));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(code(tx->outbox().retry(id, kT1)), "failed_precondition");  // not dead
  ok(tx->outbox().mark_failed(id, "d2", "550 no such user", kT2, true));
  EXPECT_EQ(take(tx->outbox().list({domain::NotificationState::kDead, 0, 0, 50})).size(), 1u);
  EXPECT_TRUE(take(tx->outbox().claim("d2", kT2, kT2, 10)).size() == 1u);  // only "b", due now
  ok(tx->outbox().retry(id, kT2));
  got = take(tx->outbox().get(id));
  EXPECT_EQ(got.state, domain::NotificationState::kPending);
  EXPECT_EQ(got.attempts, 0);
  claimed = take(tx->outbox().claim("d3", kT2, "2026-11-24T00:00:00.000Z", 10));
  ASSERT_EQ(claimed.size(), 1u);
  ok(tx->outbox().mark_sent(id, "d3", kT2));
  got = take(tx->outbox().get(id));
  EXPECT_EQ(got.state, domain::NotificationState::kSent);
  EXPECT_EQ(got.sent_at, kT2);
  EXPECT_EQ(code(tx->outbox().mark_failed(id, "d3", "late", kT2, false)), "failed_precondition");
  EXPECT_EQ(code(tx->outbox().mark_sent(id + 100, "d3", kT2)), "not_found");
  ok(tx->commit());
}

TEST_P(StoreTest, Webhooks) {
  World w = seed();
  auto tx = begin();
  domain::Webhook hook{0,       w.production, "https://hooks.example/cc", "s3cret", "json", false,
                       w.admin, kT0};
  int64_t id = take(tx->outbox().create_webhook(hook));
  hook.url = "ftp://nope";
  EXPECT_EQ(code(tx->outbox().create_webhook(hook)), "invalid_argument");
  hook.url = "http://hooks.example/slack";
  hook.format = "xml";
  EXPECT_EQ(code(tx->outbox().create_webhook(hook)), "invalid_argument");
  hook.format = "slack";
  int64_t slack = take(tx->outbox().create_webhook(hook));
  domain::Webhook got = take(tx->outbox().get_webhook(id));
  EXPECT_EQ(got.secret, "s3cret");
  EXPECT_EQ(got.created_by, w.admin);
  ok(tx->outbox().disable_webhook(slack));
  std::vector<domain::Webhook> hooks = take(tx->outbox().list_webhooks(w.production));
  ASSERT_EQ(hooks.size(), 2u);
  EXPECT_FALSE(hooks[0].disabled);
  EXPECT_TRUE(hooks[1].disabled);
  EXPECT_EQ(hooks[1].format, "slack");
  EXPECT_TRUE(take(tx->outbox().list_webhooks(w.other_production)).empty());
  domain::Notification delivery = make_email(w.production, 0, "hook");
  delivery.channel = domain::NotificationChannel::kWebhook;
  delivery.webhook_id = id;
  ASSERT_TRUE(take(tx->outbox().enqueue(delivery)));
  ASSERT_TRUE(take(tx->outbox().enqueue(make_email(w.production, w.legal, "mail"))));
  std::vector<domain::Notification> log = take(tx->outbox().list({std::nullopt, id, 0, 50}));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].idempotency_key, "hook");
  ok(tx->commit());
}

// The login throttle's failures (issue #16): counted per key after a time, the old ones
// forgotten as new ones come.
TEST_P(StoreTest, LoginFailuresAreCountedPerKeyWithinTheWindow) {
  auto tx = begin();
  ok(tx->accounts().add_login_failure("email:a@x", "2026-12-07T10:00:00.000Z",
                                      "2026-12-07T09:45:00.000Z"));
  ok(tx->accounts().add_login_failure("email:a@x", "2026-12-07T10:05:00.000Z",
                                      "2026-12-07T09:50:00.000Z"));
  ok(tx->accounts().add_login_failure("addr:10.0.0.1", "2026-12-07T10:06:00.000Z",
                                      "2026-12-07T09:51:00.000Z"));
  EXPECT_EQ(take(tx->accounts().count_login_failures("email:a@x", "2026-12-07T09:59:00.000Z")), 2);
  EXPECT_EQ(take(tx->accounts().count_login_failures("email:a@x", "2026-12-07T10:01:00.000Z")), 1);
  EXPECT_EQ(take(tx->accounts().count_login_failures("addr:10.0.0.1", "2026-12-07T10:00:00.000Z")),
            1);
  EXPECT_EQ(take(tx->accounts().count_login_failures("email:b@x", "2026-12-07T09:00:00.000Z")), 0);
  // A failure at 10:30 forgets those before 10:15: the first two are gone.
  ok(tx->accounts().add_login_failure("email:b@x", "2026-12-07T10:30:00.000Z",
                                      "2026-12-07T10:15:00.000Z"));
  EXPECT_EQ(take(tx->accounts().count_login_failures("email:a@x", "2026-12-07T09:00:00.000Z")), 0);
  EXPECT_EQ(take(tx->accounts().count_login_failures("email:b@x", "2026-12-07T09:00:00.000Z")), 1);
  EXPECT_EQ(tx->accounts()
                .add_login_failure("", "2026-12-07T10:30:00.000Z", "2026-12-07T10:15:00.000Z")
                .error()
                .code(),
            base::ErrorCode::kInvalidArgument);
  ok(tx->commit());
}

// Single sign-on (issue #15): identities linked once, a sign-in taken once, mappings unique
// per (claim, value, production).
TEST_P(StoreTest, NoticesPreferencesAndDigests) {
  World w = seed();
  auto tx = begin();
  EXPECT_TRUE(take(tx->outbox().claim_notice("approval.expiring.7.2027-01-01", kT0)));
  EXPECT_FALSE(take(tx->outbox().claim_notice("approval.expiring.7.2027-01-01", kT1)));
  EXPECT_TRUE(take(tx->outbox().claim_notice("consent.expiring.3.2027-01-01", kT1)));
  EXPECT_EQ(take(tx->outbox().list_notice_keys()),
            (std::vector<std::string>{"approval.expiring.7.2027-01-01",
                                      "consent.expiring.3.2027-01-01"}));

  ok(tx->outbox().set_preference({w.legal, "mentions", domain::Delivery::kDigest, kT0}));
  ok(tx->outbox().set_preference({w.legal, "decisions", domain::Delivery::kOff, kT0}));
  ok(tx->outbox().set_preference({w.legal, "mentions", domain::Delivery::kOff, kT1}));
  ok(tx->outbox().set_preference({w.partner, "scans", domain::Delivery::kDigest, kT1}));
  std::vector<domain::NotificationPreference> mine = take(tx->outbox().list_preferences(w.legal));
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].topic, "decisions");
  EXPECT_EQ(mine[1].topic, "mentions");
  EXPECT_EQ(mine[1].delivery, domain::Delivery::kOff);
  EXPECT_EQ(mine[1].updated_at, kT1);
  EXPECT_EQ(take(tx->outbox().list_all_preferences()).size(), 3u);

  domain::DigestItem item;
  item.idempotency_key = "ev3.email.user" + std::to_string(w.legal);
  item.user_id = w.legal;
  item.event_sequence = 3;
  item.event_action = "comment.added";
  item.production_id = w.production;
  item.payload_json = R"({"what":"x"})";
  item.created_at = kT0;
  EXPECT_TRUE(take(tx->outbox().hold_for_digest(item)));
  EXPECT_FALSE(take(tx->outbox().hold_for_digest(item)));
  item.idempotency_key = "ev4";
  item.created_at = kT2;
  EXPECT_TRUE(take(tx->outbox().hold_for_digest(item)));
  EXPECT_EQ(take(tx->outbox().users_with_digest_items(kT1)), (std::vector<int64_t>{w.legal}));
  EXPECT_TRUE(take(tx->outbox().users_with_digest_items(kT0)).empty());
  std::vector<domain::DigestItem> taken = take(tx->outbox().take_digest_items(w.legal, kT1));
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].event_action, "comment.added");
  EXPECT_EQ(taken[0].production_id, w.production);
  EXPECT_EQ(taken[0].payload_json, R"({"what":"x"})");
  EXPECT_TRUE(take(tx->outbox().take_digest_items(w.legal, kT1)).empty());  // once
  ASSERT_EQ(take(tx->outbox().list_digest_items(w.legal)).size(), 1u);
  ok(tx->commit());
}

TEST_P(StoreTest, PasswordResetsAndEndingSessions) {
  World w = seed();
  auto tx = begin();
  ok(tx->accounts().add_password_reset({"h1", w.partner, kT0, "2026-11-22T01:30:00Z"}, kT0));
  ok(tx->accounts().add_password_reset({"h2", w.partner, kT1, "2026-11-22T03:00:00Z"}, kT1));
  EXPECT_EQ(take(tx->accounts().latest_password_reset(w.partner, kT0))->token_hash, "h2");
  EXPECT_FALSE(take(tx->accounts().latest_password_reset(w.partner, kT1)).has_value());
  EXPECT_FALSE(take(tx->accounts().take_password_reset("h1")).has_value());  // expired, forgotten
  std::optional<domain::PasswordReset> taken = take(tx->accounts().take_password_reset("h2"));
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->user_id, w.partner);
  EXPECT_FALSE(take(tx->accounts().take_password_reset("h2")).has_value());  // once
  ok(tx->accounts().add_password_reset({"h3", w.partner, kT1, kT2}, kT1));
  ok(tx->accounts().add_password_reset({"h4", w.legal, kT1, kT2}, kT1));
  EXPECT_EQ(take(tx->accounts().delete_password_resets(w.partner)), 1);
  EXPECT_TRUE(take(tx->accounts().take_password_reset("h4")).has_value());

  domain::Session session;
  session.user_id = w.partner;
  session.csrf_token = "c";
  session.created_at = kT0;
  session.expires_at = kT2;
  session.id_hash = std::string(64, 'a');
  ok(tx->accounts().create_session(session));
  session.id_hash = std::string(64, 'b');
  ok(tx->accounts().create_session(session));
  session.id_hash = std::string(64, 'c');
  session.user_id = w.legal;
  ok(tx->accounts().create_session(session));
  EXPECT_EQ(take(tx->accounts().delete_sessions_of_user(w.partner)), 2);
  EXPECT_TRUE(take(tx->accounts().find_session(std::string(64, 'c'))).has_value());
  ok(tx->commit());
}

TEST_P(StoreTest, SingleSignOnRecords) {
  World w = seed();
  auto tx = begin();
  ok(tx->accounts().link_identity(
      {"https://id.example", "sub-1", w.partner, "2026-12-07T10:00:00.000Z"}));
  ok(tx->commit());
  {
    // A refused statement ends its transaction (PostgreSQL): each refusal in one of its own.
    auto refused = begin();
    EXPECT_EQ(
        refused->accounts()
            .link_identity({"https://id.example", "sub-1", w.legal, "2026-12-07T10:00:00.000Z"})
            .error()
            .code(),
        base::ErrorCode::kAlreadyExists);
  }
  tx = begin();
  EXPECT_EQ(take(tx->accounts().find_identity("https://id.example", "sub-1"))->user_id, w.partner);
  EXPECT_FALSE(take(tx->accounts().find_identity("https://other.example", "sub-1")).has_value());
  EXPECT_EQ(take(tx->accounts().list_identities()).size(), 1u);

  domain::SsoLogin login{
      "hash-1", "nonce", "verifier", "/#/", "2026-12-07T10:00:00.000Z", "2026-12-07T10:10:00.000Z"};
  ok(tx->accounts().add_sso_login(login, "2026-12-07T10:00:00.000Z"));
  domain::SsoLogin old{
      "hash-0", "n", "v", "/", "2026-12-07T09:00:00.000Z", "2026-12-07T09:10:00.000Z"};
  ok(tx->accounts().add_sso_login(old, "2026-12-07T09:00:00.000Z"));
  // Adding one at 10:20 forgets those that expired before it.
  ok(tx->accounts().add_sso_login(
      {"hash-2", "n", "v", "/", "2026-12-07T10:20:00.000Z", "2026-12-07T10:30:00.000Z"},
      "2026-12-07T10:20:00.000Z"));
  EXPECT_FALSE(take(tx->accounts().take_sso_login("hash-0")).has_value());
  std::optional<domain::SsoLogin> taken = take(tx->accounts().take_sso_login("hash-1"));
  EXPECT_FALSE(taken.has_value());  // expired at 10:10, forgotten at 10:20
  taken = take(tx->accounts().take_sso_login("hash-2"));
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->expires_at, "2026-12-07T10:30:00.000Z");
  EXPECT_FALSE(take(tx->accounts().take_sso_login("hash-2")).has_value());  // once

  domain::SsoRoleMapping m;
  m.claim = "groups";
  m.value = "s3-legal";
  m.production_id = w.production;
  m.role = domain::Role::kLegal;
  m.created_at = "2026-12-07T10:00:00.000Z";
  int64_t id = take(tx->accounts().create_sso_mapping(m));
  ok(tx->commit());
  {
    auto refused = begin();
    EXPECT_EQ(refused->accounts().create_sso_mapping(m).error().code(),
              base::ErrorCode::kAlreadyExists);
  }
  tx = begin();
  std::vector<domain::SsoRoleMapping> listed = take(tx->accounts().list_sso_mappings());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, id);
  EXPECT_EQ(listed[0].role, domain::Role::kLegal);
  ok(tx->accounts().delete_sso_mapping(id));
  EXPECT_EQ(tx->accounts().delete_sso_mapping(id).error().code(), base::ErrorCode::kNotFound);
  ok(tx->commit());
}

TEST_P(StoreTest, MigrationsAreIdempotent) {
  World w = seed();
  store_.reset();
  store_ = take(open_store(url_));
  store_ = take(open_store(url_));
  sql::SqlRows versions =
      take(raw().query_raw("SELECT version FROM schema_migrations ORDER BY version", {}));
  ASSERT_EQ(versions.size(), 14u);
  EXPECT_EQ(std::get<int64_t>(versions[0][0]), 1);
  EXPECT_EQ(std::get<int64_t>(versions[13][0]), 14);
  auto tx = begin();
  EXPECT_EQ(take(tx->accounts().get_production(w.production)).code, "squid-game-s3");
}

TEST_P(StoreTest, NewerSchemaIsRefused) {
  ok(raw().execute_raw("INSERT INTO schema_migrations (version) VALUES (999)"));
  store_.reset();
  auto reopened = open_store(url_);
  ASSERT_EQ(code(reopened), "failed_precondition");
  EXPECT_NE(reopened.error().message().find("999"), std::string::npos)
      << reopened.error().message();
  EXPECT_NE(reopened.error().message().find("newer"), std::string::npos)
      << reopened.error().message();
}

// The prefix puts "store" in every test's name: `ctest -R store` runs them all.
INSTANTIATE_TEST_SUITE_P(store, StoreTest, testing::Values(Backend::kSqlite, Backend::kPostgres),
                         backend_name);

// Backend-specific behaviour.

class SqliteStoreTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("clearcut_sqlite_test_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
};

TEST_P(SqliteStoreTest, Urls) {
  std::string path = (dir_ / "a.db").string();
  EXPECT_EQ(take(open_store(path))->backend(), "sqlite");
  EXPECT_EQ(take(open_store("sqlite:" + path))->backend(), "sqlite");
  EXPECT_EQ(take(open_store("sqlite://" + path))->backend(), "sqlite");
  EXPECT_EQ(take(open_store(":memory:"))->backend(), "sqlite");
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(code(open_store("")), "invalid_argument");
  EXPECT_EQ(code(open_store("sqlite:")), "invalid_argument");
  auto mysql = open_store("mysql://root:secret@db/clearcut");
  EXPECT_EQ(code(mysql), "invalid_argument");
  EXPECT_EQ(mysql.error().message().find("secret"), std::string::npos);
}

TEST_P(SqliteStoreTest, MissingDirectoryIsAnError) {
  auto store = open_store((dir_ / "no" / "such" / "dir" / "clearcut.db").string());
  EXPECT_EQ(code(store), "not_found");
  EXPECT_NE(store.error().message().find("does not exist"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "no"));
}

TEST_P(SqliteStoreTest, NotADatabase) {
  std::filesystem::path path = dir_ / "text.db";
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("this is not a SQLite database, but it is long enough to look like a header\n", f);
    std::fclose(f);
  }
  EXPECT_EQ(code(open_store(path.string())), "data_loss");
}

TEST_P(SqliteStoreTest, ConnectionSettings) {
  std::unique_ptr<Store> store = take(open_store((dir_ / "settings.db").string()));
  auto& sql_store = dynamic_cast<sql::SqlStore&>(*store);
  auto pragma = [&](const std::string& name) {
    return take(sql_store.query_raw("PRAGMA " + name, {})).at(0).at(0);
  };
  EXPECT_EQ(std::get<std::string>(pragma("journal_mode")), "wal");
  EXPECT_EQ(std::get<int64_t>(pragma("foreign_keys")), 1);
  EXPECT_EQ(std::get<int64_t>(pragma("synchronous")), 2);  // FULL
  EXPECT_EQ(std::get<int64_t>(pragma("busy_timeout")), 10000);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "settings.db-wal"));
}

// A writer killed with SIGKILL loses nothing it had been told was committed.
TEST_P(SqliteStoreTest, AcknowledgedWritesSurviveSigkill) {
  std::string path = (dir_ / "crash.db").string();
  (void)take(open_store(path));
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    auto store = open_store(path);
    for (int64_t i = 0; store.has_value(); ++i) {
      auto tx = (*store)->begin();
      if (!tx.has_value() || !(*tx)->accounts().create_organization({0, std::to_string(i), kT0}) ||
          !(*tx)->commit()) {
        break;
      }
      if (write(pipe_fds[1], &i, sizeof(i)) != sizeof(i)) {
        break;
      }
    }
    _exit(1);
  }
  close(pipe_fds[1]);
  int64_t acknowledged = -1;
  for (int n = 0; n < 30; ++n) {
    ASSERT_EQ(read(pipe_fds[0], &acknowledged, sizeof(acknowledged)),
              static_cast<ssize_t>(sizeof(acknowledged)));
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  // Drain what the child acknowledged before it died.
  int64_t more = 0;
  while (read(pipe_fds[0], &more, sizeof(more)) == static_cast<ssize_t>(sizeof(more))) {
    acknowledged = more;
  }
  close(pipe_fds[0]);
  EXPECT_TRUE(WIFSIGNALED(status));

  std::unique_ptr<Store> store = take(open_store(path));
  auto tx = take(store->begin());
  std::vector<domain::Organization> orgs = take(tx->accounts().list_organizations());
  ASSERT_GE(static_cast<int64_t>(orgs.size()), acknowledged + 1);
  for (int64_t i = 0; i <= acknowledged; ++i) {
    EXPECT_EQ(orgs[static_cast<size_t>(i)].name, std::to_string(i));
  }
}

INSTANTIATE_TEST_SUITE_P(store, SqliteStoreTest, testing::Values(Backend::kSqlite), backend_name);

// Needs no server.
class PostgresStoreTest : public testing::TestWithParam<Backend> {};

TEST_P(PostgresStoreTest, UnreachableServerIsUnavailable) {
  // Port 1 on the loopback: nothing listens, the connection is refused at once.
  auto store = open_store("postgresql://clearcut:s3cret-password@127.0.0.1:1/clearcut");
  ASSERT_EQ(code(store), "unavailable");
  EXPECT_EQ(store.error().message().find("s3cret"), std::string::npos);
  EXPECT_NE(store.error().message().find("127.0.0.1"), std::string::npos)
      << store.error().message();
}

TEST_P(PostgresStoreTest, Placeholders) {
  EXPECT_EQ(postgres::number_placeholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(postgres::number_placeholders("SELECT 1"), "SELECT 1");
}

INSTANTIATE_TEST_SUITE_P(store, PostgresStoreTest, testing::Values(Backend::kPostgres),
                         backend_name);

}  // namespace
}  // namespace clearcut::store
