// Tenant isolation of the read paths: a partner of another production learns nothing of
// squid-game-s3's registered outputs, use cases, consents, evidence attachments, scans or audit
// log, by id, by list or by lookup (SHA-256, PDQ, watermark payload). Every answer to the outsider
// is searched for the output's identifying text, not only checked for its status.

#include <string>
#include <vector>

#include "tests/api/api_fixture.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace clearcut::apitest {
namespace {

using nlohmann::json;

class IsolationTest : public ApiTest {};

const std::string kSha = std::string(64, 'c');
const std::string kPdq = "f8f8f0cce0f4a84f8f8f0cce0f4a84f8f8f0cce0f4a84f8f8f0cce0f4a84f8f8";
const std::string kPayload = "1234567890123456789";
const std::string kFileName = "secret-key-art-glass-bridge.png";
const std::string kThumb = "U0VDUkVUVEhVTUJOQUlMT0ZTUVVJREdBTUU=";  // base64, distinctive

TEST_P(IsolationTest, AnotherProductionsPartnerSeesNothingOfOurOutputs) {
  json made = declare(notify_declaration("Glass bridge key art"), true);
  const int64_t uc = made.value("id", int64_t{0});
  HttpAnswer registered = send(Who::kPartner, "POST", "/api/v1/productions/1/assets",
                               json{{"use_case_id", uc},
                                    {"file_name", kFileName},
                                    {"media_type", "image/png"},
                                    {"sha256", kSha},
                                    {"pdq", kPdq},
                                    {"pdq_quality", 100},
                                    {"watermark_payload", kPayload},
                                    {"thumbnail", kThumb}});
  ASSERT_EQ(registered.status, 201) << registered.body;
  const std::string asset = std::to_string(registered.json().value("id", int64_t{0}));
  const std::string use_case = std::to_string(uc);
  // Evidence attached to the use case and to the demo's consent and approval, named like the
  // output so that the search below looks for its name too.
  std::vector<std::string> attachments;
  for (const std::string& parent :
       {"use-cases/" + use_case, std::string("consents/1"), std::string("approvals/1")}) {
    HttpAnswer attached =
        call(Who::kLegal, "POST", "/api/v1/" + parent + "/attachments?filename=" + kFileName,
             "Licence for " + kSha + "\n");
    ASSERT_EQ(attached.status, 201) << attached.body;
    attachments.push_back(std::to_string(attached.json().value("id", int64_t{0})));
  }

  struct Read {
    std::string path;
    int outsider_status;  // what the partner of other-show gets
  };
  const std::vector<Read> reads = {
      {"/api/v1/assets/" + asset, 404},
      {"/api/v1/assets/lookup?sha256=" + kSha, 200},
      {"/api/v1/assets/lookup?pdq=" + kPdq + "&radius=31", 200},
      {"/api/v1/assets/lookup?watermark_payload=" + kPayload, 200},
      {"/api/v1/productions/1/assets", 404},
      {"/api/v1/productions/1/use-cases", 404},
      {"/api/v1/use-cases/" + use_case, 404},
      {"/api/v1/use-cases/" + use_case + "/checklist", 404},
      {"/api/v1/productions/1/consents", 404},
      {"/api/v1/productions/1/scans", 404},
      {"/api/v1/use-cases/" + use_case + "/attachments", 404},
      {"/api/v1/consents/1/attachments", 404},
      {"/api/v1/approvals/1/attachments", 404},
      {"/api/v1/attachments/" + attachments[0] + "/content", 404},
      {"/api/v1/attachments/" + attachments[1] + "/content", 404},
      {"/api/v1/attachments/" + attachments[2] + "/content", 404},
      {"/api/v1/audit/events?from=0&limit=1000", 403},
      {"/api/v1/productions", 200},
      {"/api/v1/productions/2/assets", 200},
      {"/api/v1/productions/2/use-cases", 200},
  };
  for (const Read& read : reads) {
    SCOPED_TRACE(read.path);
    HttpAnswer outsider = get(Who::kOutsider, read.path);
    EXPECT_EQ(outsider.status, read.outsider_status) << outsider.body;
    for (const std::string& secret :
         {kSha, kPdq, kPayload, kFileName, kThumb, std::string("Glass bridge key art"),
          std::string("squid-game-s3")}) {
      EXPECT_EQ(outsider.body.find(secret), std::string::npos)
          << "the outsider read '" << secret << "': " << outsider.body;
    }
    if (outsider.status == 200 && read.path.find("lookup") != std::string::npos) {
      EXPECT_EQ(outsider.json()["items"].size(), 0u) << outsider.body;
    }
  }
  // The production's own members and the admin do find it.
  for (Who who : {Who::kPartner, Who::kContact, Who::kLegal, Who::kAdmin}) {
    for (const std::string& lookup :
         {"sha256=" + kSha, "pdq=" + kPdq, "watermark_payload=" + kPayload}) {
      HttpAnswer answer = get(who, "/api/v1/assets/lookup?" + lookup);
      ASSERT_EQ(answer.status, 200) << answer.body;
      EXPECT_EQ(answer.json()["items"].size(), 1u) << who_name(who) << " " << lookup;
    }
  }
}

// A production's webhooks say where its notifications go: an outsider can neither list nor
// touch them (404, as for a production it cannot see), nor read their deliveries; a partner of
// the production is refused too (only contacts and admins manage them), and no answer carries
// the address or the secret.
TEST_P(IsolationTest, AnotherProductionsPartnerCannotReadOrTouchOurWebhooks) {
  const std::string url = "https://hooks.squid.example/secret-endpoint-7f3a";
  const std::string secret = "a long webhook secret 9d81c2";
  HttpAnswer made = send(Who::kContact, "POST", "/api/v1/productions/1/webhooks",
                         json{{"url", url}, {"secret", secret}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string hook = std::to_string(made.json().value("id", int64_t{0}));
  struct Call {
    std::string method;
    std::string path;
    int outsider_status;
    int partner_status;
  };
  const std::vector<Call> calls = {
      {"GET", "/api/v1/productions/1/webhooks", 404, 403},
      {"GET", "/api/v1/webhooks/" + hook + "/deliveries", 404, 403},
      {"POST", "/api/v1/webhooks/" + hook + "/test", 404, 403},
      {"DELETE", "/api/v1/webhooks/" + hook, 404, 403},
      {"POST", "/api/v1/productions/1/webhooks", 404, 403},
  };
  for (const Call& call : calls) {
    SCOPED_TRACE(call.method + " " + call.path);
    json body = call.method == "POST" && call.path.ends_with("/webhooks")
                    ? json{{"url", "https://attacker.example/x"}, {"secret", secret}}
                    : json::object();
    for (auto [who, status] : {std::pair{Who::kOutsider, call.outsider_status},
                               std::pair{Who::kPartner, call.partner_status}}) {
      HttpAnswer answer = send(who, call.method, call.path, body);
      EXPECT_EQ(answer.status, status) << who_name(who) << ": " << answer.body;
      EXPECT_EQ(answer.body.find(url), std::string::npos) << answer.body;
      EXPECT_EQ(answer.body.find(secret), std::string::npos) << answer.body;
    }
  }
  // Still there, still enabled, and only the one the contact made.
  HttpAnswer listed = get(Who::kContact, "/api/v1/productions/1/webhooks");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json()["items"].size(), 1u) << listed.body;
  EXPECT_EQ(listed.json()["items"][0].value("url", ""), url);
  EXPECT_FALSE(listed.json()["items"][0].value("disabled", true));
}

INSTANTIATE_TEST_SUITE_P(security, IsolationTest,
                         testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

// The member list names people: to the production's contacts and admins only. Another
// production's partner learns neither the names nor that the production exists, and cannot take
// a role away.
TEST_P(IsolationTest, AnotherProductionsPartnerLearnsNothingOfOurMembers) {
  HttpAnswer listed = send(Who::kContact, "GET", "/api/v1/productions/1/members", json::object());
  ASSERT_EQ(listed.status, 200) << listed.body;
  std::vector<std::string> secrets;
  for (const json& member : listed.json().value("items", json::array())) {
    secrets.push_back(member.value("email", ""));
    secrets.push_back(member.value("name", ""));
  }
  ASSERT_GE(secrets.size(), 6u);  // partner, contact and legal at least
  const int64_t partner = credentials(Who::kPartner).user_id;
  struct Call {
    Who who;
    std::string method;
    std::string path;
    int status;
  };
  const std::vector<Call> calls = {
      {Who::kOutsider, "GET", "/api/v1/productions/1/members", 404},
      {Who::kPartner, "GET", "/api/v1/productions/1/members", 403},
      {Who::kLegal, "GET", "/api/v1/productions/1/members", 403},
      {Who::kOutsider, "DELETE", "/api/v1/productions/1/members/" + std::to_string(partner), 403},
      {Who::kContact, "DELETE", "/api/v1/productions/1/members/" + std::to_string(partner), 403},
  };
  for (const Call& call : calls) {
    HttpAnswer answer = send(call.who, call.method, call.path, json::object());
    SCOPED_TRACE(std::string(who_name(call.who)) + " " + call.method + " " + call.path);
    EXPECT_EQ(answer.status, call.status) << answer.body;
    for (const std::string& secret : secrets) {
      if (!secret.empty()) {
        EXPECT_EQ(answer.body.find(secret), std::string::npos) << answer.body;
      }
    }
  }
  // The partner still holds the role nobody but an admin may take.
  HttpAnswer after = send(Who::kContact, "GET", "/api/v1/productions/1/members", json::object());
  EXPECT_NE(after.body.find(secrets[0]), std::string::npos);
  EXPECT_EQ(listed.json().value("items", json::array()).size(),
            after.json().value("items", json::array()).size());
}

// The inbox: another production's partner sees none of our tasks, may not assign ours, is never
// an assignee, and cannot become a delegate of ours (another organization) to read them.
TEST_P(IsolationTest, AnotherProductionsPartnerSeesNoneOfOurTasks) {
  const std::string summary = "Glass bridge tiles regenerated for the inbox";
  json made = declare(notify_declaration(summary), true);
  const std::string uc = std::to_string(made.value("id", int64_t{0}));
  const int64_t legal = credentials(Who::kLegal).user_id;
  const int64_t outsider = credentials(Who::kOutsider).user_id;
  HttpAnswer mine = send(Who::kContact, "GET", "/api/v1/me/tasks", json::object());
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_NE(mine.body.find(summary), std::string::npos);
  HttpAnswer assigned = send(Who::kContact, "PUT", "/api/v1/use-cases/" + uc + "/assignee",
                             json{{"assignee_id", legal}});
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  struct Call {
    Who who;
    std::string method;
    std::string path;
    json body;
    int status;
  };
  const std::vector<Call> calls = {
      {Who::kOutsider, "GET", "/api/v1/me/tasks", json::object(), 200},
      {Who::kOutsider, "PUT", "/api/v1/use-cases/" + uc + "/assignee",
       json{{"assignee_id", outsider}}, 404},
      {Who::kContact, "PUT", "/api/v1/use-cases/" + uc + "/assignee",
       json{{"assignee_id", outsider}}, 400},
      {Who::kLegal, "PUT", "/api/v1/me/delegation",
       json{{"delegate_email", "partner@other.example"}, {"until", "2099-01-01T00:00:00Z"}}, 400},
      {Who::kOutsider, "PATCH", "/api/v1/productions/1", json{{"answer_within_days", 9}}, 404},
  };
  for (const Call& call : calls) {
    HttpAnswer answer = send(call.who, call.method, call.path, call.body);
    SCOPED_TRACE(std::string(who_name(call.who)) + " " + call.method + " " + call.path);
    EXPECT_EQ(answer.status, call.status) << answer.body;
    EXPECT_EQ(answer.body.find(summary), std::string::npos) << answer.body;
    EXPECT_EQ(answer.body.find("Lee Legal"), std::string::npos) << answer.body;
  }
  HttpAnswer after = send(Who::kContact, "GET", "/api/v1/use-cases/" + uc, json::object());
  EXPECT_EQ(after.json().value("assignee_id", int64_t{0}), legal);
}

}  // namespace
}  // namespace clearcut::apitest
