#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/clearance/actor.h"
#include "clearcut/clearance/audit_log.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/clearance/declaration_diff.h"
#include "clearcut/clearance/policy_cache.h"
#include "clearcut/domain/checklist.h"
#include "clearcut/domain/declaration.h"
#include "clearcut/policy/decision_view.h"
#include "clearcut/policy/policy_test_suite.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// What a stateless assessment returns.
struct Assessment {
  domain::Declaration declaration;
  policy::DecisionView view;
  std::string decision_json;
  // With assess_form: what the declaration form asks (policy/form.h), as JSON; empty otherwise.
  std::string form_json;
};

// A use case with everything a reviewer reads.
struct UseCaseDetail {
  domain::UseCase use_case;
  std::vector<domain::UseCaseEvent> events;
  std::vector<domain::Comment> comments;
  std::vector<domain::Approval> approvals;
  // The people who declared, acted, commented, approved or are assigned, by user id: their
  // name (their e-mail when they have none), so that a page shows people, never ids.
  std::map<int64_t, std::string> names;
  // What the reader may do now (allowed_actions below).
  std::vector<std::string> allowed_actions;
};

// Transitions a use case can take; who may take them is the service's business.
enum class UseCaseAction {
  kSubmit,          // partner: draft → submitted → notified | escalated
  kWithdraw,        // partner: any open or draft state → withdrawn
  kAcknowledge,     // contact: records that the contact has seen it; state unchanged
  kRequestChanges,  // contact: notified | escalated → draft
  kEscalate,        // contact: notified → escalated
  kReject,          // legal: escalated | notified → rejected
};
std::optional<UseCaseAction> parse_use_case_action(std::string_view name);

// What `actor` may do to `use_case` as it stands, by the names the API takes: "edit", the
// transitions (parse_use_case_action's names) and "approve". The moves make the same checks, so a
// page offers what the service would accept; the revision, the checklist (approve) and the new
// declaration (edit) are checked when the move is made.
std::vector<std::string> allowed_actions(const Actor& actor, const domain::UseCase& use_case);

struct ApprovalRequest {
  std::string conditions;
  std::string scope_json = "{}";  // {"final_use": bool, "deliverables": [...], "outputs": [...]}
  std::string expires_at;         // RFC 3339 or empty
  std::string signer_name;        // the approver types their full name to sign; required
  std::string reason;             // required
};

// What meets a checklist action: a statement (the disclosure plan, the guild reference, the
// human-authorship statement, ...) and, for rights_clearance, the licence's SHA-256.
struct ChecklistEvidence {
  std::string text;
  std::string document_sha256;  // hex
};

// What saving an edited declaration would do (nothing is stored): the fields it changes, the
// approvals in force it would outdate, and where the re-triage would leave the use case.
struct EditPreview {
  std::vector<FieldChange> changes;  // empty: the declaration is the same; saving does nothing
  std::vector<int64_t> outdated_approvals;
  domain::UseCaseState state_before = domain::UseCaseState::kDraft;
  domain::UseCaseState state_after = domain::UseCaseState::kDraft;
  std::optional<domain::Outcome> outcome_before;
  std::optional<domain::Outcome> outcome_after;
};

// One open use case whose outcome a policy pack changes.
struct Retriage {
  int64_t use_case_id = 0;
  std::optional<domain::Outcome> from_outcome;
  std::optional<domain::Outcome> to_outcome;
};

// The clearance workflow (POLICY.md §5): use cases, their transitions, comments, written
// approvals, consents, the tool registry and policy packs, each change authorised for the
// actor and written to the audit log in the same transaction. Thread-safe.
// Errors: kNotFound for what the actor may not see, kPermissionDenied for a role it lacks,
// kFailedPrecondition for a transition the state does not allow or a stale revision,
// kInvalidArgument for bad input (with file/field).
// A member of a production as its member list shows them.
struct Member {
  int64_t user_id = 0;
  std::string name;
  std::string email;
  domain::Role role = domain::Role::kPartner;
};

class ClearanceService {
 public:
  ClearanceService(store::Store& store, AuditLog& audit, PolicyCache& policy, const Clock& clock)
      : store_(store), audit_(audit), policy_(policy), clock_(clock) {}

