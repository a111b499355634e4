#include "clearcut/policy/policy_test_suite.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "clearcut/base/file.h"
#include "clearcut/domain/declaration_reader.h"
#include "clearcut/domain/internal/yaml_input.h"
#include "clearcut/domain/validation.h"
#include "clearcut/policy/decision_view.h"

namespace clearcut::policy {
namespace {

using domain::internal::InputNode;
using domain::internal::YamlNode;

base::Result<std::vector<std::string>> read_words(const InputNode& in) {
  if (!in.node.is_sequence()) {
    return in.error("expected a list");
  }
  std::vector<std::string> words;
  for (size_t i = 0; i < in.node.size(); ++i) {
    words.push_back(CC_TRY(domain::internal::read_text(in.element(in.node.item(i), i))));
  }
  return words;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    out += out.empty() ? "" : ", ";
    out += w;
  }
  return "[" + out + "]";
}

// The day under `assessed_on` in `in`, or `otherwise` when there is none.
base::Result<std::chrono::sys_days> read_assessed_on(const InputNode& in,
                                                     std::chrono::sys_days otherwise) {
  std::optional<YamlNode> node = in.node.find("assessed_on");
  if (!node) {
    return otherwise;
  }
  InputNode value = in.child(*node, "assessed_on");
  std::optional<std::chrono::sys_days> day =
      domain::parse_iso_date(CC_TRY(domain::internal::read_text(value)));
  if (!day) {
    return value.error("expected a date, YYYY-MM-DD (quote it in YAML)");
  }
  return *day;
}

// Checks one case; returns the failure messages (empty when it passed).
base::Result<std::vector<std::string>> check_case(const InputNode& c, const Engine& engine,
                                                  const domain::ToolRegistry& registry,
                                                  std::chrono::sys_days today) {
  CC_TRY(domain::internal::check_map(c, {"name", "assessed_on", "declaration", "expect"}));
  const domain::ReviewPeriod period{engine.pack().tool_review_months(),
                                    CC_TRY(read_assessed_on(c, today))};
  std::optional<YamlNode> expect_node = c.node.find("expect");
  if (!expect_node) {
    return c.child(c.node, "expect").error("missing; every case needs what it expects");
  }
  InputNode expect = c.child(*expect_node, "expect");
  CC_TRY(domain::internal::check_map(
      expect, {"outcome", "fires", "not_fires", "unknown_rules", "actions", "conditional_actions",
               "unknown", "why", "headline", "notes", "error"}));
  for (size_t i = 0; i < expect.node.size(); ++i) {
    const std::string& key = expect.node.key(i).text();
    if (key == "fires" || key == "not_fires" || key == "unknown_rules") {
      InputNode list = expect.child(expect.node.value(i), key);
      for (const std::string& id : CC_TRY(read_words(list))) {
        if (engine.pack().find_rule(id) == nullptr) {
          return list.error("no rule '" + id + "' in the pack");
        }
      }
    }
  }

  std::vector<std::string> failures;
  std::optional<YamlNode> declaration_node = c.node.find("declaration");
  if (!declaration_node) {
    return c.child(c.node, "declaration").error("missing; every case needs a declaration");
  }
  auto declaration =
      domain::parse_declaration_node(*declaration_node, *c.file, c.path + ".declaration");
  if (declaration.has_value()) {
    auto applied = domain::apply_registry(registry, period, &*declaration);
    if (!applied.has_value()) {
      declaration = std::move(applied).error();
    }
  }
  if (std::optional<YamlNode> error = expect.node.find("error")) {
    std::string wanted = CC_TRY(domain::internal::read_text(expect.child(*error, "error")));
    if (declaration.has_value()) {
      failures.push_back("expected the declaration to be rejected with '" + wanted + "'");
    } else if (declaration.error().to_string().find(wanted) == std::string::npos) {
      failures.push_back("expected an error containing '" + wanted + "', got '" +
                         declaration.error().to_string() + "'");
    }
    return failures;
  }
  if (!declaration.has_value()) {
    failures.push_back("declaration rejected: " + declaration.error().to_string());
    return failures;
  }

  Decision decision = engine.evaluate(*declaration);
  DecisionView view = explain(engine.pack(), *declaration, decision);
  std::vector<std::string> fired;
  std::vector<std::string> unknown_rules;
  for (const RuleView& r : view.rules) {
    (r.unknown ? unknown_rules : fired).push_back(r.id);
  }
  auto contains = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  std::string summary = " (fired " + joined(fired) + ", unknown " + joined(unknown_rules) + ")";

  if (std::optional<YamlNode> outcome = expect.node.find("outcome")) {
    std::string wanted = CC_TRY(domain::internal::read_text(expect.child(*outcome, "outcome")));
    if (wanted != outcome_name(view.outcome)) {
      failures.push_back("outcome " + std::string(outcome_name(view.outcome)) + ", expected " +
                         wanted + summary);
    }
  }
  if (std::optional<YamlNode> fires = expect.node.find("fires")) {
    for (const std::string& id : CC_TRY(read_words(expect.child(*fires, "fires")))) {
      if (!contains(fired, id)) {
        failures.push_back(id + " did not fire" + summary);
      }
    }
  }
  if (std::optional<YamlNode> not_fires = expect.node.find("not_fires")) {
    for (const std::string& id : CC_TRY(read_words(expect.child(*not_fires, "not_fires")))) {
      if (contains(fired, id) || contains(unknown_rules, id)) {
        failures.push_back(id + " should not fire" + summary);
      }
    }
  }
  if (std::optional<YamlNode> unknown_rules_node = expect.node.find("unknown_rules")) {
    for (const std::string& id :
         CC_TRY(read_words(expect.child(*unknown_rules_node, "unknown_rules")))) {
      if (!contains(unknown_rules, id)) {
        failures.push_back(id + " should be unknown" + summary);
      }
    }
  }
  auto check_set = [&](std::string_view key, std::vector<std::string> got) -> base::Status {
    if (std::optional<YamlNode> node = expect.node.find(key)) {
      std::vector<std::string> wanted = CC_TRY(read_words(expect.child(*node, std::string(key))));
      std::sort(wanted.begin(), wanted.end());
      std::sort(got.begin(), got.end());
      if (wanted != got) {
        failures.push_back(std::string(key) + " " + joined(got) + ", expected " + joined(wanted));
      }
    }
    return {};
  };
  CC_TRY(check_set("actions", view.actions));
  std::vector<std::string> conditional;
  for (const ConditionalActions& open : view.conditional_actions) {
    for (const std::string& action : open.actions) {
      if (!contains(conditional, action)) {
        conditional.push_back(action);
      }
    }
  }
  CC_TRY(check_set("conditional_actions", conditional));
  if (std::optional<YamlNode> why = expect.node.find("why")) {
    for (const std::string& text : CC_TRY(read_words(expect.child(*why, "why")))) {
      bool found = std::any_of(view.rules.begin(), view.rules.end(), [&text](const RuleView& r) {
        return r.why.find(text) != std::string::npos;
      });
      if (!found) {
        failures.push_back("no rule's why says '" + text + "'" + summary);
      }
    }
  }
  if (std::optional<YamlNode> headline = expect.node.find("headline")) {
    std::string wanted = CC_TRY(domain::internal::read_text(expect.child(*headline, "headline")));
    if (view.headline.find(wanted) == std::string::npos) {
      failures.push_back("headline '" + view.headline + "' does not say '" + wanted + "'");
    }
  }
  if (std::optional<YamlNode> notes = expect.node.find("notes")) {
    for (const std::string& text : CC_TRY(read_words(expect.child(*notes, "notes")))) {
      bool found = std::any_of(view.notes.begin(), view.notes.end(), [&text](const auto& note) {
        return note.find(text) != std::string::npos;
      });
      if (!found) {
        failures.push_back("no note says '" + text + "' (notes: " + joined(view.notes) + ")");
      }
    }
  }
  if (std::optional<YamlNode> unknown = expect.node.find("unknown")) {
    for (const std::string& field : CC_TRY(read_words(expect.child(*unknown, "unknown")))) {
      if (!contains(view.unknown, field)) {
        failures.push_back(field + " not listed as unknown (unknown: " + joined(view.unknown) +
                           ")");
      }
    }
  }
  return failures;
}

base::Status run_text(const std::string& path, const std::string& text, const Engine& engine,
                      const domain::ToolRegistry& registry, std::chrono::sys_days today,
                      SuiteResult* result) {
  domain::internal::YamlDocument document = CC_TRY(domain::internal::load_yaml(text, path));
  InputNode file{document.root(), &path, ""};
  CC_TRY(domain::internal::check_map(file, {"assessed_on", "cases"}));
  const std::chrono::sys_days file_day = CC_TRY(read_assessed_on(file, today));
  std::optional<YamlNode> cases_node = file.node.find("cases");
  if (!cases_node) {
    return file.child(file.node, "cases").error("missing; expected a list of cases");
  }
  InputNode cases = file.child(*cases_node, "cases");
  if (!cases.node.is_sequence()) {
    return cases.error("expected a list of cases");
  }
  for (size_t i = 0; i < cases.node.size(); ++i) {
    InputNode c = cases.element(cases.node.item(i), i);
    std::optional<YamlNode> name_node = c.node.find("name");
    std::string name = name_node && name_node->is_scalar() ? name_node->text() : c.path;
    std::vector<std::string> failures = CC_TRY(check_case(c, engine, registry, file_day));
    if (failures.empty()) {
      ++result->passed;
      continue;
    }
    ++result->failed;
    for (std::string& message : failures) {
      result->failures.push_back({path, c.location().line, name, std::move(message)});
    }
  }
  return {};
}

}  // namespace

base::Result<SuiteResult> run_policy_tests(const std::string& dir, const Engine& engine,
                                           const domain::ToolRegistry& registry,
                                           std::chrono::sys_days today) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.push_back(entry.path().string());
    }
  }
  if (ec) {
    return base::Error(base::ErrorCode::kNotFound, "cannot read directory: " + ec.message())
        .with_location({dir, 0, 0});
  }
  if (files.empty()) {
    return base::Error(base::ErrorCode::kNotFound, "no *.yaml test files")
        .with_location({dir, 0, 0});
  }
  std::sort(files.begin(), files.end());
  std::vector<CaseFile> texts;
  for (const std::string& file : files) {
    texts.push_back({file, CC_TRY(base::read_file(file))});
  }
  return run_policy_test_files(texts, engine, registry, today);
}

base::Result<SuiteResult> run_policy_test_files(const std::vector<CaseFile>& files,
                                                const Engine& engine,
                                                const domain::ToolRegistry& registry,
                                                std::chrono::sys_days today) {
  SuiteResult result;
  for (const CaseFile& file : files) {
    CC_TRY(run_text(file.name, file.text, engine, registry, today, &result));
  }
  return result;
}

}  // namespace clearcut::policy
