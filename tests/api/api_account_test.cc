// A person's own account through the REST API (issue #15), on every backend: a forgotten
// password is reset by the link e-mailed through the outbox (the link works once, within the
// hour, and ends every session; asking tells nothing about which addresses have accounts), and
// each person chooses how they hear of each topic (at once, in the daily digest, or not).
// Every change is explained by the audit log (`audit verify`'s state replay).

#include <string>
#include <vector>

#include "tests/api/api_fixture.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/store/store.h"

namespace clearcut::apitest {
namespace {

using nlohmann::json;

class ApiAccountTest : public ApiTest {
 protected:
  // The reset e-mails waiting in the outbox for `email`: what the SMTP server would carry.
  std::vector<domain::Notification> reset_emails(const std::string& email) {
    auto store = store::open_store(db_url(), store::OpenMode::kExisting).value();
    auto tx = store->begin().value();
    std::vector<domain::Notification> all = tx->outbox().list({}).value();
    std::vector<domain::Notification> out;
    for (const domain::Notification& n : all) {
      if (n.event_action == "user.password_reset_requested" && n.address == email) {
        out.push_back(n);
      }
    }
    return out;
  }

  // The token of the link in the newest reset e-mail to `email`.
  std::string emailed_token(const std::string& email) {
    std::vector<domain::Notification> emails = reset_emails(email);
    if (emails.empty()) {
      ADD_FAILURE() << "no reset e-mail to " << email;
      return "";
    }
    std::string path = json::parse(emails.front().payload_json).at("path");
    size_t at = path.find("token=");
    return at == std::string::npos ? "" : path.substr(at + 6);
  }

