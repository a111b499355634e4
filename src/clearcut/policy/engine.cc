#include "clearcut/policy/engine.h"

#include <algorithm>

namespace clearcut::policy {

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
    hit.facts_begin = static_cast<uint32_t>(out->facts.size());
    rule.when.explain(declaration, truth, &out->facts);
    hit.facts_end = static_cast<uint32_t>(out->facts.size());
    out->actions |= unknown ? 1U << static_cast<int>(Action::kNotifyContact) : rule.actions;
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
