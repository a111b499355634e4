// Every kind of bad input gets its status and error body, and changes nothing: after each
// refusal the use case, the lists an admin reads and the audit log's size are as they were.

#include <string>
#include <vector>

#include "tests/api/api_fixture.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace clearcut::apitest {
namespace {

using nlohmann::json;

enum class Csrf { kRight, kMissing, kWrong };

struct BadInput {
  const char* name;
  Who who;
  const char* method;
  std::string path;  // {uc} is a fresh notified use case of the partner's, {rev} its revision
  std::string body;
  int status;
  std::string field;    // expected `field`, or "" when the error names none
  std::string message;  // a part of the expected message
  Csrf csrf = Csrf::kRight;
};

std::string declaration_body(const std::string& text, const std::string& extra = "") {
  return R"({"declaration":)" + json(text).dump() + extra + "}";
}

std::string with_line(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

std::vector<BadInput> bad_inputs() {
  const std::string uc = "/api/v1/use-cases/{uc}";
  const std::string transitions = uc + "/transitions";
  const std::string create = "/api/v1/productions/1/use-cases";
  const std::string comment = uc + "/comments";
  std::string huge = R"({"body":")" + std::string((1 << 20) + 1 - 11, 'x') + R"("})";
  const std::string good = notify_declaration();
  return {
      // Malformed and mistyped JSON.
      {"malformed JSON", Who::kPartner, "POST", comment, R"({"body": "x")", 400, "",
       "malformed JSON"},
      {"empty body", Who::kContact, "POST", transitions, "", 400, "", "malformed JSON"},
      {"not an object", Who::kPartner, "POST", comment, R"(["body"])", 400, "",
       "expected a JSON object"},
      {"invalid UTF-8", Who::kPartner, "POST", comment, "{\"body\":\"\xff\xfe\"}", 400, "",
       "malformed JSON"},
      {"unknown field", Who::kContact, "POST", transitions,
       R"({"action":"acknowledge","revision":{rev},"colour":"red"})", 400, "colour",
       "unknown field"},
      {"misspelt field", Who::kPartner, "POST", create, declaration_body(good, R"(,"sumbit":true)"),
       400, "sumbit", "unknown field"},
      {"revision as text", Who::kContact, "POST", transitions,
       R"({"action":"acknowledge","revision":"{rev}"})", 400, "revision", "expected an integer"},
      {"revision as float", Who::kContact, "POST", transitions,
       R"({"action":"acknowledge","revision":1.5})", 400, "revision", "expected an integer"},
      {"missing revision", Who::kContact, "POST", transitions, R"({"action":"acknowledge"})", 400,
       "revision", "required"},
      {"submit as text", Who::kPartner, "POST", create,
       declaration_body(good, R"(,"submit":"yes")"), 400, "submit", "expected true or false"},
      {"declaration as number", Who::kPartner, "POST", create, R"({"declaration":42})", 400,
       "declaration", "clearcut/v1 declaration"},
      {"NUL in a comment", Who::kPartner, "POST", comment, R"({"body":"a\u0000b"})", 400, "body",
       "NUL character"},
      {"duplicate key", Who::kPartner, "POST", comment, R"({"body":"a","body":"b"})", 400, "body",
       "given twice"},
      {"nested too deep", Who::kPartner, "POST", comment,
       R"({"body":)" + std::string(65, '[') + std::string(65, ']') + "}", 400,
       "body" +
           [] {
             std::string path;
             for (int i = 0; i < 63; ++i) {
               path += "[0]";
             }
             return path;
           }(),
       "nested deeper than 64 levels"},
      {"comment as number", Who::kPartner, "POST", comment, R"({"body":7})", 400, "body",
       "expected a string"},
      {"empty comment", Who::kPartner, "POST", comment, R"({"body":""})", 400, "body",
       "1 to 20000"},
      {"comment too long", Who::kPartner, "POST", comment,
       json{{"body", std::string(20001, 'y')}}.dump(), 400, "body", "1 to 20000"},
      {"unknown action", Who::kLegal, "POST", transitions,
       R"({"action":"approve","revision":{rev}})", 400, "action", "expected submit"},
      {"scope as text", Who::kLegal, "POST", "/api/v1/use-cases/2/approvals",
       R"({"revision":2,"scope":"everything"})", 400, "scope", "expected a JSON object"},
      {"scope field mistyped", Who::kLegal, "POST", "/api/v1/use-cases/2/approvals",
       R"({"revision":2,"scope":{"final_use":"yes"}})", 400, "scope.final_use", "final_use"},
      {"scope list of numbers", Who::kLegal, "POST", "/api/v1/use-cases/2/approvals",
       R"({"revision":2,"scope":{"outputs":[1,2]}})", 400, "scope.outputs", "lists of names"},
      {"scope list with an empty name", Who::kLegal, "POST", "/api/v1/use-cases/2/approvals",
       R"({"revision":2,"scope":{"deliverables":["S3E1",""]}})", 400, "scope.deliverables",
       "lists of names"},
      {"expiry in the past", Who::kLegal, "POST", "/api/v1/use-cases/2/approvals",
       R"({"revision":2,"expires_at":"2001-01-01T00:00:00Z"})", 400, "expires_at",
       "not in the future"},
      {"expiry not a time", Who::kLegal, "POST", "/api/v1/use-cases/2/approvals",
       R"({"revision":2,"expires_at":"next tuesday"})", 400, "expires_at", "RFC 3339"},
      {"approval unsigned", Who::kLegal, "POST", "/api/v1/use-cases/2/approvals",
       R"({"revision":2,"reason":"ok"})", 400, "signer_name", "full name"},
      {"approval signed with blanks", Who::kLegal, "POST", "/api/v1/use-cases/2/approvals",
       R"({"revision":2,"signer_name":"  ","reason":"ok"})", 400, "signer_name", "full name"},
      {"approval without a reason", Who::kLegal, "POST", "/api/v1/use-cases/2/approvals",
       R"({"revision":2,"signer_name":"Lee Legal"})", 400, "reason", "reason"},
      {"waiver without a reason", Who::kLegal, "POST", "/api/v1/use-cases/2/checklist/2/waive",
       R"({})", 400, "reason", "needs a reason"},
      {"waiver with an empty reason", Who::kLegal, "POST", "/api/v1/use-cases/2/checklist/2/waive",
       R"({"reason":""})", 400, "reason", "needs a reason"},
      {"evidence without a statement", Who::kContact, "POST",
       "/api/v1/use-cases/2/checklist/1/evidence", R"({"text":""})", 400, "text",
       "human_authorship"},
      {"evidence with a document for a statement", Who::kContact, "POST",
       "/api/v1/use-cases/2/checklist/1/evidence",
       json{{"text", "x"}, {"document_sha256", std::string(64, 'a')}}.dump(), 400,
       "document_sha256", "statement"},
      {"consent kind unknown", Who::kLegal, "POST", "/api/v1/productions/1/consents",
       json{{"performer", "P"},
            {"kind", "everything"},
            {"scope", "s"},
            {"document_sha256", std::string(64, 'a')}}
           .dump(),
       400, "kind", "expected replica_creation"},
      {"consent hash not hex", Who::kLegal, "POST", "/api/v1/productions/1/consents",
       json{{"performer", "P"},
            {"kind", "alteration"},
            {"scope", "s"},
            {"document_sha256", std::string(64, 'z')}}
           .dump(),
       400, "document_sha256", "hex"},
      {"consent expiry not a time", Who::kLegal, "POST", "/api/v1/productions/1/consents",
       json{{"performer", "P"},
            {"kind", "alteration"},
            {"scope", "s"},
            {"document_sha256", std::string(64, 'a')},
            {"expires_at", "soon"}}
           .dump(),
       400, "expires_at", "RFC 3339"},
      {"list limit out of range", Who::kPartner, "GET", "/api/v1/productions/1/use-cases?limit=0",
       "", 400, "limit", "expected an integer from 1 to 200"},
      {"list state unknown", Who::kPartner, "GET", "/api/v1/productions/1/use-cases?state=open", "",
       400, "state", "unknown state"},
      {"audit from negative", Who::kAdmin, "GET", "/api/v1/audit/events?from=-1", "", 400, "from",
       "expected an integer"},

      // Oversized bodies: the server's limit is 1 MiB.
      {"body over 1 MiB", Who::kPartner, "POST", comment, huge, 413, "", "exceeds"},

      // Transitions the state does not allow, and stale revisions.
      {"submit a submitted case", Who::kPartner, "POST", transitions,
       R"({"action":"submit","revision":{rev}})", 409, "", "cannot submit"},
      {"escalate an escalated case", Who::kContact, "POST", "/api/v1/use-cases/2/transitions",
       R"({"action":"escalate","revision":2})", 409, "", "cannot escalate"},
      {"approve a draft", Who::kLegal, "POST", "/api/v1/use-cases/4/approvals", R"({"revision":1})",
       409, "", "cannot approve a use case that is draft"},
      {"approve an approved case", Who::kLegal, "POST", "/api/v1/use-cases/3/approvals",
       R"({"revision":3})", 409, "", "cannot approve a use case that is approved"},
      {"acknowledge a withdrawn case", Who::kContact, "POST", "/api/v1/use-cases/6/transitions",
       R"({"action":"acknowledge","revision":3})", 409, "", "cannot acknowledge"},
      {"reject a rejected case", Who::kLegal, "POST", "/api/v1/use-cases/5/transitions",
       R"({"action":"reject","revision":3})", 409, "", "cannot reject"},
      {"edit a rejected case", Who::kPartner, "PUT", "/api/v1/use-cases/5/declaration",
       declaration_body(good, R"(,"revision":3)"), 409, "", "cannot be edited"},
      {"stale revision", Who::kContact, "POST", transitions,
       R"({"action":"acknowledge","revision":1})", 409, "revision", "changed since revision 1"},
      {"future revision", Who::kContact, "POST", transitions,
       R"({"action":"acknowledge","revision":99})", 409, "revision", "changed since revision 99"},
      {"stale approval", Who::kLegal, "POST", "/api/v1/use-cases/2/approvals",
       R"({"revision":1,"conditions":"late"})", 409, "revision", "changed since revision 1"},
      {"approval with the checklist open", Who::kLegal, "POST", "/api/v1/use-cases/2/approvals",
       R"({"revision":2,"signer_name":"Lee Legal","reason":"ok"})", 409, "checklist",
       "open items: human_authorship (CREA-1"},
      {"evidence for a question", Who::kContact, "POST", "/api/v1/use-cases/2/checklist/2/evidence",
       R"({"text":"it is human"})", 409, "", "amending the declaration"},
      {"waiver of an item of another use case", Who::kLegal, "POST",
       "/api/v1/use-cases/1/checklist/2/waive", R"({"reason":"r"})", 404, "", "no checklist item"},
      {"stale edit", Who::kPartner, "PUT", uc + "/declaration",
       declaration_body(notify_declaration("Changed"), R"(,"revision":1)"), 409, "revision",
       "changed since revision 1"},
      {"production code taken", Who::kAdmin, "POST", "/api/v1/productions",
       R"({"code":"squid-game-s3"})", 409, "", ""},

      // CSRF: a cookie session must send its token on unsafe methods.
      {"no CSRF header", Who::kPartner, "POST", comment, R"({"body":"forged"})", 403, "",
       "X-CSRF-Token", Csrf::kMissing},
      {"wrong CSRF header", Who::kPartner, "POST", comment, R"({"body":"forged"})", 403, "",
       "X-CSRF-Token", Csrf::kWrong},
      {"no CSRF header on PUT", Who::kPartner, "PUT", uc + "/declaration",
       declaration_body(notify_declaration("Forged"), R"(,"revision":{rev})"), 403, "",
       "X-CSRF-Token", Csrf::kMissing},
      {"no CSRF header on DELETE", Who::kPartner, "DELETE", "/api/v1/session", "", 403, "",
       "X-CSRF-Token", Csrf::kMissing},

      // Invalid declarations: 400 naming the field, the line and the column.
      {"declaration: unknown field", Who::kPartner, "POST", create,
       declaration_body(with_line(good, "purpose: ideation\n", "purpose: ideation\ncolour: red\n")),
       400, "colour", "line 4, column 1: "},
      {"declaration: value outside the vocabulary", Who::kPartner, "POST", create,
       declaration_body(with_line(good, "purpose: ideation", "purpose: world_domination")), 400,
       "purpose", "line 3, column 10: "},
      {"declaration: unknown tool", Who::kPartner, "POST", create,
       declaration_body(with_line(good, "tool: imagegen-pro", "tool: no-such-tool")), 400,
       "pipeline[0].tool", "line 6, column 11: "},
      {"declaration: malformed YAML", Who::kPartner, "POST", create,
       declaration_body("schema: clearcut/v1\nsummary: [unclosed\n"), 400, "", "line "},
      {"declaration: wrong schema", Who::kPartner, "POST", create,
       declaration_body("schema: clearcut/v9\nsummary: x\n"), 400, "schema", "line 1, column 9: "},
      {"declaration: as a JSON object", Who::kPartner, "POST", create,
       R"({"declaration":{"schema":"clearcut/v1","purpose":"nonsense"}})", 400, "purpose",
       "line 1, column "},
      {"declaration: another production", Who::kPartner, "POST", create,
       declaration_body("schema: clearcut/v1\nproduction: other-show\nsummary: x\n"), 400,
       "production", "other-show"},
      {"declaration: edit", Who::kPartner, "PUT", uc + "/declaration",
       declaration_body(with_line(good, "media: [image]", "media: [smell]"),
                        R"(,"revision":{rev})"),
       400, "media[0]", "line 4, column 9: "},
      {"declaration: assess", Who::kPartner, "POST", "/api/v1/assess",
       declaration_body(with_line(good, "purpose: ideation", "purpose: 7")), 400, "purpose",
       "line 3, column 10: "},

      // Routing.
      {"unknown route", Who::kPartner, "POST", "/api/v1/use-case", R"({})", 404, "",
       "no such endpoint"},
      {"unknown id", Who::kPartner, "POST", "/api/v1/use-cases/999999/comments", R"({"body":"x"})",
       404, "", "no use case"},
      {"id not a number", Who::kPartner, "POST", "/api/v1/use-cases/abc/comments",
       R"({"body":"x"})", 404, "", "no such use_case"},
      {"negative id", Who::kPartner, "GET", "/api/v1/use-cases/-1", "", 404, "",
       "no such use_case"},
      {"wrong method", Who::kPartner, "DELETE", uc, "", 405, "", "not allowed"},
      {"wrong method on transitions", Who::kPartner, "PUT", transitions,
       R"({"action":"withdraw","revision":{rev}})", 405, "", "not allowed"},
  };
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

class ApiBadInputTest : public ApiTest {};

TEST_P(ApiBadInputTest, IsAnsweredAndChangesNothing) {
  // One target serves every case: none of them may change it.
  json target = declare(notify_declaration(), true);
  int64_t id = target.value("id", int64_t{0});
  ASSERT_GT(id, 0);
  std::string before = snapshot(id);
  for (const BadInput& c : bad_inputs()) {
    SCOPED_TRACE(c.name);
    std::string path = c.path;
    std::string body = c.body;
    for (std::string* s : {&path, &body}) {
      replace_all(*s, "{uc}", std::to_string(id));
      replace_all(*s, "{rev}", std::to_string(target.value("revision", int64_t{0})));
    }
    HttpAnswer answer;
    if (c.csrf == Csrf::kRight) {
      answer = call(c.who, c.method, path, body);
    } else {
      Headers headers = {{"Cookie", "clearcut_session=" + credentials(c.who).session}};
      if (c.csrf == Csrf::kWrong) {
        headers.emplace_back("X-CSRF-Token", std::string(64, '0'));
      }
      answer = http_request(port(), c.method, path, body, headers);
    }
    EXPECT_EQ(answer.status, c.status) << answer.body << answer.error;
    json error = answer.json();
    EXPECT_TRUE(error.is_object()) << answer.body;
    EXPECT_FALSE(text_of(error, "code").empty()) << answer.body;
    EXPECT_EQ(text_of(error, "field"), c.field) << answer.body;
    EXPECT_NE(text_of(error, "message").find(c.message), std::string::npos)
        << "message: " << text_of(error, "message");
    if (!expect_unchanged(before, id)) {
      before = snapshot(id);  // report each case's change once
    }
  }
}

TEST_P(ApiBadInputTest, TheSizeLimitIsOneMebibyte) {
  json target = declare(notify_declaration(), true);
  std::string path =
      "/api/v1/use-cases/" + std::to_string(target.value("id", int64_t{0})) + "/comments";
  std::string before = snapshot(target.value("id", int64_t{0}));
  // Exactly 1 MiB is read (and refused by the comment's own limit), one byte more is not.
  std::string at_limit = R"({"body":")" + std::string((1 << 20) - 11, 'x') + R"("})";
  ASSERT_EQ(at_limit.size(), size_t{1} << 20);
  EXPECT_EQ(call(Who::kPartner, "POST", path, at_limit).status, 400);
  HttpAnswer over = call(Who::kPartner, "POST", path, at_limit + " ");
  EXPECT_EQ(over.status, 413);
  // The server's own answers carry the API's security headers too.
  EXPECT_EQ(over.header("X-Content-Type-Options").value_or(""), "nosniff");
  EXPECT_EQ(over.header("X-Frame-Options").value_or(""), "DENY");
  // A declared length over the limit is refused before any of the body is read.
  HttpAnswer announced = http_exchange(
      port(), "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n{");
  EXPECT_EQ(announced.status, 413) << announced.error;
  // Header fields are limited to 16 KiB.
  HttpAnswer long_header = call(Who::kPartner, "POST", path, R"({"body":"x"})", Auth::kSession,
                                {{"X-Padding", std::string(20 << 10, 'p')}});
  EXPECT_EQ(long_header.status, 431) << long_header.error;
  expect_unchanged(before, target.value("id", int64_t{0}));
}

TEST_P(ApiBadInputTest, ReadsWithACookieNeedNoCsrfHeader) {
  HttpAnswer answer =
      http_request(port(), "GET", "/api/v1/use-cases/1", {},
                   {{"Cookie", "clearcut_session=" + credentials(Who::kPartner).session}});
  EXPECT_EQ(answer.status, 200) << answer.body;
  HttpAnswer unknown = http_request(port(), "GET", "/api/v1/me", {},
                                    {{"Cookie", "clearcut_session=" + std::string(64, 'f')}});
  EXPECT_EQ(unknown.status, 401) << unknown.body;
}

INSTANTIATE_TEST_SUITE_P(api, ApiBadInputTest,
                         testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace clearcut::apitest
