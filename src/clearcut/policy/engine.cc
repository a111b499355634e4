#include "clearcut/policy/engine.h"

#include <algorithm>

namespace clearcut::policy {

namespace {

constexpr uint32_t bit(Action a) {
  return 1U << static_cast<int>(a);
}

// The additions of `rule` that apply to `d`, as bits, and the actions they add.
uint8_t additions_of(const Rule& rule, const domain::Declaration& d, uint32_t* actions) {
  uint8_t applied = 0;
  for (size_t i = 0; i < rule.also.size(); ++i) {
    const RuleAddition& a = rule.also[i];
    Truth t = a.condition.evaluate(d);
    if (a.unless ? t != Truth::kTrue : t == Truth::kTrue) {
      applied = static_cast<uint8_t>(applied | (1U << i));
      *actions |= a.actions;
    }
  }
  return applied;
}

}  // namespace

void Engine::evaluate(const domain::Declaration& declaration, Decision* out) const {
  out->clear();
  const std::vector<Rule>& rules = pack_->rules();
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& rule = rules[i];
    Truth truth = rule.when.evaluate(declaration);
    if (truth == Truth::kFalse) {
      continue;
    }
    bool unknown = truth == Truth::kUnknown;
    if (unknown && rule.outcome == Outcome::kNotify) {
      continue;
    }
    RuleHit hit;
    hit.rule = static_cast<uint16_t>(i);
    hit.unknown = unknown;
    hit.outcome = unknown ? Outcome::kEscalate : rule.outcome;
    hit.actions = rule.actions;
    hit.additions = additions_of(rule, declaration, &hit.actions);
    if (rule.outcome == Outcome::kWrittenApproval) {
      hit.actions |= bit(Action::kLegalReview);
    }
    hit.facts_begin = static_cast<uint32_t>(out->facts.size());
    rule.when.explain(declaration, truth, &out->facts);
    hit.facts_end = static_cast<uint32_t>(out->facts.size());
    out->actions |= unknown ? bit(Action::kNotifyContact) : hit.actions;
    out->outcome = std::max(out->outcome, hit.outcome);
    out->hits.push_back(hit);
  }
}

Decision Engine::evaluate(const domain::Declaration& declaration) const {
  Decision decision;
  evaluate(declaration, &decision);
  return decision;
}

}  // namespace clearcut::policy
