// Who may do what, endpoint by endpoint: every role of the demo (partner, contact and legal on
// squid-game-s3, the admin, a partner of another production), nobody, and a made-up token,
// against every route. What one may not see is 404, never 403; a role one lacks is 403.

#include <array>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "tests/api/api_fixture.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/clearance/clock.h"
#include "clearcut/media/image.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/scan/scan_worker.h"

namespace clearcut::apitest {
namespace {

using nlohmann::json;

// What a row acts on, made afresh for every request so that one role's success cannot change
// what the next one meets.
enum class Target {
  kNone,
  kDraft,          // {uc}: a draft of the partner's in squid-game-s3
  kNotified,       // {uc}: a submitted case the policy answers with notify
  kEscalated,      // {uc}: a submitted case that needs written approval, its checklist met
  kOpenChecklist,  // {uc}: the same with its checklist open: {item} an action, {question} one
  kOtherShow,      // {uc}: a notified case of other-show, declared by its partner
  kConsent,        // {consent}: a consent legal recorded on squid-game-s3
  kPartnerToken,   // {token}: an API token of the partner's
  kTool,           // {tool}: a tool the admin added
  kAsset,          // {asset}: an output the partner registered against a notified case {uc}
  kDelivery,       // reel/plate.png under the scan root
  kScan,           // {scan}: a finished scan of reel/ that the contact submitted
  kApproval,       // {approval}: the demo's granted written approval of squid-game-s3
  kWebhook,        // {webhook}: a webhook the admin registered on squid-game-s3
  kAttachment,     // {attachment}: a PDF legal attached to a notified case {uc}
};

constexpr size_t kColumns = 7;
constexpr std::array<Who, kColumns> kWho = {Who::kPartner, Who::kContact,  Who::kLegal,
                                            Who::kAdmin,   Who::kOutsider, Who::kAnonymous,
                                            Who::kBadToken};

struct Row {
  const char* name;
  const char* method;
  std::string path;  // {uc} {consent} {token} {tool} {n} {contact} {topic} are filled in
  std::string body;  // {rev} {n} are filled in
  Target setup;
  std::array<int, kColumns> expect;  // partner contact legal admin outsider anonymous bad-token
};

std::string declaration_body(const std::string& declaration) {
  return json{{"declaration", declaration}}.dump();
}

std::vector<Row> matrix() {
  const std::string v1 = "/api/v1";
  const std::string transition = v1 + "/use-cases/{uc}/transitions";
  auto act = [](const char* action) {
    return std::string(R"({"action":")") + action + R"(","revision":{rev},"note":"matrix"})";
  };
  const std::string consent = json{
      {"performer", "A. Performer"},
      {"kind", "replica_creation"},
      {"scope", "Scan for the S3E1 stunt double"},
      {"document_sha256",
       std::string(64, 'b')}}.dump();
  const std::string tool = R"({"name":"Matrix tool","vendor":"Test","enterprise_agreement":"yes"})";
  const std::string pack = json{{"text", default_pack()}}.dump();
  const std::string pack_test =
      json{{"text", default_pack()},
           {"cases",
            {{{"name", "ideation.yaml"},
              {"text",
               "cases:\n  - name: ideation notifies\n    declaration: {schema: clearcut/v1, "
               "purpose: ideation}\n    expect: {outcome: notify}\n"}}}}}
          .dump();
  const std::string asset = R"({"use_case_id":{uc},"sha256":")" + std::string(64, 'd') + R"("})";
  const std::string declare = declaration_body(notify_declaration());
  const std::string edit = R"({"revision":{rev},"declaration":)" +
                           json(notify_declaration("Edited by the matrix")).dump() + "}";
  const std::string approve =
      R"({"revision":{rev},"conditions":"matrix","signer_name":"Lee Legal","reason":"matrix"})";
  const std::string evidence = R"({"text":"Statement of the human-authored parts"})";
  const std::string waiver = R"({"reason":"Answered in the review call"})";
  const std::string user = R"({"email":"new{n}@studio.example","password":"long enough"})";
  const std::string role = R"({"role":"contact"})";
  const std::string comment = R"({"body":"matrix"})";
  const std::string reject = R"({"status":"rejected"})";
  const std::string pdf = "%PDF-1.7\n%%EOF\n";
  // clang-format off
  return {
      // name, method, path, body, target,
      // {partner, contact, legal, admin, outsider, anonymous, bad token}
      {"health", "GET", v1 + "/health", "", Target::kNone, {200, 200, 200, 200, 200, 200, 200}},
      {"openapi", "GET", v1 + "/openapi.json", "", Target::kNone,
       {200, 200, 200, 200, 200, 200, 200}},
      {"schema", "GET", v1 + "/schema", "", Target::kNone, {200, 200, 200, 200, 200, 200, 200}},
      {"me", "GET", v1 + "/me", "", Target::kNone, {200, 200, 200, 200, 200, 401, 401}},
      // Anyone may ask for a reset link, and gets the same answer (ApiAccountTest drives it).
      {"ask for a reset link", "POST", v1 + "/password-reset",
       R"({"email":"nobody{n}@nowhere.example"})", Target::kNone,
       {202, 202, 202, 202, 202, 202, 202}},
      {"reset with a link", "POST", v1 + "/password-reset/confirm",
       R"({"token":"00","password":"long enough new password"})", Target::kNone,
       {400, 400, 400, 400, 400, 400, 400}},
      {"my notification settings", "GET", v1 + "/me/notifications", "", Target::kNone,
       {200, 200, 200, 200, 200, 401, 401}},
      {"set a notification setting", "PUT", v1 + "/me/notifications/{topic}",
       R"({"delivery":"digest"})", Target::kNone, {200, 200, 200, 200, 200, 401, 401}},
      {"assess", "POST", v1 + "/assess", declare, Target::kNone,
       {200, 200, 200, 200, 200, 401, 401}},
      {"list productions", "GET", v1 + "/productions", "", Target::kNone,
       {200, 200, 200, 200, 200, 401, 401}},
      {"create production", "POST", v1 + "/productions", R"({"code":"matrix-{n}"})", Target::kNone,
       {403, 403, 403, 201, 403, 401, 401}},
      {"set member", "PUT", v1 + "/productions/1/members/{contact}", role, Target::kNone,
       {403, 403, 403, 200, 403, 401, 401}},
      {"list members", "GET", v1 + "/productions/1/members", "", Target::kNone,
       {403, 200, 403, 200, 404, 401, 401}},
      {"list members, no such show", "GET", v1 + "/productions/999/members", "", Target::kNone,
       {404, 404, 404, 404, 404, 401, 401}},
      // A title's exports (ApiExportTest reads what they say): the disclosure report to every
      // member, the dossier to its contacts and legal; outsiders learn nothing.
      {"disclosure report", "GET", v1 + "/productions/1/disclosure", "", Target::kNone,
       {200, 200, 200, 200, 404, 401, 401}},
      {"disclosure report (CSV)", "GET", v1 + "/productions/1/disclosure.csv", "", Target::kNone,
       {200, 200, 200, 200, 404, 401, 401}},
      {"disclosure report (PDF)", "GET", v1 + "/productions/1/disclosure.pdf", "", Target::kNone,
       {200, 200, 200, 200, 404, 401, 401}},
      {"disclosure report, other show", "GET", v1 + "/productions/2/disclosure", "",
       Target::kNone, {404, 404, 404, 200, 200, 401, 401}},
      {"disclosure report, no such show", "GET", v1 + "/productions/999/disclosure.csv", "",
       Target::kNone, {404, 404, 404, 404, 404, 401, 401}},
      {"clearance dossier", "GET", v1 + "/productions/1/dossier", "", Target::kNone,
       {403, 200, 200, 200, 404, 401, 401}},
      {"clearance dossier (PDF)", "GET", v1 + "/productions/1/dossier.pdf", "", Target::kNone,
       {403, 200, 200, 200, 404, 401, 401}},
      {"clearance dossier, other show", "GET", v1 + "/productions/2/dossier", "", Target::kNone,
       {404, 404, 404, 200, 403, 401, 401}},
      {"clearance dossier, no such show", "GET", v1 + "/productions/999/dossier.pdf", "",
       Target::kNone, {404, 404, 404, 404, 404, 401, 401}},
      // Single sign-on is not configured in this fixture: its browser routes say so (404) to
      // anyone, and its mappings are refused to all but admins before that (SsoServiceTest and
      // tests/openapi/check_responses.mjs drive them configured).
      {"sign-in methods", "GET", v1 + "/sso", "", Target::kNone,
       {200, 200, 200, 200, 200, 200, 200}},
      {"start single sign-on", "GET", v1 + "/sso/login", "", Target::kNone,
       {404, 404, 404, 404, 404, 404, 404}},
      {"single sign-on callback", "GET", v1 + "/sso/callback?code=c&state=s", "", Target::kNone,
       {404, 404, 404, 404, 404, 404, 404}},
      {"list role mappings", "GET", v1 + "/sso/mappings", "", Target::kNone,
       {403, 403, 403, 404, 403, 401, 401}},
      {"add role mapping", "POST", v1 + "/sso/mappings",
       R"({"value":"g","production_id":1,"role":"legal"})", Target::kNone,
       {403, 403, 403, 404, 403, 401, 401}},
      {"remove role mapping", "DELETE", v1 + "/sso/mappings/1", "", Target::kNone,
       {403, 403, 403, 404, 403, 401, 401}},
      {"list use cases", "GET", v1 + "/productions/1/use-cases", "", Target::kNone,
       {200, 200, 200, 200, 404, 401, 401}},
      {"list use cases, other show", "GET", v1 + "/productions/2/use-cases", "", Target::kNone,
       {404, 404, 404, 200, 200, 401, 401}},
      {"list use cases, no such show", "GET", v1 + "/productions/999/use-cases", "", Target::kNone,
       {404, 404, 404, 404, 404, 401, 401}},
      {"declare", "POST", v1 + "/productions/1/use-cases", declare, Target::kNone,
       {201, 403, 403, 403, 404, 401, 401}},
      {"declare, other show", "POST", v1 + "/productions/2/use-cases", declare, Target::kNone,
       {404, 404, 404, 403, 201, 401, 401}},
      {"read use case", "GET", v1 + "/use-cases/{uc}", "", Target::kNotified,
       {200, 200, 200, 200, 404, 401, 401}},
      {"read use case, other show", "GET", v1 + "/use-cases/{uc}", "", Target::kOtherShow,
       {404, 404, 404, 200, 200, 401, 401}},
      {"edit declaration", "PUT", v1 + "/use-cases/{uc}/declaration", edit, Target::kNotified,
       {200, 403, 403, 403, 404, 401, 401}},
      {"submit", "POST", transition, act("submit"), Target::kDraft,
       {200, 403, 403, 403, 404, 401, 401}},
      {"withdraw", "POST", transition, act("withdraw"), Target::kNotified,
       {200, 403, 403, 403, 404, 401, 401}},
      {"acknowledge", "POST", transition, act("acknowledge"), Target::kNotified,
       {403, 200, 403, 403, 404, 401, 401}},
      {"request changes", "POST", transition, act("request_changes"), Target::kNotified,
       {403, 200, 403, 403, 404, 401, 401}},
      {"escalate", "POST", transition, act("escalate"), Target::kNotified,
       {403, 200, 403, 403, 404, 401, 401}},
      {"reject", "POST", transition, act("reject"), Target::kEscalated,
       {403, 403, 200, 403, 404, 401, 401}},
      {"approve", "POST", v1 + "/use-cases/{uc}/approvals", approve, Target::kEscalated,
       {403, 403, 201, 403, 404, 401, 401}},
      {"approve, other show", "POST", v1 + "/use-cases/{uc}/approvals", approve, Target::kOtherShow,
       {404, 404, 404, 403, 403, 401, 401}},
      {"approve, checklist open", "POST", v1 + "/use-cases/{uc}/approvals", approve,
       Target::kOpenChecklist, {403, 403, 409, 403, 404, 401, 401}},
      {"read checklist", "GET", v1 + "/use-cases/{uc}/checklist", "", Target::kOpenChecklist,
       {200, 200, 200, 200, 404, 401, 401}},
      {"read checklist, other show", "GET", v1 + "/use-cases/{uc}/checklist", "",
       Target::kOtherShow, {404, 404, 404, 200, 200, 401, 401}},
      {"record evidence", "POST", v1 + "/use-cases/{uc}/checklist/{item}/evidence", evidence,
       Target::kOpenChecklist, {403, 200, 200, 403, 404, 401, 401}},
      {"waive", "POST", v1 + "/use-cases/{uc}/checklist/{question}/waive", waiver,
       Target::kOpenChecklist, {403, 403, 200, 403, 404, 401, 401}},
      {"preview edit", "POST", v1 + "/use-cases/{uc}/declaration/preview", edit,
       Target::kNotified, {200, 403, 403, 403, 404, 401, 401}},
      {"approval certificate", "GET", v1 + "/approvals/{approval}/certificate", "",
       Target::kApproval, {200, 200, 200, 200, 404, 401, 401}},
      {"approval certificate (PDF)", "GET", v1 + "/approvals/{approval}/certificate.pdf", "",
       Target::kApproval, {200, 200, 200, 200, 404, 401, 401}},
      // Only a met audience_disclosure item is confirmed: on another item, the roles that may
      // confirm are told so (409); tests/api/api_scan_test.cc confirms a real one.
      {"confirm disclosure", "POST", v1 + "/use-cases/{uc}/checklist/{item}/confirm",
       R"({"text":"Card at 00:00:05:00"})", Target::kOpenChecklist,
       {403, 409, 409, 403, 404, 401, 401}},
      {"comment", "POST", v1 + "/use-cases/{uc}/comments", comment, Target::kNotified,
       {201, 201, 201, 403, 404, 401, 401}},
      // The inbox: anyone's own tasks and delegation; assignment by the studio's roles to its
      // contact or legal; the answer time is an admin's.
      {"my tasks", "GET", v1 + "/me/tasks", "", Target::kNone,
       {200, 200, 200, 200, 200, 401, 401}},
      {"assign", "PUT", v1 + "/use-cases/{uc}/assignee", R"({"assignee_id":{legal}})",
       Target::kNotified, {403, 200, 200, 200, 404, 401, 401}},
      {"assign, other show", "PUT", v1 + "/use-cases/{uc}/assignee", R"({"assignee_id":{legal}})",
       Target::kOtherShow, {404, 404, 404, 400, 403, 401, 401}},
      {"set answer time", "PATCH", v1 + "/productions/1", R"({"answer_within_days":3})",
       Target::kNone, {403, 403, 403, 200, 404, 401, 401}},
      {"set answer time, other show", "PATCH", v1 + "/productions/2", R"({"answer_within_days":3})",
       Target::kNone, {404, 404, 404, 200, 403, 401, 401}},
      {"read delegation", "GET", v1 + "/me/delegation", "", Target::kNone,
       {200, 200, 200, 200, 200, 401, 401}},
      // To Lee Legal: from the studio's contact and admin; the vendors are of other
      // organizations, and legal may not name themselves.
      {"set delegation", "PUT", v1 + "/me/delegation",
       R"({"delegate_email":"legal@studio.example","until":"{until}"})", Target::kNone,
       {400, 200, 400, 200, 400, 401, 401}},
      {"remove delegation", "DELETE", v1 + "/me/delegation", "", Target::kNone,
       {404, 200, 404, 200, 404, 401, 401}},
      {"list consents", "GET", v1 + "/productions/1/consents", "", Target::kNone,
       {200, 200, 200, 200, 404, 401, 401}},
      {"list consents, other show", "GET", v1 + "/productions/2/consents", "", Target::kNone,
       {404, 404, 404, 200, 200, 401, 401}},
      {"list consents, no such show", "GET", v1 + "/productions/999/consents", "", Target::kNone,
       {404, 404, 404, 404, 404, 401, 401}},
      {"record consent", "POST", v1 + "/productions/1/consents", consent, Target::kNone,
       {403, 403, 201, 403, 404, 401, 401}},
      {"revoke consent", "POST", v1 + "/consents/{consent}/revoke", "", Target::kConsent,
       {403, 403, 200, 403, 404, 401, 401}},
      // Attachments: read like their parent; attached by the parent's editors (a use case: the
      // contact or legal; a consent, an approval: legal; a tool entry: an admin).
      {"list attachments", "GET", v1 + "/use-cases/{uc}/attachments", "", Target::kNotified,
       {200, 200, 200, 200, 404, 401, 401}},
      {"attach to use case", "POST", v1 + "/use-cases/{uc}/attachments?filename=l.pdf", pdf,
       Target::kNotified, {403, 201, 201, 403, 404, 401, 401}},
      {"list consent attachments", "GET", v1 + "/consents/{consent}/attachments", "",
       Target::kConsent, {200, 200, 200, 200, 404, 401, 401}},
      {"attach to consent", "POST", v1 + "/consents/{consent}/attachments?filename=c.pdf", pdf,
       Target::kConsent, {403, 403, 201, 403, 404, 401, 401}},
      {"list approval attachments", "GET", v1 + "/approvals/{approval}/attachments", "",
       Target::kApproval, {200, 200, 200, 200, 404, 401, 401}},
      {"attach to approval", "POST", v1 + "/approvals/{approval}/attachments?filename=a.pdf", pdf,
       Target::kApproval, {403, 403, 201, 403, 404, 401, 401}},
      {"list tool attachments", "GET", v1 + "/tools/{tool}/attachments", "", Target::kTool,
       {200, 200, 200, 200, 200, 401, 401}},
      {"attach to tool", "POST", v1 + "/tools/{tool}/attachments?filename=t.pdf", pdf,
       Target::kTool, {403, 403, 403, 201, 403, 401, 401}},
      {"download attachment", "GET", v1 + "/attachments/{attachment}/content", "",
       Target::kAttachment, {200, 200, 200, 200, 404, 401, 401}},
      {"register output", "POST", v1 + "/productions/1/assets", asset, Target::kNotified,
       {201, 403, 403, 403, 404, 401, 401}},
      {"list outputs", "GET", v1 + "/productions/1/assets", "", Target::kNone,
       {200, 200, 200, 200, 404, 401, 401}},
      {"look up outputs", "GET", v1 + "/assets/lookup?sha256=" + std::string(64, 'e'), "",
       Target::kAsset, {200, 200, 200, 200, 200, 401, 401}},
      {"read output", "GET", v1 + "/assets/{asset}", "", Target::kAsset,
       {200, 200, 200, 200, 404, 401, 401}},
      {"reject output", "POST", v1 + "/assets/{asset}/status", reject, Target::kAsset,
       {403, 403, 200, 403, 404, 401, 401}},
      {"submit scan", "POST", v1 + "/productions/1/scans", R"({"paths":["reel"]})",
       Target::kDelivery, {202, 202, 202, 202, 404, 401, 401}},
      {"list scans", "GET", v1 + "/productions/1/scans", "", Target::kNone,
       {200, 200, 200, 200, 404, 401, 401}},
      {"read scan", "GET", v1 + "/scans/{scan}", "", Target::kScan,
       {200, 200, 200, 200, 404, 401, 401}},
      {"read scan report", "GET", v1 + "/scans/{scan}/report", "", Target::kScan,
       {200, 200, 200, 200, 404, 401, 401}},
      {"read scan page", "GET", v1 + "/scans/{scan}/report.html", "", Target::kScan,
       {200, 200, 200, 200, 404, 401, 401}},
      // Matches of other productions' deliveries to this one's outputs: its legal and admins.
      {"cross-production matches", "GET", v1 + "/productions/1/cross-production-matches", "",
       Target::kNone, {403, 403, 200, 200, 404, 401, 401}},
      // Dashboards: a production's to its members and the admins; the organization view to
      // anyone, counting only what they may see (DashboardServiceTest checks the figures).
      {"production dashboard", "GET", v1 + "/productions/1/dashboard", "", Target::kNone,
       {200, 200, 200, 200, 404, 401, 401}},
      {"production dashboard, other show", "GET", v1 + "/productions/2/dashboard", "",
       Target::kNone, {404, 404, 404, 200, 200, 401, 401}},
      {"production dashboard, no such show", "GET", v1 + "/productions/999/dashboard", "",
       Target::kNone, {404, 404, 404, 404, 404, 401, 401}},
      {"organization dashboard", "GET", v1 + "/dashboard", "", Target::kNone,
       {200, 200, 200, 200, 200, 401, 401}},
      {"list tools", "GET", v1 + "/tools", "", Target::kNone, {200, 200, 200, 200, 200, 401, 401}},
      {"save tool", "PUT", v1 + "/tools/matrix-{n}", tool, Target::kNone,
       {403, 403, 403, 200, 403, 401, 401}},
      {"delete tool", "DELETE", v1 + "/tools/{tool}", "", Target::kTool,
       {403, 403, 403, 200, 403, 401, 401}},
      {"list packs", "GET", v1 + "/policy-packs", "", Target::kNone,
       {200, 200, 200, 200, 200, 401, 401}},
      {"preview pack", "POST", v1 + "/policy-packs/preview", pack, Target::kNone,
       {403, 403, 403, 200, 403, 401, 401}},
      {"test pack", "POST", v1 + "/policy-packs/test", pack_test, Target::kNone,
       {403, 403, 403, 200, 403, 401, 401}},
      {"activate pack", "POST", v1 + "/policy-packs", pack, Target::kNone,
       {403, 403, 403, 201, 403, 401, 401}},
      {"list users", "GET", v1 + "/users", "", Target::kNone, {403, 403, 403, 200, 403, 401, 401}},
      {"create user", "POST", v1 + "/users", user, Target::kNone,
       {403, 403, 403, 201, 403, 401, 401}},
      {"list tokens", "GET", v1 + "/tokens", "", Target::kNone,
       {200, 200, 200, 200, 200, 401, 401}},
      {"create token", "POST", v1 + "/tokens", R"({"name":"matrix"})", Target::kNone,
       {201, 201, 201, 201, 201, 401, 401}},
      {"revoke token", "DELETE", v1 + "/tokens/{token}", "", Target::kPartnerToken,
       {200, 404, 404, 404, 404, 401, 401}},
      {"checkpoint", "GET", v1 + "/audit/checkpoint", "", Target::kNone,
       {200, 200, 200, 200, 200, 401, 401}},
      {"inclusion proof", "GET", v1 + "/audit/proof/inclusion?index=0&size=2", "", Target::kNone,
       {200, 200, 200, 200, 200, 401, 401}},
      {"consistency proof", "GET", v1 + "/audit/proof/consistency?old=1&new=2", "", Target::kNone,
       {200, 200, 200, 200, 200, 401, 401}},
      {"audit events", "GET", v1 + "/audit/events", "", Target::kNone,
       {403, 403, 403, 200, 403, 401, 401}},
      // Webhooks: the production's contacts and admins; the outbox: admins.
      {"list webhooks", "GET", v1 + "/productions/1/webhooks", "", Target::kNone,
       {403, 200, 403, 200, 404, 401, 401}},
      {"create webhook", "POST", v1 + "/productions/1/webhooks",
       R"({"url":"http://127.0.0.1:9/matrix"})", Target::kNone,
       {403, 201, 403, 201, 404, 401, 401}},
      {"disable webhook", "DELETE", v1 + "/webhooks/{webhook}", "", Target::kWebhook,
       {403, 200, 403, 200, 404, 401, 401}},
      {"test webhook", "POST", v1 + "/webhooks/{webhook}/test", "", Target::kWebhook,
       {403, 202, 403, 202, 404, 401, 401}},
      {"webhook deliveries", "GET", v1 + "/webhooks/{webhook}/deliveries", "", Target::kWebhook,
       {403, 200, 403, 200, 404, 401, 401}},
      {"outbox", "GET", v1 + "/outbox?state=dead", "", Target::kNone,
       {403, 403, 403, 200, 403, 401, 401}},
      // Notification 1 (the demo's) is no dead letter: 409 for the admin.
      {"retry notification", "POST", v1 + "/outbox/1/retry", "", Target::kNone,
       {403, 403, 403, 409, 403, 401, 401}},
      {"unknown route", "GET", v1 + "/nope", "", Target::kNone,
       {404, 404, 404, 404, 404, 404, 404}},
      {"unknown subresource", "GET", v1 + "/use-cases/{uc}/nope", "", Target::kNotified,
       {404, 404, 404, 404, 404, 404, 404}},
      {"unknown id", "GET", v1 + "/use-cases/999999", "", Target::kNone,
       {404, 404, 404, 404, 404, 401, 401}},
      {"wrong method", "PATCH", v1 + "/use-cases/{uc}", "{}", Target::kNotified,
       {405, 405, 405, 405, 405, 405, 405}},
      {"wrong method on a list", "DELETE", v1 + "/productions", "", Target::kNone,
       {405, 405, 405, 405, 405, 405, 405}},
      // Last: it takes the contact's role away, which the rows above rely on.
      {"remove member", "DELETE", v1 + "/productions/1/members/{contact}", "", Target::kNone,
       {403, 403, 403, 200, 403, 401, 401}},
  };
  // clang-format on
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

class ApiAuthorizationTest : public ApiTest {
 protected:
  // Makes the row's target; fills `vars` with the placeholders it defines.
  void make_target(Target setup, std::map<std::string, std::string>& vars, int64_t* use_case_id) {
    static int counter = 0;
    vars["{n}"] = std::to_string(++counter);
    vars["{contact}"] = std::to_string(credentials(Who::kContact).user_id);
    vars["{topic}"] = "mentions";
    vars["{legal}"] = std::to_string(credentials(Who::kLegal).user_id);
    vars["{until}"] =
        clearance::format_rfc3339(std::chrono::system_clock::now() + std::chrono::hours(48));
    json made;
    switch (setup) {
      case Target::kNone:
        return;
      case Target::kDraft:
        made = declare(notify_declaration(), false);
        break;
      case Target::kNotified:
        made = declare(notify_declaration(), true);
        break;
      case Target::kEscalated:
        made = declare(escalate_declaration(), true);
        settle_checklist(made.value("id", int64_t{0}));
        break;
      case Target::kOpenChecklist: {
        made = declare(escalate_declaration(), true);
        HttpAnswer checklist = get(
            Who::kAdmin, "/api/v1/use-cases/" + std::to_string(made.value("id", 0)) + "/checklist");
        ASSERT_EQ(checklist.status, 200) << checklist.body;
        json body = checklist.json();
        for (const json& item : body.at("items")) {
          std::string id = std::to_string(item.value("id", int64_t{0}));
          vars[item.value("kind", "") == "question" ? "{question}" : "{item}"] = id;
        }
        ASSERT_TRUE(vars.count("{item}") && vars.count("{question}")) << checklist.body;
        break;
      }
      case Target::kOtherShow: {
        HttpAnswer answer = send(Who::kOutsider, "POST", "/api/v1/productions/2/use-cases",
                                 json{{"declaration", notify_declaration()}, {"submit", true}});
        ASSERT_EQ(answer.status, 201) << answer.body;
        made = answer.json();
        break;
      }
      case Target::kConsent: {
        HttpAnswer answer = send(Who::kLegal, "POST", "/api/v1/productions/1/consents",
                                 json{{"performer", "B. Performer"},
                                      {"kind", "alteration"},
                                      {"scope", "De-ageing in S3E3"},
                                      {"document_sha256", std::string(64, 'c')}});
        ASSERT_EQ(answer.status, 201) << answer.body;
        vars["{consent}"] = std::to_string(answer.json().value("id", int64_t{0}));
        return;
      }
      case Target::kPartnerToken: {
        HttpAnswer answer =
            send(Who::kPartner, "POST", "/api/v1/tokens", json{{"name", "to revoke"}});
        ASSERT_EQ(answer.status, 201) << answer.body;
        vars["{token}"] = std::to_string(answer.json().value("id", int64_t{0}));
        return;
      }
      case Target::kAsset: {
        made = declare(notify_declaration(), true);
        HttpAnswer answer = send(
            Who::kPartner, "POST", "/api/v1/productions/1/assets",
            json{{"use_case_id", made.value("id", int64_t{0})}, {"sha256", std::string(64, 'e')}});
        ASSERT_EQ(answer.status, 201) << answer.body;
        vars["{asset}"] = std::to_string(answer.json().value("id", int64_t{0}));
        break;
      }
      case Target::kDelivery:
      case Target::kScan: {
        std::filesystem::create_directories(scan_root() / "reel");
        media::Image plate;
        plate.width = plate.height = 64;
        plate.channels = 1;
        for (int i = 0; i < 64 * 64; ++i) {
          plate.pixels.push_back(static_cast<uint8_t>((i * 37) ^ (i / 64)));
        }
        auto png = media::encode_png(plate);
        ASSERT_TRUE(png.has_value());
        std::ofstream(scan_root() / "reel" / "plate.png", std::ios::binary)
            .write(reinterpret_cast<const char*>(png->data()),
                   static_cast<std::streamsize>(png->size()));
        if (setup == Target::kDelivery) {
          return;
        }
        HttpAnswer answer =
            send(Who::kContact, "POST", "/api/v1/productions/1/scans", json{{"paths", {"reel"}}});
        ASSERT_EQ(answer.status, 202) << answer.body;
        clearance::SystemClock clock;
        scan::ScanWorkerOptions options;
        options.name = "matrix";
        options.scan_root = scan_root();
        scan::ScanWorker worker(service().store(), clock, options);
        // Runs every queued job: the "submit scan" row leaves some.
        for (auto ran = worker.run_once(); !ran.has_value() || *ran; ran = worker.run_once()) {
          ASSERT_TRUE(ran.has_value()) << ran.error().to_string();
        }
        vars["{scan}"] = std::to_string(answer.json().value("id", int64_t{0}));
        return;
      }
      case Target::kApproval:
        vars["{approval}"] =
            std::to_string(use_case(kDemoApproved).at("approvals")[0].value("id", int64_t{0}));
        return;
      case Target::kWebhook: {
        HttpAnswer answer = send(Who::kAdmin, "POST", "/api/v1/productions/1/webhooks",
                                 json{{"url", "http://127.0.0.1:9/matrix"}});
        ASSERT_EQ(answer.status, 201) << answer.body;
        vars["{webhook}"] = std::to_string(answer.json().value("id", int64_t{0}));
        return;
      }
      case Target::kAttachment: {
        made = declare(notify_declaration(), true);
        HttpAnswer answer = call(Who::kLegal, "POST",
                                 "/api/v1/use-cases/" + std::to_string(made.value("id", 0)) +
                                     "/attachments?filename=matrix.pdf",
                                 "%PDF-1.7\n%%EOF\n");
        ASSERT_EQ(answer.status, 201) << answer.body;
        vars["{attachment}"] = std::to_string(answer.json().value("id", int64_t{0}));
        break;
      }
      case Target::kTool: {
        std::string id = "doomed-" + vars["{n}"];
        HttpAnswer answer =
            send(Who::kAdmin, "PUT", "/api/v1/tools/" + id, json{{"name", "Doomed tool"}});
        ASSERT_EQ(answer.status, 200) << answer.body;
        vars["{tool}"] = id;
        return;
      }
    }
    ASSERT_GT(made.value("id", int64_t{0}), 0) << made.dump();
    *use_case_id = made.value("id", int64_t{0});
    vars["{uc}"] = std::to_string(*use_case_id);
    vars["{rev}"] = std::to_string(made.value("revision", int64_t{0}));
  }

  void run_matrix(Auth auth) {
    for (const Row& row : matrix()) {
      // A refused request changes nothing (checked below), so its target, and what was read of
      // it, serve the next column; a request that went through makes the next one start afresh.
      std::map<std::string, std::string> vars;
      int64_t use_case_id = 0;
      bool fresh = true;
      uint64_t audit_before = 0;
      std::string before;
      for (size_t column = 0; column < kColumns; ++column) {
        Who who = kWho[column];
        if (auth == Auth::kToken && (who == Who::kAnonymous || who == Who::kBadToken)) {
          continue;  // the same requests as with sessions
        }
        SCOPED_TRACE(std::string(row.name) + " as " + std::string(who_name(who)));
        if (fresh) {
          vars.clear();
          use_case_id = 0;
          ASSERT_NO_FATAL_FAILURE(make_target(row.setup, vars, &use_case_id));
          audit_before = audit_size();
          before = use_case_id != 0 ? use_case(use_case_id).dump() : "";
        }
        std::string path = row.path;
        std::string body = row.body;
        for (const auto& [key, value] : vars) {
          replace_all(path, key, value);
          replace_all(body, key, value);
        }
        HttpAnswer answer = call(who, row.method, path, body, auth);
        EXPECT_EQ(answer.status, row.expect[column])
            << row.method << " " << path << " -> " << answer.body << answer.error;
        fresh = answer.status < 400;
        if (!fresh) {
          json error = answer.json();
          EXPECT_FALSE(text_of(error, "code").empty()) << answer.body;
          EXPECT_FALSE(text_of(error, "message").empty()) << answer.body;
          // A refusal changes nothing.
          uint64_t audit_after = audit_size();
          std::string after = use_case_id != 0 ? use_case(use_case_id).dump() : "";
          EXPECT_EQ(audit_after, audit_before);
          EXPECT_EQ(after, before);
          audit_before = audit_after;
          before = after;
        }
      }
    }
  }
};

TEST_P(ApiAuthorizationTest, MatrixWithSessions) {
  run_matrix(Auth::kSession);
}

TEST_P(ApiAuthorizationTest, MatrixWithBearerTokens) {
  run_matrix(Auth::kToken);
}

// "GET /api/v1/use-cases/{}": a path or route pattern with its variable segments blanked.
std::string route_of(const std::string& method, const std::string& target) {
  std::string path = target.substr(0, target.find('?'));
  std::string out = method + " ";
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string segment = path.substr(start, slash == std::string::npos ? slash : slash - start);
    bool variable =
        segment.find('{') != std::string::npos ||
        (!segment.empty() && segment.find_first_not_of("0123456789") == std::string::npos);
    out += "/" + (variable ? std::string("{}") : segment);
    if (slash == std::string::npos) {
      break;
    }
    start = slash + 1;
  }
  return out;
}

TEST_P(ApiAuthorizationTest, MatrixCoversEveryRoute) {
  std::set<std::string> covered = {
      // Signing in and out have tests of their own (ApiWorkflowTest).
      "POST /api/v1/session",
      "DELETE /api/v1/session",
  };
  for (const Row& row : matrix()) {
    covered.insert(route_of(row.method, row.path));
  }
  for (const std::string& route : service().api().routes()) {
    size_t space = route.find(' ');
    EXPECT_TRUE(covered.count(route_of(route.substr(0, space), route.substr(space + 1))))
        << route << " has no row in the authorization matrix";
  }
}

TEST_P(ApiAuthorizationTest, NobodyApprovesOrRejectsTheirOwnUseCase) {
  json own = declare(escalate_declaration(), true);
  int64_t id = own.value("id", int64_t{0});
  // The partner who declared it becomes legal on the production.
  std::string member =
      "/api/v1/productions/1/members/" + std::to_string(credentials(Who::kPartner).user_id);
  ASSERT_EQ(send(Who::kAdmin, "PUT", member, json{{"role", "legal"}}).status, 200);
  std::string before = snapshot(id);
  HttpAnswer approve =
      send(Who::kPartner, "POST", "/api/v1/use-cases/" + std::to_string(id) + "/approvals",
           approval_body(own.at("revision"), "self"));
  EXPECT_EQ(approve.status, 403) << approve.body;
  EXPECT_NE(text_of(approve.json(), "message").find("nobody approves"), std::string::npos);
  HttpAnswer reject = act(Who::kPartner, id, "reject");
  EXPECT_EQ(reject.status, 403) << reject.body;
  expect_unchanged(before, id);
  // Another legal may.
  settle_checklist(id);
  EXPECT_EQ(send(Who::kLegal, "POST", "/api/v1/use-cases/" + std::to_string(id) + "/approvals",
                 approval_body(own.at("revision")))
                .status,
            201);
}

TEST_P(ApiAuthorizationTest, ATokenFollowsRoleChangesAtOnce) {
  // Who a token's bearer is, is cached (clearance::TokenCache): a role taken away or given back
  // through the API holds from the next request on.
  const std::string list = "/api/v1/productions/1/use-cases";
  const std::string member =
      "/api/v1/productions/1/members/" + std::to_string(credentials(Who::kPartner).user_id);
  ASSERT_EQ(call(Who::kPartner, "GET", list, "", Auth::kToken).status, 200);
  ASSERT_EQ(call(Who::kAdmin, "DELETE", member).status, 200);
  EXPECT_EQ(call(Who::kPartner, "GET", list, "", Auth::kToken).status, 404);
  ASSERT_EQ(send(Who::kAdmin, "PUT", member, json{{"role", "partner"}}).status, 200);
  EXPECT_EQ(call(Who::kPartner, "GET", list, "", Auth::kToken).status, 200);
}

TEST_P(ApiAuthorizationTest, ListsShowOnlyWhatOneMaySee) {
  HttpAnswer productions = get(Who::kOutsider, "/api/v1/productions");
  ASSERT_EQ(productions.status, 200);
  ASSERT_EQ(productions.json().at("items").size(), 1u);
  EXPECT_EQ(productions.json().at("items")[0].value("code", ""), "other-show");
  HttpAnswer all = get(Who::kAdmin, "/api/v1/productions");
  EXPECT_EQ(all.json().at("items").size(), 2u);
  HttpAnswer mine = get(Who::kPartner, "/api/v1/productions/1/use-cases?limit=200");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json().at("items").size(), 6u);
}

INSTANTIATE_TEST_SUITE_P(api, ApiAuthorizationTest,
                         testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace clearcut::apitest