  // Triage without storing anything (the `assess` endpoint).
  base::Result<Assessment> assess(std::string_view declaration_text) const;
  // The same for a declaration already read (domain::parse_declaration_json).
  base::Result<Assessment> assess(domain::Declaration declaration) const;
  // The declaration form's triage (issue #17): the pack's implied answers applied first
  // (policy::complete_form), the decision for the declaration as the form would write it, and
  // which questions are moot, open, implied, and which changes would lower the outcome.
  base::Result<Assessment> assess_form(domain::Declaration declaration) const;
  // The active policy pack (its wording serves the declaration form).
  base::Result<std::shared_ptr<const policy::PolicyPack>> active_pack() const;

  base::Result<domain::UseCase> create_use_case(const Actor& actor, int64_t production_id,
                                                std::string_view declaration_text, bool submit);
  base::Result<UseCaseDetail> get_use_case(const Actor& actor, int64_t id);
  base::Result<std::vector<domain::UseCase>> list_use_cases(const Actor& actor,
                                                            store::UseCaseFilter filter);
  // Replaces the declaration. After submission this re-triages the use case, marks its
  // approvals outdated and sends it back for review. The history line lists the changed fields,
  // old → new, and how many approvals the edit outdated.
  base::Result<domain::UseCase> update_declaration(const Actor& actor, int64_t id, int64_t revision,
                                                   std::string_view declaration_text);
  // What update_declaration would do, checked the same way (the same errors), storing nothing.
  base::Result<EditPreview> preview_declaration_update(const Actor& actor, int64_t id,
                                                       int64_t revision,
                                                       std::string_view declaration_text);
  base::Result<domain::UseCase> transition(const Actor& actor, int64_t id, int64_t revision,
                                           UseCaseAction action, const std::string& note);
  // Legal's written approval of the declaration as it stands.
  base::Result<domain::Approval> approve(const Actor& actor, int64_t id, int64_t revision,
                                         const ApprovalRequest& request);
  // The certificate of a granted approval (approval_certificate.h), proven against a checkpoint
  // signed now. kNotFound for an approval the actor may not see; kFailedPrecondition for one
  // granted before its audit event carried the declaration, decision and checklist.
  base::Result<std::string> approval_certificate(const Actor& actor, int64_t approval_id);
  // The use case's checklist as it stands: what the decision asks for, with the evidence and
  // waivers recorded, consent items met while covering consents are in force.
  base::Result<std::vector<domain::ChecklistItem>> get_checklist(const Actor& actor,
                                                                 int64_t use_case_id);
  // The contact or legal records what meets an action item. Consent items are met by linked
  // consents and questions by amending the declaration: kFailedPrecondition.
  base::Result<domain::ChecklistItem> record_evidence(const Actor& actor, int64_t use_case_id,
                                                      int64_t item_id,
                                                      const ChecklistEvidence& evidence);
  // The contact or legal confirms that the audience disclosure the plan describes was made
  // (where: the card's timecode, the credit, the caption file, the metadata field), before
  // delivery: until then a scan fails on the use case's cleared outputs. Only a met
  // audience_disclosure item is confirmed (kFailedPrecondition otherwise); the confirmation
  // joins its evidence as {"confirmation": {"text", "by", "at"}}, and a new plan recorded
  // later drops it. kInvalidArgument for a blank or over-long text.
  base::Result<domain::ChecklistItem> confirm_disclosure(const Actor& actor, int64_t use_case_id,
                                                         int64_t item_id, const std::string& text);
  // Legal waives an item, with a reason (kInvalidArgument without). A consent that a firm rule
  // asks for cannot be waived (kFailedPrecondition): nothing legal writes replaces it.
  base::Result<domain::ChecklistItem> waive_checklist_item(const Actor& actor, int64_t use_case_id,
                                                           int64_t item_id,
                                                           const std::string& reason);
  base::Result<domain::Comment> add_comment(const Actor& actor, int64_t use_case_id,
                                            const std::string& body);

  base::Result<domain::Consent> record_consent(const Actor& actor, domain::Consent consent);
  // Revokes a consent. An approved use case whose consent items the remaining consents no longer
  // cover is suspended: its approvals become outdated, it goes back to escalated, and the outputs
  // they cleared are provisional again; its history and the audit log say why.
  base::Result<domain::Consent> revoke_consent(const Actor& actor, int64_t consent_id);
  // Acts on consents whose expiry has passed as revoke_consent acts on a revocation, each once
  // (several servers may sweep one database): marks it lapsed, logs consent.expired, and suspends
  // what it no longer covers, with history lines saying it expired. Run by the system, not a
  // user: the server calls it at start and periodically. Returns how many consents lapsed.
  base::Result<int> lapse_expired_consents();
  base::Result<std::vector<domain::Consent>> list_consents(const Actor& actor,
                                                           int64_t production_id);

