#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace clearcut::domain {

// What the policy asks for a declared use (POLICY.md §2): the engine decides it (policy::Decision)
// and a use case keeps it. Ordered: a decision's outcome is the highest of its triggered rules'.
enum class Outcome : uint8_t { kNotify = 0, kEscalate = 1, kWrittenApproval = 2 };

// "notify", "escalate", "written_approval".
std::string_view outcome_name(Outcome outcome);
std::optional<Outcome> parse_outcome(std::string_view name);

}  // namespace clearcut::domain
