#include "clearcut/clearance/clearance_service.h"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/base/file.h"
#include "clearcut/base/hex.h"
#include "clearcut/clearance/approval_certificate.h"
#include "clearcut/clearance/checklist.h"
#include "clearcut/clearance/notice_sweep.h"
#include "clearcut/clearance/notification_service.h"
#include "clearcut/clearance/notifications.h"
#include "clearcut/clearance/state_replay.h"
#include "clearcut/clearance/test_clock.h"
#include "clearcut/crypto/sha256.h"
#include "clearcut/domain/validation.h"

// The use-case state machine (POLICY.md §5) against an in-memory SQLite store: every move
// from every state, who may make it, and what each records (a history line and an audit event)
// or, when refused, that nothing changed.
namespace clearcut::clearance {
namespace {

using domain::Role;
using domain::UseCaseEventKind;
using domain::UseCaseState;
using Code = base::ErrorCode;

const std::string kSource = CLEARCUT_SOURCE_DIR;

std::string read(const std::string& path) {
  auto text = base::read_file(kSource + "/" + path);
  EXPECT_TRUE(text.has_value()) << path;
  return text.has_value() ? *text : std::string();
}

// What a call did to a use case: the state it left, or the error it refused with.
struct MoveResult {
  std::optional<UseCaseState> state;
  std::optional<Code> error;
};

// The moves: transition()'s actions (named as parse_use_case_action reads them), approve() and
// an edit of the declaration.
enum class Move {
  kSubmit,
  kWithdraw,
  kAcknowledge,
  kRequestChanges,
  kEscalate,
  kReject,
  kApprove,
  kEdit,
};

const char* move_name(Move move) {
  static constexpr const char* kNames[] = {"submit",   "withdraw", "acknowledge", "request_changes",
                                           "escalate", "reject",   "approve",     "edit"};
  return kNames[static_cast<int>(move)];
}

class ClearanceServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_store("sqlite::memory:").value();
    audit_ = std::make_unique<AuditLog>(audit::NoteSigner::generate("clearcut.test/audit").value());
    policy_ = std::make_unique<PolicyCache>(*store_, std::chrono::milliseconds(0));
    service_ = std::make_unique<ClearanceService>(*store_, *audit_, *policy_, clock_);
    auto tx = store_->begin().value();
    int64_t org = tx->accounts().create_organization({0, "Studio", kT0}).value();
    production_ = tx->accounts().create_production({0, org, "squid-game-s3", "S3", kT0}).value();
    other_production_ = tx->accounts().create_production({0, org, "other", "Other", kT0}).value();
    partner_ = user(*tx, org, "partner", {{production_, Role::kPartner}});
    contact_ = user(*tx, org, "contact", {{production_, Role::kContact}});
    legal_ = user(*tx, org, "legal", {{production_, Role::kLegal}});
    // Holds every role: may do anything but decide on what they filed themselves.
    all_roles_ = user(*tx, org, "all",
                      {{production_, Role::kPartner},
                       {production_, Role::kContact},
                       {production_, Role::kLegal}});
    outsider_ = user(*tx, org, "outsider", {{other_production_, Role::kLegal}});
    admin_ = user(*tx, org, "admin", {});
    admin_.user.admin = true;
    ASSERT_TRUE(tx->accounts().update_user(admin_.user).has_value());
    ASSERT_TRUE(tx->commit().has_value());
    ASSERT_TRUE(
        service_->activate_policy_pack(admin_, read("policies/netflix-genai.yaml")).has_value());
    domain::ToolRegistry tools =
        take(domain::parse_tool_registry(read("policies/tools.yaml"), "tools.yaml"));
    for (const domain::Tool& tool : tools.tools()) {
      ASSERT_TRUE(service_->upsert_tool(admin_, tool).has_value());
    }
  }

  Actor user(store::Transaction& tx, int64_t org, const std::string& name,
             std::vector<std::pair<int64_t, Role>> roles) {
    Actor actor;
    actor.user.organization_id = org;
    actor.user.email = name + "@studio.example";
    actor.user.name = name;
    actor.user.password_hash = "$argon2id$x";
    actor.user.created_at = kT0;
    actor.user.id = tx.accounts().create_user(actor.user).value();
    for (const auto& [production, role] : roles) {
      domain::Membership m{actor.user.id, production, role};
      EXPECT_TRUE(tx.accounts().set_membership(m).has_value());
      actor.memberships.push_back(m);
    }
    return actor;
  }

  // A use case filed by `by` and brought into `state`: a mood board (notify) or, for
  // escalated, approved and rejected, the second doll (written approval).
  domain::UseCase in_state(UseCaseState state, const Actor* by = nullptr) {
    const Actor& partner = by != nullptr ? *by : partner_;
    bool escalates = state == UseCaseState::kEscalated || state == UseCaseState::kApproved ||
                     state == UseCaseState::kRejected;
    bool submit = state != UseCaseState::kDraft && state != UseCaseState::kWithdrawn;
    domain::UseCase u = take(
        service_->create_use_case(partner, production_, escalates ? doll_ : mood_board_, submit));
    if (escalates) {
      dolls_.insert(u.id);
      if (submit) {
        settle_checklist(u.id);
      }
    }
    EXPECT_EQ(u.state, submit ? (escalates ? UseCaseState::kEscalated : UseCaseState::kNotified)
                              : UseCaseState::kDraft);
    if (state == UseCaseState::kApproved) {
      u = current(u.id);
      EXPECT_TRUE(service_->approve(legal_, u.id, u.revision, signed_request()).has_value());
    } else if (state == UseCaseState::kRejected) {
      u = service_->transition(legal_, u.id, u.revision, UseCaseAction::kReject, "").value();
    } else if (state == UseCaseState::kWithdrawn) {
      u = service_->transition(partner, u.id, u.revision, UseCaseAction::kWithdraw, "").value();
    }
    u = current(u.id);
    EXPECT_EQ(u.state, state);
    return u;
  }

  domain::UseCase current(int64_t id) { return service_->get_use_case(admin_, id)->use_case; }

  // What legal signs with, besides the conditions.
  static ApprovalRequest signed_request() {
    ApprovalRequest request;
    request.signer_name = "Lee Gal";
    request.reason = "Reviewed against the pack";
    return request;
  }

  // Meets every open item of the use case's checklist as the studio would: the contact records
  // a statement for each action, legal waives each question and each tool item the registry
  // leaves open.
  void settle_checklist(int64_t id) {
    for (const domain::ChecklistItem& item : take(service_->get_checklist(admin_, id))) {
      if (item.state != domain::ChecklistItemState::kOpen) {
        continue;
      }
      bool waive = item.kind == domain::ChecklistItemKind::kQuestion ||
                   checklist_evidence_kind(item.name) == EvidenceKind::kRegistry;
      auto settled = waive
                         ? service_->waive_checklist_item(legal_, id, item.id, "Settled in review")
                         : service_->record_evidence(contact_, id, item.id,
                                                     {"Statement on file", std::string()});
      EXPECT_TRUE(settled.has_value()) << item.name << ": " << settled.error().to_string();
    }
  }

  MoveResult make(Move move, const Actor& actor, const domain::UseCase& u,
                  const std::string& note = "") {
    if (move == Move::kApprove) {
      ApprovalRequest request = signed_request();
      request.conditions = note;
      auto approval = service_->approve(actor, u.id, u.revision, request);
      if (!approval) {
        return {std::nullopt, approval.error().code()};
      }
      return {current(u.id).state, std::nullopt};
    }
    // The other moves are transition()'s actions, by the same names; an edit sends the other
    // example, so that the declaration changes.
    std::optional<UseCaseAction> action = parse_use_case_action(move_name(move));
    base::Result<domain::UseCase> after =
        action ? service_->transition(actor, u.id, u.revision, *action, note)
               : service_->update_declaration(actor, u.id, u.revision,
                                              dolls_.contains(u.id) ? mood_board_ : doll_);
    if (!after) {
      return {std::nullopt, after.error().code()};
    }
    return {after->state, std::nullopt};
  }

