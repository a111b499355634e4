#include "clearcut/policy/policy_pack.h"

#include <set>

#include <nlohmann/json.hpp>

#include "clearcut/base/file.h"
#include "clearcut/base/hex.h"
#include "clearcut/crypto/sha256.h"
#include "clearcut/domain/declaration_schema.h"
#include "clearcut/domain/internal/yaml_input.h"

namespace clearcut::policy {
namespace {

using domain::internal::InputNode;
using domain::internal::YamlNode;

// The value under `key`, which the caller has checked is there.
YamlNode field(const InputNode& in, std::string_view key) {
  return *in.node.find(key);
}

base::Result<uint32_t> read_actions(const InputNode& actions) {
  if (!actions.node.is_sequence()) {
    return actions.error("expected a list of actions");
  }
  uint32_t bits = 0;
  for (size_t i = 0; i < actions.node.size(); ++i) {
    InputNode item = actions.element(actions.node.item(i), i);
    std::string name = CC_TRY(domain::internal::read_text(item));
    std::optional<Action> action = parse_action(name);
    if (!action) {
      std::string known;
      for (int a = 0; a < kActionCount; ++a) {
        known += known.empty() ? "" : ", ";
        known += action_name(static_cast<Action>(a));
      }
      return item.error("unknown action '" + name + "'; expected one of: " + known);
    }
    bits |= 1U << static_cast<int>(*action);
  }
  return bits;
}

base::Result<Condition> read_condition(const InputNode& in) {
  std::string text = CC_TRY(domain::internal::read_text(in));
  auto condition = Condition::compile(text);
  if (!condition.has_value()) {
    return in.error("condition: " + condition.error().message());
  }
  return std::move(condition).value();
}

base::Result<RuleAddition> read_addition(const InputNode& in) {
  CC_TRY(domain::internal::check_map(in, {"when", "unless", "actions", "why"}));
  std::optional<YamlNode> when = in.node.find("when");
  std::optional<YamlNode> unless = in.node.find("unless");
  if (when.has_value() == unless.has_value()) {
    return in.error("give either `when` or `unless`");
  }
  RuleAddition addition;
  addition.unless = unless.has_value();
  addition.condition = CC_TRY(
      read_condition(addition.unless ? in.child(*unless, "unless") : in.child(*when, "when")));
  if (std::optional<YamlNode> actions = in.node.find("actions")) {
    addition.actions = CC_TRY(read_actions(in.child(*actions, "actions")));
  }
  if (std::optional<YamlNode> why = in.node.find("why")) {
    addition.why = CC_TRY(domain::internal::read_text(in.child(*why, "why")));
  }
  if (addition.actions == 0 && addition.why.empty()) {
    return in.error("an addition needs `actions` or `why`");
  }
  return addition;
}

base::Result<Rule> read_rule(const InputNode& in) {
  CC_TRY(domain::internal::check_map(
      in, {"id", "section", "outcome", "actions", "why", "when", "also"}));
  Rule rule;
  rule.line = in.location().line;
  for (std::string_view required : {"id", "section", "outcome", "why", "when"}) {
    if (!in.node.find(required)) {
      return in.child(in.node, required)
          .error("missing; every rule needs " + std::string(required));
    }
  }
  rule.id = CC_TRY(domain::internal::read_text(in.child(field(in, "id"), "id")));
  rule.section = CC_TRY(domain::internal::read_text(in.child(field(in, "section"), "section")));
  rule.why = CC_TRY(domain::internal::read_text(in.child(field(in, "why"), "why")));

  InputNode outcome = in.child(field(in, "outcome"), "outcome");
  std::string outcome_text = CC_TRY(domain::internal::read_text(outcome));
  std::optional<Outcome> parsed = parse_outcome(outcome_text);
  if (!parsed) {
    return outcome.error("expected notify, escalate or written_approval, got '" + outcome_text +
                         "'");
  }
  rule.outcome = *parsed;

  if (std::optional<YamlNode> actions = in.node.find("actions")) {
    rule.actions = CC_TRY(read_actions(in.child(*actions, "actions")));
  }
  rule.when = CC_TRY(read_condition(in.child(field(in, "when"), "when")));
  if (std::optional<YamlNode> also_node = in.node.find("also")) {
    InputNode also = in.child(*also_node, "also");
    if (!also.node.is_sequence() || also.node.size() == 0 || also.node.size() > kMaxRuleAdditions) {
      return also.error("expected a list of 1 to " + std::to_string(kMaxRuleAdditions) +
                        " additions ({when or unless, actions, why})");
    }
    for (size_t i = 0; i < also.node.size(); ++i) {
      rule.also.push_back(CC_TRY(read_addition(also.element(also.node.item(i), i))));
    }
  }
  return rule;
}

base::Result<std::vector<InformationalField>> read_informational(const InputNode& in) {
  if (!in.node.is_map()) {
    return in.error("expected a mapping of declaration fields to the reason no rule reads them");
  }
  std::vector<InformationalField> out;
  for (size_t i = 0; i < in.node.size(); ++i) {
    const std::string& path = in.node.key(i).text();
    InputNode reason = in.child(in.node.value(i), path);
    const domain::FieldSpec* spec = domain::find_field(domain::FieldScope::kDeclaration, path);
    if (spec == nullptr || spec->kind == domain::FieldKind::kText) {
      return reason.error("not a declaration field that rules can read");
    }
    std::string text = CC_TRY(domain::internal::read_text(reason));
    if (text.empty()) {
      return reason.error("say why no rule reads this field");
    }
    out.push_back({path, std::move(text)});
  }
  return out;
}

// `actions:` maps each action the pack words to the sentence a partner reads.
base::Result<std::array<std::string, kActionCount>> read_action_text(const InputNode& in) {
  if (!in.node.is_map()) {
    return in.error("expected a mapping of actions to the sentence a partner reads");
  }
  std::array<std::string, kActionCount> out;
  for (size_t i = 0; i < in.node.size(); ++i) {
    const std::string& name = in.node.key(i).text();
    InputNode text = in.child(in.node.value(i), name);
    std::optional<Action> action = parse_action(name);
    if (!action) {
      return text.error("not an action (POLICY.md §2 lists them)");
    }
    out[static_cast<size_t>(*action)] = CC_TRY(domain::internal::read_text(text));
    if (out[static_cast<size_t>(*action)].empty()) {
      return text.error("expected the sentence a partner reads");
    }
  }
  return out;
}

// The answer a question takes when it is not asked, checked against the field's kind and
// vocabulary: a word for a tri-state or an enum, a list of words (or []) for a list.
base::Status read_otherwise(const InputNode& in, const domain::FieldSpec& spec, Question* q) {
  if (spec.kind == domain::FieldKind::kList) {
    if (!in.node.is_sequence()) {
      return in.error("expected a list of " + domain::vocabulary_text(spec) + " (or [])");
    }
    uint32_t bits = 0;
    for (size_t i = 0; i < in.node.size(); ++i) {
      InputNode item = in.element(in.node.item(i), i);
      std::string word = CC_TRY(domain::internal::read_text(item));
      std::optional<int> index = domain::vocabulary_index(spec, word);
      if (!index || word == "none") {
        return item.error("expected one of " + domain::vocabulary_text(spec));
      }
      bits |= 1U << *index;
    }
    q->otherwise_list = bits;
    return {};
  }
  if (spec.kind == domain::FieldKind::kTri) {
    int8_t value = CC_TRY(domain::internal::read_tri(in));
    if (value == domain::kUnsure) {
      return in.error("expected yes or no: an answer that follows is never unsure");
    }
    q->otherwise_scalar = value;
    return {};
  }
  std::string word = CC_TRY(domain::internal::read_text(in));
  std::optional<int> index = domain::vocabulary_index(spec, word);
  if (!index) {
    return in.error("expected one of " + domain::vocabulary_text(spec) + ", got '" + word + "'");
  }
  q->otherwise_scalar = static_cast<int8_t>(*index);
  return {};
}

base::Result<Question> read_question(const InputNode& in, const std::string& path) {
  CC_TRY(domain::internal::check_map(in, {"ask", "help", "ask_when", "otherwise"}));
  Question q;
  q.field = path;
  q.line = in.location().line;
  constexpr std::string_view kStagePrefix = "pipeline[].";
  const domain::FieldSpec* spec =
      path.starts_with(kStagePrefix)
          ? domain::find_field(domain::FieldScope::kStage, path.substr(kStagePrefix.size()))
          : domain::find_field(domain::FieldScope::kDeclaration, path);
  if (spec == nullptr) {
    return in.error("not a declaration field (or pipeline[].<stage field>)");
  }
  if (!in.node.find("ask")) {
    return in.child(in.node, "ask").error("missing; say how the form asks for the field");
  }
  q.ask = CC_TRY(domain::internal::read_text(in.child(field(in, "ask"), "ask")));
  if (q.ask.empty()) {
    return in.child(field(in, "ask"), "ask").error("expected the question as a partner reads it");
  }
  if (std::optional<YamlNode> help = in.node.find("help")) {
    q.help = CC_TRY(domain::internal::read_text(in.child(*help, "help")));
  }
  std::optional<YamlNode> ask_when = in.node.find("ask_when");
  std::optional<YamlNode> otherwise = in.node.find("otherwise");
  if (ask_when) {
    if (spec->scope != domain::FieldScope::kDeclaration || spec->kind == domain::FieldKind::kText) {
      return in.child(*ask_when, "ask_when")
          .error("only a declaration field that rules can read is asked conditionally");
    }
    q.ask_when = CC_TRY(read_condition(in.child(*ask_when, "ask_when")));
  }
  if (otherwise) {
    if (!ask_when) {
      return in.child(*otherwise, "otherwise")
          .error("an answer follows only when the question is not asked: give ask_when");
    }
    CC_TRY(read_otherwise(in.child(*otherwise, "otherwise"), *spec, &q));
  }
  return q;
}

base::Result<std::vector<Question>> read_questions(const InputNode& in) {
  if (!in.node.is_map()) {
    return in.error("expected a mapping of declaration fields to {ask, help, ask_when, otherwise}");
  }
  std::vector<Question> out;
  for (size_t i = 0; i < in.node.size(); ++i) {
    const std::string& path = in.node.key(i).text();
    out.push_back(CC_TRY(read_question(in.child(in.node.value(i), path), path)));
  }
  return out;
}

// A question's `otherwise` as written (only declaration fields have one).
nlohmann::json otherwise_json(const Question& q) {
  const domain::FieldSpec* spec = domain::find_field(domain::FieldScope::kDeclaration, q.field);
  if (spec == nullptr) {
    return nullptr;
  }
  if (q.otherwise_list) {
    nlohmann::json words = nlohmann::json::array();
    for (size_t v = 0; v < spec->vocabulary.size(); ++v) {
      if ((*q.otherwise_list >> v) & 1U) {
        words.push_back(spec->vocabulary[v]);
      }
    }
    return words;
  }
  if (q.otherwise_scalar) {
    return domain::scalar_text(*spec, *q.otherwise_scalar);
  }
  return nullptr;
}

nlohmann::json actions_json(uint32_t actions) {
  nlohmann::json out = nlohmann::json::array();
  for (int a = 0; a < kActionCount; ++a) {
    if ((actions >> a) & 1U) {
      out.push_back(action_name(static_cast<Action>(a)));
    }
  }
  return out;
}

// A whole number of months, 1 to 120, written as digits: "12", not "12.0", "1e1" or "a year".
base::Result<int> read_review_months(const InputNode& in) {
  std::string text = CC_TRY(domain::internal::read_text(in));
  int months = 0;
  bool digits = !text.empty() && text.size() <= 3;
  for (char c : text) {
    digits = digits && c >= '0' && c <= '9';
    months = months * 10 + (c - '0');
  }
  if (!digits || months < 1 || months > 120) {
    return in.error("expected a whole number of months from 1 to 120, got '" + text + "'");
  }
  return months;
}

// `risk_categories`: name → {label, rules}, each rule an id in `ids` (the pack's rules).
base::Result<std::vector<RiskCategory>> read_risk_categories(const InputNode& in,
                                                             const std::set<std::string>& ids) {
  if (!in.node.is_map() || in.node.size() == 0 || in.node.size() > kMaxRiskCategories) {
    return in.error("expected a mapping of 1 to " + std::to_string(kMaxRiskCategories) +
                    " categories, each {label, rules}");
  }
  std::vector<RiskCategory> out;
  for (size_t i = 0; i < in.node.size(); ++i) {
    RiskCategory category;
    category.name = in.node.key(i).text();
    InputNode item = in.child(in.node.value(i), category.name);
    bool plain = !category.name.empty() && category.name.size() <= 40;
    for (char c : category.name) {
      plain = plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    }
    if (!plain) {
      return item.error("a category's name is 1 to 40 of a-z, 0-9 and _");
    }
    CC_TRY(domain::internal::check_map(item, {"label", "rules"}));
    if (!item.node.find("label") || !item.node.find("rules")) {
      return item.error("a category needs a label and rules");
    }
    category.label = CC_TRY(domain::internal::read_text(item.child(field(item, "label"), "label")));
    if (category.label.empty()) {
      return item.child(field(item, "label"), "label")
          .error("expected the category's name as people read it");
    }
    InputNode rules = item.child(field(item, "rules"), "rules");
    if (!rules.node.is_sequence() || rules.node.size() == 0) {
      return rules.error("expected a non-empty list of rule ids");
    }
    for (size_t r = 0; r < rules.node.size(); ++r) {
      InputNode rule = rules.element(rules.node.item(r), r);
      std::string id = CC_TRY(domain::internal::read_text(rule));
      if (!ids.contains(id)) {
        return rule.error("no rule '" + id + "' in this pack");
      }
      category.rules.push_back(std::move(id));
    }
    out.push_back(std::move(category));
  }
  return out;
}

}  // namespace

base::Result<PolicyPack> PolicyPack::parse(std::string_view text, const std::string& file) {
  domain::internal::YamlDocument document = CC_TRY(domain::internal::load_yaml(text, file));
  InputNode in{document.root(), &file, ""};
  CC_TRY(domain::internal::check_map(
      in, {"name", "version", "description", "source", "informational", "tool_review_months",
           "actions", "questions", "rules", "risk_categories"}));
  PolicyPack pack;
  for (std::string_view required : {"name", "version", "rules"}) {
    if (!in.node.find(required)) {
      return in.child(in.node, required)
          .error("missing; a policy pack needs name, version and rules");
    }
  }
  pack.name_ = CC_TRY(domain::internal::read_text(in.child(field(in, "name"), "name")));
  pack.version_ = CC_TRY(domain::internal::read_text(in.child(field(in, "version"), "version")));
  if (std::optional<YamlNode> description = in.node.find("description")) {
    pack.description_ = CC_TRY(domain::internal::read_text(in.child(*description, "description")));
  }
  if (std::optional<YamlNode> source = in.node.find("source")) {
    pack.source_ = CC_TRY(domain::internal::read_text(in.child(*source, "source")));
  }
  if (std::optional<YamlNode> informational = in.node.find("informational")) {
    pack.informational_ = CC_TRY(read_informational(in.child(*informational, "informational")));
  }
  if (std::optional<YamlNode> months = in.node.find("tool_review_months")) {
    pack.tool_review_months_ = CC_TRY(read_review_months(in.child(*months, "tool_review_months")));
  }
  if (std::optional<YamlNode> actions = in.node.find("actions")) {
    pack.action_text_ = CC_TRY(read_action_text(in.child(*actions, "actions")));
  }
  if (std::optional<YamlNode> questions = in.node.find("questions")) {
    pack.questions_ = CC_TRY(read_questions(in.child(*questions, "questions")));
  }
  InputNode rules = in.child(field(in, "rules"), "rules");
  if (!rules.node.is_sequence() || rules.node.size() == 0) {
    return rules.error("expected a non-empty list of rules");
  }
  if (rules.node.size() > 65535) {
    return rules.error("too many rules");
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < rules.node.size(); ++i) {
    InputNode item = rules.element(rules.node.item(i), i);
    Rule rule = CC_TRY(read_rule(item));
    if (!ids.insert(rule.id).second) {
      return item.child(field(item, "id"), "id").error("duplicate rule id '" + rule.id + "'");
    }
    pack.rules_.push_back(std::move(rule));
  }
  if (std::optional<YamlNode> categories = in.node.find("risk_categories")) {
    pack.risk_categories_ =
        CC_TRY(read_risk_categories(in.child(*categories, "risk_categories"), ids));
  }
  pack.digest_ = base::to_hex(crypto::sha256(pack.canonical_json()));
  return pack;
}

base::Result<PolicyPack> PolicyPack::load_file(const std::string& path) {
  std::string text = CC_TRY(base::read_file(path));
  return parse(text, path);
}

std::string PolicyPack::canonical_json() const {
  nlohmann::json rules = nlohmann::json::array();
  for (const Rule& rule : rules_) {
    nlohmann::json r = {{"id", rule.id},
                        {"section", rule.section},
                        {"outcome", outcome_name(rule.outcome)},
                        {"actions", actions_json(rule.actions)},
                        {"why", rule.why},
                        {"when", rule.when.canonical()}};
    // Keys a pack does not use are left out, so that older packs keep their digests.
    for (const RuleAddition& a : rule.also) {
      r["also"].push_back({{a.unless ? "unless" : "when", a.condition.canonical()},
                           {"actions", actions_json(a.actions)},
                           {"why", a.why}});
    }
    rules.push_back(std::move(r));
  }
  nlohmann::json pack = {{"name", name_},
                         {"version", version_},
                         {"description", description_},
                         {"source", source_},
                         {"rules", rules}};
  for (const InformationalField& f : informational_) {
    pack["informational"][f.field] = f.reason;
  }
  if (tool_review_months_) {
    pack["tool_review_months"] = *tool_review_months_;
  }
  for (int a = 0; a < kActionCount; ++a) {
    if (!action_text_[static_cast<size_t>(a)].empty()) {
      pack["actions"][action_name(static_cast<Action>(a))] = action_text_[static_cast<size_t>(a)];
    }
  }
  for (const Question& q : questions_) {
    nlohmann::json entry = {{"ask", q.ask}};
    if (!q.help.empty()) {
      entry["help"] = q.help;
    }
    if (q.ask_when) {
      entry["ask_when"] = q.ask_when->canonical();
    }
    if (q.otherwise_scalar || q.otherwise_list) {
      entry["otherwise"] = otherwise_json(q);
    }
    pack["questions"][q.field] = std::move(entry);
  }
  for (const RiskCategory& c : risk_categories_) {
    pack["risk_categories"].push_back({{"name", c.name}, {"label", c.label}, {"rules", c.rules}});
  }
  return pack.dump();
}

const Question* PolicyPack::find_question(std::string_view field) const {
  for (const Question& q : questions_) {
    if (q.field == field) {
      return &q;
    }
  }
  return nullptr;
}

const Rule* PolicyPack::find_rule(std::string_view id) const {
  for (const Rule& rule : rules_) {
    if (rule.id == id) {
      return &rule;
    }
  }
  return nullptr;
}

}  // namespace clearcut::policy
