#include "clearcut/policy/decision_view.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace clearcut::policy {
namespace {

using domain::FieldScope;

std::vector<std::string> action_names(uint32_t actions) {
  std::vector<std::string> names;
  for (int a = 0; a < kActionCount; ++a) {
    if ((actions >> a) & 1U) {
      names.emplace_back(action_name(static_cast<Action>(a)));
    }
  }
  return names;
}

std::string list_text(const domain::FieldSpec& field, const domain::Declaration& d) {
  if (!d.list_known(field.slot)) {
    return "absent";
  }
  std::string out;
  for (size_t i = 0; i < field.vocabulary.size(); ++i) {
    if ((d.lists[field.slot] >> i) & 1U) {
      out += out.empty() ? "" : ", ";
      out += field.vocabulary[i];
    }
  }
  return "[" + (out.empty() ? std::string("none") : out) + "]";
}

FactView view_of(const FactRef& ref, const domain::Declaration& d) {
  switch (ref.kind) {
    case FactRef::Kind::kScalar: {
      const auto& field = domain::scalar_field(FieldScope::kDeclaration, ref.slot);
      return {std::string(field.path), std::string(domain::scalar_text(field, d.scalars[ref.slot])),
              ""};
    }
    case FactRef::Kind::kList: {
      const auto& field = domain::list_field(ref.slot);
      return {std::string(field.path), list_text(field, d), ""};
    }
    case FactRef::Kind::kStageScalar: {
      const auto& field = domain::scalar_field(FieldScope::kStage, ref.slot);
      const domain::Stage& stage = d.pipeline[static_cast<size_t>(ref.stage)];
      return {"pipeline[" + std::to_string(ref.stage) + "]." + std::string(field.path),
              std::string(domain::scalar_text(field, stage.scalars[ref.slot])), stage.label()};
    }
    case FactRef::Kind::kPipeline:
      return {"pipeline",
              d.pipeline_known ? std::to_string(d.pipeline.size()) + " stage(s)" : "absent", ""};
  }
  return {};
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    out += out.empty() ? "" : ", ";
    out += w;
  }
  return out;
}

std::string_view outcome_phrase(Outcome outcome) {
  switch (outcome) {
    case Outcome::kNotify:
      return "Proceed and notify the studio contact";
    case Outcome::kEscalate:
      return "Escalate to the studio contact before proceeding";
    case Outcome::kWrittenApproval:
      return "Written approval is required before proceeding";
  }
  return "";
}

// The first rule at the decision's outcome names the reason, a rule that fired before one that
// could not be decided; lower rules (M1's "low risk" beside a written approval) never do.
std::string headline_of(const DecisionView& view) {
  const RuleView* reason = nullptr;
  for (const RuleView& r : view.rules) {
    if (r.outcome == view.outcome && (reason == nullptr || (reason->unknown && !r.unknown))) {
      reason = &r;
    }
  }
  std::string phrase(outcome_phrase(view.outcome));
  if (reason == nullptr) {
    return phrase + ".";
  }
  if (reason->unknown) {
    std::vector<std::string> fields;
    for (const FactView& f : reason->facts) {
      fields.push_back(f.field);
    }
    return phrase + ": " + reason->id + " may apply, and " + joined(fields) +
           (fields.size() == 1 ? " is" : " are") + " not yet known.";
  }
  std::string why = reason->why;
  while (!why.empty() && (why.back() == '.' || why.back() == ' ')) {
    why.pop_back();
  }
  return phrase + ": " + why + " (" + reason->id + ").";
}

}  // namespace