  uint64_t audit_size() {
    auto tx = store_->begin().value();
    return tx->audit().size().value();
  }
  // The events appended since the log had `size` events, but those named `except`.
  std::vector<audit::AuditEvent> audit_since(uint64_t size, const std::string& except) {
    auto tx = store_->begin().value();
    std::vector<audit::AuditEvent> out;
    uint64_t now = tx->audit().size().value();
    std::vector<store::AuditRecord> records = take(tx->audit().list(size, now - size));
    for (const store::AuditRecord& entry : records) {
      if (entry.event.action != except) {
        out.push_back(entry.event);
      }
    }
    return out;
  }
  audit::AuditEvent last_audit_event() {
    auto tx = store_->begin().value();
    uint64_t size = tx->audit().size().value();
    return tx->audit().list(size - 1, 1).value().at(0).event;
  }
  std::vector<domain::UseCaseEvent> history(int64_t id) {
    return service_->get_use_case(admin_, id)->events;
  }

  static constexpr const char* kT0 = "2026-01-01T00:00:00Z";
  TestClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<PolicyCache> policy_;
  std::unique_ptr<ClearanceService> service_;
  int64_t production_ = 0;
  int64_t other_production_ = 0;
  Actor partner_, contact_, legal_, all_roles_, outsider_, admin_;
  const std::string mood_board_ = read("examples/mood-board.yaml");
  const std::string doll_ = read("examples/second-doll.yaml");
  std::set<int64_t> dolls_;  // use cases filed with the second doll
};

// Every move from every state a use case rests in (submitted is never stored), made by the role
// that may make it: where it lands, or kFailedPrecondition. An edit re-triages a submitted
// declaration: the mood board becomes the second doll (escalated) and the doll the mood board
// (notified).
TEST_F(ClearanceServiceTest, EveryMoveFromEveryState) {
  using S = UseCaseState;
  constexpr std::optional<S> kRefused;
  const std::vector<S> states = {S::kDraft,    S::kNotified, S::kEscalated,
                                 S::kApproved, S::kRejected, S::kWithdrawn};
  struct Row {
    Move move;
    std::vector<std::optional<S>> to;  // per state above
  };
  const Row rows[] = {
      {Move::kSubmit, {S::kNotified, kRefused, kRefused, kRefused, kRefused, kRefused}},
      {Move::kWithdraw,
       {S::kWithdrawn, S::kWithdrawn, S::kWithdrawn, S::kWithdrawn, kRefused, kRefused}},
      {Move::kAcknowledge, {kRefused, S::kNotified, S::kEscalated, kRefused, kRefused, kRefused}},
      {Move::kRequestChanges, {kRefused, S::kDraft, S::kDraft, kRefused, kRefused, kRefused}},
      {Move::kEscalate, {kRefused, S::kEscalated, kRefused, kRefused, kRefused, kRefused}},
      {Move::kReject, {kRefused, S::kRejected, S::kRejected, kRefused, kRefused, kRefused}},
      {Move::kApprove, {kRefused, S::kApproved, S::kApproved, kRefused, kRefused, kRefused}},
      {Move::kEdit, {S::kDraft, S::kEscalated, S::kNotified, S::kNotified, kRefused, kRefused}},
  };
  auto actor_for = [&](Move move) -> const Actor& {
    switch (move) {
      case Move::kAcknowledge:
      case Move::kRequestChanges:
      case Move::kEscalate:
        return contact_;
      case Move::kReject:
      case Move::kApprove:
        return legal_;
      default:
        return partner_;
    }
  };
  for (const Row& row : rows) {
    for (size_t i = 0; i < states.size(); ++i) {
      SCOPED_TRACE(std::string(move_name(row.move)) + " from " +
                   std::string(domain::use_case_state_name(states[i])));
      domain::UseCase before = in_state(states[i]);
      size_t events = history(before.id).size();
      uint64_t audited = audit_size();
      // The page offers the move exactly when the service makes it.
      std::vector<std::string> offered = allowed_actions(actor_for(row.move), before);
      EXPECT_EQ(std::count(offered.begin(), offered.end(), move_name(row.move)), row.to[i] ? 1 : 0);
      MoveResult got = make(row.move, actor_for(row.move), before, "why");
      domain::UseCase after = current(before.id);
      if (!row.to[i]) {
        EXPECT_EQ(got.error, Code::kFailedPrecondition);
        EXPECT_EQ(after.state, before.state);
        EXPECT_EQ(after.revision, before.revision);
        EXPECT_EQ(history(before.id).size(), events);
        EXPECT_EQ(audit_size(), audited);
        continue;
      }
      ASSERT_FALSE(got.error) << static_cast<int>(*got.error);
      EXPECT_EQ(got.state, row.to[i]);
      EXPECT_EQ(after.state, row.to[i]);
      EXPECT_EQ(after.revision, before.revision + 1);
      // One history line, from the state it was in to the one it is in, by the actor.
      std::vector<domain::UseCaseEvent> lines = history(before.id);
      ASSERT_EQ(lines.size(), events + 1);
      const domain::UseCaseEvent& line = lines.back();
      EXPECT_EQ(line.from_state, domain::use_case_state_name(before.state));
      EXPECT_EQ(line.to_state, domain::use_case_state_name(after.state));
      EXPECT_EQ(line.actor_id, actor_for(row.move).user.id);
      // Its audit event, and for an approval the approval's own after it (and, for a move
      // that re-triages, the checklist it derives).
      const uint64_t expected_events = row.move == Move::kApprove ? 2 : 1;
      std::vector<audit::AuditEvent> recorded = audit_since(audited, "checklist.derived");
      EXPECT_EQ(recorded.size(), expected_events);
      ASSERT_FALSE(recorded.empty());
      audit::AuditEvent last = recorded.back();
      EXPECT_EQ(last.actor, actor_for(row.move).audit_name());
      if (row.move == Move::kApprove) {
        EXPECT_EQ(last.action, "approval.granted");
      } else {
        EXPECT_EQ(last.action,
                  "use_case." + std::string(domain::use_case_event_kind_name(line.kind)));
        EXPECT_EQ(last.subject_id, std::to_string(before.id));
      }
    }
  }
}

// Which history line each move writes.
TEST_F(ClearanceServiceTest, EachMoveNamesItsHistoryLine) {
  using K = UseCaseEventKind;
  using S = UseCaseState;
  const std::tuple<Move, S, const Actor*, K> cases[] = {
      {Move::kSubmit, S::kDraft, &partner_, K::kSubmitted},
      {Move::kWithdraw, S::kNotified, &partner_, K::kWithdrawn},
      {Move::kAcknowledge, S::kNotified, &contact_, K::kAcknowledged},
      {Move::kRequestChanges, S::kEscalated, &contact_, K::kChangesRequested},
      {Move::kEscalate, S::kNotified, &contact_, K::kEscalated},
      {Move::kReject, S::kEscalated, &legal_, K::kRejected},
      {Move::kApprove, S::kEscalated, &legal_, K::kApproved},
      {Move::kEdit, S::kNotified, &partner_, K::kEdited},
  };
  for (const auto& [move, from, actor, kind] : cases) {
    SCOPED_TRACE(move_name(move));
    domain::UseCase u = in_state(from);
    ASSERT_FALSE(make(move, *actor, u, "a note").error);
    domain::UseCaseEvent line = history(u.id).back();
    EXPECT_EQ(line.kind, kind);
    if (move == Move::kEdit) {
      EXPECT_EQ(line.note.rfind("declaration changed after submission: re-triaged; changed ", 0),
                0U)
          << line.note;
      EXPECT_NE(line.note.find("output.in_final: no → yes"), std::string::npos) << line.note;
    } else {
      EXPECT_EQ(line.note, "a note");
    }
  }
  // Filing writes "created" (and, submitted at once, "submitted" from draft).
  domain::UseCase filed = service_->create_use_case(partner_, production_, doll_, true).value();
  std::vector<domain::UseCaseEvent> lines = history(filed.id);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].kind, K::kCreated);
  EXPECT_EQ(lines[0].from_state, "");
  EXPECT_EQ(lines[0].to_state, "draft");
  EXPECT_EQ(lines[1].kind, K::kSubmitted);
  EXPECT_EQ(lines[1].from_state, "draft");
  EXPECT_EQ(lines[1].to_state, "escalated");
  EXPECT_EQ(filed.outcome, domain::Outcome::kWrittenApproval);
  EXPECT_EQ(in_state(UseCaseState::kNotified).outcome, domain::Outcome::kNotify);
  EXPECT_FALSE(in_state(UseCaseState::kDraft).outcome.has_value());
}