  base::Result<std::vector<domain::Production>> list_productions(const Actor& actor);
  base::Result<domain::Production> create_production(const Actor& actor,
                                                     domain::Production production);
  base::Status set_membership(const Actor& actor, const domain::Membership& membership);
  // The production's members with their roles, by name: to its admins and contacts.
  base::Result<std::vector<Member>> list_members(const Actor& actor, int64_t production_id);
  // Takes the user's role on the production away (admins; kNotFound when they hold none).
  base::Status remove_membership(const Actor& actor, int64_t user_id, int64_t production_id);

  base::Result<std::vector<domain::Tool>> list_tools(const Actor& actor);
  base::Status upsert_tool(const Actor& actor, const domain::Tool& tool);
  base::Status delete_tool(const Actor& actor, const std::string& id);

  // Open use cases whose outcome `pack_text` would change (nothing is stored).
  base::Result<std::vector<Retriage>> preview_policy_pack(const Actor& actor,
                                                          std::string_view pack_text);
  // Stores and activates a pack, then re-triages every open use case under it, recording
  // each changed outcome. Returns the changes.
  base::Result<std::vector<Retriage>> activate_policy_pack(const Actor& actor,
                                                           std::string_view pack_text);
  base::Result<std::vector<store::PolicyPackRecord>> list_policy_packs(const Actor& actor);
  // Runs policy test cases (clearcut policy test files) against a pack that is not stored,
  // with the current tool registry.
  base::Result<policy::SuiteResult> test_policy_pack(const Actor& actor, std::string_view pack_text,
                                                     const std::vector<policy::CaseFile>& cases);

 private:
  base::Result<domain::UseCase> visible_use_case(store::Transaction& tx, const Actor& actor,
                                                 int64_t id);
  // An edit checked and worked out but not stored: the use case before and after (re-triaged
  // after submission), the changed fields and the approvals in force it outdates.
  struct Edit {
    domain::UseCase before;
    domain::UseCase after;
    std::vector<FieldChange> changes;
    std::vector<int64_t> outdated_approvals;
  };
  base::Result<Edit> plan_edit(store::Transaction& tx, const Actor& actor, int64_t id,
                               int64_t revision, std::string_view declaration_text);
  // The pack's tool review period, judged on the day of the request (the clock's now).
  domain::ReviewPeriod review_period(const PolicyCache::Snapshot& policy) const;
  // Evaluates the stored declaration: sets outcome, decision, digests and the state.
  base::Status triage(const PolicyCache::Snapshot& policy, domain::UseCase* use_case) const;
  // Brings the stored checklist in line with the use case's decision (after a triage).
  base::Status sync_checklist(store::Transaction& tx, const Actor* actor,
                              const domain::UseCase& use_case);
  // The stored checklist with consent coverage applied (checklist.h).
  base::Result<std::vector<domain::ChecklistItem>> checklist_of(store::Transaction& tx,
                                                                const domain::UseCase& use_case);
  // Suspends the approved use cases whose consent items `consent` no longer leaves met (it was
  // revoked or expired): approvals outdated, escalated, cleared outputs provisional; `why` goes
  // into each history line and asset event. `actor` null: the system.
  base::Status suspend_uncovered(store::Transaction& tx, const Actor* actor,
                                 const domain::Consent& consent, const std::string& why);
  base::Status record(store::Transaction& tx, const Actor* actor, const std::string& action,
                      const std::string& subject_type, int64_t subject_id,
                      const std::string& payload_json);
  base::Status record_event(store::Transaction& tx, const Actor* actor,
                            const domain::UseCase& use_case, domain::UseCaseEventKind kind,
                            const std::string& from_state, const std::string& note);
  std::string now() const { return format_rfc3339(clock_.now()); }

  store::Store& store_;
  AuditLog& audit_;
  PolicyCache& policy_;
  const Clock& clock_;
};

}  // namespace clearcut::clearance
