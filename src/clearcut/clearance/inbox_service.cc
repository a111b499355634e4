#include "clearcut/clearance/inbox_service.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "clearcut/domain/validation.h"

namespace clearcut::clearance {
namespace {

using domain::Role;
using domain::UseCase;
using domain::UseCaseEvent;
using domain::UseCaseState;
using std::chrono::system_clock;

constexpr int kMaxAnswerDays = 30;
constexpr auto kMaxDelegation = std::chrono::days{366};

base::Error denied(const std::string& what) {
  return base::Error(base::ErrorCode::kPermissionDenied, what);
}

std::string display_name(const domain::User& user) {
  return user.name.empty() ? user.email : user.name;
}

std::string todo_of(WaitingOn who) {
  switch (who) {
    case WaitingOn::kContact:
      return "Acknowledge it, escalate it to legal or ask for changes.";
    case WaitingOn::kLegal:
      return "Go through its checklist and grant or refuse written approval.";
    case WaitingOn::kPartner:
      return "Change the declaration as the contact asked and submit it again.";
  }
  return {};
}

// Whether a use case waiting on `who` is a task of the holder of `memberships` (user `user_id`):
// by their role, or because it is assigned to them (a notified use case assigned to legal).
bool is_task_of(int64_t user_id, const std::vector<domain::Membership>& memberships,
                const UseCase& use_case, WaitingOn who) {
  if (who != WaitingOn::kPartner && use_case.assignee_id == user_id) {
    return true;
  }
  auto holds = [&](Role role) {
    return std::any_of(memberships.begin(), memberships.end(), [&](const domain::Membership& m) {
      return m.production_id == use_case.production_id && m.role == role;
    });
  };
  switch (who) {
    case WaitingOn::kContact:
      return holds(Role::kContact);
    case WaitingOn::kLegal:
      return holds(Role::kLegal);
    case WaitingOn::kPartner:
      return use_case.created_by == user_id && holds(Role::kPartner);
  }
  return false;
}

bool waits_on_studio(const UseCase& use_case) {
  return use_case.state == UseCaseState::kNotified || use_case.state == UseCaseState::kEscalated;
}

bool may_assign(const Actor& actor, int64_t production_id) {
  return actor.admin() || actor.has_role(production_id, Role::kContact) ||
         actor.has_role(production_id, Role::kLegal);
}

}  // namespace

base::Status InboxService::record(store::Transaction& tx, const Actor& actor,
                                  const std::string& action, const std::string& subject_type,
                                  int64_t subject_id, const std::string& payload_json) {
  audit::AuditEvent event{
      0, now(), actor.audit_name(), action, subject_type, std::to_string(subject_id), payload_json};
  CC_TRY(audit_.append(tx, std::move(event)));
  return {};
}

base::Result<std::vector<Task>> InboxService::my_tasks(const Actor& actor) {
  auto tx = CC_TRY(store_.begin());
  const system_clock::time_point at = clock_.now();
  // Whose tasks: the actor's, then those of each user whose delegation to the actor holds, in
  // the productions the actor is a member of.
  struct Holder {
    int64_t user_id = 0;
    std::vector<domain::Membership> memberships;
    std::optional<Person> behalf;
  };
  std::vector<Holder> holders = {{actor.user.id, actor.memberships, std::nullopt}};
  for (const domain::Delegation& d : CC_TRY(tx->accounts().list_delegations(actor.user.id))) {
    std::optional<system_clock::time_point> until = domain::parse_rfc3339_utc(d.until);
    if (d.user_id == actor.user.id || !until || *until <= at) {
      continue;
    }
    domain::User delegator = CC_TRY(tx->accounts().get_user(d.user_id));
    Holder holder{delegator.id, {}, Person{delegator.id, display_name(delegator)}};
    for (const domain::Membership& m :
         CC_TRY(tx->accounts().list_memberships_of_user(delegator.id))) {
      if (actor.member_of(m.production_id)) {
        holder.memberships.push_back(m);
      }
    }
    holders.push_back(std::move(holder));
  }
  std::map<int64_t, domain::Production> productions;
  for (const Holder& holder : holders) {
    for (const domain::Membership& m : holder.memberships) {
      if (!productions.contains(m.production_id)) {
        productions[m.production_id] = CC_TRY(tx->accounts().get_production(m.production_id));
      }
    }
  }
  if (productions.empty()) {
    return std::vector<Task>{};
  }
  std::map<int64_t, std::string> names;
  auto person = [&](int64_t user_id) -> base::Result<Person> {
    auto it = names.find(user_id);
    if (it == names.end()) {
      domain::User user = CC_TRY(tx->accounts().get_user(user_id));
      it = names.emplace(user_id, display_name(user)).first;
    }
    return Person{user_id, it->second};
  };
  std::vector<int64_t> production_ids;
  for (const auto& [id, production] : productions) {
    production_ids.push_back(id);
  }
  std::vector<Task> tasks;
  CC_TRY(for_each_waiting(
      *tx, production_ids,
      {UseCaseState::kNotified, UseCaseState::kEscalated, UseCaseState::kDraft},
      [&](const UseCase& use_case, const Waiting& waiting) -> base::Status {
        // The actor's own task first; else the first delegator it waits on.
        auto holder = std::find_if(holders.begin(), holders.end(), [&](const Holder& h) {
          return is_task_of(h.user_id, h.memberships, use_case, waiting.who);
        });
        if (holder == holders.end()) {
          return {};
        }
        Task task;
        task.use_case = use_case;
        task.production = productions.at(use_case.production_id);
        task.waiting_on = waiting.who;
        task.todo = todo_of(waiting.who);
        task.since = waiting.since;
        std::optional<system_clock::time_point> since = domain::parse_rfc3339_utc(task.since);
        if (since) {
          task.age_seconds = std::max<int64_t>(
              0, std::chrono::duration_cast<std::chrono::seconds>(at - *since).count());
        }
        if (std::optional<system_clock::time_point> due =
                due_of(waiting, task.production.answer_within_days)) {
          task.due_at = format_rfc3339(*due);
          task.overdue = at > *due;
        }
        if (use_case.assignee_id != 0) {
          task.assignee = CC_TRY(person(use_case.assignee_id));
        }
        task.on_behalf_of = holder->behalf;
        tasks.push_back(std::move(task));
        return {};
      }));
  std::stable_sort(tasks.begin(), tasks.end(), [](const Task& a, const Task& b) {
    if (a.overdue != b.overdue) {
      return a.overdue;
    }
    if (a.due_at.empty() != b.due_at.empty()) {
      return b.due_at.empty();  // a due date before none
    }
    if (a.due_at != b.due_at) {
      return a.due_at < b.due_at;  // RFC 3339 UTC in one format orders as text
    }
    if (a.since != b.since) {
      return a.since < b.since;
    }
    return a.use_case.id < b.use_case.id;
  });
  return tasks;
}

base::Result<domain::Production> InboxService::set_answer_within_days(const Actor& actor,
                                                                      int64_t production_id,
                                                                      int days) {
  auto tx = CC_TRY(store_.begin());
  auto production = tx->accounts().get_production(production_id);
  if (!production.has_value() || (!actor.admin() && !actor.member_of(production_id))) {
    return base::not_found("no production " + std::to_string(production_id));
  }
  if (!actor.admin()) {
    return denied("only an admin sets a production's answer time");
  }
  if (days < 1 || days > kMaxAnswerDays) {
    return base::invalid_argument("expected 1 to " + std::to_string(kMaxAnswerDays) +
                                  " working days")
        .with_field("answer_within_days");
  }
  production->answer_within_days = days;
  CC_TRY(tx->accounts().update_production(*production));
  CC_TRY(record(*tx, actor, "production.updated", "production", production_id,
                nlohmann::json({{"answer_within_days", days}}).dump()));
  CC_TRY(tx->commit());
  return *production;
}

base::Result<UseCase> InboxService::assign(const Actor& actor, int64_t use_case_id,
                                           int64_t assignee_id) {
  auto tx = CC_TRY(store_.begin());
  auto use_case = tx->use_cases().get(use_case_id);
  if (!use_case.has_value() || (!actor.admin() && !actor.member_of(use_case->production_id))) {
    return base::not_found("no use case " + std::to_string(use_case_id));
  }
  if (!may_assign(actor, use_case->production_id)) {
    return denied("only the studio contact, legal or an admin assigns use cases");
  }
  if (!waits_on_studio(*use_case)) {
    return base::Error(base::ErrorCode::kFailedPrecondition,
                       "only a use case waiting on the studio (notified or escalated) is "
                       "assigned; this one is " +
                           std::string(domain::use_case_state_name(use_case->state)));
  }
  if (assignee_id != 0) {
    bool eligible = false;
    for (const domain::Membership& m :
         CC_TRY(tx->accounts().list_members_of_production(use_case->production_id))) {
      eligible = eligible ||
                 (m.user_id == assignee_id && (m.role == Role::kContact || m.role == Role::kLegal));
    }
    if (eligible) {
      eligible = !CC_TRY(tx->accounts().get_user(assignee_id)).disabled;
    }
    if (!eligible) {
      return base::invalid_argument(
                 "a use case is assigned to a contact or legal member of its production")
          .with_field("assignee_id");
    }
  }
  CC_TRY(tx->use_cases().set_assignee(use_case_id, assignee_id));
  use_case->assignee_id = assignee_id;
  CC_TRY(record(*tx, actor, "use_case.assigned", "use_case", use_case_id,
                nlohmann::json({{"assignee_id", assignee_id},
                                {"state", domain::use_case_state_name(use_case->state)}})
                    .dump()));
  CC_TRY(tx->commit());
  return *use_case;
}

base::Result<std::vector<Person>> InboxService::assignable(const Actor& actor,
                                                           const UseCase& use_case) {
  std::vector<Person> out;
  if (!may_assign(actor, use_case.production_id) || !waits_on_studio(use_case)) {
    return out;
  }
  auto tx = CC_TRY(store_.begin());
  for (const domain::Membership& m :
       CC_TRY(tx->accounts().list_members_of_production(use_case.production_id))) {
    if (m.role != Role::kContact && m.role != Role::kLegal) {
      continue;
    }
    domain::User user = CC_TRY(tx->accounts().get_user(m.user_id));
    if (!user.disabled) {
      out.push_back({user.id, display_name(user)});
    }
  }
  return out;
}

base::Result<DelegationView> InboxService::set_delegation(const Actor& actor,
                                                          const std::string& delegate_email,
                                                          const std::string& until) {
  const system_clock::time_point at = clock_.now();
  std::optional<system_clock::time_point> end = domain::parse_rfc3339_utc(until);
  if (!end) {
    return base::invalid_argument("expected an RFC 3339 time (UTC)").with_field("until");
  }
  if (*end <= at || *end > at + kMaxDelegation) {
    return base::invalid_argument("a delegation ends after now and within 366 days")
        .with_field("until");
  }
  auto tx = CC_TRY(store_.begin());
  std::optional<domain::User> delegate = CC_TRY(tx->accounts().find_user_by_email(delegate_email));
  // Another organization's user is not found either: its people are not the actor's to list.
  if (!delegate || delegate->organization_id != actor.user.organization_id) {
    return base::invalid_argument("no user with this e-mail in your organization")
        .with_field("delegate_email");
  }
  if (delegate->id == actor.user.id || delegate->disabled) {
    return base::invalid_argument("the delegate is another, active user")
        .with_field("delegate_email");
  }
  DelegationView view;
  view.delegation = {actor.user.id, delegate->id, format_rfc3339(*end), now()};
  view.delegate_name = display_name(*delegate);
  view.active = true;
  CC_TRY(tx->accounts().set_delegation(view.delegation));
  CC_TRY(record(*tx, actor, "delegation.set", "user", actor.user.id,
                nlohmann::json({{"delegate_id", delegate->id},
                                {"until", view.delegation.until},
                                {"created_at", view.delegation.created_at}})
                    .dump()));
  CC_TRY(tx->commit());
  return view;
}

base::Status InboxService::remove_delegation(const Actor& actor) {
  auto tx = CC_TRY(store_.begin());
  CC_TRY(tx->accounts().remove_delegation(actor.user.id));
  CC_TRY(record(*tx, actor, "delegation.removed", "user", actor.user.id, "{}"));
  return tx->commit();
}

base::Result<std::optional<DelegationView>> InboxService::get_delegation(const Actor& actor) {
  auto tx = CC_TRY(store_.begin());
  std::optional<domain::Delegation> d = CC_TRY(tx->accounts().find_delegation(actor.user.id));
  if (!d) {
    return std::optional<DelegationView>();
  }
  DelegationView view;
  view.delegation = *d;
  view.delegate_name = display_name(CC_TRY(tx->accounts().get_user(d->delegate_id)));
  std::optional<system_clock::time_point> until = domain::parse_rfc3339_utc(d->until);
  view.active = until && *until > clock_.now();
  return std::optional<DelegationView>(std::move(view));
}

}  // namespace clearcut::clearance
