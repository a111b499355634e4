#include "clearcut/clearance/clearance_service.h"

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "clearcut/audit/audit_event.h"
#include "clearcut/audit/checkpoint.h"
#include "clearcut/base/hex.h"
#include "clearcut/clearance/approval_certificate.h"
#include "clearcut/clearance/audit_payloads.h"
#include "clearcut/clearance/checklist.h"
#include "clearcut/clearance/declaration_diff.h"
#include "clearcut/crypto/sha256.h"
#include "clearcut/domain/declaration_reader.h"
#include "clearcut/domain/declaration_writer.h"
#include "clearcut/domain/validation.h"
#include "clearcut/policy/form.h"

namespace clearcut::clearance {

using domain::ChecklistItem;
using domain::ChecklistItemKind;
using domain::ChecklistItemState;
using domain::Role;
using domain::UseCase;
using domain::UseCaseEventKind;
using domain::UseCaseState;

namespace {

base::Error denied(const std::string& what) {
  return base::Error(base::ErrorCode::kPermissionDenied, what);
}

base::Error conflict(const std::string& what) {
  return base::Error(base::ErrorCode::kFailedPrecondition, what);
}

std::string state_name(UseCaseState state) {
  return std::string(domain::use_case_state_name(state));
}

base::Status check_revision(const UseCase& use_case, int64_t revision) {
  if (use_case.revision != revision) {
    return conflict("use case " + std::to_string(use_case.id) + " changed since revision " +
                    std::to_string(revision) + " (now " + std::to_string(use_case.revision) +
                    "); reload and try again")
        .with_field("revision");
  }
  return {};
}

// Reads a declaration for storage: strict, with the registry applied, tied to the production.
base::Result<domain::Declaration> read_declaration(std::string_view text,
                                                   const domain::Production& production,
                                                   const PolicyCache::Snapshot& policy,
                                                   const domain::ReviewPeriod& period) {
  domain::Declaration d = CC_TRY(domain::parse_declaration(text, "declaration"));
  if (d.production.empty()) {
    d.production = production.code;
  } else if (d.production != production.code) {
    return base::invalid_argument("the declaration names production '" + d.production +
                                  "' but the use case is filed under '" + production.code + "'")
        .with_field("production");
  }
  CC_TRY(domain::apply_registry(*policy.registry, period, &d));
  return d;
}

// Calls `fn` on every open use case, in id order, a page at a time.
base::Status for_each_open_use_case(store::Transaction& tx,
                                    const std::function<base::Status(UseCase&)>& fn) {
  store::UseCaseFilter filter;
  filter.limit = 1000;
  for (;;) {
    std::vector<UseCase> page = CC_TRY(tx.use_cases().list(filter));
    for (UseCase& use_case : page) {
      if (domain::is_open(use_case.state)) {
        CC_TRY(fn(use_case));
      }
    }
    if (page.size() < static_cast<size_t>(filter.limit)) {
      return {};
    }
    filter.after_id = page.back().id;
  }
}

// How an item is named where people read it: "talent_consent (TAL-1, TRIG-LIKENESS)",
// "question talent.real_person (TAL-5)", with what keeps it open when that is known.
std::string item_label(const ChecklistItem& item) {
  std::string label =
      item.kind == ChecklistItemKind::kQuestion ? "question " + item.name : item.name;
  if (!item.rules.empty()) {
    label += " (";
    for (size_t i = 0; i < item.rules.size(); ++i) {
      label += (i == 0 ? "" : ", ") + item.rules[i];
    }
    label += ")";
  }
  if (!item.note.empty()) {
    label += ": " + item.note;
  }
  return label;
}

// A text that is empty or only blanks says nothing: a signature, a reason, evidence.
bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

base::Result<ChecklistItem> find_checklist_item(store::Transaction& tx, int64_t use_case_id,
                                                int64_t item_id) {
  for (ChecklistItem& item : CC_TRY(tx.use_cases().list_checklist(use_case_id))) {
    if (item.id == item_id) {
      return item;
    }
  }
  return base::not_found("no checklist item " + std::to_string(item_id) + " on use case " +
                         std::to_string(use_case_id));
}

}  // namespace

namespace {

constexpr std::pair<std::string_view, UseCaseAction> kActionNames[] = {
    {"submit", UseCaseAction::kSubmit},
    {"withdraw", UseCaseAction::kWithdraw},
    {"acknowledge", UseCaseAction::kAcknowledge},
    {"request_changes", UseCaseAction::kRequestChanges},
    {"escalate", UseCaseAction::kEscalate},
    {"reject", UseCaseAction::kReject},
};

// Who may take `action` on the use case as it stands, and from which states (its revision
// aside): kPermissionDenied for the wrong role, kFailedPrecondition for the wrong state.
base::Status check_action(const Actor& actor, const UseCase& use_case, UseCaseAction action) {
  const UseCaseState state = use_case.state;
  auto require = [&](Role role, const char* who) -> base::Status {
    if (!actor.has_role(use_case.production_id, role)) {
      return denied(std::string("only ") + who + " on the production may do this");
    }
    return {};
  };
  auto not_allowed = [&](const char* what) {
    return conflict(std::string("cannot ") + what + " a use case that is " + state_name(state));
  };
  switch (action) {
    case UseCaseAction::kSubmit:
      CC_TRY(require(Role::kPartner, "a partner"));
      return state == UseCaseState::kDraft ? base::Status() : not_allowed("submit");
    case UseCaseAction::kWithdraw:
      CC_TRY(require(Role::kPartner, "a partner"));
      return state == UseCaseState::kWithdrawn || state == UseCaseState::kRejected
                 ? not_allowed("withdraw")
                 : base::Status();
    case UseCaseAction::kAcknowledge:
      CC_TRY(require(Role::kContact, "the studio contact"));
      return domain::is_open(state) ? base::Status() : not_allowed("acknowledge");
    case UseCaseAction::kRequestChanges:
      CC_TRY(require(Role::kContact, "the studio contact"));
      return state == UseCaseState::kNotified || state == UseCaseState::kEscalated
                 ? base::Status()
                 : not_allowed("ask for changes to");
    case UseCaseAction::kEscalate:
      CC_TRY(require(Role::kContact, "the studio contact"));
      return state == UseCaseState::kNotified ? base::Status() : not_allowed("escalate");
    case UseCaseAction::kReject:
      CC_TRY(require(Role::kLegal, "legal"));
      if (state != UseCaseState::kEscalated && state != UseCaseState::kNotified) {
        return not_allowed("reject");
      }
      if (use_case.created_by == actor.user.id) {
        return denied("nobody decides on a use case they submitted");
      }
      return {};
  }
  return not_allowed("act on");
}

// Who signs a written approval: legal on the production, never the one who submitted it.
base::Status check_approver(const Actor& actor, const UseCase& use_case) {
  if (!actor.has_role(use_case.production_id, Role::kLegal)) {
    return denied("only legal on the production grants written approval");
  }
  if (use_case.created_by == actor.user.id) {
    return denied("nobody approves a use case they submitted");
  }
  return {};
}

// A use case waiting on the studio is approvable.
base::Status check_approvable(const UseCase& use_case) {
  if (use_case.state != UseCaseState::kEscalated && use_case.state != UseCaseState::kNotified) {
    return conflict("cannot approve a use case that is " + state_name(use_case.state));
  }
  return {};
}

// The studio contact or legal on the production keeps a use case's checklist: records evidence
// and confirms a disclosure was made. `action` completes "only the studio contact or legal ...".
base::Status check_checklist_keeper(const Actor& actor, const UseCase& use_case,
                                    std::string_view action) {
  if (!actor.has_role(use_case.production_id, Role::kContact) &&
      !actor.has_role(use_case.production_id, Role::kLegal)) {
    return denied("only the studio contact or legal " + std::string(action));
  }
  return {};
}

// A partner edits declarations, of any use case not closed for good.
base::Status check_editor(const Actor& actor, const UseCase& use_case) {
  if (!actor.has_role(use_case.production_id, Role::kPartner)) {
    return denied("only a partner on the production edits declarations");
  }
  return {};
}
base::Status check_editable(const UseCase& use_case) {
  if (use_case.state == UseCaseState::kWithdrawn || use_case.state == UseCaseState::kRejected) {
    return conflict("a " + state_name(use_case.state) + " use case cannot be edited");
  }
  return {};
}

}  // namespace

std::vector<std::string> allowed_actions(const Actor& actor, const UseCase& use_case) {
  std::vector<std::string> out;
  if (check_editor(actor, use_case).has_value() && check_editable(use_case).has_value()) {
    out.emplace_back("edit");
  }
  for (const auto& [name, action] : kActionNames) {
    if (check_action(actor, use_case, action).has_value()) {
      out.emplace_back(name);
    }
  }
  if (check_approver(actor, use_case).has_value() && check_approvable(use_case).has_value()) {
    out.emplace_back("approve");
  }
  return out;
}

std::optional<UseCaseAction> parse_use_case_action(std::string_view name) {
  for (const auto& [text, action] : kActionNames) {
    if (text == name) {
      return action;
    }
  }
  return std::nullopt;
}

base::Result<Assessment> ClearanceService::assess(std::string_view declaration_text) const {
  return assess(CC_TRY(domain::parse_declaration(declaration_text, "declaration")));
}

base::Result<Assessment> ClearanceService::assess(domain::Declaration declaration) const {
  PolicyCache::Snapshot policy = CC_TRY(policy_.get());
  Assessment out;
  out.declaration = std::move(declaration);
  CC_TRY(domain::apply_registry(*policy.registry, review_period(policy), &out.declaration));
  policy::Decision decision = policy.engine->evaluate(out.declaration);
  out.view = policy::explain(policy.engine->pack(), out.declaration, decision);
  out.decision_json = policy::to_json(out.view);
  return out;
}

base::Result<Assessment> ClearanceService::assess_form(domain::Declaration declaration) const {
  PolicyCache::Snapshot policy = CC_TRY(policy_.get());
  Assessment out;
  out.declaration = std::move(declaration);
  CC_TRY(domain::apply_registry(*policy.registry, review_period(policy), &out.declaration));
  policy::Decision decision;
  policy::FormView form = policy::complete_form(*policy.engine, &out.declaration, &decision);
  out.view = policy::explain(policy.engine->pack(), out.declaration, decision);
  out.decision_json = policy::to_json(out.view);
  out.form_json = policy::form_json(form);
  return out;
}

base::Result<std::shared_ptr<const policy::PolicyPack>> ClearanceService::active_pack() const {
  PolicyCache::Snapshot policy = CC_TRY(policy_.get());
  return policy.engine->shared_pack();
}

base::Status ClearanceService::record(store::Transaction& tx, const Actor* actor,
                                      const std::string& action, const std::string& subject_type,
                                      int64_t subject_id, const std::string& payload_json) {
  audit::AuditEvent event;
  event.time = now();
  event.actor = actor != nullptr ? actor->audit_name() : "system";
  event.action = action;
  event.subject_type = subject_type;
  event.subject_id = std::to_string(subject_id);
  event.payload_json = payload_json;
  CC_TRY(audit_.append(tx, std::move(event)));
  return {};
}

base::Status ClearanceService::record_event(store::Transaction& tx, const Actor* actor,
                                            const UseCase& use_case, UseCaseEventKind kind,
                                            const std::string& from_state,
                                            const std::string& note) {
  domain::UseCaseEvent event;
  event.use_case_id = use_case.id;
  event.actor_id = actor != nullptr ? actor->user.id : 0;
  event.kind = kind;
  event.from_state = from_state;
  event.to_state = state_name(use_case.state);
  event.note = note;
  event.at = now();
  CC_TRY(tx.use_cases().append_event(event));
  nlohmann::json payload = {
      {"from", from_state},
      {"to", event.to_state},
      {"revision", use_case.revision},
      {"declaration_digest", use_case.declaration_digest},
      {"outcome", domain::use_case_outcome_text(use_case.outcome)},
      {"policy_digest", use_case.policy_digest},
      // Enough to rebuild the use_cases and use_case_events rows
      // (`audit verify`); events written before carry less.
      {"summary", use_case.summary},
      {"engine_version", use_case.engine_version},
      {"declaration_sha256", base::to_hex(crypto::sha256(use_case.declaration_json))},
      {"decision_sha256", base::to_hex(crypto::sha256(use_case.decision_json))},
      {"updated_at", use_case.updated_at},
      {"at", event.at}};
  if (kind == UseCaseEventKind::kCreated) {
    payload["production_id"] = use_case.production_id;
    payload["created_by"] = use_case.created_by;
    payload["created_at"] = use_case.created_at;
  }
  if (!note.empty()) {
    payload["note"] = note;
  }
  return record(tx, actor, "use_case." + std::string(domain::use_case_event_kind_name(kind)),
                "use_case", use_case.id, payload.dump());
}

domain::ReviewPeriod ClearanceService::review_period(const PolicyCache::Snapshot& policy) const {
  return {policy.engine->pack().tool_review_months(), domain::utc_day(clock_.now())};
}

base::Status ClearanceService::triage(const PolicyCache::Snapshot& policy,
                                      UseCase* use_case) const {
  domain::Declaration d = CC_TRY(domain::parse_declaration(use_case->declaration_json, "stored"));
  CC_TRY(domain::apply_registry(*policy.registry, review_period(policy), &d));
  policy::Decision decision = policy.engine->evaluate(d);
  policy::DecisionView view = policy::explain(policy.engine->pack(), d, decision);
  use_case->outcome = decision.outcome;
  use_case->decision_json = policy::to_json(view);
  use_case->policy_digest = policy.engine->pack().digest();
  use_case->engine_version = std::string(policy::kEngineVersion);
  use_case->state = decision.outcome == policy::Outcome::kNotify ? UseCaseState::kNotified
                                                                 : UseCaseState::kEscalated;
  return {};
}

base::Result<UseCase> ClearanceService::visible_use_case(store::Transaction& tx, const Actor& actor,
                                                         int64_t id) {
  auto use_case = tx.use_cases().get(id);
  if (!use_case.has_value() || (!actor.admin() && !actor.member_of(use_case->production_id))) {
    return base::not_found("no use case " + std::to_string(id));
  }
  return use_case;
}

base::Result<UseCase> ClearanceService::create_use_case(const Actor& actor, int64_t production_id,
                                                        std::string_view declaration_text,
                                                        bool submit) {
  auto tx = CC_TRY(store_.begin());
  auto production = tx->accounts().get_production(production_id);
  if (!production.has_value() || (!actor.admin() && !actor.member_of(production_id))) {
    return base::not_found("no production " + std::to_string(production_id));
  }
  if (!actor.has_role(production_id, Role::kPartner)) {
    return denied("only a partner on the production declares use cases");
  }
  PolicyCache::Snapshot policy = CC_TRY(PolicyCache::load(*tx));
  domain::Declaration d =
      CC_TRY(read_declaration(declaration_text, *production, policy, review_period(policy)));
  UseCase use_case;
  use_case.production_id = production_id;
  use_case.created_by = actor.user.id;
  use_case.summary = d.summary;
  use_case.declaration_json = domain::declaration_to_json(d);
  use_case.declaration_digest = domain::declaration_digest(d);
  use_case.state = UseCaseState::kDraft;
  use_case.created_at = use_case.updated_at = now();
  use_case.id = CC_TRY(tx->use_cases().create(use_case));
  CC_TRY(record_event(*tx, &actor, use_case, UseCaseEventKind::kCreated, "", ""));
  if (submit) {
    CC_TRY(triage(policy, &use_case));
    CC_TRY(tx->use_cases().update(use_case));
    ++use_case.revision;
    CC_TRY(record_event(*tx, &actor, use_case, UseCaseEventKind::kSubmitted, "draft", ""));
    CC_TRY(sync_checklist(*tx, &actor, use_case));
  }
  CC_TRY(tx->commit());
  return use_case;
}

base::Result<UseCaseDetail> ClearanceService::get_use_case(const Actor& actor, int64_t id) {
  auto tx = CC_TRY(store_.begin());
  UseCaseDetail detail;
  detail.use_case = CC_TRY(visible_use_case(*tx, actor, id));
  detail.allowed_actions = allowed_actions(actor, detail.use_case);
  detail.events = CC_TRY(tx->use_cases().list_events(id));
  detail.comments = CC_TRY(tx->use_cases().list_comments(id));
  detail.approvals = CC_TRY(tx->approvals().list_approvals(id));
  std::vector<int64_t> people = {detail.use_case.created_by, detail.use_case.assignee_id};
  for (const domain::Approval& a : detail.approvals) {
    people.push_back(a.approver_id);
  }
  for (const domain::UseCaseEvent& e : detail.events) {
    people.push_back(e.actor_id);
  }
  for (const domain::Comment& c : detail.comments) {
    people.push_back(c.author_id);
  }
  for (int64_t user_id : people) {
    if (user_id == 0 || detail.names.contains(user_id)) {
      continue;  // 0: the system (a re-triage by a new pack), or nobody assigned
    }
    domain::User user = CC_TRY(tx->accounts().get_user(user_id));
    detail.names[user_id] = user.name.empty() ? user.email : user.name;
  }
  return detail;
}

base::Result<std::vector<UseCase>> ClearanceService::list_use_cases(const Actor& actor,
                                                                    store::UseCaseFilter filter) {
  auto tx = CC_TRY(store_.begin());
  // A production one may not see, or that does not exist, is not found, as on every other
  // route under /productions/{id}; an empty list would say it exists and is empty.
  for (int64_t production_id : filter.production_ids) {
    if (!actor.admin() && !actor.member_of(production_id)) {
      return base::not_found("no production " + std::to_string(production_id));
    }
    CC_TRY(tx->accounts().get_production(production_id));
  }
  if (!actor.admin() && filter.production_ids.empty()) {
    for (const auto& m : actor.memberships) {
      if (std::find(filter.production_ids.begin(), filter.production_ids.end(), m.production_id) ==
          filter.production_ids.end()) {
        filter.production_ids.push_back(m.production_id);
      }
    }
    if (filter.production_ids.empty()) {
      return std::vector<UseCase>{};
    }
  }
  return tx->use_cases().list(filter);
}

base::Result<ClearanceService::Edit> ClearanceService::plan_edit(
    store::Transaction& tx, const Actor& actor, int64_t id, int64_t revision,
    std::string_view declaration_text) {
  Edit edit;
  edit.before = CC_TRY(visible_use_case(tx, actor, id));
  CC_TRY(check_editor(actor, edit.before));
  CC_TRY(check_revision(edit.before, revision));
  CC_TRY(check_editable(edit.before));
  domain::Production production = CC_TRY(tx.accounts().get_production(edit.before.production_id));
  PolicyCache::Snapshot policy = CC_TRY(PolicyCache::load(tx));
  domain::Declaration d =
      CC_TRY(read_declaration(declaration_text, production, policy, review_period(policy)));
  edit.after = edit.before;
  edit.after.declaration_digest = domain::declaration_digest(d);
  if (edit.after.declaration_digest == edit.before.declaration_digest) {
    return edit;  // nothing changes
  }
  edit.after.summary = d.summary;
  edit.after.declaration_json = domain::declaration_to_json(d);
  edit.changes =
      CC_TRY(diff_declarations(edit.before.declaration_json, edit.after.declaration_json));
  if (edit.before.state != UseCaseState::kDraft) {
    // The approvals were for another declaration: outdated, and the case goes back for review.
    for (const domain::Approval& approval : CC_TRY(tx.approvals().list_approvals(id))) {
      if (approval.granted && !approval.outdated) {
        edit.outdated_approvals.push_back(approval.id);
      }
    }
    CC_TRY(triage(policy, &edit.after));
  }
  return edit;
}

base::Result<EditPreview> ClearanceService::preview_declaration_update(
    const Actor& actor, int64_t id, int64_t revision, std::string_view declaration_text) {
  auto tx = CC_TRY(store_.begin());
  Edit edit = CC_TRY(plan_edit(*tx, actor, id, revision, declaration_text));
  EditPreview preview;
  preview.changes = std::move(edit.changes);
  preview.outdated_approvals = std::move(edit.outdated_approvals);
  preview.state_before = edit.before.state;
  preview.state_after = edit.after.state;
  preview.outcome_before = edit.before.outcome;
  preview.outcome_after = edit.after.outcome;
  return preview;
}

base::Result<UseCase> ClearanceService::update_declaration(const Actor& actor, int64_t id,
                                                           int64_t revision,
                                                           std::string_view declaration_text) {
  auto tx = CC_TRY(store_.begin());
  Edit edit = CC_TRY(plan_edit(*tx, actor, id, revision, declaration_text));
  if (edit.changes.empty()) {
    return edit.before;
  }
  UseCase& use_case = edit.after;
  use_case.updated_at = now();
  // The history keeps what changed, old → new, and what the edit did to the approvals.
  std::string note;
  if (edit.before.state != UseCaseState::kDraft) {
    CC_TRY(tx->approvals().mark_approvals_outdated(use_case.id));
    note = "declaration changed after submission: ";
    if (!edit.outdated_approvals.empty()) {
      note += std::to_string(edit.outdated_approvals.size()) +
              (edit.outdated_approvals.size() == 1 ? " approval" : " approvals") + " outdated, ";
    }
    note += "re-triaged; ";
  }
  note += "changed " + describe_changes(edit.changes);
  CC_TRY(tx->use_cases().update(use_case));
  ++use_case.revision;
  CC_TRY(record_event(*tx, &actor, use_case, UseCaseEventKind::kEdited,
                      state_name(edit.before.state), note));
  if (use_case.state != UseCaseState::kDraft) {
    CC_TRY(sync_checklist(*tx, &actor, use_case));
  }
  CC_TRY(tx->commit());
  return use_case;
}

base::Result<UseCase> ClearanceService::transition(const Actor& actor, int64_t id, int64_t revision,
                                                   UseCaseAction action, const std::string& note) {
  auto tx = CC_TRY(store_.begin());
  UseCase use_case = CC_TRY(visible_use_case(*tx, actor, id));
  CC_TRY(check_revision(use_case, revision));
  CC_TRY(check_action(actor, use_case, action));
  const std::string from = state_name(use_case.state);
  UseCaseEventKind kind = UseCaseEventKind::kSubmitted;
  switch (action) {
    case UseCaseAction::kSubmit: {
      PolicyCache::Snapshot policy = CC_TRY(PolicyCache::load(*tx));
      CC_TRY(triage(policy, &use_case));
      kind = UseCaseEventKind::kSubmitted;
      break;
    }
    case UseCaseAction::kWithdraw:
      use_case.state = UseCaseState::kWithdrawn;
      kind = UseCaseEventKind::kWithdrawn;
      break;
    case UseCaseAction::kAcknowledge:
      kind = UseCaseEventKind::kAcknowledged;
      break;
    case UseCaseAction::kRequestChanges:
      use_case.state = UseCaseState::kDraft;
      kind = UseCaseEventKind::kChangesRequested;
      break;
    case UseCaseAction::kEscalate:
      use_case.state = UseCaseState::kEscalated;
      kind = UseCaseEventKind::kEscalated;
      break;
    case UseCaseAction::kReject:
      use_case.state = UseCaseState::kRejected;
      kind = UseCaseEventKind::kRejected;
      break;
  }
  use_case.updated_at = now();
  CC_TRY(tx->use_cases().update(use_case));
  ++use_case.revision;
  CC_TRY(record_event(*tx, &actor, use_case, kind, from, note));
  if (action == UseCaseAction::kSubmit) {
    CC_TRY(sync_checklist(*tx, &actor, use_case));
  }
  CC_TRY(tx->commit());
  return use_case;
}

base::Result<domain::Approval> ClearanceService::approve(const Actor& actor, int64_t id,
                                                         int64_t revision,
                                                         const ApprovalRequest& request) {
  auto tx = CC_TRY(store_.begin());
  UseCase use_case = CC_TRY(visible_use_case(*tx, actor, id));
  CC_TRY(check_approver(actor, use_case));
  CC_TRY(check_revision(use_case, revision));
  CC_TRY(check_approvable(use_case));
  domain::ApprovalScope scope = CC_TRY(domain::parse_approval_scope(request.scope_json));
  // An approval that has lapsed before it is granted clears nothing. A text that is not a time
  // is refused before the signature and the checklist are looked at.
  CC_TRY(domain::check_optional_time(request.expires_at, "expires_at"));
  if (auto expiry = domain::parse_rfc3339_utc(request.expires_at);
      expiry && *expiry <= clock_.now()) {
    return base::invalid_argument("the expiry is not in the future").with_field("expires_at");
  }
  if (blank(request.signer_name)) {
    return base::invalid_argument("type your full name to sign the approval")
        .with_field("signer_name");
  }
  if (blank(request.reason)) {
    return base::invalid_argument("give the reason for the approval").with_field("reason");
  }
  std::vector<ChecklistItem> checklist = CC_TRY(checklist_of(*tx, use_case));
  std::string open;
  for (const ChecklistItem& item : checklist) {
    if (item.state == ChecklistItemState::kOpen) {
      open += (open.empty() ? "" : "; ") + item_label(item);
    }
  }
  if (!open.empty()) {
    return conflict("the checklist has open items: " + open).with_field("checklist");
  }
  domain::Approval approval;
  approval.use_case_id = id;
  approval.approver_id = actor.user.id;
  approval.granted = true;
  approval.declaration_digest = use_case.declaration_digest;
  approval.conditions = request.conditions;
  approval.scope = std::move(scope);
  approval.expires_at = request.expires_at;
  approval.signer_name = request.signer_name;
  approval.reason = request.reason;
  approval.created_at = now();
  approval.id = CC_TRY(tx->approvals().add_approval(approval));
  std::string from = state_name(use_case.state);
  use_case.state = UseCaseState::kApproved;
  use_case.updated_at = approval.created_at;
  CC_TRY(tx->use_cases().update(use_case));
  ++use_case.revision;
  CC_TRY(
      record_event(*tx, &actor, use_case, UseCaseEventKind::kApproved, from, request.conditions));
  // The event carries everything the certificate shows, so that the log's proof of it proves
  // what was signed.
  std::vector<domain::Consent> consents =
      CC_TRY(tx->approvals().list_consents(use_case.production_id));
  std::string payload = approval_event_payload(approval, actor.user, use_case, checklist, consents);
  CC_TRY(
      record(*tx, &actor, std::string(kApprovalGrantedAction), "approval", approval.id, payload));
  CC_TRY(tx->commit());
  return approval;
}

base::Result<std::string> ClearanceService::approval_certificate(const Actor& actor,
                                                                 int64_t approval_id) {
  ApprovalCertificate certificate;
  {
    auto tx = CC_TRY(store_.begin());
    auto approval = tx->approvals().get_approval(approval_id);
    if (!approval.has_value() || !approval->granted ||
        !visible_use_case(*tx, actor, approval->use_case_id).has_value()) {
      return base::not_found("no approval " + std::to_string(approval_id));
    }
    auto record = CC_TRY(
        tx->audit().find_first(kApprovalGrantedAction, "approval", std::to_string(approval_id)));
    if (!record || !nlohmann::json::parse(record->event.payload_json, nullptr, false)
                        .contains("declaration")) {
      return base::Error(base::ErrorCode::kFailedPrecondition,
                         "approval " + std::to_string(approval_id) +
                             " was granted before approvals were certified: its audit event does "
                             "not carry the declaration, decision and checklist");
    }
    certificate.event = record->event;
  }
  // A checkpoint of everything committed now covers the event; the proof is against it.
  certificate.checkpoint = CC_TRY(audit_.checkpoint(store_, now()));
  audit::Checkpoint signed_tree =
      CC_TRY(audit::open_checkpoint(certificate.checkpoint, audit_.verifier(), audit_.origin()));
  certificate.tree_size = signed_tree.size;
  certificate.inclusion_proof =
      CC_TRY(audit_.inclusion_proof(store_, certificate.event.sequence, signed_tree.size));
  return write_approval_certificate(certificate);
}

base::Status ClearanceService::sync_checklist(store::Transaction& tx, const Actor* actor,
                                              const UseCase& use_case) {
  std::vector<ChecklistItem> derived = CC_TRY(derive_checklist(use_case.decision_json));
  std::vector<ChecklistItem> stored = CC_TRY(tx.use_cases().list_checklist(use_case.id));
  ChecklistChanges changes = reconcile_checklist(stored, derived);
  if (changes.empty()) {
    return {};
  }
  nlohmann::json removed = nlohmann::json::array();
  for (const ChecklistItem& item : changes.removed) {
    CC_TRY(tx.use_cases().delete_checklist_item(item.id));
    removed.push_back(item.id);
  }
  for (const ChecklistItem& item : changes.updated) {
    CC_TRY(tx.use_cases().update_checklist_item(item));
  }
  nlohmann::json items = nlohmann::json::array();
  for (ChecklistItem& item : changes.result) {
    if (item.id == 0) {
      item.use_case_id = use_case.id;
      item.id = CC_TRY(tx.use_cases().add_checklist_item(item));
    }
    items.push_back({{"id", item.id},
                     {"kind", domain::checklist_item_kind_name(item.kind)},
                     {"name", item.name},
                     {"rules", item.rules},
                     {"conditional", item.conditional},
                     {"state", domain::checklist_item_state_name(item.state)}});
  }
  return record(tx, actor, "checklist.derived", "use_case", use_case.id,
                nlohmann::json({{"items", items}, {"removed", removed}}).dump());
}

base::Result<std::vector<ChecklistItem>> ClearanceService::checklist_of(store::Transaction& tx,
                                                                        const UseCase& use_case) {
  std::vector<ChecklistItem> items = CC_TRY(tx.use_cases().list_checklist(use_case.id));
  auto asks = [&items](EvidenceKind kind) {
    return std::any_of(items.begin(), items.end(), [kind](const ChecklistItem& item) {
      return item.kind == ChecklistItemKind::kAction && item.state != ChecklistItemState::kWaived &&
             checklist_evidence_kind(item.name) == kind;
    });
  };
  const bool asks_consent = asks(EvidenceKind::kConsent);
  const bool asks_review = asks(EvidenceKind::kRegistry);
  if (!asks_consent && !asks_review) {
    return items;
  }
  domain::Declaration d = CC_TRY(domain::parse_declaration(use_case.declaration_json, "stored"));
  if (asks_consent) {
    std::vector<domain::Consent> consents =
        CC_TRY(tx.approvals().list_consents(use_case.production_id));
    apply_consent_coverage(covering_consents(d, consents, use_case.id, clock_.now()), &items);
  }
  if (asks_review) {
    // The registry and the pack as this transaction sees them (the cache would need a second
    // connection): a review that lapsed since the triage reopens the item.
    PolicyCache::Snapshot policy = CC_TRY(PolicyCache::load(tx));
    apply_tool_reviews(d, *policy.registry, review_period(policy), &items);
  }
  return items;
}

base::Result<std::vector<ChecklistItem>> ClearanceService::get_checklist(const Actor& actor,
                                                                         int64_t use_case_id) {
  auto tx = CC_TRY(store_.begin());
  UseCase use_case = CC_TRY(visible_use_case(*tx, actor, use_case_id));
  return checklist_of(*tx, use_case);
}

base::Result<ChecklistItem> ClearanceService::record_evidence(const Actor& actor,
                                                              int64_t use_case_id, int64_t item_id,
                                                              const ChecklistEvidence& evidence) {
  auto tx = CC_TRY(store_.begin());
  UseCase use_case = CC_TRY(visible_use_case(*tx, actor, use_case_id));
  CC_TRY(check_checklist_keeper(actor, use_case, "records checklist evidence"));
  ChecklistItem item = CC_TRY(find_checklist_item(*tx, use_case_id, item_id));
  if (use_case.state == UseCaseState::kWithdrawn || use_case.state == UseCaseState::kRejected) {
    return conflict("the use case is " + state_name(use_case.state));
  }
  if (item.kind == ChecklistItemKind::kQuestion) {
    return conflict("a question is settled by amending the declaration, or waived by legal");
  }
  std::optional<EvidenceKind> kind = checklist_evidence_kind(item.name);
  if (kind == EvidenceKind::kConsent) {
    return conflict(item.name +
                    " is met by consent records linked to the use case, not by a statement");
  }
  if (kind == EvidenceKind::kRegistry) {
    return conflict(item.name +
                    " is met by the tool registry: every stage names a tool reviewed within the "
                    "pack's review period; an admin records a new review there");
  }
  if (evidence.text.size() > 20000) {
    return base::invalid_argument("evidence has at most 20000 characters").with_field("text");
  }
  nlohmann::json recorded = nlohmann::json::object();
  if (kind == EvidenceKind::kDocument) {
    if (evidence.document_sha256.size() != 64 || !base::from_hex(evidence.document_sha256)) {
      return base::invalid_argument("expected the hex SHA-256 of the licence or clearance")
          .with_field("document_sha256");
    }
    recorded["document_sha256"] = evidence.document_sha256;
  } else if (!evidence.document_sha256.empty()) {
    return base::invalid_argument(item.name + " is met by a statement, not a document")
        .with_field("document_sha256");
  }
  if (blank(evidence.text) && kind != EvidenceKind::kDocument) {
    return base::invalid_argument("say what meets " + item.name).with_field("text");
  }
  if (!evidence.text.empty()) {
    recorded["text"] = evidence.text;
  }
  item.state = ChecklistItemState::kMet;
  item.evidence_json = recorded.dump();
  item.reason.clear();
  item.decided_by = actor.user.id;
  item.decided_at = now();
  CC_TRY(tx->use_cases().update_checklist_item(item));
  CC_TRY(record(*tx, &actor, "checklist.evidence", "checklist_item", item.id,
                nlohmann::json({{"use_case_id", use_case_id},
                                {"name", item.name},
                                {"evidence", recorded},
                                {"decided_at", item.decided_at}})
                    .dump()));
  CC_TRY(tx->commit());
  return item;
}

base::Result<ChecklistItem> ClearanceService::confirm_disclosure(const Actor& actor,
                                                                 int64_t use_case_id,
                                                                 int64_t item_id,
                                                                 const std::string& text) {
  auto tx = CC_TRY(store_.begin());
  UseCase use_case = CC_TRY(visible_use_case(*tx, actor, use_case_id));
  CC_TRY(check_checklist_keeper(actor, use_case, "confirms a disclosure"));
  ChecklistItem item = CC_TRY(find_checklist_item(*tx, use_case_id, item_id));
  if (item.name != "audience_disclosure") {
    return conflict("only the audience_disclosure item is confirmed; " + item.name +
                    " is met by its evidence");
  }
  if (item.state != ChecklistItemState::kMet) {
    return conflict("record the disclosure plan (where and how) before confirming it was made");
  }
  if (blank(text)) {
    return base::invalid_argument(
               "say where the disclosure was made (the card's timecode, the credit, the caption "
               "file, the metadata field)")
        .with_field("text");
  }
  if (text.size() > 20000) {
    return base::invalid_argument("a confirmation has at most 20000 characters").with_field("text");
  }
  nlohmann::json evidence = nlohmann::json::parse(item.evidence_json, nullptr, false);
  if (!evidence.is_object()) {
    evidence = nlohmann::json::object();
  }
  evidence["confirmation"] = {{"text", text}, {"by", actor.user.id}, {"at", now()}};
  item.evidence_json = evidence.dump();
  CC_TRY(tx->use_cases().update_checklist_item(item));
  CC_TRY(record(
      *tx, &actor, "checklist.confirmed", "checklist_item", item.id,
      nlohmann::json({{"use_case_id", use_case_id}, {"name", item.name}, {"evidence", evidence}})
          .dump()));
  CC_TRY(tx->commit());
  return item;
}

base::Result<ChecklistItem> ClearanceService::waive_checklist_item(const Actor& actor,
                                                                   int64_t use_case_id,
                                                                   int64_t item_id,
                                                                   const std::string& reason) {
  auto tx = CC_TRY(store_.begin());
  UseCase use_case = CC_TRY(visible_use_case(*tx, actor, use_case_id));
  if (!actor.has_role(use_case.production_id, Role::kLegal)) {
    return denied("only legal waives checklist items");
  }
  if (blank(reason) || reason.size() > 20000) {
    return base::invalid_argument("a waiver needs a reason (1 to 20000 characters)")
        .with_field("reason");
  }
  ChecklistItem item = CC_TRY(find_checklist_item(*tx, use_case_id, item_id));
  if (use_case.state == UseCaseState::kWithdrawn || use_case.state == UseCaseState::kRejected) {
    return conflict("the use case is " + state_name(use_case.state));
  }
  if (item.kind == ChecklistItemKind::kAction && !item.conditional &&
      checklist_evidence_kind(item.name) == EvidenceKind::kConsent) {
    return conflict(item_label(item) +
                    " is met only by consent records linked to the use case; it cannot be waived");
  }
  item.state = ChecklistItemState::kWaived;
  item.evidence_json.clear();
  item.reason = reason;
  item.decided_by = actor.user.id;
  item.decided_at = now();
  CC_TRY(tx->use_cases().update_checklist_item(item));
  CC_TRY(record(*tx, &actor, "checklist.waived", "checklist_item", item.id,
                nlohmann::json({{"use_case_id", use_case_id},
                                {"name", item.name},
                                {"reason", reason},
                                {"decided_at", item.decided_at}})
                    .dump()));
  CC_TRY(tx->commit());
  return item;
}

base::Result<domain::Comment> ClearanceService::add_comment(const Actor& actor, int64_t use_case_id,
                                                            const std::string& body) {
  if (body.empty() || body.size() > 20000) {
    return base::invalid_argument("a comment has 1 to 20000 characters").with_field("body");
  }
  auto tx = CC_TRY(store_.begin());
  UseCase use_case = CC_TRY(visible_use_case(*tx, actor, use_case_id));
  if (!actor.member_of(use_case.production_id)) {
    return denied("only members of the production comment");
  }
  domain::Comment comment;
  comment.use_case_id = use_case_id;
  comment.author_id = actor.user.id;
  comment.body = body;
  comment.created_at = now();
  comment.id = CC_TRY(tx->use_cases().add_comment(comment));
  CC_TRY(
      record(*tx, &actor, "comment.added", "use_case", use_case_id,
             nlohmann::json(
                 {{"comment_id", comment.id}, {"body", body}, {"created_at", comment.created_at}})
                 .dump()));
  CC_TRY(tx->commit());
  return comment;
}

base::Result<domain::Consent> ClearanceService::record_consent(const Actor& actor,
                                                               domain::Consent consent) {
  if (!actor.has_role(consent.production_id, Role::kLegal)) {
    return actor.member_of(consent.production_id) || actor.admin()
               ? base::Result<domain::Consent>(denied("only legal records consents"))
               : base::Result<domain::Consent>(
                     base::not_found("no production " + std::to_string(consent.production_id)));
  }
  if (consent.performer.empty()) {
    return base::invalid_argument("name the performer").with_field("performer");
  }
  if (consent.document_sha256.size() != 64) {
    return base::invalid_argument("expected the hex SHA-256 of the signed document")
        .with_field("document_sha256");
  }
  auto tx = CC_TRY(store_.begin());
  if (consent.use_case_id != 0) {
    UseCase use_case = CC_TRY(visible_use_case(*tx, actor, consent.use_case_id));
    if (use_case.production_id != consent.production_id) {
      return base::invalid_argument("the use case belongs to another production")
          .with_field("use_case_id");
    }
  }
  consent.recorded_by = actor.user.id;
  consent.created_at = now();
  consent.revoked_at.clear();
  consent.id = CC_TRY(tx->approvals().add_consent(consent));
  nlohmann::json payload = {{"performer", consent.performer},
                            {"kind", domain::consent_kind_name(consent.kind)},
                            {"scope", consent.scope},
                            {"document_sha256", consent.document_sha256},
                            {"use_case_id", consent.use_case_id},
                            {"expires_at", consent.expires_at},
                            {"production_id", consent.production_id},
                            {"created_at", consent.created_at}};
  CC_TRY(record(*tx, &actor, "consent.recorded", "consent", consent.id, payload.dump()));
  CC_TRY(tx->commit());
  return consent;
}

base::Result<domain::Consent> ClearanceService::revoke_consent(const Actor& actor,
                                                               int64_t consent_id) {
  auto tx = CC_TRY(store_.begin());
  auto consent = tx->approvals().get_consent(consent_id);
  if (!consent.has_value() || (!actor.admin() && !actor.member_of(consent->production_id))) {
    return base::not_found("no consent " + std::to_string(consent_id));
  }
  if (!actor.has_role(consent->production_id, Role::kLegal)) {
    return denied("only legal revokes consents");
  }
  if (!consent->revoked_at.empty()) {
    return conflict("consent " + std::to_string(consent_id) + " is already revoked");
  }
  consent->revoked_at = now();
  CC_TRY(tx->approvals().revoke_consent(consent_id, consent->revoked_at));
  CC_TRY(record(*tx, &actor, "consent.revoked", "consent", consent_id,
                nlohmann::json({{"revoked_at", consent->revoked_at}}).dump()));
  CC_TRY(
      suspend_uncovered(*tx, &actor, *consent,
                        "consent " + std::to_string(consent_id) + " (" + consent->performer +
                            ") revoked: approvals suspended, cleared outputs provisional again"));
  CC_TRY(tx->commit());
  return *consent;
}

base::Status ClearanceService::suspend_uncovered(store::Transaction& tx, const Actor* actor,
                                                 const domain::Consent& consent,
                                                 const std::string& why) {
  // An approved use case whose consent items the remaining consents no longer cover loses its
  // approvals (outdated), goes back to legal (escalated), and the outputs they cleared are
  // provisional again, so that a scan fails on them.
  store::UseCaseFilter filter;
  filter.production_ids = {consent.production_id};
  filter.state = UseCaseState::kApproved;
  filter.limit = store::kMaxListLimit;
  std::vector<UseCase> approved = CC_TRY(tx.use_cases().list(filter));
  for (UseCase& use_case : approved) {
    if (consent.use_case_id != 0 && consent.use_case_id != use_case.id) {
      continue;
    }
    std::vector<ChecklistItem> items = CC_TRY(checklist_of(tx, use_case));
    bool uncovered = std::any_of(items.begin(), items.end(), [](const ChecklistItem& item) {
      return item.kind == ChecklistItemKind::kAction && item.state == ChecklistItemState::kOpen &&
             checklist_evidence_kind(item.name) == EvidenceKind::kConsent;
    });
    if (!uncovered) {
      continue;
    }
    CC_TRY(tx.approvals().mark_approvals_outdated(use_case.id));
    for (int64_t after = 0;;) {
      std::vector<domain::Asset> page =
          CC_TRY(tx.assets().list(use_case.production_id, after, store::kMaxListLimit));
      for (const domain::Asset& asset : page) {
        if (asset.use_case_id != use_case.id || asset.status != domain::AssetStatus::kCleared) {
          continue;
        }
        CC_TRY(tx.assets().set_status(asset.id, domain::AssetStatus::kProvisional));
        CC_TRY(
            record(tx, actor, "asset.status", "asset", asset.id,
                   nlohmann::json({{"status", "provisional"}, {"from", "cleared"}, {"note", why}})
                       .dump()));
      }
      if (page.size() < static_cast<size_t>(store::kMaxListLimit)) {
        break;
      }
      after = page.back().id;
    }
    use_case.state = UseCaseState::kEscalated;
    use_case.updated_at = now();
    CC_TRY(tx.use_cases().update(use_case));
    ++use_case.revision;
    CC_TRY(record_event(tx, actor, use_case, UseCaseEventKind::kSuspended, "approved", why));
  }
  return {};
}

base::Result<int> ClearanceService::lapse_expired_consents() {
  std::vector<domain::Consent> candidates;
  {
    auto tx = CC_TRY(store_.begin());
    candidates = CC_TRY(tx->approvals().list_consents_to_lapse());
  }
  const auto at = clock_.now();
  int lapsed = 0;
  for (const domain::Consent& candidate : candidates) {
    auto expiry = domain::parse_rfc3339_utc(candidate.expires_at);
    if (!expiry.has_value() || *expiry > at) {
      continue;  // the store checked the text when it was recorded; a bad one never lapses
    }
    // One transaction a consent: a lapse is marked, logged and acted on together, and a server
    // that lost the race to mark it (kFailedPrecondition) leaves it to the one that won.
    auto tx = CC_TRY(store_.begin());
    const std::string lapsed_at = now();
    base::Status marked = tx->approvals().lapse_consent(candidate.id, lapsed_at);
    if (!marked.has_value()) {
      if (marked.error().code() == base::ErrorCode::kFailedPrecondition) {
        continue;
      }
      return marked.error();
    }
    CC_TRY(record(
        *tx, nullptr, "consent.expired", "consent", candidate.id,
        nlohmann::json({{"lapsed_at", lapsed_at}, {"expires_at", candidate.expires_at}}).dump()));
    CC_TRY(suspend_uncovered(*tx, nullptr, candidate,
                             "consent " + std::to_string(candidate.id) + " (" +
                                 candidate.performer + ") expired on " + candidate.expires_at +
                                 ": approvals suspended, cleared outputs provisional again"));
    CC_TRY(tx->commit());
    ++lapsed;
  }
  return lapsed;
}

base::Result<std::vector<domain::Consent>> ClearanceService::list_consents(const Actor& actor,
                                                                           int64_t production_id) {
  if (!actor.admin() && !actor.member_of(production_id)) {
    return base::not_found("no production " + std::to_string(production_id));
  }
  auto tx = CC_TRY(store_.begin());
  CC_TRY(tx->accounts().get_production(production_id));
  return tx->approvals().list_consents(production_id);
}

base::Result<std::vector<domain::Production>> ClearanceService::list_productions(
    const Actor& actor) {
  auto tx = CC_TRY(store_.begin());
  std::vector<domain::Production> all = CC_TRY(tx->accounts().list_productions());
  if (actor.admin()) {
    return all;
  }
  std::vector<domain::Production> visible;
  for (const auto& p : all) {
    if (actor.member_of(p.id)) {
      visible.push_back(p);
    }
  }
  return visible;
}

base::Result<domain::Production> ClearanceService::create_production(
    const Actor& actor, domain::Production production) {
  if (!actor.admin()) {
    return denied("only an admin creates productions");
  }
  if (production.code.empty() || production.code.size() > 100) {
    return base::invalid_argument("a production code has 1 to 100 characters").with_field("code");
  }
  auto tx = CC_TRY(store_.begin());
  production.created_at = now();
  production.id = CC_TRY(tx->accounts().create_production(production));
  CC_TRY(record(*tx, &actor, "production.created", "production", production.id,
                nlohmann::json({{"code", production.code},
                                {"title", production.title},
                                {"organization_id", production.organization_id},
                                {"created_at", production.created_at},
                                {"answer_within_days", production.answer_within_days}})
                    .dump()));
  CC_TRY(tx->commit());
  return production;
}

base::Status ClearanceService::set_membership(const Actor& actor,
                                              const domain::Membership& membership) {
  if (!actor.admin()) {
    return denied("only an admin assigns roles");
  }
  auto tx = CC_TRY(store_.begin());
  CC_TRY(tx->accounts().get_user(membership.user_id));
  CC_TRY(tx->accounts().get_production(membership.production_id));
  CC_TRY(tx->accounts().set_membership(membership));
  CC_TRY(record(*tx, &actor, "membership.set", "production", membership.production_id,
                nlohmann::json(
                    {{"user_id", membership.user_id}, {"role", domain::role_name(membership.role)}})
                    .dump()));
  return tx->commit();
}

base::Result<std::vector<Member>> ClearanceService::list_members(const Actor& actor,
                                                                 int64_t production_id) {
  auto tx = CC_TRY(store_.begin());
  auto production = tx->accounts().get_production(production_id);
  if (!production.has_value() || (!actor.admin() && !actor.member_of(production_id))) {
    return base::not_found("no production " + std::to_string(production_id));
  }
  if (!actor.admin() && !actor.has_role(production_id, domain::Role::kContact)) {
    return denied("only an admin or the production's contacts see its members");
  }
  std::vector<Member> out;
  for (const domain::Membership& m :
       CC_TRY(tx->accounts().list_members_of_production(production_id))) {
    domain::User user = CC_TRY(tx->accounts().get_user(m.user_id));
    out.push_back({user.id, user.name, user.email, m.role});
  }
  return out;
}

base::Status ClearanceService::remove_membership(const Actor& actor, int64_t user_id,
                                                 int64_t production_id) {
  if (!actor.admin()) {
    return denied("only an admin removes roles");
  }
  auto tx = CC_TRY(store_.begin());
  CC_TRY(tx->accounts().remove_membership(user_id, production_id));
  CC_TRY(record(*tx, &actor, "membership.removed", "production", production_id,
                nlohmann::json({{"user_id", user_id}}).dump()));
  return tx->commit();
}

base::Result<std::vector<domain::Tool>> ClearanceService::list_tools(const Actor& actor) {
  (void)actor;  // every signed-in user may read the registry: partners pick tools from it
  auto tx = CC_TRY(store_.begin());
  return tx->policy().list_tools();
}

base::Status ClearanceService::upsert_tool(const Actor& actor, const domain::Tool& tool) {
  if (!actor.admin()) {
    return denied("only an admin edits the tool registry");
  }
  if (tool.id.empty()) {
    return base::invalid_argument("a tool needs an id").with_field("id");
  }
  // No date is allowed: the tool then counts as never reviewed.
  if (!tool.reviewed_on.empty() && !domain::parse_iso_date(tool.reviewed_on)) {
    return base::invalid_argument("expected a date, YYYY-MM-DD").with_field("reviewed_on");
  }
  auto tx = CC_TRY(store_.begin());
  CC_TRY(tx->policy().upsert_tool(tool));
  CC_TRY(record(*tx, &actor, "tool.saved", "tool", 0, tool_payload(tool)));
  CC_TRY(tx->commit());
  (void)policy_.refresh();
  return {};
}

base::Status ClearanceService::delete_tool(const Actor& actor, const std::string& id) {
  if (!actor.admin()) {
    return denied("only an admin edits the tool registry");
  }
  auto tx = CC_TRY(store_.begin());
  CC_TRY(tx->policy().delete_tool(id));
  CC_TRY(record(*tx, &actor, "tool.deleted", "tool", 0, nlohmann::json({{"id", id}}).dump()));
  CC_TRY(tx->commit());
  (void)policy_.refresh();
  return {};
}

base::Result<std::vector<Retriage>> ClearanceService::preview_policy_pack(
    const Actor& actor, std::string_view pack_text) {
  if (!actor.admin()) {
    return denied("only an admin manages policy packs");
  }
  policy::PolicyPack pack = CC_TRY(policy::PolicyPack::parse(pack_text, "policy pack"));
  auto tx = CC_TRY(store_.begin());
  PolicyCache::Snapshot snapshot;
  snapshot.engine =
      std::make_shared<const policy::Engine>(std::make_shared<const policy::PolicyPack>(pack));
  snapshot.registry =
      std::make_shared<const domain::ToolRegistry>(CC_TRY(tx->policy().list_tools()));
  std::vector<Retriage> changes;
  CC_TRY(for_each_open_use_case(*tx, [&](UseCase& use_case) -> base::Status {
    std::optional<domain::Outcome> before = use_case.outcome;
    CC_TRY(triage(snapshot, &use_case));
    if (use_case.outcome != before) {
      changes.push_back({use_case.id, before, use_case.outcome});
    }
    return {};
  }));
  return changes;
}

base::Result<std::vector<Retriage>> ClearanceService::activate_policy_pack(
    const Actor& actor, std::string_view pack_text) {
  if (!actor.admin()) {
    return denied("only an admin manages policy packs");
  }
  policy::PolicyPack pack = CC_TRY(policy::PolicyPack::parse(pack_text, "policy pack"));
  auto tx = CC_TRY(store_.begin());
  store::PolicyPackRecord record_row;
  record_row.name = pack.name();
  record_row.version = pack.version();
  record_row.digest = pack.digest();
  record_row.text = std::string(pack_text);
  record_row.loaded_by = actor.user.id;
  record_row.loaded_at = now();
  record_row.id = CC_TRY(tx->policy().insert_policy_pack(record_row));
  CC_TRY(tx->policy().activate_policy_pack(record_row.id));
  CC_TRY(record(*tx, &actor, "policy_pack.activated", "policy_pack", record_row.id,
                policy_pack_payload(record_row)));
  PolicyCache::Snapshot snapshot = CC_TRY(PolicyCache::load(*tx));
  std::vector<Retriage> changes;
  CC_TRY(for_each_open_use_case(*tx, [&](UseCase& use_case) -> base::Status {
    std::optional<domain::Outcome> before = use_case.outcome;
    std::string from = state_name(use_case.state);
    CC_TRY(triage(snapshot, &use_case));
    if (use_case.outcome == before) {
      return {};
    }
    use_case.updated_at = now();
    CC_TRY(tx->use_cases().update(use_case));
    ++use_case.revision;
    CC_TRY(record_event(*tx, nullptr, use_case, UseCaseEventKind::kRetriaged, from,
                        "policy " + pack.name() + " " + pack.version() + ": " +
                            std::string(domain::use_case_outcome_text(before)) + " -> " +
                            std::string(domain::use_case_outcome_text(use_case.outcome))));
    CC_TRY(sync_checklist(*tx, nullptr, use_case));
    changes.push_back({use_case.id, before, use_case.outcome});
    return {};
  }));
  CC_TRY(tx->commit());
  (void)policy_.refresh();
  return changes;
}

base::Result<std::vector<store::PolicyPackRecord>> ClearanceService::list_policy_packs(
    const Actor& actor) {
  (void)actor;  // every signed-in user may see which pack decides their cases
  auto tx = CC_TRY(store_.begin());
  return tx->policy().list_policy_packs();
}

base::Result<policy::SuiteResult> ClearanceService::test_policy_pack(
    const Actor& actor, std::string_view pack_text, const std::vector<policy::CaseFile>& cases) {
  if (!actor.admin()) {
    return denied("only an admin manages policy packs");
  }
  if (cases.empty()) {
    return base::invalid_argument("give at least one test case file").with_field("cases");
  }
  policy::PolicyPack pack = CC_TRY(policy::PolicyPack::parse(pack_text, "policy pack"));
  policy::Engine engine(std::make_shared<const policy::PolicyPack>(std::move(pack)));
  auto tx = CC_TRY(store_.begin());
  domain::ToolRegistry registry(CC_TRY(tx->policy().list_tools()));
  return policy::run_policy_test_files(cases, engine, registry, domain::utc_day(clock_.now()));
}

}  // namespace clearcut::clearance
