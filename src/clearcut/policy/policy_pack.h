#pragma once

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

// A versioned, compiled policy pack. Immutable once loaded; share it freely across threads.
class PolicyPack {
 public:
  // Reads and compiles a pack (YAML): `name`, `version`, optional `description`, `source`,
  // `informational` (field: reason) and `tool_review_months` (1 to 120), and `rules`. Every problem
  // is an error naming file, line, column and field.
  static base::Result<PolicyPack> parse(std::string_view text, const std::string& file);
  static base::Result<PolicyPack> load_file(const std::string& path);

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& description() const { return description_; }
  const std::vector<Rule>& rules() const { return rules_; }
  const std::vector<InformationalField>& informational() const { return informational_; }
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
  std::optional<int> tool_review_months_;  // as written; absent keeps older packs' digests
  std::string digest_;
};

}  // namespace clearcut::policy
