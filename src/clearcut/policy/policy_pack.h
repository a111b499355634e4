#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/tool_registry.h"
#include "clearcut/policy/condition.h"
#include "clearcut/policy/decision.h"

namespace clearcut::policy {

// A further condition inside a rule that adds actions, a sentence of `why`, or both. With
// `when` it applies when its condition is true; with `unless`, unless its condition is true, so
// an unknown fact keeps it ("audience_disclosure unless could_be_mistaken_for_real is no").
struct RuleAddition {
  Condition condition;
  bool unless = false;
  uint32_t actions = 0;  // bit per Action
  std::string why;       // appended to the rule's why
};
inline constexpr size_t kMaxRuleAdditions = 8;

// One rule of a pack: when `when` holds, the use needs `outcome` and `actions`, because `why`.
struct Rule {
  std::string id;       // stable, cited in decisions ("TRIG-FINAL")
  std::string section;  // where the guidance says it ("intro", "talent")
  Outcome outcome = Outcome::kNotify;
  uint32_t actions = 0;  // bit per Action
  std::string why;
  Condition when;
  std::vector<RuleAddition> also;  // at most kMaxRuleAdditions
  int line = 0;                    // where the rule starts in its file
};

// A declaration field that no rule needs to read, and why (POLICY.md §6: every field is read by
// a rule or marked informational; `clearcut policy lint` reports the rest).
struct InformationalField {
  std::string field;  // declaration field path
  std::string reason;
};

// How the declaration form asks for one field (issue #17: wording in the pack, so a studio's own
// pack words its questions; branching, so that moot questions are not asked). Neither the wording
// nor `ask_when` changes a decision: the engine reads declarations, and a form that does not ask
// a question states `otherwise` in the declaration it writes (form.h).
struct Question {
  std::string field;  // a declaration field path, or `pipeline[].<stage field>`
  std::string ask;    // the question as the partner reads it
  std::string help;   // optional: a sentence under it
  // Optional: the question matters only when this holds; when it is false (not unknown), the
  // form does not ask it. Declaration fields only.
  std::optional<Condition> ask_when;
  // Optional, with ask_when: the answer that follows when the question is not asked, as a
  // vocabulary index (scalars: tri-states 0 = no, 1 = yes) or list bits (lists).
  std::optional<int8_t> otherwise_scalar;
  std::optional<uint32_t> otherwise_list;
  int line = 0;
};

// A kind of risk that dashboards count use cases by (issue #17: talent, personal data, final
// use, third-party IP): the rules whose firing puts a use case in it. A pack names its own, so
// that a studio's pack with its own rule ids counts its own way.
struct RiskCategory {
  std::string name;                // [a-z0-9_]+, e.g. "talent"
  std::string label;               // as people read it: "Talent and likeness"
  std::vector<std::string> rules;  // ids of the pack's rules
};
inline constexpr size_t kMaxRiskCategories = 16;

// A versioned, compiled policy pack. Immutable once loaded; share it freely across threads.
class PolicyPack {
 public:
  // Reads and compiles a pack (YAML): `name`, `version`, optional `description`, `source`,
  // `informational` (field: reason), `tool_review_months` (1 to 120), `actions` (action: the
  // sentence a partner reads), `questions` (field: Question), and `rules`. Every problem
  // is an error naming file, line, column and field. Optional `risk_categories` (name: {label,
  // rules}) names kinds of risk by the pack's own rule ids.
  static base::Result<PolicyPack> parse(std::string_view text, const std::string& file);
  static base::Result<PolicyPack> load_file(const std::string& path);

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& description() const { return description_; }
  const std::vector<Rule>& rules() const { return rules_; }
  const std::vector<InformationalField>& informational() const { return informational_; }
  const std::vector<Question>& questions() const { return questions_; }
  const Question* find_question(std::string_view field) const;
  // The pack's sentence for an action, or "" when the pack does not word it.
  const std::string& action_text(Action action) const {
    return action_text_[static_cast<size_t>(action)];
  }
  // In the order the pack lists them; empty when it names none.
  const std::vector<RiskCategory>& risk_categories() const { return risk_categories_; }
  // How many months a tool's review vouches for its facts (tool_registry.h); 12 when the pack
  // does not say.
  int tool_review_months() const {
    return tool_review_months_.value_or(domain::kDefaultToolReviewMonths);
  }
  // SHA-256 (hex) over the canonical form: comments, key order and spacing do not change it.
  const std::string& digest() const { return digest_; }
  // Canonical JSON of the pack: sorted keys, no whitespace, conditions in canonical text.
  std::string canonical_json() const;

  const Rule* find_rule(std::string_view id) const;

 private:
  std::string name_;
  std::string version_;
  std::string description_;
  std::string source_;
  std::vector<Rule> rules_;
  std::vector<InformationalField> informational_;
  std::vector<RiskCategory> risk_categories_;
  std::optional<int> tool_review_months_;  // as written; absent keeps older packs' digests
  std::vector<Question> questions_;
  std::array<std::string, kActionCount> action_text_;
  std::string digest_;
};

}  // namespace clearcut::policy
