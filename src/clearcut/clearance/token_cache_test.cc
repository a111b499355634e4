#include "clearcut/clearance/token_cache.h"

#include <string>

#include <gtest/gtest.h>

namespace clearcut::clearance {
namespace {

using namespace std::chrono_literals;

Actor actor_of(int64_t user_id, int64_t production_id = 0) {
  Actor actor;
  actor.user.id = user_id;
  actor.user.email = "user" + std::to_string(user_id) + "@vendor.example";
  if (production_id != 0) {
    actor.memberships.push_back({user_id, production_id, domain::Role::kPartner});
  }
  return actor;
}

const TokenCache::TimePoint kT0 = TokenCache::TimePoint() + 1h;

TEST(TokenCacheTest, AnswersWhileNothingChangedWithinTheTtl) {
  TokenCache cache(1000ms);
  EXPECT_FALSE(cache.find("a", 7, kT0).has_value());
  cache.insert("a", actor_of(3, 1), 7, kT0);
  std::optional<Actor> found = cache.find("a", 7, kT0 + 999ms);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->user.id, 3);
  EXPECT_TRUE(found->member_of(1));
  EXPECT_FALSE(cache.find("b", 7, kT0).has_value());
}

TEST(TokenCacheTest, AChangeOrTheTtlEndsAnEntry) {
  TokenCache cache(1000ms);
  cache.insert("a", actor_of(3), 7, kT0);
  EXPECT_FALSE(cache.find("a", 8, kT0 + 1ms).has_value());     // a change committed here
  EXPECT_FALSE(cache.find("a", 7, kT0 + 1000ms).has_value());  // another process's, at worst
  EXPECT_FALSE(cache.find("a", 7, kT0 - 1ms).has_value());     // a clock that went back
  // Read again under the new count, it answers again.
  cache.insert("a", actor_of(3, 2), 8, kT0 + 2ms);
  std::optional<Actor> found = cache.find("a", 8, kT0 + 3ms);
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->member_of(2));
}

TEST(TokenCacheTest, AnOlderReadDoesNotReplaceANewerOne) {
  TokenCache cache(1000ms);
  cache.insert("a", actor_of(3, 2), 8, kT0 + 5ms);
  cache.insert("a", actor_of(3, 1), 7, kT0 + 6ms);  // began before the change, finished after
  cache.insert("a", actor_of(3, 1), 8, kT0 + 1ms);  // began earlier under the same count
  std::optional<Actor> found = cache.find("a", 8, kT0 + 10ms);
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->member_of(2));
  EXPECT_FALSE(found->member_of(1));
}

TEST(TokenCacheTest, HoldsAtMostMaxEntries) {
  TokenCache cache(1000ms, 3);
  for (int i = 0; i < 3; ++i) {
    cache.insert("t" + std::to_string(i), actor_of(i + 1), 7, kT0);
  }
  EXPECT_EQ(cache.size(), 3u);
  // Full of live entries: they all go for the new one.
  cache.insert("t3", actor_of(4), 7, kT0 + 1ms);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_TRUE(cache.find("t3", 7, kT0 + 2ms).has_value());
  EXPECT_FALSE(cache.find("t0", 7, kT0 + 2ms).has_value());
  // Full with some expired: only those go.
  cache.insert("t4", actor_of(5), 7, kT0 + 900ms);
  cache.insert("t5", actor_of(6), 7, kT0 + 900ms);
  cache.insert("t6", actor_of(7), 7, kT0 + 1500ms);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.find("t3", 7, kT0 + 1500ms).has_value());
  EXPECT_TRUE(cache.find("t4", 7, kT0 + 1500ms).has_value());
  EXPECT_TRUE(cache.find("t6", 7, kT0 + 1500ms).has_value());
  TokenCache none(1000ms, 0);
  none.insert("a", actor_of(1), 7, kT0);
  EXPECT_EQ(none.size(), 0u);
}

}  // namespace
}  // namespace clearcut::clearance
