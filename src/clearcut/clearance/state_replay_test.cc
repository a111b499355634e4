#include "clearcut/clearance/state_replay.h"

#include <gtest/gtest.h>

#include "clearcut/domain/declaration_schema.h"
#include "clearcut/domain/tool_registry.h"

namespace clearcut::clearance {
namespace {

// Events as clearcut wrote them before the payloads carried whole rows: still replayed, and
// their rows compared on the columns they carry.
class StateReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_store("sqlite::memory:").value();
    auto tx = store_->begin().value();
    org_ = tx->accounts().create_organization({0, "Studio", "2026-01-01T00:00:00Z"}).value();
    domain::User user;
    user.organization_id = org_;
    user.email = "ada@studio.example";
    user.name = "Ada";
    user.password_hash = "$argon2id$x";
    user.created_at = "2026-01-01T00:00:01Z";
    user_ = tx->accounts().create_user(user).value();
    ASSERT_TRUE(tx->commit().has_value());
    events_ = {
        {0, "2026-01-01T00:00:00Z", "admin-cli", "organization.created", "organization",
         std::to_string(org_), R"({"name":"Studio"})"},
        {1, "2026-01-01T00:00:01Z", "admin-cli", "user.created", "user", std::to_string(user_),
         R"({"admin":false,"email":"ada@studio.example"})"},
        {2, "2026-01-01T00:00:02Z", "user:1", "consent.revoked", "consent", "9", "{}"},
    };
  }

  std::vector<StateDifference> compare() {
    auto tx = store_->begin().value();
    return compare_state_with_events(events_, *tx).value();
  }

  std::unique_ptr<store::Store> store_;
  int64_t org_ = 0;
  int64_t user_ = 0;
  std::vector<audit::AuditEvent> events_;
};

TEST_F(StateReplayTest, OldPayloadsAreComparedOnTheColumnsTheyCarry) {
  events_.pop_back();
  EXPECT_TRUE(compare().empty());
  auto tx = store_->begin().value();
  domain::User user = tx->accounts().get_user(user_).value();
  user.name = "Someone else";  // not in the old payload: not checked
  ASSERT_TRUE(tx->accounts().update_user(user).has_value());
  ASSERT_TRUE(tx->commit().has_value());
  EXPECT_TRUE(compare().empty());
  tx = store_->begin().value();
  user.admin = true;
  ASSERT_TRUE(tx->accounts().update_user(user).has_value());
  ASSERT_TRUE(tx->commit().has_value());
  std::vector<StateDifference> differences = compare();
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].to_string(), "users id " + std::to_string(user_) +
                                            " column admin: expected \"false\", found \"true\"");
}

// A tool saved before training_data and indemnified existed: its event carries four facts, the
// store reads the two later ones as absent, and the replay agrees; a recorded fact is checked.
TEST_F(StateReplayTest, AToolSavedBeforeLaterFactsReplaysThemAsAbsent) {
  events_.pop_back();
  domain::Tool tool;
  tool.id = "gen";
  tool.reviewed_on = "2026-01-02";
  tool.scalars[0] = domain::kYes;
  auto tx = store_->begin().value();
  ASSERT_TRUE(tx->policy().upsert_tool(tool).has_value());
  ASSERT_TRUE(tx->commit().has_value());
  events_.push_back({2, "2026-01-01T00:00:02Z", "admin-cli", "tool.saved", "tool", "0",
                     R"({"id":"gen","name":"","vendor":"","license_tier":"",)"
                     R"("reviewed_on":"2026-01-02","scalars":[1,-1,-1,-1]})"});
  EXPECT_TRUE(compare().empty());
  tool.scalars[domain::find_field(domain::FieldScope::kStage, "training_data")->slot] = 2;
  tx = store_->begin().value();
  ASSERT_TRUE(tx->policy().upsert_tool(tool).has_value());
  ASSERT_TRUE(tx->commit().has_value());
  std::vector<StateDifference> differences = compare();
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].table, "tools");
}

TEST_F(StateReplayTest, ARowOnlyTheEventsKnowIsMissing) {
  std::vector<StateDifference> differences = compare();
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].table, "consents");
  EXPECT_EQ(differences[0].id, "9");
  EXPECT_EQ(differences[0].to_string(), "consents id 9: row is missing (the audit log created it)");
}

}  // namespace
}  // namespace clearcut::clearance