// Each move from a state that allows it, by each kind of actor: only its role may make it
// (kPermissionDenied), legal never decides on what they filed themselves, and who is not on the
// production does not see the use case (kNotFound).
TEST_F(ClearanceServiceTest, OnlyTheRightRoleMakesEachMove) {
  using S = UseCaseState;
  struct Row {
    Move move;
    S from;
    Role role;
  };
  const Row rows[] = {
      {Move::kSubmit, S::kDraft, Role::kPartner},
      {Move::kWithdraw, S::kNotified, Role::kPartner},
      {Move::kAcknowledge, S::kNotified, Role::kContact},
      {Move::kRequestChanges, S::kNotified, Role::kContact},
      {Move::kEscalate, S::kNotified, Role::kContact},
      {Move::kReject, S::kEscalated, Role::kLegal},
      {Move::kApprove, S::kEscalated, Role::kLegal},
      {Move::kEdit, S::kNotified, Role::kPartner},
  };
  const std::pair<const Actor*, std::optional<Role>> actors[] = {
      {&partner_, Role::kPartner}, {&contact_, Role::kContact}, {&legal_, Role::kLegal},
      {&admin_, std::nullopt},     {&outsider_, std::nullopt},
  };
  for (const Row& row : rows) {
    for (const auto& [actor, role] : actors) {
      SCOPED_TRACE(std::string(move_name(row.move)) + " by " + actor->user.name);
      domain::UseCase u = in_state(row.from);
      std::vector<std::string> offered = allowed_actions(*actor, u);
      EXPECT_EQ(std::count(offered.begin(), offered.end(), move_name(row.move)),
                role == row.role ? 1 : 0);
      MoveResult got = make(row.move, *actor, u);
      if (role == row.role) {
        EXPECT_FALSE(got.error);
      } else if (actor == &outsider_) {
        EXPECT_EQ(got.error, Code::kNotFound);
      } else {
        EXPECT_EQ(got.error, Code::kPermissionDenied);
      }
    }
  }
  // One who holds every role may not decide on their own filing, but may on another's.
  for (Move decide : {Move::kApprove, Move::kReject}) {
    SCOPED_TRACE(move_name(decide));
    domain::UseCase own = in_state(S::kEscalated, &all_roles_);
    std::vector<std::string> offered = allowed_actions(all_roles_, own);
    EXPECT_EQ(std::count(offered.begin(), offered.end(), move_name(decide)), 0);
    EXPECT_EQ(make(decide, all_roles_, own).error, Code::kPermissionDenied);
    EXPECT_FALSE(make(decide, all_roles_, in_state(S::kEscalated)).error);
  }
}

TEST_F(ClearanceServiceTest, AMoveNamesTheRevisionItRead) {
  domain::UseCase u = in_state(UseCaseState::kNotified);
  ASSERT_FALSE(make(Move::kAcknowledge, contact_, u).error);  // revision + 1
  for (Move move : {Move::kEscalate, Move::kApprove, Move::kEdit}) {
    SCOPED_TRACE(move_name(move));
    const Actor& actor = move == Move::kEscalate  ? contact_
                         : move == Move::kApprove ? legal_
                                                  : partner_;
    EXPECT_EQ(make(move, actor, u).error, Code::kFailedPrecondition);
  }
  EXPECT_EQ(current(u.id).state, UseCaseState::kNotified);
}

// An edit of an approved use case shows first what it changes and that the approval will be
// outdated, storing nothing; saving it keeps the changes in the history.
TEST_F(ClearanceServiceTest, AnEditAfterApprovalIsPreviewedThenKeptInTheHistory) {
  domain::UseCase u = in_state(UseCaseState::kApproved);
  int64_t approval = service_->get_use_case(admin_, u.id)->approvals.at(0).id;
  std::string amended = doll_;
  amended.replace(amended.find("prominence: prominent"), 21, "prominence: incidental");
  amended.replace(amended.find("summary: Second doll"), 20, "summary: A second doll");
  uint64_t audited = audit_size();
  EditPreview preview =
      take(service_->preview_declaration_update(partner_, u.id, u.revision, amended));
  EXPECT_EQ(preview.changes,
            (std::vector<FieldChange>{
                {"output.prominence", "prominent", "incidental"},
                {"summary", "Second doll beside the first in the red light, green light scene",
                 "A second doll beside the first in the red light, green light scene"}}));
  EXPECT_EQ(preview.outdated_approvals, std::vector<int64_t>{approval});
  EXPECT_EQ(preview.state_before, UseCaseState::kApproved);
  EXPECT_EQ(preview.state_after, UseCaseState::kEscalated);
  EXPECT_EQ(preview.outcome_after, domain::Outcome::kWrittenApproval);
  EXPECT_EQ(audit_size(), audited);
  EXPECT_EQ(current(u.id).revision, u.revision);
  EXPECT_FALSE(service_->get_use_case(admin_, u.id)->approvals.at(0).outdated);
  // Checked as the edit itself is: the partner's, at the revision read.
  EXPECT_EQ(
      service_->preview_declaration_update(contact_, u.id, u.revision, amended).error().code(),
      Code::kPermissionDenied);
  EXPECT_EQ(
      service_->preview_declaration_update(partner_, u.id, u.revision - 1, amended).error().code(),
      Code::kFailedPrecondition);
  EXPECT_TRUE(take(service_->preview_declaration_update(partner_, u.id, u.revision, doll_))
                  .changes.empty());

  audited = audit_size();
  take(service_->update_declaration(partner_, u.id, u.revision, amended));
  EXPECT_TRUE(service_->get_use_case(admin_, u.id)->approvals.at(0).outdated);
  domain::UseCaseEvent line = history(u.id).back();
  EXPECT_EQ(line.kind, UseCaseEventKind::kEdited);
  EXPECT_EQ(line.from_state, "approved");
  EXPECT_EQ(line.note,
            "declaration changed after submission: 1 approval outdated, re-triaged; changed "
            "output.prominence: prominent → incidental; summary: \"Second doll beside the first in "
            "the red light, green light scene\" → \"A second doll beside the first in the red "
            "light, green light scene\"");
  bool audited_diff = false;
  for (const audit::AuditEvent& event : audit_since(audited, "checklist.derived")) {
    audited_diff |= event.action == "use_case.edited" &&
                    event.payload_json.find("output.prominence: prominent") != std::string::npos;
  }
  EXPECT_TRUE(audited_diff);
}

// An edit after submission outdates the approvals and sends the case back for review.
TEST_F(ClearanceServiceTest, AnEditOutdatesApprovals) {
  domain::UseCase u = in_state(UseCaseState::kApproved);
  ASSERT_FALSE(make(Move::kEdit, partner_, u).error);
  std::vector<domain::Approval> approvals = service_->get_use_case(admin_, u.id)->approvals;
  ASSERT_EQ(approvals.size(), 1u);
  EXPECT_TRUE(approvals[0].outdated);
  EXPECT_EQ(current(u.id).outcome, domain::Outcome::kNotify);
  // The same declaration again changes nothing and records nothing.
  u = current(u.id);
  uint64_t audited = audit_size();
  EXPECT_EQ(service_->update_declaration(partner_, u.id, u.revision, mood_board_)->revision,
            u.revision);
  EXPECT_EQ(audit_size(), audited);
}

