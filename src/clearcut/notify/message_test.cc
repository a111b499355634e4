#include "clearcut/notify/message.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace clearcut::notify {
namespace {

domain::Notification notification() {
  domain::Notification n;
  n.id = 4;
  n.idempotency_key = "ev9.email.user3";
  n.event_action = "use_case.submitted";
  n.address = "contact@studio.example";
  n.payload_json = nlohmann::json({{"what", "Ana submitted use case #2 \"Mood board\"."},
                                   {"todo", "Review <it> & decide."},
                                   {"path", "/#/u/2"},
                                   {"production", {{"code", "squid-game-s3"}}},
                                   {"actor", "Ana"}})
                       .dump();
  return n;
}

TEST(Message, SignatureIsHmacOfTimestampDotBody) {
  // HMAC-SHA256("secret", "1700000000.{}") computed independently (Python's hmac module).
  EXPECT_EQ(webhook_signature("secret", 1700000000, "{}"),
            "t=1700000000,v1=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163");
}

TEST(Message, WebhookCarriesTheDeliveryIdAndASignatureOverItsBody) {
  domain::Webhook hook{1, 1, "https://hooks.example", "k3y", "json", false, 0, ""};
  WebhookRequest r = render_webhook(notification(), hook, "https://cc.example", 1700000000).value();
  nlohmann::json body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["delivery_id"], "ev9.email.user3");
  EXPECT_EQ(body["link"], "https://cc.example/#/u/2");
  EXPECT_EQ(body["actor"], "Ana");
  bool signed_body = false;
  for (const auto& [name, value] : r.headers) {
    if (name == "X-Clearcut-Signature") {
      signed_body = value == webhook_signature("k3y", 1700000000, r.body);
    }
  }
  EXPECT_TRUE(signed_body);
  hook.format = "slack";
  body = nlohmann::json::parse(render_webhook(notification(), hook, "", 1).value().body);
  EXPECT_NE(body["text"].get<std::string>().find("Mood board"), std::string::npos);
  domain::Notification broken = notification();
  broken.payload_json = "[]";
  EXPECT_FALSE(render_webhook(broken, hook, "", 1).has_value());
}

TEST(Message, DigestListsEachItemWithItsLinkAndSaysWhyItCame) {
  domain::Notification n = notification();
  n.idempotency_key = "digest.user3.2026-12-07";
  n.event_action = "digest";
  n.payload_json = nlohmann::json::parse(R"({
    "what": "Your clearcut digest for 2026-12-07: 2 notifications.",
    "todo": "Each one below says what to do.", "path": "/#/",
    "footer": "clearcut sent this digest because your notification settings ask for one.",
    "items": [
      {"what": "Ana mentioned you <here>.", "todo": "Answer.", "path": "/#/u/2",
       "production": {"code": "squid-game-s3"}},
      {"what": "Consent #4 expires.", "todo": "Renew it.", "path": "/#/p/1", "production": null},
      "not an item"
    ]})")
                       .dump();
  std::string m =
      render_email(n, "clearcut@studio.example", "https://cc.example", rfc5322_date(1700000000))
          .value();
  EXPECT_NE(m.find("Subject: Your clearcut digest for 2026-12-07: 2 notifications.\r\n"),
            std::string::npos);
  EXPECT_NE(m.find("* [squid-game-s3] Ana mentioned you <here>.\r\n  Answer.\r\n  "
                   "https://cc.example/#/u/2\r\n"),
            std::string::npos);
  EXPECT_NE(m.find("* Consent #4 expires.\r\n  Renew it.\r\n  https://cc.example/#/p/1"),
            std::string::npos);
  EXPECT_NE(m.find("[squid-game-s3] Ana mentioned you &lt;here&gt;."), std::string::npos);
  EXPECT_NE(m.find("because your notification settings ask for one."), std::string::npos);
  EXPECT_EQ(m.find("because of your role"), std::string::npos);
}

TEST(Message, EmailSaysWhatWhatToDoAndWhere) {
  std::string m = render_email(notification(), "clearcut@studio.example", "https://cc.example",
                               rfc5322_date(1700000000))
                      .value();
  EXPECT_NE(m.find("Message-ID: <ev9.email.user3@studio.example>\r\n"), std::string::npos);
  EXPECT_NE(m.find("Subject: [squid-game-s3] Ana submitted use case #2 \"Mood board\".\r\n"),
            std::string::npos);
  EXPECT_NE(m.find("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/plain"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/html"), std::string::npos);
  EXPECT_NE(m.find("Review &lt;it&gt; &amp; decide."), std::string::npos);  // HTML part
  EXPECT_NE(m.find("Review <it> & decide."), std::string::npos);            // plain part
  EXPECT_NE(m.find("https://cc.example/#/u/2"), std::string::npos);
  EXPECT_EQ(m.find("\n\n"), std::string::npos) << "bare LF";
}

TEST(Message, NonAsciiSubjectsAreEncodedWords) {
  domain::Notification n = notification();
  n.payload_json = R"({"what":"Zoë commented.","todo":"","path":""})";
  std::string m = render_email(n, "a@b.example", "", rfc5322_date(0)).value();
  // base64("Zoë commented.") as RFC 2047 encodes it.
  EXPECT_NE(m.find("Subject: =?UTF-8?B?Wm/DqyBjb21tZW50ZWQu?=\r\n"), std::string::npos) << m;
}

}  // namespace
}  // namespace clearcut::notify
