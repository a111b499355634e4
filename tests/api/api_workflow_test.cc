// The clearance workflow through the REST API (POLICY.md §5), on every backend: declare,
// submit, triage, acknowledge, escalate, ask for changes, approve in writing, edit after
// approval, re-triage under a stricter pack, sessions, tokens and login throttling.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/api_fixture.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/audit/audit_log_verifier.h"
#include "clearcut/base/hex.h"
#include "clearcut/clearance/clock.h"

namespace clearcut::apitest {
namespace {

using nlohmann::json;

std::string uc_path(int64_t id, std::string_view tail = "") {
  return "/api/v1/use-cases/" + std::to_string(id) + std::string(tail);
}

std::vector<std::string> event_kinds(const json& use_case) {
  std::vector<std::string> kinds;
  for (const json& e : use_case.at("events")) {
    kinds.push_back(e.at("kind").get<std::string>());
  }
  return kinds;
}

using ApiWorkflowTest = ApiTest;

TEST_P(ApiWorkflowTest, DemoDataIsWhatTheTestsAssume) {
  const std::pair<int64_t, const char*> states[] = {
      {kDemoNotified, "notified"}, {kDemoEscalated, "escalated"}, {kDemoApproved, "approved"},
      {kDemoDraft, "draft"},       {kDemoRejected, "rejected"},   {kDemoWithdrawn, "withdrawn"}};
  for (const auto& [id, state] : states) {
    json u = use_case(id);
    EXPECT_EQ(u.value("state", ""), state) << "use case " << id;
    EXPECT_EQ(u.value("production_id", int64_t{0}), kShow) << "use case " << id;
    EXPECT_EQ(u.value("created_by", int64_t{0}), credentials(Who::kPartner).user_id);
  }
  HttpAnswer health = get(Who::kAnonymous, "/api/v1/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(text_of(health.json(), "database"),
            GetParam() == Backend::kSqlite ? "sqlite" : "postgresql");
}

TEST_P(ApiWorkflowTest, FromDraftToWrittenApprovalAndBackWhenTheDeclarationChanges) {
  uint64_t audit_before = audit_size();

  // The partner declares a draft: nothing is triaged yet.
  json draft = declare(notify_declaration(), false);
  int64_t id = draft.value("id", int64_t{0});
  ASSERT_GT(id, 0);
  EXPECT_EQ(draft.value("state", ""), "draft");
  EXPECT_TRUE(draft.at("outcome").is_null());
  EXPECT_EQ(draft.value("revision", int64_t{0}), 1);
  EXPECT_EQ(audit_size(), audit_before + 1);

  // Submitting triages it: an ideation mood board only notifies the contact.
  HttpAnswer submitted = act(Who::kPartner, id, "submit");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(text_of(submitted.json(), "state"), "notified");
  EXPECT_EQ(text_of(submitted.json(), "outcome"), "notify");
  EXPECT_EQ(submitted.json().at("decision").value("outcome", ""), "notify");
  EXPECT_FALSE(text_of(submitted.json(), "policy_digest").empty());

  // The contact acknowledges (state unchanged, revision moves), then escalates to legal.
  HttpAnswer acknowledged = act(Who::kContact, id, "acknowledge", "Seen; looks routine.");
  ASSERT_EQ(acknowledged.status, 200) << acknowledged.body;
  EXPECT_EQ(text_of(acknowledged.json(), "state"), "notified");
  EXPECT_EQ(acknowledged.json().value("revision", int64_t{0}),
            submitted.json().value("revision", int64_t{0}) + 1);
  HttpAnswer escalated = act(Who::kContact, id, "escalate", "The set dresser wants it on screen.");
  ASSERT_EQ(escalated.status, 200) << escalated.body;
  EXPECT_EQ(text_of(escalated.json(), "state"), "escalated");

  // Legal approves in writing, with conditions, a scope and an expiry.
  json request = {
      {"revision", escalated.json().at("revision")},
      {"conditions", "Only in S3E2; human paint-over before delivery."},
      {"scope", {{"final_use", true}, {"deliverables", {"S3E2"}}, {"outputs", json::array()}}},
      {"expires_at", "2027-06-30T00:00:00Z"},
      {"signer_name", "Lee Legal"},
      {"reason", "Incidental set dressing; paint-over agreed"}};
  HttpAnswer approved = send(Who::kLegal, "POST", uc_path(id, "/approvals"), request);
  ASSERT_EQ(approved.status, 201) << approved.body;
  json approval = approved.json();
  EXPECT_EQ(approval.value("approver_id", int64_t{0}), credentials(Who::kLegal).user_id);
  EXPECT_EQ(text_of(approval, "declaration_digest"), text_of(draft, "declaration_digest"));
  EXPECT_FALSE(approval.value("outdated", true));
  EXPECT_EQ(text_of(approval, "signer_name"), "Lee Legal");
  EXPECT_EQ(text_of(approval, "reason"), "Incidental set dressing; paint-over agreed");

  // The partner sees the approval as legal wrote it.
  HttpAnswer seen = get(Who::kPartner, uc_path(id));
  ASSERT_EQ(seen.status, 200) << seen.body;
  json u = seen.json();
  EXPECT_EQ(text_of(u, "state"), "approved");
  ASSERT_EQ(u.at("approvals").size(), 1u);
  const json& a = u.at("approvals")[0];
  EXPECT_EQ(text_of(a, "conditions"), "Only in S3E2; human paint-over before delivery.");
  EXPECT_EQ(a.at("scope"), request.at("scope"));
  EXPECT_EQ(text_of(a, "expires_at"), "2027-06-30T00:00:00Z");
  EXPECT_EQ(a.value("granted", false), true);
  EXPECT_EQ(a.value("outdated", true), false);
  EXPECT_EQ(event_kinds(u), (std::vector<std::string>{"created", "submitted", "acknowledged",
                                                      "escalated", "approved"}));

  // Editing the declaration after approval: first a preview of the changed fields and of the
  // approval it will outdate, storing nothing; then the edit outdates the approval and sends
  // the case back, its history line listing the change.
  json edit = {{"declaration", notify_declaration("Mood board for the glass bridge, night")},
               {"revision", u.at("revision")}};
  uint64_t before_preview = audit_size();
  HttpAnswer preview = send(Who::kPartner, "POST", uc_path(id, "/declaration/preview"), edit);
  ASSERT_EQ(preview.status, 200) << preview.body;
  json previewed = preview.json();
  EXPECT_EQ(previewed.at("changes"),
            json::array({{{"field", "summary"},
                          {"from", "Mood board for the glass bridge set"},
                          {"to", "Mood board for the glass bridge, night"}}}))
      << preview.body;
  EXPECT_EQ(previewed.at("outdated_approvals"), json::array({a.value("id", 0)}));
  EXPECT_EQ(text_of(previewed, "state_before"), "approved");
  EXPECT_EQ(text_of(previewed, "state_after"), "notified");
  EXPECT_EQ(audit_size(), before_preview);
  EXPECT_EQ(text_of(use_case(id), "state"), "approved");
  EXPECT_EQ(send(Who::kContact, "POST", uc_path(id, "/declaration/preview"), edit).status, 403);
  HttpAnswer edited = send(Who::kPartner, "PUT", uc_path(id, "/declaration"), edit);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(text_of(edited.json(), "state"), "notified");
  EXPECT_NE(text_of(edited.json(), "declaration_digest"), text_of(draft, "declaration_digest"));
  u = use_case(id);
  EXPECT_EQ(text_of(u, "state"), "notified");
  ASSERT_EQ(u.at("approvals").size(), 1u);
  EXPECT_EQ(u.at("approvals")[0].value("outdated", false), true);
  EXPECT_EQ(event_kinds(u).back(), "edited");
  EXPECT_NE(
      u.at("events")
          .back()
          .value("note", "")
          .find("1 approval outdated, re-triaged; changed summary: \"Mood board for the glass "
                "bridge set\" → \"Mood board for the glass bridge, night\""),
      std::string::npos)
      << u.at("events").back().dump();

  // A new approval binds the new declaration.
  HttpAnswer again = send(Who::kLegal, "POST", uc_path(id, "/approvals"),
                          approval_body(u.at("revision"), "As before."));
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(text_of(again.json(), "declaration_digest"), text_of(u, "declaration_digest"));
  u = use_case(id);
  EXPECT_EQ(text_of(u, "state"), "approved");
  ASSERT_EQ(u.at("approvals").size(), 2u);
  EXPECT_EQ(u.at("approvals")[0].value("outdated", false), true);
  EXPECT_EQ(u.at("approvals")[1].value("outdated", true), false);

  // Every step is in the audit log, and a signed checkpoint covers it.
  uint64_t audit_after = audit_size();
  HttpAnswer events =
      get(Who::kAdmin, "/api/v1/audit/events?from=" + std::to_string(audit_before) + "&limit=100");
  ASSERT_EQ(events.status, 200);
  std::vector<std::string> actions;
  json events_body = events.json();
  for (const json& e : events_body.at("items")) {
    actions.push_back(e.value("action", ""));
  }
  EXPECT_EQ(actions, (std::vector<std::string>{
                         "use_case.created", "use_case.submitted", "use_case.acknowledged",
                         "use_case.escalated", "use_case.approved", "approval.granted",
                         "use_case.edited", "use_case.approved", "approval.granted"}));
  EXPECT_EQ(audit_after, audit_before + actions.size());
  HttpAnswer checkpoint = get(Who::kPartner, "/api/v1/audit/checkpoint");
  ASSERT_EQ(checkpoint.status, 200);
  // C2SP tlog-checkpoint: origin line, then the tree size.
  size_t first = checkpoint.body.find('\n');
  EXPECT_EQ(checkpoint.body.substr(first + 1, checkpoint.body.find('\n', first + 1) - first - 1),
            std::to_string(audit_after));
}

TEST_P(ApiWorkflowTest, ThePolicyEscalatesAndTheContactSendsItBack) {
  json u = declare(escalate_declaration(), true);
  int64_t id = u.value("id", int64_t{0});
  EXPECT_EQ(text_of(u, "state"), "escalated");
  EXPECT_EQ(text_of(u, "outcome"), "written_approval");

  // Already escalated: escalating again is a conflict; asking for changes sends it to draft.
  EXPECT_EQ(act(Who::kContact, id, "escalate").status, 409);
  HttpAnswer back = act(Who::kContact, id, "request_changes", "Say which episode.");
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(text_of(back.json(), "state"), "draft");

  // A draft edit is not triaged; submitting it again is.
  json edit = {{"declaration", notify_declaration("Mood board instead of key art")},
               {"revision", back.json().at("revision")}};
  HttpAnswer edited = send(Who::kPartner, "PUT", uc_path(id, "/declaration"), edit);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(text_of(edited.json(), "state"), "draft");
  HttpAnswer resubmitted = act(Who::kPartner, id, "submit");
  ASSERT_EQ(resubmitted.status, 200) << resubmitted.body;
  EXPECT_EQ(text_of(resubmitted.json(), "state"), "notified");
  EXPECT_EQ(text_of(resubmitted.json(), "outcome"), "notify");

  // Legal may also refuse; a rejected case is closed to edits and withdrawal.
  HttpAnswer rejected = act(Who::kLegal, id, "reject", "Not for this season.");
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(text_of(rejected.json(), "state"), "rejected");
  EXPECT_EQ(act(Who::kPartner, id, "withdraw").status, 409);
  HttpAnswer late = send(Who::kPartner, "PUT", uc_path(id, "/declaration"),
                         json{{"declaration", notify_declaration("One more try")},
                              {"revision", rejected.json().at("revision")}});
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(event_kinds(use_case(id)),
            (std::vector<std::string>{"created", "submitted", "changes_requested", "edited",
                                      "submitted", "rejected"}));
}

TEST_P(ApiWorkflowTest, ThePartnerWithdraws) {
  HttpAnswer withdrawn = act(Who::kPartner, kDemoNotified, "withdraw", "Not needed.");
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(text_of(withdrawn.json(), "state"), "withdrawn");
  EXPECT_EQ(act(Who::kContact, kDemoNotified, "acknowledge").status, 409);
  EXPECT_EQ(act(Who::kPartner, kDemoNotified, "withdraw").status, 409);
}

TEST_P(ApiWorkflowTest, AStricterPackReTriagesOpenUseCasesAfterAPreview) {
  json fresh = declare(notify_declaration(), true);
  int64_t id = fresh.value("id", int64_t{0});
  ASSERT_EQ(text_of(fresh, "state"), "notified");
  std::string before = snapshot(id);

  // The preview names what would change and stores nothing.
  HttpAnswer preview =
      send(Who::kAdmin, "POST", "/api/v1/policy-packs/preview", json{{"text", strict_pack()}});
  ASSERT_EQ(preview.status, 200) << preview.body;
  json expected_changes = json::array();
  for (int64_t changed : {kDemoNotified, id}) {
    expected_changes.push_back(
        {{"use_case_id", changed}, {"from", "notify"}, {"to", "written_approval"}});
  }
  EXPECT_EQ(preview.json().at("changes"), expected_changes);
  expect_unchanged(before, id);
  EXPECT_EQ(send(Who::kLegal, "POST", "/api/v1/policy-packs/preview", json{{"text", strict_pack()}})
                .status,
            403);

  // Activation re-triages the same cases: open ones only (not approved, draft, closed).
  uint64_t audit_before = audit_size();
  HttpAnswer activated =
      send(Who::kAdmin, "POST", "/api/v1/policy-packs", json{{"text", strict_pack()}});
  ASSERT_EQ(activated.status, 201) << activated.body;
  EXPECT_EQ(activated.json().at("changes"), expected_changes);
  EXPECT_EQ(audit_size(), audit_before + 1 + expected_changes.size());
  json u = use_case(id);
  EXPECT_EQ(text_of(u, "state"), "escalated");
  EXPECT_EQ(text_of(u, "outcome"), "written_approval");
  EXPECT_EQ(u.value("revision", int64_t{0}), fresh.value("revision", int64_t{0}) + 1);
  const json& last = u.at("events").back();
  EXPECT_EQ(last.value("kind", ""), "retriaged");
  EXPECT_TRUE(last.at("actor_id").is_null());
  EXPECT_NE(last.value("note", "").find("strict-house-rules"), std::string::npos);
  EXPECT_EQ(text_of(use_case(kDemoApproved), "state"), "approved");
  EXPECT_EQ(text_of(use_case(kDemoDraft), "state"), "draft");

  HttpAnswer packs = get(Who::kPartner, "/api/v1/policy-packs");
  ASSERT_EQ(packs.status, 200);
  std::string active;
  json packs_body = packs.json();
  for (const json& p : packs_body.at("items")) {
    if (p.value("active", false)) {
      active += text_of(p, "name");
    }
  }
  EXPECT_EQ(active, "strict-house-rules");

  // New submissions are triaged under the active pack at once.
  EXPECT_EQ(text_of(declare(notify_declaration("Temp storyboard"), true), "state"), "escalated");

  // Going back to the default pack re-triages again.
  HttpAnswer restored =
      send(Who::kAdmin, "POST", "/api/v1/policy-packs", json{{"text", default_pack()}});
  ASSERT_EQ(restored.status, 201) << restored.body;
  EXPECT_EQ(text_of(use_case(id), "state"), "notified");
}

TEST_P(ApiWorkflowTest, AnInvalidPackIsRefusedWithItsLine) {
  std::string before = snapshot(kDemoNotified);
  std::string pack = strict_pack();
  pack.replace(pack.find("when: \"true\""), 12, "when: output.no_such_field == yes");
  for (const char* path : {"/api/v1/policy-packs/preview", "/api/v1/policy-packs"}) {
    HttpAnswer answer = send(Who::kAdmin, "POST", path, json{{"text", pack}});
    EXPECT_EQ(answer.status, 400) << path << " " << answer.body;
    EXPECT_EQ(text_of(answer.json(), "message").rfind("line 10, column ", 0), 0u) << answer.body;
  }
  expect_unchanged(before, kDemoNotified);
}

TEST_P(ApiWorkflowTest, SessionsAndTokens) {
  // A bearer token needs no CSRF header; /me tells who is signed in.
  HttpAnswer me = call(Who::kContact, "GET", "/api/v1/me", "", Auth::kToken);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json().at("user").value("email", ""), "contact@studio.example");
  EXPECT_FALSE(me.json().contains("csrf_token"));
  HttpAnswer comment = send(Who::kContact, "POST", uc_path(kDemoNotified, "/comments"),
                            json{{"body", "via a token"}}, Auth::kToken);
  EXPECT_EQ(comment.status, 201) << comment.body;
  // People are named where a use case shows them: the comment's author, each actor of its
  // history (null for the system).
  json commented = use_case(kDemoNotified);
  EXPECT_EQ(commented.at("comments").back().value("author_name", ""), "Cory Contact");
  for (const json& e : commented.at("events")) {
    EXPECT_EQ(e.at("actor_name").is_null(), e.at("actor_id").is_null()) << e.dump();
    if (!e.at("actor_name").is_null()) {
      EXPECT_FALSE(e.at("actor_name").get<std::string>().empty()) << e.dump();
    }
  }
  // A session's /me hands the CSRF token back (the UI reloads it).
  HttpAnswer session_me = get(Who::kContact, "/api/v1/me");
  ASSERT_EQ(session_me.status, 200);
  EXPECT_EQ(text_of(session_me.json(), "csrf_token"), credentials(Who::kContact).csrf);

