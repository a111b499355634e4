#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/use_case.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// Who a waiting use case waits on (POLICY.md §5, as the workflow lets each role act): a contact
// while it is notified and nobody has acknowledged it, legal while it is escalated, its partner
// while it is a draft sent back with changes requested.
enum class WaitingOn : uint8_t { kContact, kLegal, kPartner };
std::string_view waiting_on_name(WaitingOn who);

// Who a use case waits on and since when it has (it entered the state it waits in).
struct Waiting {
  WaitingOn who = WaitingOn::kContact;
  std::string since;  // RFC 3339 UTC
};

// From the use case and its history (oldest first); nullopt when it waits on nobody. Pure.
std::optional<Waiting> waiting_of(const domain::UseCase& use_case,
                                  const std::vector<domain::UseCaseEvent>& events);

// When the studio's answer is due: `answer_within_days` working days (working_days.h) after the
// use case began waiting. nullopt when it waits on its partner (the production's answer time
// binds the studio, not the partner) or `since` is not an RFC 3339 time. Pure.
std::optional<std::chrono::system_clock::time_point> due_of(const Waiting& waiting,
                                                            int answer_within_days);

// Calls `fn` on each use case of the productions, in the states given, that waits on someone,
// with who and since when; in id order, a page at a time. Stops at the first error.
base::Status for_each_waiting(
    store::Transaction& tx, const std::vector<int64_t>& production_ids,
    std::initializer_list<domain::UseCaseState> states,
    const std::function<base::Status(const domain::UseCase&, const Waiting&)>& fn);

}  // namespace clearcut::clearance
