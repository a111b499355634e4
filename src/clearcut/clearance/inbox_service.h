#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/clearance/actor.h"
#include "clearcut/clearance/audit_log.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/clearance/waiting.h"
#include "clearcut/domain/account.h"
#include "clearcut/domain/use_case.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// A person as a page shows them: by name (their e-mail when they have none), never by id alone.
struct Person {
  int64_t id = 0;
  std::string name;
};

// One line of "my tasks": a use case waiting on the reader (or on someone they stand in for).
struct Task {
  domain::UseCase use_case;
  domain::Production production;
  WaitingOn waiting_on = WaitingOn::kContact;
  std::string todo;   // what the reader must do, a sentence
  std::string since;  // when it entered the state it waits in (RFC 3339 UTC)
  int64_t age_seconds = 0;
  // since + the production's answer_within_days working days; empty for a partner's task (the
  // studio's answer time binds the studio, not the partner).
  std::string due_at;
  bool overdue = false;
  std::optional<Person> assignee;
  std::optional<Person> on_behalf_of;  // the delegator, when the task is theirs
};

// A delegation with the delegate's name, as GET /me/delegation shows it.
struct DelegationView {
  domain::Delegation delegation;
  std::string delegate_name;
  bool active = false;  // now is before `until`
};

// The inbox (issue #15): "my tasks", due dates from a production's answer time, assignment of a
// waiting use case to a contact or legal member, and delegation while away. Every change is an
// audit event (production.updated, use_case.assigned, delegation.set, delegation.removed) that
// state_replay checks; use_case.assigned notifies the assignee (notifications.h). Thread-safe.
// Errors as ClearanceService's: kNotFound for what the actor may not see, kPermissionDenied for
// a role they lack, kFailedPrecondition for a state that does not allow it, kInvalidArgument
// (with its field) for bad input.
class InboxService {
 public:
  InboxService(store::Store& store, AuditLog& audit, const Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  // The use cases waiting on the actor in their productions (by role, or assigned to them), and
  // on those who named them their
  // delegate while that holds (in the productions the actor is a member of too: a delegate
  // borrows no access). Overdue first, then by due time, then the oldest.
  base::Result<std::vector<Task>> my_tasks(const Actor& actor);

  // An admin sets how many working days (1 to 30) the production's studio has to answer.
  base::Result<domain::Production> set_answer_within_days(const Actor& actor, int64_t production_id,
                                                          int days);

  // Assigns a use case waiting on the studio to a contact or legal member of its production
  // (0: to nobody). Contacts, legal and admins assign; the assignment ends when the state
  // changes. Returns the use case as stored.
  base::Result<domain::UseCase> assign(const Actor& actor, int64_t use_case_id,
                                       int64_t assignee_id);
  // Who the actor may assign the use case to (its production's contacts and legal, by name);
  // empty when the actor may not assign or the use case does not wait on the studio.
  base::Result<std::vector<Person>> assignable(const Actor& actor, const domain::UseCase& use_case);

  // The actor names a delegate (by e-mail, a user of their own organization, not themselves)
  // until a time in the next 366 days; replaces the one before.
  base::Result<DelegationView> set_delegation(const Actor& actor, const std::string& delegate_email,
                                              const std::string& until);
  // kNotFound when the actor has none.
  base::Status remove_delegation(const Actor& actor);
  base::Result<std::optional<DelegationView>> get_delegation(const Actor& actor);

 private:
  base::Status record(store::Transaction& tx, const Actor& actor, const std::string& action,
                      const std::string& subject_type, int64_t subject_id,
                      const std::string& payload_json);
  std::string now() const { return format_rfc3339(clock_.now()); }

  store::Store& store_;
  AuditLog& audit_;
  const Clock& clock_;
};

}  // namespace clearcut::clearance