TEST_F(ClearanceServiceTest, ApprovalsCheckScopeAndExpiry) {
  domain::UseCase u = in_state(UseCaseState::kEscalated);
  auto approve = [&](const std::string& scope, const std::string& expires) {
    ApprovalRequest request = signed_request();
    request.scope_json = scope;
    request.expires_at = expires;
    return service_->approve(legal_, u.id, u.revision, request);
  };
  EXPECT_EQ(approve(R"({"final_use": "yes"})", "").error().field(), "scope.final_use");
  EXPECT_EQ(approve("[]", "").error().field(), "scope");
  clock_.set("2026-12-01T10:00:00.500Z");
  // Compared as times: half a second earlier is the past, whatever the text's precision.
  EXPECT_EQ(approve("{}", "2026-12-01T10:00:00Z").error().field(), "expires_at");
  EXPECT_EQ(approve("{}", "2026-12-01T10:00:00.5Z").error().field(), "expires_at");
  auto granted = approve(R"({"outputs": ["7"], "final_use": true})", "2026-12-01T10:00:00.6Z");
  ASSERT_TRUE(granted.has_value()) << granted.error().to_string();
  EXPECT_EQ(granted->scope.json, R"({"final_use":true,"outputs":["7"]})");
  std::vector<domain::Approval> stored = service_->get_use_case(admin_, u.id)->approvals;
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_TRUE(stored[0].scope.final_use);
  EXPECT_TRUE(stored[0].scope.clears_output(7));
  EXPECT_FALSE(stored[0].scope.clears_output(8));
  EXPECT_EQ(stored[0].expires_at, "2026-12-01T10:00:00.6Z");
}

// Activating a pack re-triages the open use cases whose outcome it changes, as the system.
// The outbox rows each event writes in its transaction (issue #15): who is told, and that
// the same event is never stored twice.
TEST_F(ClearanceServiceTest, EventsEnqueueTheirNotifications) {
  auto outbox = [&] {
    auto tx = store_->begin().value();
    std::vector<domain::Notification> all = take(tx->outbox().list({}));
    std::reverse(all.begin(), all.end());
    return all;
  };
  auto to = [](const std::vector<domain::Notification>& rows, size_t from) {
    std::set<std::string> out;
    for (size_t i = from; i < rows.size(); ++i) {
      out.insert(rows[i].event_action + " " + rows[i].address);
    }
    return out;
  };
  {
    auto tx = store_->begin().value();
    ASSERT_TRUE(tx->outbox()
                    .create_webhook({0, production_, "http://127.0.0.1:9/hook", "k", "json", false,
                                     admin_.user.id, kT0})
                    .has_value());
    ASSERT_TRUE(tx->commit().has_value());
  }
  domain::UseCase u = take(service_->create_use_case(partner_, production_, mood_board_, true));
  std::vector<domain::Notification> rows = outbox();
  // The contact and the webhook; not the partner, nor legal (all_roles_ is stored as legal:
  // one role per member).
  EXPECT_EQ(to(rows, 0), (std::set<std::string>{
                             "use_case.submitted contact@studio.example",
                             "use_case.submitted http://127.0.0.1:9/hook",
                         }));
  nlohmann::json payload = nlohmann::json::parse(rows[0].payload_json);
  EXPECT_EQ(payload["actor"], "partner");
  EXPECT_EQ(payload["production"]["code"], "squid-game-s3");
  EXPECT_EQ(payload["path"], "/#/u/" + std::to_string(u.id));
  EXPECT_NE(payload["what"].get<std::string>().find("submitted use case"), std::string::npos);

  size_t seen = rows.size();
  u = take(service_->transition(contact_, u.id, u.revision, UseCaseAction::kRequestChanges,
                                "name the model"));
  rows = outbox();
  EXPECT_EQ(to(rows, seen),
            (std::set<std::string>{"use_case.changes_requested partner@studio.example",
                                   "use_case.changes_requested http://127.0.0.1:9/hook"}));
  seen = rows.size();
  // Mentions reach members only: the outsider is not on this production.
  ASSERT_TRUE(
      service_->add_comment(contact_, u.id, "@legal @outsider @nobody see @contact").has_value());
  rows = outbox();
  EXPECT_EQ(to(rows, seen), (std::set<std::string>{"comment.added legal@studio.example",
                                                   "comment.added http://127.0.0.1:9/hook"}));
  // Keys are unique: enqueuing an event's notification again stores nothing.
  auto tx = store_->begin().value();
  EXPECT_FALSE(take(tx->outbox().enqueue(rows.back())));
}

TEST_F(ClearanceServiceTest, ActivatingAPackRetriagesOpenUseCases) {
  domain::UseCase notified = in_state(UseCaseState::kNotified);
  domain::UseCase escalated = in_state(UseCaseState::kEscalated);
  domain::UseCase draft = in_state(UseCaseState::kDraft);
  const std::string pack = R"(name: all-escalate
version: "1"
rules:
  - id: ALL
    section: intro
    outcome: escalate
    actions: [legal_review]
    why: Everything escalates.
    when: "true"
)";
  std::vector<Retriage> preview = service_->preview_policy_pack(admin_, pack).value();
  EXPECT_EQ(current(notified.id).revision, notified.revision);  // a preview stores nothing
  std::vector<Retriage> changes = service_->activate_policy_pack(admin_, pack).value();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(preview.size(), 2u);
  EXPECT_EQ(changes[0].use_case_id, notified.id);
  EXPECT_EQ(changes[0].from_outcome, domain::Outcome::kNotify);
  EXPECT_EQ(changes[0].to_outcome, domain::Outcome::kEscalate);
  EXPECT_EQ(changes[1].from_outcome, domain::Outcome::kWrittenApproval);
  EXPECT_EQ(current(notified.id).state, UseCaseState::kEscalated);
  EXPECT_EQ(current(escalated.id).state, UseCaseState::kEscalated);
  EXPECT_EQ(current(draft.id).revision, draft.revision);
  domain::UseCaseEvent line = history(notified.id).back();
  EXPECT_EQ(line.kind, UseCaseEventKind::kRetriaged);
  EXPECT_EQ(line.actor_id, 0);
  EXPECT_EQ(line.note, "policy all-escalate 1: notify -> escalate");
  EXPECT_EQ(last_audit_event().actor, "system");
  EXPECT_EQ(service_->activate_policy_pack(partner_, pack).error().code(), Code::kPermissionDenied);
}

