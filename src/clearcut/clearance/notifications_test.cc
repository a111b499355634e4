#include "clearcut/clearance/notifications.h"

#include <gtest/gtest.h>

namespace clearcut::clearance {
namespace {

audit::AuditEvent event(const std::string& action, const std::string& payload = "{}") {
  return {0, "2026-12-01T10:00:00.000Z", "user:1", action, "use_case", "4", payload};
}

std::vector<Audience> audiences(const audit::AuditEvent& e) {
  std::optional<NotificationPlan> plan = plan_notifications(e);
  return plan ? plan->audiences : std::vector<Audience>{};
}

TEST(Notifications, WhoHearsOfWhat) {
  EXPECT_EQ(audiences(event("use_case.submitted")), std::vector{Audience::kContacts});
  EXPECT_EQ(audiences(event("use_case.escalated")),
            (std::vector{Audience::kContacts, Audience::kLegal}));
  for (const char* action :
       {"use_case.changes_requested", "use_case.approved", "use_case.rejected"}) {
    EXPECT_EQ(audiences(event(action)), std::vector{Audience::kRequester}) << action;
  }
  for (const char* action : {"consent.revoked", "consent.expired"}) {
    EXPECT_EQ(audiences(event(action)), (std::vector{Audience::kContacts, Audience::kLegal}))
        << action;
  }
  for (const char* action : {"use_case.created", "use_case.edited", "use_case.withdrawn",
                             "consent.recorded", "tool.saved", "scan.submitted"}) {
    EXPECT_FALSE(plan_notifications(event(action)).has_value()) << action;
  }
}

TEST(Notifications, CommentsNotifyOnlyWhomTheyMention) {
  EXPECT_FALSE(plan_notifications(event("comment.added", R"({"body":"looks fine"})")));
  EXPECT_FALSE(plan_notifications(event("comment.added", "not json")));
  auto plan = plan_notifications(event("comment.added", R"({"body":"@Legal please check"})"));
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->audiences, std::vector{Audience::kMentioned});
  EXPECT_EQ(plan->mentions, std::vector<std::string>{"legal"});
}

TEST(Notifications, ScanFailuresOnly) {
  audit::AuditEvent e = event("scan.finished", R"({"state":"finished","passes":true})");
  EXPECT_FALSE(plan_notifications(e).has_value());
  e.payload_json = R"({"state":"finished","passes":false})";
  EXPECT_EQ(audiences(e), std::vector{Audience::kScanSubmitter});
  e.payload_json = R"({"state":"error","error":"no such file"})";
  EXPECT_EQ(audiences(e), std::vector{Audience::kScanSubmitter});
}

TEST(Notifications, FindMentions) {
  EXPECT_EQ(find_mentions("@alice and @Bob.Smith, cc @alice."),
            (std::vector<std::string>{"alice", "bob.smith"}));
  EXPECT_EQ(find_mentions("mail legal@studio.example or @carol@studio.example!"),
            std::vector<std::string>{"carol@studio.example"});
  EXPECT_TRUE(find_mentions("@ @@ a@b").empty());
}

TEST(Notifications, IdempotencyKeysNameEventRecipientAndChannel) {
  EXPECT_EQ(idempotency_key(12, domain::NotificationChannel::kEmail, 3), "ev12.email.user3");
  EXPECT_EQ(idempotency_key(12, domain::NotificationChannel::kWebhook, 3), "ev12.webhook.webhook3");
  EXPECT_NE(idempotency_key(12, domain::NotificationChannel::kEmail, 3),
            idempotency_key(13, domain::NotificationChannel::kEmail, 3));
}

}  // namespace
}  // namespace clearcut::clearance
