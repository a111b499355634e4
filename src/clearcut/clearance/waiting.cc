#include "clearcut/clearance/waiting.h"

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
      for (const UseCase& use_case : page) {
        std::vector<UseCaseEvent> events = CC_TRY(tx.use_cases().list_events(use_case.id));
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