  // Revoking a token ends it at once; another user's token is not found.
  HttpAnswer tokens = call(Who::kContact, "GET", "/api/v1/tokens");
  ASSERT_EQ(tokens.status, 200);
  ASSERT_EQ(tokens.json().at("items").size(), 1u);
  std::string token_path =
      "/api/v1/tokens/" + std::to_string(tokens.json().at("items")[0].value("id", int64_t{0}));
  EXPECT_EQ(call(Who::kPartner, "DELETE", token_path).status, 404);
  EXPECT_EQ(call(Who::kContact, "DELETE", token_path).status, 200);
  EXPECT_EQ(call(Who::kContact, "GET", "/api/v1/me", "", Auth::kToken).status, 401);

  // Signing out ends the session, and only that one.
  HttpAnswer out = call(Who::kContact, "DELETE", "/api/v1/session");
  EXPECT_EQ(out.status, 200) << out.body;
  EXPECT_NE(out.header("Set-Cookie").value_or("").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(get(Who::kContact, "/api/v1/me").status, 401);
  EXPECT_EQ(get(Who::kLegal, "/api/v1/me").status, 200);
}

TEST_P(ApiWorkflowTest, SignInSetsAStrictCookieAndWrongPasswordsAreThrottled) {
  json good = {{"email", "Legal@Studio.example"}, {"password", "clearcut-demo"}};
  HttpAnswer login = send(Who::kAnonymous, "POST", "/api/v1/session", good);
  ASSERT_EQ(login.status, 201) << login.body;
  std::string cookie = login.header("Set-Cookie").value_or("");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;

  // A wrong email and a wrong password read the same.
  HttpAnswer no_user = send(Who::kAnonymous, "POST", "/api/v1/session",
                            json{{"email", "nobody@studio.example"}, {"password", "whatever1"}});
  HttpAnswer bad_password = send(Who::kAnonymous, "POST", "/api/v1/session",
                                 json{{"email", "legal@studio.example"}, {"password", "wrong!!!"}});
  EXPECT_EQ(no_user.status, 401);
  EXPECT_EQ(bad_password.status, 401);
  EXPECT_EQ(no_user.body, bad_password.body);

  // Five failures from one address lock it: even the right password is refused for now.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(send(Who::kAnonymous, "POST", "/api/v1/session",
                   json{{"email", "legal@studio.example"}, {"password", "wrong!!!"}})
                  .status,
              401);
  }
  HttpAnswer locked = send(Who::kAnonymous, "POST", "/api/v1/session", good);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(text_of(locked.json(), "code"), "resource_exhausted");
  // Sessions already open are unaffected.
  EXPECT_EQ(get(Who::kLegal, "/api/v1/me").status, 200);
}

