#pragma once

#include <string>
#include <vector>

#include "clearcut/domain/declaration.h"
#include "clearcut/policy/decision.h"
#include "clearcut/policy/policy_pack.h"

namespace clearcut::policy {

// A fact in words: `pipeline[1].trains_on_data` = `yes` (stage "in-house upscaler").
struct FactView {
  std::string field;
  std::string value;
  std::string stage;  // the stage's label, for stage facts
};

struct RuleView {
  std::string id;
  std::string section;
  Outcome outcome = Outcome::kNotify;
  bool unknown = false;
  std::string why;
  std::vector<std::string> actions;
  std::vector<FactView> facts;
};

// The actions an unknown rule would add, and the unknown facts that decide it: an open
// question the contact settles by amending the declaration, or legal waives (POLICY.md §6).
struct ConditionalActions {
  std::string rule;
  std::vector<std::string> actions;
  std::vector<std::string> unknown;
};

// A decision explained in words, ready to print or serialise. Built from a Decision, the pack
// and the declaration it was made for; the three must belong together.
struct DecisionView {
  Outcome outcome = Outcome::kNotify;
  // One plain sentence naming the strictest reason: a rule at the decision's outcome, never one
  // below it.
  std::string headline;
  std::string policy_name;
  std::string policy_version;
  std::string policy_digest;
  std::vector<std::string> actions;
  std::vector<RuleView> rules;
  std::vector<std::string> unknown;  // field paths whose absence or `unsure` raised the outcome
  std::vector<ConditionalActions> conditional_actions;
  std::vector<std::string> notes;  // registry overrides and similar remarks
};

DecisionView explain(const PolicyPack& pack, const domain::Declaration& declaration,
                     const Decision& decision);

// The `--json` object of POLICY.md §2 and §6: outcome, headline, policy, rules, actions,
// conditional_actions, unknown (and notes).
std::string to_json(const DecisionView& view);

// Readable text for a terminal, one rule a paragraph.
std::string to_text(const DecisionView& view);

}  // namespace clearcut::policy
