#include "clearcut/policy/policy_pack.h"

#include <set>

#include <nlohmann/json.hpp>

#include "clearcut/base/file.h"
#include "clearcut/base/hex.h"
#include "clearcut/crypto/sha256.h"
#include "clearcut/domain/internal/yaml_input.h"

namespace clearcut::policy {
namespace {

using domain::internal::InputNode;
using domain::internal::YamlNode;

// The value under `key`, which the caller has checked is there.
YamlNode field(const InputNode& in, std::string_view key) {
  return *in.node.find(key);
}

base::Result<Rule> read_rule(const InputNode& in) {
  CC_TRY(domain::internal::check_map(in, {"id", "section", "outcome", "actions", "why", "when"}));
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

  if (std::optional<YamlNode> actions_node = in.node.find("actions")) {
    InputNode actions = in.child(*actions_node, "actions");
    if (!actions.node.is_sequence()) {
      return actions.error("expected a list of actions");
    }
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
      rule.actions |= 1U << static_cast<int>(*action);
    }
  }

  InputNode when = in.child(field(in, "when"), "when");
  std::string text = CC_TRY(domain::internal::read_text(when));
  auto condition = Condition::compile(text);
  if (!condition.has_value()) {
    return when.error("condition: " + condition.error().message());
  }
  rule.when = std::move(condition).value();
  return rule;
}

}  // namespace

base::Result<PolicyPack> PolicyPack::parse(std::string_view text, const std::string& file) {
  domain::internal::YamlDocument document = CC_TRY(domain::internal::load_yaml(text, file));
  InputNode in{document.root(), &file, ""};
  CC_TRY(domain::internal::check_map(in, {"name", "version", "description", "source", "rules"}));
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
    nlohmann::json actions = nlohmann::json::array();
    for (int a = 0; a < kActionCount; ++a) {
      if ((rule.actions >> a) & 1U) {
        actions.push_back(action_name(static_cast<Action>(a)));
      }
    }
    rules.push_back({{"id", rule.id},
                     {"section", rule.section},
                     {"outcome", outcome_name(rule.outcome)},
                     {"actions", actions},
                     {"why", rule.why},
                     {"when", rule.when.canonical()}});
  }
  nlohmann::json pack = {{"name", name_},
                         {"version", version_},
                         {"description", description_},
                         {"source", source_},
                         {"rules", rules}};
  return pack.dump();
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
