#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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
  std::string outcome;        // notify | escalate | written_approval; empty while a draft
  std::string decision_json;  // empty while a draft
  std::string policy_digest;
  std::string engine_version;
  int64_t revision = 1;  // bumped on every update; updates name the revision they read
  std::string created_at;
  std::string updated_at;
};

// One line of a use case's history: a state change, an edit, a re-triage.
struct UseCaseEvent {
  int64_t id = 0;
  int64_t use_case_id = 0;
  int64_t actor_id = 0;  // 0 = the system (re-triage)
  std::string kind;      // "created", "submitted", "triaged", "edited", "escalated", ...
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
  std::string scope_json;  // {"final_use": bool, "deliverables": [...], "outputs": [...]}
  std::string expires_at;  // empty = no expiry
  bool outdated = false;
  std::string created_at;
};

}  // namespace clearcut::domain
