// Tenant isolation of the read paths: a partner of another production learns nothing of
// squid-game-s3's registered outputs, use cases, consents, scans or audit log, by id, by list or
// by lookup (SHA-256, PDQ, watermark payload). Every answer to the outsider is searched for the
// output's identifying text, not only checked for its status.

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

INSTANTIATE_TEST_SUITE_P(security, IsolationTest,
                         testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace clearcut::apitest