// The checklist (issue #14): derived from the decision, met by linked consents in force, by
// evidence or by legal's waiver, and kept across a re-triage; no approval while an item is open.
TEST_F(ClearanceServiceTest, TheChecklistGatesApproval) {
  using domain::ChecklistItemKind;
  using domain::ChecklistItemState;
  domain::UseCase u = take(service_->create_use_case(partner_, production_,
                                                     read("examples/synthetic-voice.json"), true));
  std::vector<domain::ChecklistItem> items = take(service_->get_checklist(contact_, u.id));
  auto find = [&](const std::string& name) -> domain::ChecklistItem {
    for (const domain::ChecklistItem& item : take(service_->get_checklist(contact_, u.id))) {
      if (item.name == name) {
        return item;
      }
    }
    ADD_FAILURE() << "no item " << name;
    return {};
  };
  domain::ChecklistItem consent_item = find("talent_consent");
  EXPECT_EQ(consent_item.kind, ChecklistItemKind::kAction);
  EXPECT_FALSE(consent_item.conditional);
  EXPECT_EQ(consent_item.rules,
            (std::vector<std::string>{"TRIG-LIKENESS", "TAL-1", "MATRIX-4", "TAL-3", "TAL-5"}));
  EXPECT_EQ(find("talent.real_person").kind, ChecklistItemKind::kQuestion);
  EXPECT_TRUE(find("rights_clearance").conditional);
  for (const domain::ChecklistItem& item : items) {
    EXPECT_NE(item.name, "legal_review");
    EXPECT_NE(item.name, "notify_contact");
  }

  // Signing needs a name and a reason; then every item open is listed.
  ApprovalRequest request;
  EXPECT_EQ(service_->approve(legal_, u.id, u.revision, request).error().field(), "signer_name");
  request.signer_name = "Lee Gal";
  EXPECT_EQ(service_->approve(legal_, u.id, u.revision, request).error().field(), "reason");
  request.reason = "All on file";
  auto refused = service_->approve(legal_, u.id, u.revision, request);
  EXPECT_EQ(refused.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(refused.error().field(), "checklist");
  EXPECT_NE(refused.error().message().find("talent_consent (TRIG-LIKENESS"), std::string::npos);

  // Only consents meet a consent item, and only legal waives.
  EXPECT_EQ(
      service_->record_evidence(contact_, u.id, consent_item.id, {"signed", ""}).error().code(),
      Code::kFailedPrecondition);
  EXPECT_EQ(service_->waive_checklist_item(legal_, u.id, consent_item.id, "fine").error().code(),
            Code::kFailedPrecondition);
  domain::ChecklistItem question = find("talent.real_person");
  EXPECT_EQ(service_->waive_checklist_item(contact_, u.id, question.id, "fine").error().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(service_->waive_checklist_item(legal_, u.id, question.id, "  ").error().field(),
            "reason");
  EXPECT_EQ(service_->record_evidence(partner_, u.id, find("guild_compliance").id, {"x", ""})
                .error()
                .code(),
            Code::kPermissionDenied);
  EXPECT_EQ(service_->record_evidence(contact_, u.id, question.id, {"x", ""}).error().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(service_->record_evidence(contact_, u.id, find("rights_clearance").id, {"x", ""})
                .error()
                .field(),
            "document_sha256");
  EXPECT_EQ(service_->get_checklist(outsider_, u.id).error().code(), Code::kNotFound);

  // A consent of the wrong kind, a revoked one and an expired one do not cover the replica.
  domain::Consent consent;
  consent.production_id = production_;
  consent.use_case_id = u.id;
  consent.performer = "The front man";
  consent.kind = domain::ConsentKind::kAlteration;
  consent.scope = "Pick-up lines, S3E4";
  consent.document_sha256 = std::string(64, 'a');
  take(service_->record_consent(legal_, consent));
  consent.kind = domain::ConsentKind::kReplicaCreation;
  consent.expires_at = "2026-12-01T09:00:00Z";
  take(service_->record_consent(legal_, consent));
  consent.expires_at.clear();
  domain::Consent revoked = take(service_->record_consent(legal_, consent));
  take(service_->revoke_consent(legal_, revoked.id));
  EXPECT_EQ(find("talent_consent").state, ChecklistItemState::kOpen);
  domain::Consent covering = take(service_->record_consent(legal_, consent));
  domain::ChecklistItem met = find("talent_consent");
  EXPECT_EQ(met.state, ChecklistItemState::kMet);
  EXPECT_EQ(met.evidence_json, "{\"consent_ids\":[" + std::to_string(covering.id) + "]}");

  // The rest: statements, the licence's digest, waivers.
  for (const domain::ChecklistItem& item : take(service_->get_checklist(contact_, u.id))) {
    if (item.state != ChecklistItemState::kOpen) {
      continue;
    }
    if (item.kind == ChecklistItemKind::kQuestion) {
      take(service_->waive_checklist_item(legal_, u.id, item.id, "Answered in the review call"));
    } else if (item.name == "rights_clearance") {
      domain::ChecklistItem licence =
          take(service_->record_evidence(contact_, u.id, item.id, {"", std::string(64, 'b')}));
      EXPECT_EQ(licence.evidence_json, "{\"document_sha256\":\"" + std::string(64, 'b') + "\"}");
    } else {
      take(service_->record_evidence(legal_, u.id, item.id, {"Guild notice GN-1", ""}));
    }
  }
  u = current(u.id);
  domain::Approval approval = take(service_->approve(legal_, u.id, u.revision, request));
  EXPECT_EQ(approval.signer_name, "Lee Gal");
  EXPECT_EQ(approval.reason, "All on file");
  audit::AuditEvent granted = last_audit_event();
  EXPECT_NE(granted.payload_json.find("\"signer_name\":\"Lee Gal\""), std::string::npos);
  // The certificate shows the evidence with its hashes: the consent's document, the licence.
  std::string certificate = take(service_->approval_certificate(contact_, approval.id));
  EXPECT_NE(certificate.find("\"document_sha256\": \"" + std::string(64, 'a')), std::string::npos);
  EXPECT_NE(certificate.find("\"document_sha256\": \"" + std::string(64, 'b')), std::string::npos);
  EXPECT_NE(certificate.find("\"text\": \"Guild notice GN-1\""), std::string::npos);

  // Revoking the consent reopens its item and suspends the approval that relied on it; an edit
  // re-derives the checklist and keeps what was recorded against the items that stay, and drops
  // the questions it answers.
  take(service_->revoke_consent(legal_, covering.id));
  EXPECT_EQ(find("talent_consent").state, ChecklistItemState::kOpen);
  EXPECT_EQ(current(u.id).state, UseCaseState::kEscalated);
  EXPECT_TRUE(service_->get_use_case(admin_, u.id)->approvals.at(0).outdated);
  domain::UseCaseEvent suspended = history(u.id).back();
  EXPECT_EQ(suspended.kind, UseCaseEventKind::kSuspended);
  EXPECT_EQ(suspended.from_state, "approved");
  EXPECT_NE(suspended.note.find("consent " + std::to_string(covering.id)), std::string::npos);
  u = current(u.id);
  std::string amended = read("examples/synthetic-voice.json");
  amended.replace(amended.find("\"consent_documented\""), 0, "\"real_person\": false, ");
  take(service_->update_declaration(partner_, u.id, u.revision, amended));
  EXPECT_EQ(find("guild_compliance").state, ChecklistItemState::kMet);
  for (const domain::ChecklistItem& item : take(service_->get_checklist(contact_, u.id))) {
    EXPECT_NE(item.name, "talent.real_person");
  }
}

// The disclosure a factual film owes its audience (issue #14): planned before approval,
// confirmed once made, by the contact or legal, with where and how; a new plan needs a new
// confirmation. The audit log explains the item's evidence either way.
TEST_F(ClearanceServiceTest, ADisclosureIsPlannedThenConfirmedOnceMade) {
  using domain::ChecklistItemState;
  domain::UseCase u = take(service_->create_use_case(
      partner_, production_,
      "schema: clearcut/v1\nsummary: Reconstructed crime-scene photo for a true-crime film\n"
      "purpose: final_asset\ntalent: {real_person: no}\n"
      "output: {in_final: yes, factual_content: yes, could_be_mistaken_for_real: yes}\n",
      true));
  auto item = [&](const std::string& name) {
    for (const domain::ChecklistItem& i : take(service_->get_checklist(contact_, u.id))) {
      if (i.name == name) {
        return i;
      }
    }
    ADD_FAILURE() << "no checklist item " << name;
    return domain::ChecklistItem();
  };
  domain::ChecklistItem disclosure = item("audience_disclosure");
  ASSERT_EQ(disclosure.state, ChecklistItemState::kOpen);
  EXPECT_FALSE(disclosure_unconfirmed(take(service_->get_checklist(contact_, u.id))));
  const std::string made = "Card 'Reconstruction: images generated by AI' at 01:02:03:00";

  // Nothing to confirm before the plan; not every role, not every item, not a blank.
  EXPECT_EQ(service_->confirm_disclosure(contact_, u.id, disclosure.id, made).error().code(),
            Code::kFailedPrecondition);
  take(service_->record_evidence(contact_, u.id, disclosure.id,
                                 {"A card before the photo and a line in the end credits", ""}));
  EXPECT_TRUE(disclosure_unconfirmed(take(service_->get_checklist(contact_, u.id))));
  EXPECT_EQ(service_->confirm_disclosure(partner_, u.id, disclosure.id, made).error().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(service_->confirm_disclosure(outsider_, u.id, disclosure.id, made).error().code(),
            Code::kNotFound);
  EXPECT_EQ(service_->confirm_disclosure(contact_, u.id, disclosure.id, " ").error().field(),
            "text");
  for (const domain::ChecklistItem& other : take(service_->get_checklist(contact_, u.id))) {
    if (other.name != "audience_disclosure") {
      EXPECT_EQ(service_->confirm_disclosure(contact_, u.id, other.id, made).error().code(),
                Code::kFailedPrecondition)
          << other.name;
    }
  }

  domain::ChecklistItem confirmed =
      take(service_->confirm_disclosure(legal_, u.id, disclosure.id, made));
  nlohmann::json evidence = nlohmann::json::parse(confirmed.evidence_json);
  EXPECT_EQ(evidence["text"], "A card before the photo and a line in the end credits");
  EXPECT_EQ(evidence["confirmation"]["text"], made);
  EXPECT_EQ(evidence["confirmation"]["by"], legal_.user.id);
  EXPECT_EQ(last_audit_event().action, "checklist.confirmed");
  EXPECT_EQ(item("audience_disclosure").state, ChecklistItemState::kMet);
  EXPECT_FALSE(disclosure_unconfirmed(take(service_->get_checklist(contact_, u.id))));
  // Replaying the log gives the item's evidence with its confirmation, and without it after a
  // new plan (a new disclosure: its confirmation goes).
  auto replayed_checklist_differs = [&] {
    const uint64_t size = audit_size();  // before the transaction below: one at a time
    auto tx = store_->begin().value();
    std::vector<audit::AuditEvent> events;
    for (const store::AuditRecord& r : take(tx->audit().list(0, size))) {
      events.push_back(r.event);
    }
    int differences = 0;
    for (const StateDifference& d : take(compare_state_with_events(events, *tx))) {
      if (d.table == "checklist_items") {
        ADD_FAILURE() << d.to_string();
        ++differences;
      }
    }
    return differences != 0;
  };
  EXPECT_FALSE(replayed_checklist_differs());
  take(service_->record_evidence(contact_, u.id, disclosure.id, {"Only in the end credits", ""}));
  EXPECT_TRUE(disclosure_unconfirmed(take(service_->get_checklist(contact_, u.id))));
  EXPECT_FALSE(replayed_checklist_differs());
}

// A consent's expiry acts like its revocation (issue #14), without anyone clicking: the sweep the
// server runs finds it, suspends the approval that relied on it, says so, and does it once.
TEST_F(ClearanceServiceTest, AnExpiredConsentSuspendsWhatItCoveredOnce) {
  domain::UseCase u = take(service_->create_use_case(partner_, production_,
                                                     read("examples/synthetic-voice.json"), true));
  domain::Consent consent;
  consent.production_id = production_;
  consent.use_case_id = u.id;
  consent.performer = "The front man";
  consent.kind = domain::ConsentKind::kReplicaCreation;
  consent.scope = "Pick-up lines, S3E4";
  consent.document_sha256 = std::string(64, 'a');
  consent.expires_at = "2026-12-31T00:00:00Z";
  consent = take(service_->record_consent(legal_, consent));
  for (const domain::ChecklistItem& item : take(service_->get_checklist(contact_, u.id))) {
    if (item.name == "rights_clearance") {  // met by a document's digest, not a statement
      take(service_->record_evidence(contact_, u.id, item.id, {"", std::string(64, 'b')}));
    }
  }
  settle_checklist(u.id);
  u = current(u.id);
  take(service_->approve(legal_, u.id, u.revision, signed_request()));
  ASSERT_EQ(current(u.id).state, UseCaseState::kApproved);

  // In force: nothing to do, however often the sweep runs.
  EXPECT_EQ(take(service_->lapse_expired_consents()), 0);
  clock_.set("2026-12-30T23:59:59Z");
  EXPECT_EQ(take(service_->lapse_expired_consents()), 0);
  EXPECT_EQ(current(u.id).state, UseCaseState::kApproved);

  clock_.set("2026-12-31T00:00:01Z");
  const uint64_t before = audit_size();
  EXPECT_EQ(take(service_->lapse_expired_consents()), 1);
  EXPECT_EQ(current(u.id).state, UseCaseState::kEscalated);
  EXPECT_TRUE(service_->get_use_case(admin_, u.id)->approvals.at(0).outdated);
  domain::UseCaseEvent suspended = history(u.id).back();
  EXPECT_EQ(suspended.kind, UseCaseEventKind::kSuspended);
  EXPECT_EQ(suspended.from_state, "approved");
  EXPECT_EQ(suspended.actor_id, 0);  // the system
  EXPECT_NE(suspended.note.find("consent " + std::to_string(consent.id) +
                                " (The front man) expired on 2026-12-31T00:00:00Z"),
            std::string::npos)
      << suspended.note;
  std::vector<audit::AuditEvent> logged = audit_since(before, "");
  ASSERT_FALSE(logged.empty());
  EXPECT_EQ(logged[0].action, "consent.expired");
  EXPECT_EQ(logged[0].actor, "system");
  EXPECT_EQ(logged[0].subject_id, std::to_string(consent.id));
  for (const domain::Consent& c : take(service_->list_consents(legal_, production_))) {
    if (c.id == consent.id) {
      EXPECT_EQ(c.lapsed_at, "2026-12-31T00:00:01.000Z");
      EXPECT_EQ(c.revoked_at, "");
    }
  }

  // Once: a second sweep, or a later one, finds nothing.
  const uint64_t after = audit_size();
  EXPECT_EQ(take(service_->lapse_expired_consents()), 0);
  clock_.set("2027-02-01T00:00:00Z");
  EXPECT_EQ(take(service_->lapse_expired_consents()), 0);
  EXPECT_EQ(audit_size(), after);

  // The log explains the database: replaying it gives the lapse and the suspension. (The
  // fixture writes its accounts and productions straight into the store, without events: only
  // the tables the service wrote here are compared.)
  auto tx = store_->begin().value();
  std::vector<audit::AuditEvent> events;
  for (const store::AuditRecord& r : take(tx->audit().list(0, after))) {
    events.push_back(r.event);
  }
  auto differences = [&]() {
    std::vector<StateDifference> out = take(compare_state_with_events(events, *tx));
    std::erase_if(out, [](const StateDifference& d) {
      return d.table != "consents" && d.table != "approvals" && d.table != "use_cases" &&
             d.table != "use_case_events";
    });
    return out;
  };
  for (const StateDifference& d : differences()) {
    ADD_FAILURE() << d.to_string();
  }
  // Without the consent.expired event the lapse is unexplained.
  std::erase_if(events, [](const audit::AuditEvent& e) { return e.action == "consent.expired"; });
  std::vector<StateDifference> unexplained = differences();
  ASSERT_EQ(unexplained.size(), 1u);
  EXPECT_EQ(unexplained[0].table, "consents");
  EXPECT_EQ(unexplained[0].column, "lapsed_at");
}

// Notices no request causes (issue #15): an approval or a consent about to expire is told once,
// to the people it concerns, whichever sweep (of however many servers) gets there first; the
// ledger that makes it once is checked by replaying the log.
TEST_F(ClearanceServiceTest, ExpiryNoticesGoOutOnceBeforeTheApprovalOrConsentExpires) {
  NoticeSweep sweep(*store_, *audit_, clock_, {14, 8});
  NoticeSweep other_server(*store_, *audit_, clock_, {14, 8});
  domain::UseCase u = in_state(UseCaseState::kEscalated);
  ApprovalRequest request = signed_request();
  request.expires_at = "2026-12-20T00:00:00Z";
  domain::Approval approval =
      take(service_->approve(legal_, u.id, current(u.id).revision, request));
  domain::Consent consent;
  consent.production_id = production_;
  consent.performer = "The front man";
  consent.kind = domain::ConsentKind::kReplicaUse;
  consent.scope = "S3E4";
  consent.document_sha256 = std::string(64, 'a');
  consent.expires_at = "2026-12-31T00:00:00Z";
  consent = take(service_->record_consent(legal_, consent));
  auto emails = [&](const std::string& action) {
    auto tx = store_->begin().value();
    std::set<std::string> to;
    for (const domain::Notification& n : take(tx->outbox().list({}))) {
      if (n.event_action == action) {
        to.insert(n.address);
      }
    }
    return to;
  };

  // 2026-12-01: both are further off than 14 days.
  EXPECT_EQ(take(sweep.run()), 0);
  clock_.set("2026-12-06T10:00:00Z");  // the approval is 13.6 days off
  const uint64_t before = audit_size();
  EXPECT_EQ(take(sweep.run()), 1);
  EXPECT_EQ(take(other_server.run()), 0);
  EXPECT_EQ(take(sweep.run()), 0);
  std::vector<audit::AuditEvent> logged = audit_since(before, "");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].action, "approval.expiring");
  EXPECT_EQ(logged[0].actor, "system");
  EXPECT_EQ(logged[0].subject_id, std::to_string(approval.id));
  // all_roles_ is stored as legal (one role per member).
  EXPECT_EQ(emails("approval.expiring"),
            (std::set<std::string>{"all@studio.example", "contact@studio.example",
                                   "legal@studio.example", "partner@studio.example"}));
  {
    auto tx = store_->begin().value();
    for (const domain::Notification& n : take(tx->outbox().list({}))) {
      if (n.event_action == "approval.expiring") {
        nlohmann::json payload = nlohmann::json::parse(n.payload_json);
        EXPECT_NE(payload["what"].get<std::string>().find("expires on 2026-12-20T00:00:00Z"),
                  std::string::npos);
        EXPECT_NE(payload["todo"].get<std::string>().find("renew"), std::string::npos);
        EXPECT_EQ(payload["path"], "/#/u/" + std::to_string(u.id));
      }
    }
  }
  clock_.set("2026-12-17T10:00:00Z");  // the consent is 13.6 days off
  EXPECT_EQ(take(sweep.run()), 1);
  EXPECT_EQ(emails("consent.expiring"),
            (std::set<std::string>{"all@studio.example", "contact@studio.example",
                                   "legal@studio.example"}));
  // Nothing new to tell: each was told once.
  clock_.set("2026-12-19T00:00:00Z");
  EXPECT_EQ(take(sweep.run()), 0);
  // An approval that is no longer current (the declaration was edited) is told nothing.
  domain::UseCase second = in_state(UseCaseState::kEscalated);
  request.expires_at = "2026-12-25T00:00:00Z";
  take(service_->approve(legal_, second.id, current(second.id).revision, request));
  second = current(second.id);
  take(service_->update_declaration(partner_, second.id, second.revision, mood_board_));
  EXPECT_EQ(take(sweep.run()), 0);

  const uint64_t size = audit_size();
  auto tx = store_->begin().value();
  std::vector<audit::AuditEvent> events;
  for (const store::AuditRecord& r : take(tx->audit().list(0, size))) {
    events.push_back(r.event);
  }
  auto notices = [&] {
    std::vector<StateDifference> out = take(compare_state_with_events(events, *tx));
    std::erase_if(out, [](const StateDifference& d) { return d.table != "notices"; });
    return out;
  };
  EXPECT_TRUE(notices().empty());
  // A notice whose event was removed from the log is a ledger row nothing explains.
  std::erase_if(events, [](const audit::AuditEvent& e) { return e.action == "consent.expiring"; });
  std::vector<StateDifference> unexplained = notices();
  ASSERT_EQ(unexplained.size(), 1u);
  EXPECT_EQ(unexplained[0].id,
            "consent.expiring." + std::to_string(consent.id) + ".2026-12-31T00:00:00Z");
  EXPECT_EQ(unexplained[0].expected, "(no row)");
}

// Each person chooses, per topic, to hear at once, in a daily digest, or not at all; the digest
// carries everything held before its hour, once.
TEST_F(ClearanceServiceTest, PreferencesHoldNotificationsForTheDigestOrSilenceThem) {
  NotificationService notifications(*store_, *audit_, clock_);
  NoticeSweep sweep(*store_, *audit_, clock_, {14, 8});
  EXPECT_EQ(
      notifications.set_preference(legal_, "mentionz", domain::Delivery::kDigest).error().field(),
      "topic");
  take(notifications.set_preference(legal_, "mentions", domain::Delivery::kDigest));
  take(notifications.set_preference(contact_, "submissions", domain::Delivery::kOff));
  std::vector<domain::NotificationPreference> mine = take(notifications.preferences(legal_));
  ASSERT_EQ(mine.size(), std::size(kNotificationTopics));
  for (const domain::NotificationPreference& p : mine) {
    EXPECT_EQ(p.delivery,
              p.topic == "mentions" ? domain::Delivery::kDigest : domain::Delivery::kImmediate);
  }
  auto emails = [&] {
    auto tx = store_->begin().value();
    std::set<std::string> out;
    for (const domain::Notification& n : take(tx->outbox().list({}))) {
      out.insert(n.event_action + " " + n.address);
    }
    return out;
  };

  domain::UseCase u = take(service_->create_use_case(partner_, production_, mood_board_, true));
  take(service_->add_comment(contact_, u.id, "@legal please look"));
  clock_.set("2026-12-01T11:00:00Z");
  take(service_->add_comment(partner_, u.id, "@legal and @contact: done"));
  // The contact chose silence for submissions; legal's mentions wait for the digest.
  EXPECT_EQ(emails(), (std::set<std::string>{"comment.added contact@studio.example"}));

  // Before 08:00 the next day nothing is due (today's digest hour passed before they came).
  clock_.set("2026-12-02T07:59:00Z");
  EXPECT_EQ(take(sweep.send_digests()), 0);
  clock_.set("2026-12-02T08:00:30Z");
  EXPECT_EQ(take(sweep.send_digests()), 1);
  EXPECT_EQ(take(sweep.send_digests()), 0);
  auto tx = store_->begin().value();
  std::vector<domain::Notification> digests;
  for (const domain::Notification& n : take(tx->outbox().list({}))) {
    if (n.event_action == "digest") {
      digests.push_back(n);
    }
  }
  ASSERT_EQ(digests.size(), 1u);
  EXPECT_EQ(digests[0].address, "legal@studio.example");
  EXPECT_EQ(digests[0].idempotency_key,
            "digest.user" + std::to_string(legal_.user.id) + ".2026-12-02");
  nlohmann::json payload = nlohmann::json::parse(digests[0].payload_json);
  ASSERT_EQ(payload["items"].size(), 2u);
  EXPECT_NE(payload["items"][0]["what"].get<std::string>().find("please look"), std::string::npos);
  EXPECT_EQ(payload["items"][1]["production"]["code"], "squid-game-s3");
  EXPECT_EQ(payload["what"], "Your clearcut digest for 2026-12-02: 2 notifications.");
  EXPECT_TRUE(take(tx->outbox().list_digest_items(legal_.user.id)).empty());
}

// use_enterprise_tool and review_tool_terms follow the tool registry (issue #14): met while every
// stage's tool has terms reviewed within the pack's period, open again once the review ages out,
// and never by a statement.
TEST_F(ClearanceServiceTest, TheToolItemsFollowTheRegistrysReviews) {
  const std::string declaration =
      "schema: clearcut/v1\npurpose: ideation\nmedia: [image]\npipeline:\n"
      "  - tool: freegen-web\ninputs: [own_material]\nreferences: [none]\n"
      "output: {in_final: no}\n";
  domain::UseCase u = take(service_->create_use_case(partner_, production_, declaration, true));
  auto item = [&](const std::string& name) -> domain::ChecklistItem {
    for (const domain::ChecklistItem& i : take(service_->get_checklist(contact_, u.id))) {
      if (i.name == name) {
        return i;
      }
    }
    ADD_FAILURE() << "no item " << name;
    return {};
  };
  // The consumer app's terms were never reviewed, so nothing vouches for it.
  domain::ChecklistItem terms = item("review_tool_terms");
  EXPECT_EQ(terms.state, domain::ChecklistItemState::kOpen);
  EXPECT_EQ(terms.note,
            "pipeline[0] (freegen-web): the registry does not say tool 'freegen-web' had its "
            "terms reviewed");
  EXPECT_EQ(
      service_->record_evidence(contact_, u.id, terms.id, {"We read them", ""}).error().code(),
      Code::kFailedPrecondition);

  // The studio reviews it and signs an enterprise agreement: both items are met by the registry.
  domain::Tool tool = take(service_->list_tools(admin_)).at(0);
  for (const domain::Tool& t : take(service_->list_tools(admin_))) {
    if (t.id == "freegen-web") {
      tool = t;
    }
  }
  ASSERT_EQ(tool.id, "freegen-web");
  for (const char* fact : {"enterprise_agreement", "terms_reviewed"}) {
    tool.scalars[domain::find_field(domain::FieldScope::kStage, fact)->slot] = domain::kYes;
  }
  tool.reviewed_on = "2026-11-30";
  ASSERT_TRUE(service_->upsert_tool(admin_, tool).has_value());
  for (const char* name : {"review_tool_terms", "use_enterprise_tool"}) {
    domain::ChecklistItem met = item(name);
    EXPECT_EQ(met.state, domain::ChecklistItemState::kMet) << name << ": " << met.note;
    EXPECT_EQ(met.evidence_json, R"({"tools":[{"id":"freegen-web","reviewed_on":"2026-11-30"}]})");
  }
  tool.reviewed_on = "2026-13-01";
  EXPECT_EQ(service_->upsert_tool(admin_, tool).error().field(), "reviewed_on");

  // A year and a day later the review has aged out: the items are open again, and legal's
  // approval is refused naming the stale tool.
  clock_.set("2027-12-01T10:00:00Z");
  for (const domain::ChecklistItem& i : take(service_->get_checklist(contact_, u.id))) {
    if (i.state == domain::ChecklistItemState::kOpen &&
        i.kind == domain::ChecklistItemKind::kQuestion) {
      take(service_->waive_checklist_item(legal_, u.id, i.id, "Answered on the call"));
    }
  }
  terms = item("review_tool_terms");
  EXPECT_EQ(terms.state, domain::ChecklistItemState::kOpen);
  const std::string stale =
      "pipeline[0] (freegen-web): tool 'freegen-web' counts as not reviewed: reviewed_on "
      "2026-11-30 is older than the pack's 12-month review period";
  EXPECT_EQ(terms.note, stale);
  u = current(u.id);
  auto refused = service_->approve(legal_, u.id, u.revision, signed_request());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().field(), "checklist");
  EXPECT_NE(refused.error().message().find("review_tool_terms (CONF-1"), std::string::npos);
  EXPECT_NE(refused.error().message().find(stale), std::string::npos);
  // A fresh assessment says the same in its notes, and reads the review's facts as unknown.
  Assessment fresh = take(service_->assess(declaration));
  ASSERT_EQ(fresh.view.notes.size(), 1U);
  EXPECT_EQ(fresh.view.notes[0],
            "pipeline[0] (freegen-web): the tool counts as not reviewed: reviewed_on 2026-11-30 "
            "is older than the pack's 12-month review period; its trains_on_data, retains_data, "
            "terms_reviewed, training_data and indemnified read as unknown");

  // Legal may still waive a tool item, with a reason.
  take(service_->waive_checklist_item(legal_, u.id, terms.id, "Terms re-read on the call"));
  EXPECT_EQ(item("review_tool_terms").state, domain::ChecklistItemState::kWaived);
}

// A granted approval's certificate (issue #14): what was signed, proven by the audit log. It
// verifies with the log's key alone, and not after any one byte of it changes, nor with another
// key; an outsider gets none.
TEST_F(ClearanceServiceTest, AnApprovalsCertificateVerifiesAndAnyChangedByteFailsIt) {
  domain::UseCase u = in_state(UseCaseState::kApproved);
  domain::Approval approval = service_->get_use_case(admin_, u.id)->approvals.at(0);
  EXPECT_EQ(service_->approval_certificate(outsider_, approval.id).error().code(), Code::kNotFound);
  EXPECT_EQ(service_->approval_certificate(contact_, approval.id + 1).error().code(),
            Code::kNotFound);
  std::string text = take(service_->approval_certificate(partner_, approval.id));
  ApprovalCertificate certificate = take(read_approval_certificate(text));
  std::vector<audit::NoteVerifier> keys = {audit_->verifier()};
  audit::Checkpoint checkpoint = take(verify_approval_certificate(certificate, keys));
  EXPECT_GT(checkpoint.size, certificate.event.sequence);
  EXPECT_EQ(certificate.event.action, "approval.granted");
  EXPECT_EQ(certificate.event.subject_id, std::to_string(approval.id));
  EXPECT_EQ(take(write_approval_certificate(certificate)), text);

  // The event is the one the log holds, and its payload is what the approver signed.
  nlohmann::json signed_approval = nlohmann::json::parse(certificate.event.payload_json);
  EXPECT_EQ(signed_approval["signer_name"], "Lee Gal");
  EXPECT_EQ(signed_approval["reason"], "Reviewed against the pack");
  EXPECT_EQ(signed_approval["approver"]["user_id"], legal_.user.id);
  EXPECT_EQ(signed_approval["declaration_digest"], u.declaration_digest);
  EXPECT_EQ(signed_approval["declaration"], u.declaration_json);
  EXPECT_EQ(signed_approval["decision"]["outcome"], "written_approval");
  EXPECT_EQ(signed_approval["decision"]["policy"]["name"],
            nlohmann::json::parse(u.decision_json)["policy"]["name"]);
  EXPECT_FALSE(signed_approval["checklist"].empty());
  {
    auto tx = store_->begin().value();
    auto stored = take(tx->audit().list(certificate.event.sequence, 1));
    EXPECT_EQ(stored.at(0).event, certificate.event);
  }

  // One field per line: flipping the lowest bit of a line's first, middle or last byte, or of
  // its newline, leaves no certificate that verifies (a key, a value, the layout).
  size_t tried = 0;
  for (size_t begin = 0; begin < text.size();) {
    size_t end = text.find('\n', begin);
    for (size_t at : {begin, begin + (end - begin) / 2, end > begin ? end - 1 : end, end}) {
      std::string changed = text;
      changed[at] = static_cast<char>(changed[at] ^ 1);
      auto read = read_approval_certificate(changed);
      EXPECT_FALSE(read.has_value() && verify_approval_certificate(*read, keys).has_value())
          << "byte " << at << " changed and it still verifies: " << text.substr(begin, end - begin);
      ++tried;
    }
    begin = end + 1;
  }
  EXPECT_GT(tried, 100U);

  // Another key, even under the log's name, does not check the checkpoint.
  audit::NoteSigner other = audit::NoteSigner::generate("clearcut.test/audit").value();
  std::vector<audit::NoteVerifier> other_keys = {other.verifier()};
  auto wrong = verify_approval_certificate(certificate, other_keys);
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code(), Code::kDataLoss);
  EXPECT_NE(wrong.error().message().find("not validly signed"), std::string::npos);
}

}  // namespace
}  // namespace clearcut::clearance
