#include "clearcut/clearance/waiting.h"

#include <algorithm>

#include "clearcut/clearance/working_days.h"
#include "clearcut/domain/validation.h"

namespace clearcut::clearance {

using domain::UseCase;
using domain::UseCaseEvent;
using domain::UseCaseState;

std::string_view waiting_on_name(WaitingOn who) {
  switch (who) {
    case WaitingOn::kContact:
      return "contact";
    case WaitingOn::kLegal:
      return "legal";
    case WaitingOn::kPartner:
      return "partner";
  }
  return "";
}

std::optional<Waiting> waiting_of(const UseCase& use_case,
                                  const std::vector<UseCaseEvent>& events) {
  const std::string state(domain::use_case_state_name(use_case.state));
  // The last move into the state it is in; an edit or an acknowledgment stays in the state.
  size_t entered = events.size();
  for (size_t i = events.size(); i-- > 0;) {
    if (events[i].to_state == state && events[i].from_state != state) {
      entered = i;
      break;
    }
  }
  Waiting w;
  w.since = entered < events.size() ? events[entered].at : use_case.updated_at;
  switch (use_case.state) {
    case UseCaseState::kNotified:
      for (size_t i = entered < events.size() ? entered + 1 : 0; i < events.size(); ++i) {
        if (events[i].kind == domain::UseCaseEventKind::kAcknowledged) {
          return std::nullopt;  // the contact has seen it: a notified use goes ahead
        }
      }
      w.who = WaitingOn::kContact;
      return w;
    case UseCaseState::kEscalated:
      w.who = WaitingOn::kLegal;
      return w;
    case UseCaseState::kDraft:
      if (entered < events.size() &&
          events[entered].kind == domain::UseCaseEventKind::kChangesRequested) {
        w.who = WaitingOn::kPartner;
        return w;
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<std::chrono::system_clock::time_point> due_of(const Waiting& waiting,
                                                            int answer_within_days) {
  std::optional<std::chrono::system_clock::time_point> since =
      domain::parse_rfc3339_utc(waiting.since);
  if (!since || waiting.who == WaitingOn::kPartner) {
    return std::nullopt;
  }
  return add_working_days(*since, answer_within_days);
}

base::Status for_each_waiting(
    store::Transaction& tx, const std::vector<int64_t>& production_ids,
    std::initializer_list<UseCaseState> states,
    const std::function<base::Status(const UseCase&, const Waiting&)>& fn) {
  for (UseCaseState state : states) {
    store::UseCaseFilter filter;
    filter.production_ids = production_ids;
    filter.state = state;
    filter.limit = 1000;
    for (;;) {
      std::vector<UseCase> page = CC_TRY(tx.use_cases().list(filter));
      // The page's histories in one query, not one per use case.
      std::vector<int64_t> ids;
      ids.reserve(page.size());
      for (const UseCase& use_case : page) {
        ids.push_back(use_case.id);
      }
      std::vector<UseCaseEvent> all = CC_TRY(tx.use_cases().list_events_of(ids));
      auto next = all.begin();
      for (const UseCase& use_case : page) {
        // Both are in use case order: the events of this one are the run starting at `next`.
        next = std::find_if(next, all.end(),
                            [&](const UseCaseEvent& e) { return e.use_case_id >= use_case.id; });
        auto end = std::find_if(
            next, all.end(), [&](const UseCaseEvent& e) { return e.use_case_id != use_case.id; });
        std::vector<UseCaseEvent> events(next, end);
        next = end;
        std::optional<Waiting> waiting = waiting_of(use_case, events);
        if (waiting) {
          CC_TRY(fn(use_case, *waiting));
        }
      }
      if (page.size() < static_cast<size_t>(filter.limit)) {
        break;
      }
      filter.after_id = page.back().id;
    }
  }
  return {};
}

}  // namespace clearcut::clearance
