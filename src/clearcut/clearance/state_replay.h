#pragma once

#include <span>
#include <string>
#include <vector>

#include "clearcut/audit/audit_event.h"
#include "clearcut/base/result.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// One way the database's tables differ from what the audit log says they hold.
struct StateDifference {
  std::string table;     // e.g. "use_cases"
  std::string id;        // the row's key, e.g. "5", "user_id=3,production_id=1", "5#2"
  std::string column;    // empty: the whole row is missing or unexplained
  std::string expected;  // what replaying the events gives; "(no row)" when they give none
  std::string found;     // what the database holds; "(no row)" when it has none

  std::string to_string() const;
};

// Rebuilds, by replaying `events` (the whole log, in sequence order), the current rows of every
// table the audit events describe -- organizations, users, api_tokens, productions,
// memberships, tools, policy_packs, use_cases, use_case_events (keyed "use case#n", the n-th
// event of that use case), comments, consents, approvals, checklist_items, assets, scan_jobs,
// webhooks, attachments, user_identities (keyed "issuer#subject"), sso_role_mappings, notices
// (the once-only ledger, keyed by notice key), notification_preferences, delegations (keyed by
// the delegating user) --
// and compares them with what `tx` reads. Reports rows the events create that are missing, rows no
// event wrote, and each column that differs. Columns are compared when the events carry them:
// events written by earlier versions carry fewer, so those rows are checked on fewer columns. Not
// covered: sessions (created at login and dropped at logout or expiry without an event), token
// last_used_at, scan job progress (claims, heartbeats), password reset links (each requested
// one is audited, user.password_reset_requested, but a link taken or expired leaves no event),
// and the outbox and digest_items (deliveries of what the events say, not state of their own).
// Errors only when the store fails.
base::Result<std::vector<StateDifference>> compare_state_with_events(
    std::span<const audit::AuditEvent> events, store::Transaction& tx);

}  // namespace clearcut::clearance
