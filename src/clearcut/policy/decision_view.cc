#include "clearcut/policy/decision_view.h"

#include <algorithm>

#include "clearcut/base/json_text.h"

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

// Written directly rather than through an nlohmann tree (a fifth of an assess request's time
// went into building and dumping one), in the layout nlohmann gave it and clients and stored
// decisions have: compact, each object's keys in byte order. decision_view_test pins the bytes.
void append_strings(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    base::append_json_string(out, items[i]);
  }
  out += ']';
}

void append_rule(std::string& out, const RuleView& r) {
  out += "{\"actions\":";
  append_strings(out, r.actions);
  out += ",\"facts\":[";
  for (size_t i = 0; i < r.facts.size(); ++i) {
    const FactView& f = r.facts[i];
    out += i > 0 ? ",{\"field\":" : "{\"field\":";
    base::append_json_string(out, f.field);
    if (!f.stage.empty()) {
      out += ",\"stage\":";
      base::append_json_string(out, f.stage);
    }
    out += ",\"value\":";
    base::append_json_string(out, f.value);
    out += '}';
  }
  out += "],\"id\":";
  base::append_json_string(out, r.id);
  out += ",\"outcome\":";
  base::append_json_string(out, outcome_name(r.outcome));
  out += ",\"section\":";
  base::append_json_string(out, r.section);
  out += r.unknown ? ",\"unknown\":true,\"why\":" : ",\"unknown\":false,\"why\":";
  base::append_json_string(out, r.why);
  out += '}';
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
  for (const domain::StaleReview& stale : declaration.stale_reviews) {
    const domain::Stage& stage = declaration.pipeline[static_cast<size_t>(stale.stage)];
    view.notes.push_back("pipeline[" + std::to_string(stale.stage) + "] (" + stage.label() +
                         "): the tool counts as not reviewed: " + stale.reason + "; its " +
                         domain::review_vouched_fields() + " read as unknown");
  }
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
  std::string out;
  out.reserve(2048);
  out += "{\"actions\":";
  append_strings(out, view.actions);
  out += ",\"conditional_actions\":[";
  for (size_t i = 0; i < view.conditional_actions.size(); ++i) {
    const ConditionalActions& c = view.conditional_actions[i];
    out += i > 0 ? ",{\"actions\":" : "{\"actions\":";
    append_strings(out, c.actions);
    out += ",\"rule\":";
    base::append_json_string(out, c.rule);
    out += ",\"unknown\":";
    append_strings(out, c.unknown);
    out += '}';
  }
  out += "],\"headline\":";
  base::append_json_string(out, view.headline);
  out += ",\"notes\":";
  append_strings(out, view.notes);
  out += ",\"outcome\":";
  base::append_json_string(out, outcome_name(view.outcome));
  out += ",\"policy\":{\"digest\":";
  base::append_json_string(out, view.policy_digest);
  out += ",\"name\":";
  base::append_json_string(out, view.policy_name);
  out += ",\"version\":";
  base::append_json_string(out, view.policy_version);
  out += "},\"rules\":[";
  for (size_t i = 0; i < view.rules.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    append_rule(out, view.rules[i]);
  }
  out += "],\"unknown\":";
  append_strings(out, view.unknown);
  out += '}';
  return out;
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