  HttpAnswer ask(const std::string& email) {
    return send(Who::kAnonymous, "POST", "/api/v1/password-reset", json{{"email", email}});
  }
  HttpAnswer confirm(const std::string& token, const std::string& password) {
    return send(Who::kAnonymous, "POST", "/api/v1/password-reset/confirm",
                json{{"token", token}, {"password", password}});
  }
  HttpAnswer sign_in(const std::string& password) {
    return send(Who::kAnonymous, "POST", "/api/v1/session",
                json{{"email", "partner@vendor.example"}, {"password", password}});
  }
};

TEST_P(ApiAccountTest, APasswordIsResetByTheEmailedLinkOnce) {
  const std::string who = "partner@vendor.example";
  HttpAnswer asked = ask("Partner@Vendor.example");
  ASSERT_EQ(asked.status, 202) << asked.body;
  // An unknown address gets the same answer, and no e-mail goes anywhere.
  HttpAnswer unknown = ask("nobody@nowhere.example");
  EXPECT_EQ(unknown.status, 202);
  EXPECT_EQ(unknown.json(), asked.json());
  EXPECT_EQ(ask(who).status, 202);  // again within the minute: still one e-mail
  ASSERT_EQ(reset_emails(who).size(), 1u);
  EXPECT_TRUE(reset_emails("nobody@nowhere.example").empty());
  json payload = json::parse(reset_emails(who)[0].payload_json);
  EXPECT_NE(text_of(payload, "what").find("reset the password of your clearcut account"),
            std::string::npos);
  const std::string token = emailed_token(who);
  ASSERT_EQ(token.size(), 64u);
  // Neither the admins' outbox view nor the audit log carries the link.
  HttpAnswer outbox = get(Who::kAdmin, "/api/v1/outbox");
  ASSERT_EQ(outbox.status, 200);
  EXPECT_EQ(outbox.body.find(token), std::string::npos);
  HttpAnswer log = get(Who::kAdmin, "/api/v1/audit/events?limit=1000");
  EXPECT_NE(log.body.find("user.password_reset_requested"), std::string::npos);
  EXPECT_EQ(log.body.find(token), std::string::npos);

  // A short password is refused before the link is spent; a wrong token says what to do.
  HttpAnswer shorter = confirm(token, "too short");
  EXPECT_EQ(shorter.status, 400);
  EXPECT_EQ(text_of(shorter.json(), "field"), "password");
  HttpAnswer wrong = confirm(std::string(64, '0'), "a long enough new password");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(text_of(wrong.json(), "field"), "token");
  EXPECT_NE(wrong.body.find("ask for a new one"), std::string::npos);

  ASSERT_EQ(get(Who::kPartner, "/api/v1/me").status, 200);
  HttpAnswer done = confirm(token, "a long enough new password");
  ASSERT_EQ(done.status, 200) << done.body;
  // Every session of the account ended; the old password no longer works, the new one does.
  EXPECT_EQ(get(Who::kPartner, "/api/v1/me").status, 401);
  EXPECT_EQ(sign_in("clearcut-demo").status, 401);
  EXPECT_EQ(sign_in("a long enough new password").status, 201);
  // The link worked once.
  EXPECT_EQ(confirm(token, "another long new password").status, 400);
  for (const clearance::StateDifference& d : replay_differences()) {
    ADD_FAILURE() << d.to_string();
  }
}

TEST_P(ApiAccountTest, AnAccountMadeAtSingleSignOnIsNeverSentALink) {
  // An account made at a single sign-on (no password here) is never sent a link: the studio's
  // directory decides whether it may sign in.
  {
    auto store = store::open_store(db_url(), store::OpenMode::kExisting).value();
    auto tx = store->begin().value();
    domain::User sso;
    sso.organization_id = tx->accounts().list_organizations().value().at(0).id;
    sso.email = "sso@studio.example";
    sso.name = "Sam Sso";
    sso.created_at = "2026-12-07T10:00:00.000Z";
    ASSERT_TRUE(tx->accounts().create_user(sso).has_value());
    ASSERT_TRUE(tx->commit().has_value());
  }
  EXPECT_EQ(ask("sso@studio.example").status, 202);
  EXPECT_TRUE(reset_emails("sso@studio.example").empty());
}

TEST_P(ApiAccountTest, EachPersonChoosesHowTheyHearOfEachTopic) {
  HttpAnswer mine = get(Who::kLegal, "/api/v1/me/notifications");
  ASSERT_EQ(mine.status, 200) << mine.body;
  const json topics = mine.json().at("topics");
  ASSERT_EQ(topics.size(), 8u);
  for (const json& t : topics) {
    EXPECT_EQ(t.at("delivery"), "immediate") << t.dump();
    EXPECT_FALSE(text_of(t, "description").empty());
  }
  HttpAnswer set =
      send(Who::kLegal, "PUT", "/api/v1/me/notifications/mentions", json{{"delivery", "digest"}});
  ASSERT_EQ(set.status, 200) << set.body;
  bool digest = false;
  const json after = set.json().at("topics");
  for (const json& t : after) {
    digest = digest || (t.at("topic") == "mentions" && t.at("delivery") == "digest");
  }
  EXPECT_TRUE(digest);
  HttpAnswer topic =
      send(Who::kLegal, "PUT", "/api/v1/me/notifications/mention", json{{"delivery", "off"}});
  EXPECT_EQ(topic.status, 400);
  EXPECT_EQ(text_of(topic.json(), "field"), "topic");
  HttpAnswer delivery =
      send(Who::kLegal, "PUT", "/api/v1/me/notifications/mentions", json{{"delivery", "weekly"}});
  EXPECT_EQ(delivery.status, 400);
  EXPECT_EQ(text_of(delivery.json(), "field"), "delivery");
  EXPECT_EQ(get(Who::kAnonymous, "/api/v1/me/notifications").status, 401);
  // One person's choice is theirs alone: the contact still hears at once.
  const json contacts = get(Who::kContact, "/api/v1/me/notifications").json().at("topics");
  for (const json& t : contacts) {
    EXPECT_EQ(t.at("delivery"), "immediate");
  }

  // A mention of legal waits for the digest; one of the contact goes at once.
  HttpAnswer comment = send(Who::kPartner, "POST", "/api/v1/use-cases/1/comments",
                            json{{"body", "@legal and @contact: the board is ready"}});
  ASSERT_EQ(comment.status, 201) << comment.body;
  auto store = store::open_store(db_url(), store::OpenMode::kExisting).value();
  auto tx = store->begin().value();
  std::vector<domain::Notification> outbox = tx->outbox().list({}).value();
  std::vector<std::string> mailed;
  for (const domain::Notification& n : outbox) {
    if (n.event_action == "comment.added" && n.channel == domain::NotificationChannel::kEmail) {
      mailed.push_back(n.address);
    }
  }
  EXPECT_EQ(mailed, std::vector<std::string>{"contact@studio.example"});
  std::vector<domain::DigestItem> held =
      tx->outbox().list_digest_items(credentials(Who::kLegal).user_id).value();
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].event_action, "comment.added");
  tx.reset();
  for (const clearance::StateDifference& d : replay_differences()) {
    ADD_FAILURE() << d.to_string();
  }
}

INSTANTIATE_TEST_SUITE_P(api, ApiAccountTest, testing::Values(Backend::kSqlite, Backend::kPostgres),
                         backend_name);

}  // namespace
}  // namespace clearcut::apitest
