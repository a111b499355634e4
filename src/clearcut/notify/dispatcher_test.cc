#include "clearcut/notify/dispatcher.h"

#include <map>
#include <mutex>

#include <gtest/gtest.h>

#include "clearcut/domain/validation.h"

namespace clearcut::notify {
namespace {

class FixedClock : public clearance::Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return now_; }
  void advance(std::chrono::milliseconds by) { now_ += by; }

 private:
  std::chrono::system_clock::time_point now_ =
      domain::parse_rfc3339_utc("2026-12-01T10:00:00Z").value();
};

// Fails the first `failures` sends of each row, then takes them.
class FakeSender : public Sender {
 public:
  explicit FakeSender(int failures) : failures_(failures) {}
  base::Status send(const domain::Notification& n, const std::optional<domain::Webhook>&) override {
    std::lock_guard lock(mu_);
    if (tries_[n.idempotency_key]++ < failures_) {
      return base::Error(base::ErrorCode::kUnavailable, "451 try again");
    }
    ++sent_[n.idempotency_key];
    return {};
  }
  int sent(const std::string& key) {
    std::lock_guard lock(mu_);
    return sent_[key];
  }

 private:
  std::mutex mu_;
  int failures_;
  std::map<std::string, int> tries_;
  std::map<std::string, int> sent_;
};

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_store("sqlite::memory:").value();
    auto tx = store_->begin().value();
    int64_t org = tx->accounts().create_organization({0, "Studio", kT0}).value();
    domain::User user{0, org, "c@studio.example", "C", "", false, false, kT0};
    user_ = tx->accounts().create_user(user).value();
    domain::Notification n;
    n.idempotency_key = "ev1.email.user1";
    n.event_action = "use_case.submitted";
    n.channel = domain::NotificationChannel::kEmail;
    n.recipient_user_id = user_;
    n.address = user.email;
    n.created_at = n.next_attempt_at = kT0;
    ASSERT_TRUE(tx->outbox().enqueue(n).value());
    ASSERT_TRUE(tx->commit().has_value());
  }

  domain::Notification row() {
    auto tx = store_->begin().value();
    return tx->outbox().list({}).value().at(0);
  }

  static constexpr const char* kT0 = "2026-12-01T10:00:00.000Z";
  std::unique_ptr<store::Store> store_;
  FixedClock clock_;
  int64_t user_ = 0;
};

TEST(RetryDelay, DoublesWithJitterUpToTheCap) {
  DispatcherOptions o;
  o.first_retry = std::chrono::seconds(10);
  o.max_retry = std::chrono::seconds(100);
  using std::chrono::milliseconds;
  EXPECT_EQ(retry_delay(1, o, 1.0), milliseconds(10000));
  EXPECT_EQ(retry_delay(2, o, 1.0), milliseconds(20000));
  EXPECT_EQ(retry_delay(3, o, 0.5), milliseconds(20000));
  EXPECT_EQ(retry_delay(5, o, 1.0), milliseconds(100000));   // 160 s capped
  EXPECT_EQ(retry_delay(60, o, 1.0), milliseconds(100000));  // no overflow
  EXPECT_EQ(retry_delay(1, o, 7.0), milliseconds(10000));    // jitter clamped
}

TEST_F(DispatcherTest, RetriesWithBackOffThenSends) {
  FakeSender sender(2);
  DispatcherOptions o{"d1", std::chrono::milliseconds(1), std::chrono::seconds(60), 10,
                      5,    std::chrono::seconds(10),     std::chrono::seconds(60)};
  Dispatcher dispatcher(*store_, clock_, sender, o);
  EXPECT_EQ(dispatcher.run_once().value(), 1);
  EXPECT_EQ(row().state, domain::NotificationState::kPending);
  EXPECT_EQ(row().last_error, "451 try again");
  EXPECT_EQ(dispatcher.run_once().value(), 0);  // not due before its back-off
  clock_.advance(std::chrono::seconds(10));     // at least 5 s (jitter), at most 10
  EXPECT_EQ(dispatcher.run_once().value(), 1);
  EXPECT_EQ(row().attempts, 2);
  clock_.advance(std::chrono::seconds(9));  // the second back-off is 10..20 s
  EXPECT_EQ(dispatcher.run_once().value(), 0);
  clock_.advance(std::chrono::seconds(11));
  EXPECT_EQ(dispatcher.run_once().value(), 1);
  EXPECT_EQ(row().state, domain::NotificationState::kSent);
  EXPECT_EQ(sender.sent("ev1.email.user1"), 1);
}

TEST_F(DispatcherTest, DeadLettersAfterMaxAttempts) {
  FakeSender sender(100);
  DispatcherOptions o{"d1", std::chrono::milliseconds(1), std::chrono::seconds(60), 10,
                      3,    std::chrono::seconds(1),      std::chrono::seconds(1)};
  Dispatcher dispatcher(*store_, clock_, sender, o);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(dispatcher.run_once().value(), 1);
    clock_.advance(std::chrono::seconds(2));
  }
  EXPECT_EQ(row().state, domain::NotificationState::kDead);
  EXPECT_EQ(row().attempts, 3);
  EXPECT_EQ(dispatcher.run_once().value(), 0);
}

TEST_F(DispatcherTest, ALeaseOfADeadDispatcherIsTakenOver) {
  {
    // A dispatcher claims the row and dies before marking it.
    auto tx = store_->begin().value();
    ASSERT_EQ(tx->outbox().claim("dead", kT0, "2026-12-01T10:01:00.000Z", 10).value().size(), 1u);
    ASSERT_TRUE(tx->commit().has_value());
  }
  FakeSender sender(0);
  DispatcherOptions o;
  o.owner = "d2";
  Dispatcher dispatcher(*store_, clock_, sender, o);
  EXPECT_EQ(dispatcher.run_once().value(), 0);  // leased
  clock_.advance(std::chrono::seconds(61));
  EXPECT_EQ(dispatcher.run_once().value(), 1);
  EXPECT_EQ(row().state, domain::NotificationState::kSent);
  EXPECT_EQ(sender.sent("ev1.email.user1"), 1);
}

}  // namespace
}  // namespace clearcut::notify
