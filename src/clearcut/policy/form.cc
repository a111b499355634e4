#include "clearcut/policy/form.h"

#include <algorithm>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "clearcut/domain/declaration_schema.h"

namespace clearcut::policy {
namespace {

using domain::FieldKind;
using domain::FieldSpec;

// A declaration field as the conditions see it: a scalar or a list slot.
struct Slot {
  bool list = false;
  uint8_t slot = 0;
  auto operator<=>(const Slot&) const = default;
};

Slot slot_of(const FieldSpec& spec) {
  return {spec.kind == FieldKind::kList, spec.slot};
}

void add_declaration_facts(const std::vector<FactRef>& facts, std::set<Slot>* out) {
  for (const FactRef& f : facts) {
    if (f.kind == FactRef::Kind::kScalar) {
      out->insert({false, f.slot});
    } else if (f.kind == FactRef::Kind::kList) {
      out->insert({true, f.slot});
    }
  }
}

// The declaration fields a condition tests with stated(): for those, absent is not unknown (an
// answer can turn a false condition true), so Kleene's argument does not make them moot.
void add_stated(const Condition& c, std::set<Slot>* out) {
  for (const Condition::Node& node : c.nodes()) {
    if (node.op != Condition::Op::kStated) {
      continue;
    }
    auto kind = static_cast<FactRef::Kind>(node.value);
    if (kind == FactRef::Kind::kScalar || kind == FactRef::Kind::kList) {
      out->insert({kind == FactRef::Kind::kList, node.slot});
    }
  }
}

std::set<Slot> fields_stated(const PolicyPack& pack) {
  std::set<Slot> out;
  for (const Rule& rule : pack.rules()) {
    add_stated(rule.when, &out);
    for (const RuleAddition& a : rule.also) {
      add_stated(a.condition, &out);
    }
  }
  return out;
}

// What a decision is, for comparing two: outcome, actions, and each listed rule with its
// additions and actions.
bool same_decision(const Decision& a, const Decision& b) {
  auto key = [](const RuleHit& h) {
    return std::tie(h.rule, h.unknown, h.additions, h.actions);
  };
  return a.outcome == b.outcome && a.actions == b.actions &&
         std::equal(a.hits.begin(), a.hits.end(), b.hits.begin(), b.hits.end(),
                    [&](const RuleHit& x, const RuleHit& y) { return key(x) == key(y); });
}

// Whether no answer to the unanswered scalar `spec` (each word, and unsure for a tri-state)
// changes the decision: tried, for fields that stated() reads. A list under stated() is never
// called moot (its answers are too many to try).
bool no_answer_changes(const Engine& engine, const FieldSpec& spec, const domain::Declaration& d,
                       const Decision& decision) {
  if (spec.kind == FieldKind::kList) {
    return false;
  }
  Decision trial;
  domain::Declaration changed = d;
  for (int v = spec.kind == FieldKind::kTri ? domain::kUnsure : 0;
       v < static_cast<int>(spec.vocabulary.size()); ++v) {
    if (v == domain::kAbsent) {
      continue;
    }
    changed.scalars[spec.slot] = static_cast<int8_t>(v);
    engine.evaluate(changed, &trial);
    if (!same_decision(trial, decision)) {
      return false;
    }
  }
  return true;
}

// Every declaration field some rule (or addition) of the pack reads.
std::set<Slot> fields_read(const PolicyPack& pack) {
  std::set<Slot> out;
  for (const Rule& rule : pack.rules()) {
    add_declaration_facts(rule.when.facts(), &out);
    for (const RuleAddition& a : rule.also) {
      add_declaration_facts(a.condition.facts(), &out);
    }
  }
  return out;
}

// The unknown facts that keep rules (or the additions of a rule that is not false) undecided.
// Every rule counts, notify rules too: settling one can add actions although it cannot raise the
// outcome.
std::set<Slot> fields_undecided(const PolicyPack& pack, const domain::Declaration& d) {
  std::set<Slot> out;
  std::vector<FactRef> facts;
  for (const Rule& rule : pack.rules()) {
    facts.clear();
    Truth truth = rule.when.evaluate(d);
    if (truth == Truth::kFalse) {
      continue;
    }
    if (truth == Truth::kUnknown) {
      rule.when.explain(d, Truth::kUnknown, &facts);
    }
    // An unknown rule is listed with the actions its additions would add, so they count too.
    for (const RuleAddition& a : rule.also) {
      if (a.condition.evaluate(d) == Truth::kUnknown) {
        a.condition.explain(d, Truth::kUnknown, &facts);
      }
    }
    add_declaration_facts(facts, &out);
  }
  return out;
}

bool answered(const domain::Declaration& d, const FieldSpec& spec) {
  if (spec.kind == FieldKind::kList) {
    return d.list_known(spec.slot);
  }
  return d.scalars[spec.slot] != domain::kAbsent;
}

// Sets the question's implied answer; true if the declaration changed.
bool imply(const Question& q, const FieldSpec& spec, domain::Declaration* d) {
  if (q.otherwise_list) {
    if (d->list_known(spec.slot) && d->lists[spec.slot] == *q.otherwise_list) {
      return false;
    }
    d->set_list(spec.slot, *q.otherwise_list);
    return true;
  }
  if (q.otherwise_scalar && d->scalars[spec.slot] != *q.otherwise_scalar) {
    d->scalars[spec.slot] = *q.otherwise_scalar;
    return true;
  }
  return false;
}

bool not_asked(const Question* q, const domain::Declaration& d) {
  return q != nullptr && q->ask_when && q->ask_when->evaluate(d) == Truth::kFalse;
}

// Applies implied answers until none changes the declaration. An answer can make another
// question moot (no performer, so no replica, so no replica use); a pack whose conditions chase
// each other stops after one pass per question.
void apply_implied(const PolicyPack& pack, domain::Declaration* d) {
  for (size_t pass = 0; pass <= pack.questions().size(); ++pass) {
    bool changed = false;
    for (const Question& q : pack.questions()) {
      if (!not_asked(&q, *d)) {
        continue;
      }
      const FieldSpec* spec = domain::find_field(domain::FieldScope::kDeclaration, q.field);
      changed = (spec != nullptr && imply(q, *spec, d)) || changed;
    }
    if (!changed) {
      return;
    }
  }
}

std::string value_json(const FieldSpec& spec, const domain::Declaration& d) {
  if (spec.kind == FieldKind::kList) {
    nlohmann::json words = nlohmann::json::array();
    for (size_t v = 0; v < spec.vocabulary.size(); ++v) {
      if ((d.lists[spec.slot] >> v) & 1U) {
        words.push_back(spec.vocabulary[v]);
      }
    }
    return words.dump();
  }
  return nlohmann::json(domain::scalar_text(spec, d.scalars[spec.slot])).dump();
}

// The outcome of `d` once its implied answers are applied.
Outcome outcome_with(const Engine& engine, domain::Declaration d, Decision* scratch) {
  apply_implied(engine.pack(), &d);
  engine.evaluate(d, scratch);
  return scratch->outcome;
}

// Answers an open question could take: yes and no, each word of an enum, or an empty list.
std::vector<domain::Declaration> answers(const FieldSpec& spec, const domain::Declaration& d) {
  std::vector<domain::Declaration> out;
  if (spec.kind == FieldKind::kList) {
    out.push_back(d);
    out.back().set_list(spec.slot, 0);
    return out;
  }
  size_t words = spec.kind == FieldKind::kTri ? 2 : spec.vocabulary.size();
  for (size_t v = 0; v < words; ++v) {
    out.push_back(d);
    out.back().scalars[spec.slot] = static_cast<int8_t>(v);
  }
  return out;
}

std::vector<Lever> find_levers(const Engine& engine, const domain::Declaration& d, Outcome current,
                               const std::vector<const FieldSpec*>& open) {
  std::vector<Lever> out;
  Decision scratch;
  for (const FieldSpec* spec : open) {
    std::optional<Lever> best;
    for (const domain::Declaration& changed : answers(*spec, d)) {
      Outcome outcome = outcome_with(engine, changed, &scratch);
      if (outcome < current && (!best || outcome < best->outcome)) {
        best = Lever{std::string(spec->path), value_json(*spec, changed), outcome, ""};
      }
    }
    if (best) {
      out.push_back(std::move(*best));
    }
  }
  // What goes into the tools and what the prompts invoke are the partner's choices.
  for (std::string_view path : {"inputs", "references"}) {
    const FieldSpec* spec = domain::find_field(domain::FieldScope::kDeclaration, path);
    if (spec == nullptr || !d.list_known(spec->slot)) {
      continue;
    }
    for (size_t v = 0; v < spec->vocabulary.size(); ++v) {
      if (((d.lists[spec->slot] >> v) & 1U) == 0) {
        continue;
      }
      domain::Declaration changed = d;
      changed.set_list(spec->slot, d.lists[spec->slot] & ~(1U << v));
      Outcome outcome = outcome_with(engine, changed, &scratch);
      if (outcome < current) {
        out.push_back({std::string(path), value_json(*spec, changed), outcome,
                       std::string(spec->vocabulary[v])});
      }
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Lever& a, const Lever& b) { return a.outcome < b.outcome; });
  if (out.size() > kMaxLevers) {
    out.resize(kMaxLevers);
  }
  return out;
}

}  // namespace

FormView complete_form(const Engine& engine, domain::Declaration* declaration, Decision* decision) {
  const PolicyPack& pack = engine.pack();
  apply_implied(pack, declaration);
  engine.evaluate(*declaration, decision);
  std::set<Slot> read = fields_read(pack);
  std::set<Slot> undecided = fields_undecided(pack, *declaration);
  std::set<Slot> stated = fields_stated(pack);

  FormView view;
  std::vector<const FieldSpec*> open;
  for (const FieldSpec& spec : domain::declaration_fields()) {
    if (spec.kind == FieldKind::kText) {
      continue;
    }
    const Question* q = pack.find_question(spec.path);
    if (not_asked(q, *declaration)) {
      view.moot.emplace_back(spec.path);
      if (q->otherwise_scalar || q->otherwise_list) {
        view.implied.emplace_back(spec.path, value_json(spec, *declaration));
      }
      continue;
    }
    if (answered(*declaration, spec) || !read.contains(slot_of(spec))) {
      continue;
    }
    bool moot = stated.contains(slot_of(spec))
                    ? no_answer_changes(engine, spec, *declaration, *decision)
                    : !undecided.contains(slot_of(spec));
    (moot ? view.moot : view.open).emplace_back(spec.path);
    if (!moot) {
      open.push_back(&spec);
    }
  }
  if (decision->outcome != Outcome::kNotify) {
    view.levers = find_levers(engine, *declaration, decision->outcome, open);
  }
  return view;
}

std::string form_json(const FormView& view) {
  nlohmann::json implied = nlohmann::json::object();
  for (const auto& [field, value] : view.implied) {
    implied[field] = nlohmann::json::parse(value);
  }
  nlohmann::json levers = nlohmann::json::array();
  for (const Lever& lever : view.levers) {
    nlohmann::json l = {{"field", lever.field},
                        {"value", nlohmann::json::parse(lever.value_json)},
                        {"outcome", outcome_name(lever.outcome)}};
    if (!lever.removes.empty()) {
      l["removes"] = lever.removes;
    }
    levers.push_back(std::move(l));
  }
  return nlohmann::json(
             {{"moot", view.moot}, {"implied", implied}, {"open", view.open}, {"levers", levers}})
      .dump();
}

}  // namespace clearcut::policy
