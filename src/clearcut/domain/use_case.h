#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "clearcut/domain/approval_scope.h"
#include "clearcut/domain/outcome.h"

namespace clearcut::domain {

// draft → submitted → notified | escalated → approved | rejected, or withdrawn (POLICY.md §5).
// `submitted` is transient: submitting runs the policy engine and lands in notified/escalated.
enum class UseCaseState : uint8_t {
  kDraft,
  kSubmitted,
  kNotified,
  kEscalated,
  kApproved,
  kRejected,
  kWithdrawn,
};

std::string_view use_case_state_name(UseCaseState state);
std::optional<UseCaseState> parse_use_case_state(std::string_view name);

// Open = still under the policy's watch: re-triaged when a new pack is activated.
bool is_open(UseCaseState state);

// A use case's outcome as stored and written to the audit log: its name, or "" while it has
// none (a draft); parse_use_case_outcome is its inverse (nullopt for any other text).
std::string_view use_case_outcome_text(const std::optional<Outcome>& outcome);
std::optional<std::optional<Outcome>> parse_use_case_outcome(std::string_view text);

// What a line of a use case's history records; the audit action is "use_case.<name>".
enum class UseCaseEventKind : uint8_t {
  kCreated,
  kSubmitted,
  kEdited,
  kWithdrawn,
  kAcknowledged,
  kChangesRequested,
  kEscalated,
  kRejected,
  kApproved,
  kRetriaged,
  kSuspended,  // a consent its approval relied on was revoked
};
std::string_view use_case_event_kind_name(UseCaseEventKind kind);
std::optional<UseCaseEventKind> parse_use_case_event_kind(std::string_view name);

// A declared GenAI use and where it stands. The declaration is kept as canonical JSON with its
// digest; the decision as the JSON `clearcut assess --json` prints, with the pack digest and
// engine version that made it, so that it can be replayed.
struct UseCase {
  int64_t id = 0;
  int64_t production_id = 0;
  int64_t created_by = 0;  // user id
  std::string summary;
  std::string declaration_json;
  std::string declaration_digest;  // hex SHA-256 of declaration_json
  UseCaseState state = UseCaseState::kDraft;
  std::optional<Outcome> outcome;  // nullopt while a draft
  std::string decision_json;       // empty while a draft
  std::string policy_digest;
  std::string engine_version;
  int64_t revision = 1;  // bumped on every update; updates name the revision they read
  std::string created_at;
  std::string updated_at;
  // The contact or legal member the use case is assigned to while it waits on the studio; 0:
  // nobody. Not part of the revision: assigning changes no declaration and no state, and a
  // change of state ends the assignment.
  int64_t assignee_id = 0;
};

// One line of a use case's history: a state change, an edit, a re-triage.
struct UseCaseEvent {
  int64_t id = 0;
  int64_t use_case_id = 0;
  int64_t actor_id = 0;  // 0 = the system (re-triage)
  UseCaseEventKind kind = UseCaseEventKind::kCreated;
  std::string from_state;
  std::string to_state;
  std::string note;
  std::string at;
};

struct Comment {
  int64_t id = 0;
  int64_t use_case_id = 0;
  int64_t author_id = 0;
  std::string body;
  std::string created_at;
};

enum class ConsentKind : uint8_t { kReplicaCreation, kReplicaUse, kAlteration };
std::string_view consent_kind_name(ConsentKind kind);
std::optional<ConsentKind> parse_consent_kind(std::string_view name);

// A performer's documented consent (SAG-AFTRA 2023: informed, specific, per project).
struct Consent {
  int64_t id = 0;
  int64_t production_id = 0;
  int64_t use_case_id = 0;  // 0 = production-wide
  std::string performer;
  ConsentKind kind = ConsentKind::kReplicaCreation;
  std::string scope;            // the specific uses consented to
  std::string document_sha256;  // hex SHA-256 of the signed document
  std::string expires_at;       // empty = no expiry
  std::string revoked_at;       // empty = in force
  std::string lapsed_at;        // when the service found it expired and acted on it; empty = not
  int64_t recorded_by = 0;
  std::string created_at;
};

// Legal's written answer on a use case, bound to the declaration it read.
struct Approval {
  int64_t id = 0;
  int64_t use_case_id = 0;
  int64_t approver_id = 0;
  bool granted = false;            // false = refused
  std::string declaration_digest;  // the declaration approved; an edit makes it outdated
  std::string conditions;
  ApprovalScope scope;
  std::string signer_name;  // the approver's full name as they typed it to sign
  std::string reason;       // why they approve
  std::string expires_at;   // RFC 3339; empty = no expiry
  bool outdated = false;
  std::string created_at;
};

}  // namespace clearcut::domain
