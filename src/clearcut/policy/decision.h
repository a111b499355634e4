#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "clearcut/domain/outcome.h"
#include "clearcut/policy/condition.h"

namespace clearcut::policy {

using domain::Outcome;
using domain::outcome_name;
using domain::parse_outcome;

// The required actions of POLICY.md §2, as bits of Decision::actions.
enum class Action : uint8_t {
  kNotifyContact,
  kLegalReview,
  kTalentConsent,
  kGuildCompliance,
  kRightsClearance,
  kUseEnterpriseTool,
  kReviewToolTerms,
  kHumanAuthorship,
  kAudienceDisclosure,
  kRegisterOutputs,
  kKeepTemporary,
  kTalentQa,
  kAllPartyConsent,
};
inline constexpr int kActionCount = 13;

std::string_view action_name(Action action);
std::optional<Action> parse_action(std::string_view name);

// `clearcut assess` exit code for an outcome: 0, 10 or 20 (POLICY.md §2).
int exit_code(Outcome outcome);

// One rule that fired, or whose condition came out unknown.
struct RuleHit {
  uint16_t rule = 0;  // index into the pack's rules
  Outcome outcome = Outcome::kNotify;
  bool unknown = false;   // the condition came out unknown: listed as escalate
  uint8_t additions = 0;  // bit i set = the rule's also[i] applies
  // The actions the rule requires (with its additions, and legal_review for a written_approval
  // rule); for an unknown rule, the actions it would add once its facts are settled.
  uint32_t actions = 0;
  uint32_t facts_begin = 0;  // Decision::facts[facts_begin, facts_end)
  uint32_t facts_end = 0;
};

// What the policy says about one declaration. Compact and allocation-free once warm (reuse a
// Decision across evaluations); explanation/rendering turns it into words.
struct Decision {
  Outcome outcome = Outcome::kNotify;
  uint32_t actions = 0;  // bit per Action
  std::vector<RuleHit> hits;
  std::vector<FactRef> facts;

  bool has_action(Action a) const { return (actions >> static_cast<int>(a)) & 1U; }
  void clear() {
    outcome = Outcome::kNotify;
    actions = 0;
    hits.clear();
    facts.clear();
  }
};

}  // namespace clearcut::policy