DecisionView explain(const PolicyPack& pack, const domain::Declaration& declaration,
                     const Decision& decision) {
  DecisionView view;
  view.outcome = decision.outcome;
  view.policy_name = pack.name();
  view.policy_version = pack.version();
  view.policy_digest = pack.digest();
  view.actions = action_names(decision.actions);
  for (const RuleHit& hit : decision.hits) {
    const Rule& rule = pack.rules()[hit.rule];
    RuleView r;
    r.id = rule.id;
    r.section = rule.section;
    r.outcome = hit.outcome;
    r.unknown = hit.unknown;
    r.why = rule.why;
    for (size_t a = 0; a < rule.also.size(); ++a) {
      if ((hit.additions >> a) & 1U && !rule.also[a].why.empty()) {
        r.why += " " + rule.also[a].why;
      }
    }
    r.actions =
        action_names(hit.unknown ? 1U << static_cast<int>(Action::kNotifyContact) : hit.actions);
    ConditionalActions conditional{rule.id, action_names(hit.actions), {}};
    for (uint32_t i = hit.facts_begin; i < hit.facts_end; ++i) {
      FactView fact = view_of(decision.facts[i], declaration);
      if (hit.unknown &&
          std::find(view.unknown.begin(), view.unknown.end(), fact.field) == view.unknown.end()) {
        view.unknown.push_back(fact.field);
      }
      if (hit.unknown && std::find(conditional.unknown.begin(), conditional.unknown.end(),
                                   fact.field) == conditional.unknown.end()) {
        conditional.unknown.push_back(fact.field);
      }
      r.facts.push_back(std::move(fact));
    }
    if (hit.unknown) {
      view.conditional_actions.push_back(std::move(conditional));
    }
    view.rules.push_back(std::move(r));
  }
  view.headline = headline_of(view);
  for (const domain::RegistryOverride& o : declaration.overrides) {
    const auto& field = domain::scalar_field(FieldScope::kStage, o.slot);
    const domain::Stage& stage = declaration.pipeline[static_cast<size_t>(o.stage)];
    view.notes.push_back(
        "pipeline[" + std::to_string(o.stage) + "]." + std::string(field.path) + " (" +
        stage.label() + "): declared " + std::string(domain::scalar_text(field, o.declared)) +
        ", the tool registry says " + std::string(domain::scalar_text(field, o.registry)) +
        "; the registry wins");
  }
  return view;
}

std::string to_json(const DecisionView& view) {
  nlohmann::json rules = nlohmann::json::array();
  for (const RuleView& r : view.rules) {
    nlohmann::json facts = nlohmann::json::array();
    for (const FactView& f : r.facts) {
      nlohmann::json fact = {{"field", f.field}, {"value", f.value}};
      if (!f.stage.empty()) {
        fact["stage"] = f.stage;
      }
      facts.push_back(std::move(fact));
    }
    rules.push_back({{"id", r.id},
                     {"outcome", outcome_name(r.outcome)},
                     {"section", r.section},
                     {"why", r.why},
                     {"facts", facts},
                     {"unknown", r.unknown},
                     {"actions", r.actions}});
  }
  nlohmann::json conditional = nlohmann::json::array();
  for (const ConditionalActions& c : view.conditional_actions) {
    conditional.push_back({{"rule", c.rule}, {"actions", c.actions}, {"unknown", c.unknown}});
  }
  nlohmann::json out = {
      {"outcome", outcome_name(view.outcome)},
      {"headline", view.headline},
      {"policy",
       {{"name", view.policy_name},
        {"version", view.policy_version},
        {"digest", view.policy_digest}}},
      {"rules", rules},
      {"actions", view.actions},
      {"conditional_actions", conditional},
      {"unknown", view.unknown},
      {"notes", view.notes},
  };
  return out.dump();
}

std::string to_text(const DecisionView& view) {
  std::string out;
  out += "outcome: " + std::string(outcome_name(view.outcome)) + "  (policy " + view.policy_name +
         " " + view.policy_version + ", digest " + view.policy_digest.substr(0, 12) + ")\n";
  out += view.headline + "\n";
  for (const RuleView& r : view.rules) {
    out += "  " + r.id + " [" + r.section + "] " + std::string(outcome_name(r.outcome)) +
           (r.unknown ? " (unknown: the contact settles it)" : "") + "\n";
    out += "      " + r.why + "\n";
    for (const FactView& f : r.facts) {
      out += "      - " + f.field + " = " + f.value;
      if (!f.stage.empty()) {
        out += " (stage \"" + f.stage + "\")";
      }
      out += "\n";
    }
  }
  out += "actions: " + joined(view.actions) + "\n";
  for (const ConditionalActions& c : view.conditional_actions) {
    out += "  if " + c.rule + " applies (" + joined(c.unknown) + "): " + joined(c.actions) + "\n";
  }
  if (!view.unknown.empty()) {
    out += "open questions (unknown): " + joined(view.unknown) + "\n";
  }
  for (const std::string& note : view.notes) {
    out += "note: " + note + "\n";
  }
  return out;
}

}  // namespace clearcut::policy