// The case page is told what its reader may do (issue #17): the UI draws those buttons only.
TEST_P(ApiWorkflowTest, ACaseSaysWhatItsReaderMayDoNow) {
  json u = declare(escalate_declaration("Key art with allowed actions"), true);
  int64_t id = u.value("id", int64_t{0});
  auto allowed = [&](Who who) {
    HttpAnswer answer = get(who, uc_path(id, ""));
    EXPECT_EQ(answer.status, 200) << answer.body;
    const json body = answer.json();
    std::vector<std::string> out;
    for (const json& a : body.at("allowed_actions")) {
      out.push_back(a.get<std::string>());
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(allowed(Who::kPartner), (V{"edit", "withdraw"}));
  EXPECT_EQ(allowed(Who::kContact), (V{"acknowledge", "request_changes"}));
  EXPECT_EQ(allowed(Who::kLegal), (V{"reject", "approve"}));
  EXPECT_EQ(allowed(Who::kAdmin), V{});
  json current = get(Who::kPartner, uc_path(id, "")).json();
  HttpAnswer withdrawn = send(Who::kPartner, "POST", uc_path(id, "/transitions"),
                              json{{"action", "withdraw"}, {"revision", current.at("revision")}});
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(allowed(Who::kPartner), V{});
  EXPECT_EQ(allowed(Who::kLegal), V{});
}

TEST_P(ApiWorkflowTest, ConsentsAreRecordedAndRevokedByLegal) {
  json consent = {{"performer", "Lee Jung-jae"},
                  {"kind", "replica_use"},
                  {"scope", "Voice replica for ADR in S3E4 only"},
                  {"document_sha256", std::string(64, 'a')},
                  {"expires_at", "2027-01-01T00:00:00Z"},
                  {"use_case_id", kDemoApproved}};
  HttpAnswer recorded = send(Who::kLegal, "POST", "/api/v1/productions/1/consents", consent);
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  int64_t consent_id = recorded.json().value("id", int64_t{0});
  HttpAnswer listed = get(Who::kPartner, "/api/v1/productions/1/consents");
  ASSERT_EQ(listed.status, 200);
  // The demo's synthetic voice has its performer's consent on file already.
  ASSERT_EQ(listed.json().at("items").size(), 2u);
  EXPECT_EQ(listed.json().at("items")[1].value("performer", ""), "Lee Jung-jae");
  std::string revoke = "/api/v1/consents/" + std::to_string(consent_id) + "/revoke";
  HttpAnswer revoked = call(Who::kLegal, "POST", revoke);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_FALSE(revoked.json().at("revoked_at").is_null());
  EXPECT_EQ(call(Who::kLegal, "POST", revoke).status, 409);
}

// The checklist gates the written approval (issue #14), driven as legal and the contact would.
TEST_P(ApiWorkflowTest, TheChecklistGatesTheWrittenApproval) {
  std::string replica = notify_declaration("Synthetic voice of the front man for pick-ups");
  replica.replace(replica.find("likeness: no, digital_replica: none"),
                  std::string("likeness: no, digital_replica: none").size(),
                  "likeness: yes, digital_replica: create");
  json u = declare(replica, true);
  int64_t id = u.value("id", int64_t{0});
  ASSERT_EQ(text_of(u, "outcome"), "written_approval");
  auto item_named = [&](const std::string& name) {
    HttpAnswer checklist = get(Who::kPartner, uc_path(id, "/checklist"));
    EXPECT_EQ(checklist.status, 200) << checklist.body;
    json body = checklist.json();
    for (const json& item : body.at("items")) {
      if (item.value("name", "") == name) {
        return item;
      }
    }
    ADD_FAILURE() << "no checklist item " << name << " in " << checklist.body;
    return json::object();
  };
  json consent_item = item_named("talent_consent");
  EXPECT_EQ(text_of(consent_item, "state"), "open");
  EXPECT_EQ(text_of(consent_item, "met_by"), "consent");
  EXPECT_FALSE(consent_item.value("conditional", true));

  // Unsigned: 400 naming the field. Signed, with no consent on file: 409 listing the item.
  json signed_request = approval_body(u.at("revision"), "Pick-ups only");
  json unsigned_request = signed_request;
  unsigned_request.erase("signer_name");
  HttpAnswer unsigned_answer =
      send(Who::kLegal, "POST", uc_path(id, "/approvals"), unsigned_request);
  EXPECT_EQ(unsigned_answer.status, 400);
  EXPECT_EQ(text_of(unsigned_answer.json(), "field"), "signer_name");
  json no_reason = signed_request;
  no_reason.erase("reason");
  HttpAnswer no_reason_answer = send(Who::kLegal, "POST", uc_path(id, "/approvals"), no_reason);
  EXPECT_EQ(no_reason_answer.status, 400);
  EXPECT_EQ(text_of(no_reason_answer.json(), "field"), "reason");
  HttpAnswer refused = send(Who::kLegal, "POST", uc_path(id, "/approvals"), signed_request);
  ASSERT_EQ(refused.status, 409) << refused.body;
  json refusal = refused.json();
  EXPECT_EQ(text_of(refusal, "field"), "checklist");
  bool lists_consent = false;
  for (const json& item : refusal.at("open_items")) {
    lists_consent = lists_consent || item.value("name", "") == "talent_consent";
  }
  EXPECT_TRUE(lists_consent) << refused.body;

  // Legal cannot waive the consent a firm rule requires, nor waive anything without a reason.
  std::string waive = uc_path(id, "/checklist/" + std::to_string(consent_item.value("id", 0)));
  EXPECT_EQ(send(Who::kLegal, "POST", waive + "/waive", json{{"reason", "trust me"}}).status, 409);
  json guild = item_named("guild_compliance");
  std::string guild_path = uc_path(id, "/checklist/" + std::to_string(guild.value("id", 0)));
  EXPECT_EQ(send(Who::kLegal, "POST", guild_path + "/waive", json::object()).status, 400);
  EXPECT_EQ(send(Who::kPartner, "POST", guild_path + "/waive", json{{"reason", "r"}}).status, 403);
  HttpAnswer waived = send(Who::kLegal, "POST", guild_path + "/waive",
                           json{{"reason", "Non-union voice double; no guild notice due"}});
  ASSERT_EQ(waived.status, 200) << waived.body;
  EXPECT_EQ(text_of(waived.json(), "state"), "waived");
  EXPECT_EQ(text_of(waived.json(), "reason"), "Non-union voice double; no guild notice due");

  // An expired consent, a revoked one and one of another kind do not cover the replica.
  auto record = [&](const char* kind, const char* expires_at) {
    json consent = {{"performer", "Lee Jung-jae"},
                    {"kind", kind},
                    {"scope", "Voice replica, pick-ups"},
                    {"document_sha256", std::string(64, 'a')},
                    {"use_case_id", id}};
    if (*expires_at != '\0') {
      consent["expires_at"] = expires_at;
    }
    HttpAnswer answer = send(Who::kLegal, "POST", "/api/v1/productions/1/consents", consent);
    EXPECT_EQ(answer.status, 201) << answer.body;
    return answer.json().value("id", int64_t{0});
  };
  record("replica_creation", "2020-01-01T00:00:00Z");
  record("alteration", "");
  int64_t revoked = record("replica_creation", "");
  ASSERT_EQ(
      call(Who::kLegal, "POST", "/api/v1/consents/" + std::to_string(revoked) + "/revoke").status,
      200);
  EXPECT_EQ(text_of(item_named("talent_consent"), "state"), "open");

  // A covering consent linked to the use case meets it; the rest is met as the studio would.
  int64_t covering = record("replica_creation", "2030-01-01T00:00:00Z");
  json met = item_named("talent_consent");
  EXPECT_EQ(text_of(met, "state"), "met");
  EXPECT_EQ(met.at("evidence").at("consent_ids"), json::array({covering}));
  settle_checklist(id);
  signed_request["scope"] = {{"final_use", true}};
  HttpAnswer approved = send(Who::kLegal, "POST", uc_path(id, "/approvals"), signed_request);
  ASSERT_EQ(approved.status, 201) << approved.body;
  EXPECT_EQ(text_of(approved.json(), "signer_name"), "Lee Legal");
  EXPECT_EQ(text_of(use_case(id), "state"), "approved");

  // An output cleared under the approval goes back to provisional when the consent is revoked,
  // and the approval is suspended: the use case is back with legal, the history says why.
  HttpAnswer output = send(Who::kPartner, "POST", "/api/v1/productions/1/assets",
                           json{{"use_case_id", id}, {"sha256", std::string(64, '9')}});
  ASSERT_EQ(output.status, 201) << output.body;
  std::string status = "/api/v1/assets/" + std::to_string(output.json().value("id", 0)) + "/status";
  ASSERT_EQ(send(Who::kLegal, "POST", status, json{{"status", "cleared"}}).status, 200);
  ASSERT_EQ(
      call(Who::kLegal, "POST", "/api/v1/consents/" + std::to_string(covering) + "/revoke").status,
      200);
  json after = use_case(id);
  EXPECT_EQ(text_of(after, "state"), "escalated");
  EXPECT_TRUE(after.at("approvals")[0].value("outdated", false));
  EXPECT_EQ(event_kinds(after).back(), "suspended");
  EXPECT_NE(after.at("events").back().value("note", "").find("revoked"), std::string::npos);
  HttpAnswer asset =
      get(Who::kPartner, "/api/v1/assets/" + std::to_string(output.json().value("id", 0)));
  EXPECT_EQ(text_of(asset.json(), "status"), "provisional") << asset.body;
}

// A tool whose review is older than the pack's 12 months vouches for nothing (issue #14): its
// tool items stay open, and the approval is refused naming the stale review, until an admin
// records a new review in the registry.
TEST_P(ApiWorkflowTest, AStaleToolReviewKeepsTheToolItemsOpen) {
  json tool = {{"name", "Old generator"},       {"vendor", "Example"},
               {"license_tier", "enterprise"},  {"reviewed_on", "2020-01-10"},
               {"enterprise_agreement", "yes"}, {"trains_on_data", "no"},
               {"retains_data", "no"},          {"terms_reviewed", "yes"}};
  ASSERT_EQ(send(Who::kAdmin, "PUT", "/api/v1/tools/old-gen", tool).status, 200);
  // Training data and indemnity round-trip as their words; other words are refused.
  tool["training_data"] = "mixed";
  tool["indemnified"] = "unknown";
  HttpAnswer saved = send(Who::kAdmin, "PUT", "/api/v1/tools/old-gen", tool);
  ASSERT_EQ(saved.status, 200) << saved.body;
  bool listed = false;
  json tools = get(Who::kPartner, "/api/v1/tools").json();
  for (const json& t : tools.at("items")) {
    if (t.value("id", "") == "old-gen") {
      listed = true;
      EXPECT_EQ(text_of(t, "training_data"), "mixed");
      EXPECT_EQ(text_of(t, "indemnified"), "unknown");
      EXPECT_EQ(text_of(t, "reviewed_on"), "2020-01-10");
    }
  }
  EXPECT_TRUE(listed);
  json bad_word = tool;
  bad_word["indemnified"] = "maybe";
  HttpAnswer refused_word = send(Who::kAdmin, "PUT", "/api/v1/tools/old-gen", bad_word);
  EXPECT_EQ(refused_word.status, 400);
  EXPECT_EQ(text_of(refused_word.json(), "field"), "indemnified");
  json not_a_date = tool;
  not_a_date["reviewed_on"] = "10 Jan 2020";
  HttpAnswer bad = send(Who::kAdmin, "PUT", "/api/v1/tools/old-gen", not_a_date);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(text_of(bad.json(), "field"), "reviewed_on");
  std::string declaration = escalate_declaration("Key visual from the old generator");
  declaration.replace(declaration.find("tool: imagegen-pro"),
                      std::string("tool: imagegen-pro").size(), "tool: old-gen");
  json u = declare(declaration, true);
  int64_t id = u.value("id", int64_t{0});
  std::string checklist_path = uc_path(id, "/checklist");
  auto tool_item = [&]() {
    json body = get(Who::kLegal, checklist_path).json();
    for (const json& item : body.at("items")) {
      if (item.value("name", "") == "review_tool_terms") {
        return item;
      }
    }
    ADD_FAILURE() << "no review_tool_terms item";
    return json::object();
  };
  const std::string stale =
      "pipeline[0] (old-gen): tool 'old-gen' counts as not reviewed: reviewed_on 2020-01-10 is "
      "older than the pack's 12-month review period";
  json item = tool_item();
  EXPECT_EQ(text_of(item, "met_by"), "registry");
  EXPECT_EQ(text_of(item, "state"), "open");
  EXPECT_EQ(text_of(item, "note"), stale);
  std::string item_path = checklist_path + "/" + std::to_string(item.value("id", int64_t{0}));
  EXPECT_EQ(
      send(Who::kContact, "POST", item_path + "/evidence", json{{"text", "Read them"}}).status,
      409);

  // Everything else settled, the stale review alone keeps the approval back.
  json checklist = get(Who::kLegal, checklist_path).json();
  for (const json& open : checklist.at("items")) {
    std::string met_by = open.value("met_by", "");
    if (open.value("state", "") == "open" && met_by != "registry") {
      std::string path = checklist_path + "/" + std::to_string(open.value("id", int64_t{0}));
      HttpAnswer settled =
          met_by == "statement"
              ? send(Who::kContact, "POST", path + "/evidence", json{{"text", "On file"}})
              : send(Who::kLegal, "POST", path + "/waive", json{{"reason", "Settled on the call"}});
      ASSERT_EQ(settled.status, 200) << open.dump() << settled.body;
    }
  }
  json request = approval_body(use_case(id).at("revision"), "");
  HttpAnswer refused = send(Who::kLegal, "POST", uc_path(id, "/approvals"), request);
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(text_of(refused.json(), "message").find(stale), std::string::npos) << refused.body;
  json refusal = refused.json();
  for (const json& open : refusal.at("open_items")) {
    EXPECT_EQ(text_of(open, "met_by"), "registry") << refused.body;
  }

  // A new review in date meets the items from the registry, with the review as evidence.
  tool["reviewed_on"] = clearance::format_rfc3339(std::chrono::system_clock::now()).substr(0, 10);
  ASSERT_EQ(send(Who::kAdmin, "PUT", "/api/v1/tools/old-gen", tool).status, 200);
  item = tool_item();
  EXPECT_EQ(text_of(item, "state"), "met") << item.dump();
  EXPECT_EQ(item.at("evidence").at("tools")[0].value("reviewed_on", ""),
            text_of(tool, "reviewed_on"));
  HttpAnswer approved = send(Who::kLegal, "POST", uc_path(id, "/approvals"), request);
  EXPECT_EQ(approved.status, 201) << approved.body;
}

TEST_P(ApiWorkflowTest, ConcurrentActionsOnOneRevisionLetExactlyOneThrough) {
  json u = declare(notify_declaration(), true);
  int64_t id = u.value("id", int64_t{0});
  json body = {{"action", "acknowledge"}, {"revision", u.at("revision")}};
  json approval = approval_body(u.at("revision"), "race");
  std::atomic<int> acknowledged{0};
  std::atomic<int> approved{0};
  std::atomic<int> conflicts{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      bool approve = i % 2 == 1;
      HttpAnswer answer = approve ? send(Who::kLegal, "POST", uc_path(id, "/approvals"), approval)
                                  : send(Who::kContact, "POST", uc_path(id, "/transitions"), body);
      if (answer.status == 200 || answer.status == 201) {
        ++(approve ? approved : acknowledged);
      } else if (answer.status == 409) {
        ++conflicts;
      } else {
        ++other;
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(acknowledged + approved, 1);
  EXPECT_EQ(conflicts, 7);
  EXPECT_EQ(other, 0);
  json after = use_case(id);
  EXPECT_EQ(after.value("revision", int64_t{0}), u.value("revision", int64_t{0}) + 1);
  EXPECT_EQ(after.at("approvals").size(), static_cast<size_t>(approved.load()));
}

TEST_P(ApiWorkflowTest, ConcurrentWritesKeepTheAuditLogIntact) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(declare(notify_declaration("Concurrent " + std::to_string(i)), true)
                      .value("id", int64_t{0}));
  }
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < 10; ++i) {
        Who who = (i % 2 == 0) ? Who::kPartner : Who::kContact;
        HttpAnswer answer = send(who, "POST", uc_path(ids[static_cast<size_t>(w)], "/comments"),
                                 json{{"body", "comment " + std::to_string(i)}}, Auth::kToken);
        created += answer.status == 201 ? 1 : 0;
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(created, 40);
  ASSERT_EQ(get(Who::kAdmin, "/api/v1/audit/checkpoint").status, 200);
  uint64_t size = audit_size();

  // The log as the database holds it matches the checkpoint the service just signed.
  auto tx = service().store().begin();
  ASSERT_TRUE(tx.has_value()) << tx.error().to_string();
  auto records = (*tx)->audit().list(0, 100000);
  ASSERT_TRUE(records.has_value()) << records.error().to_string();
  std::vector<audit::AuditEvent> events;
  std::vector<audit::Hash> leaves;
  for (const auto& r : *records) {
    events.push_back(r.event);
    auto bytes = base::from_hex(r.leaf_hash);
    ASSERT_TRUE(bytes && bytes->size() == 32);
    audit::Hash leaf{};
    std::copy(bytes->begin(), bytes->end(), leaf.begin());
    leaves.push_back(leaf);
  }
  auto checkpoints = (*tx)->audit().list_checkpoints();
  ASSERT_TRUE(checkpoints.has_value());
  std::vector<std::string> notes;
  for (const auto& c : *checkpoints) {
    notes.push_back(c.note);
  }
  audit::VerifyLogOptions options;
  options.stored_leaf_hashes = leaves;
  auto verified = audit::verify_log(events, notes, service().audit().verifier(), options);
  ASSERT_TRUE(verified.has_value()) << verified.error().to_string();
  EXPECT_TRUE(verified->ok()) << verified->first()->message;
  EXPECT_EQ(verified->verified_size, events.size());
  EXPECT_EQ(events.size(), size);
}

// The declaration form's triage (issue #17): with "form": true, POST /assess applies the answers
// that follow from the partner's and says which questions are moot, open and implied, and what
// would lower the result; GET /schema words the form in the active pack's words, so a studio's
// own pack words it.
TEST_P(ApiWorkflowTest, TheFormAsksWhatMattersInThePacksWords) {
  json declaration = {{"schema", "clearcut/v1"},
                      {"summary", "Mood board"},
                      {"purpose", "ideation"},
                      {"talent", {{"likeness", "no"}}}};
  HttpAnswer plain =
      send(Who::kPartner, "POST", "/api/v1/assess", json{{"declaration", declaration}});
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_FALSE(plain.json().contains("form")) << "the decision's contract is unchanged";

  HttpAnswer asked = send(Who::kPartner, "POST", "/api/v1/assess",
                          json{{"declaration", declaration}, {"form", true}});
  ASSERT_EQ(asked.status, 200) << asked.body;
  json body = asked.json();
  EXPECT_EQ(text_of(body, "outcome"), "escalate");
  const json& form = body.at("form");
  EXPECT_EQ(form.at("implied").value("talent.digital_replica", ""), "none");
  auto contains = [](const json& list, const char* item) {
    return std::find(list.begin(), list.end(), item) != list.end();
  };
  EXPECT_TRUE(contains(form.at("moot"), "talent.digital_replica"));
  EXPECT_TRUE(contains(form.at("open"), "principles.p1_no_infringement"));
  EXPECT_FALSE(contains(form.at("open"), "talent.digital_replica"));
  // The decision is for the declaration as the form writes it: no replica rule waits.
  for (const json& rule : body.at("rules")) {
    EXPECT_NE(text_of(rule, "id"), "TAL-1") << asked.body;
  }
  // The same text form reads the same.
  HttpAnswer text = send(Who::kPartner, "POST", "/api/v1/assess",
                         json{{"declaration", declaration.dump()}, {"form", true}});
  ASSERT_EQ(text.status, 200) << text.body;
  EXPECT_EQ(text.json().at("form"), form);
  HttpAnswer bad = send(Who::kPartner, "POST", "/api/v1/assess",
                        json{{"declaration", declaration}, {"form", "yes"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(text_of(bad.json(), "field"), "form");

  // The wording is the pack's.
  json schema = get(Who::kPartner, "/api/v1/schema").json();
  EXPECT_EQ(schema.at("policy").value("version", ""), "2026.12.2");
  EXPECT_EQ(schema.at("actions").value("rights_clearance", ""),
            "Clear the rights: attach the licence or clearance.");
  auto question = [](const json& s, const char* path) {
    for (const json& f : s.at("fields")) {
      if (text_of(f, "path") == path) {
        return text_of(f, "question");
      }
    }
    return std::string("(no field)");
  };
  EXPECT_EQ(question(schema, "talent.likeness"),
            "Is a real performer's face, body or voice involved?");
  std::string pack = strict_pack() +
                     "questions:\n  talent.likeness: {ask: Does a cast member appear or speak?}\n"
                     "actions: {legal_review: Business affairs signs off.}\n";
  ASSERT_EQ(send(Who::kAdmin, "POST", "/api/v1/policy-packs", json{{"text", pack}}).status, 201);
  json studio = get(Who::kPartner, "/api/v1/schema").json();
  EXPECT_EQ(question(studio, "talent.likeness"), "Does a cast member appear or speak?");
  EXPECT_EQ(question(studio, "talent.digital_replica"), "");  // the studio's pack does not word it
  EXPECT_EQ(studio.at("actions"), (json{{"legal_review", "Business affairs signs off."}}));
}

INSTANTIATE_TEST_SUITE_P(api, ApiWorkflowTest,
                         testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace clearcut::apitest
