#include "clearcut/policy/decision.h"

namespace clearcut::policy {
namespace {

constexpr std::string_view kActionNames[] = {
    "notify_contact",      "legal_review",        "talent_consent",    "guild_compliance",
    "rights_clearance",    "use_enterprise_tool", "review_tool_terms", "human_authorship",
    "audience_disclosure", "register_outputs",    "keep_temporary",    "talent_qa",
    "all_party_consent"};
static_assert(std::size(kActionNames) == kActionCount);

}  // namespace

std::string_view action_name(Action action) {
  return kActionNames[static_cast<int>(action)];
}

std::optional<Action> parse_action(std::string_view name) {
  for (size_t i = 0; i < std::size(kActionNames); ++i) {
    if (kActionNames[i] == name) {
      return static_cast<Action>(i);
    }
  }
  return std::nullopt;
}

int exit_code(Outcome outcome) {
  switch (outcome) {
    case Outcome::kNotify:
      return 0;
    case Outcome::kEscalate:
      return 10;
    case Outcome::kWrittenApproval:
      return 20;
  }
  return 2;
}

}  // namespace clearcut::policy
