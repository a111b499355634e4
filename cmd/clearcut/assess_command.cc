#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cmd/clearcut/commands.h"

#include "clearcut/app/policy_source.h"
#include "clearcut/domain/declaration_reader.h"
#include "clearcut/domain/validation.h"
#include "clearcut/policy/decision_view.h"
#include "clearcut/policy/engine.h"

namespace clearcut::cmd {
namespace {

struct AssessOptions {
  std::vector<std::string> files;
  std::string policy;
  std::string tools;
  bool json = false;
};

int run_assess(const AssessOptions& options) {
  auto pack = app::load_policy_pack(options.policy);
  if (!pack.has_value()) {
    return fail("assess", pack.error());
  }
  auto registry = app::load_tool_registry(options.tools);
  if (!registry.has_value()) {
    return fail("assess", registry.error());
  }
  policy::Engine engine(*pack);
  const domain::ReviewPeriod period{(*pack)->tool_review_months(),
                                    domain::utc_day(std::chrono::system_clock::now())};
  int worst = 0;
  bool invalid = false;
  for (const std::string& file : options.files) {
    auto declaration = domain::read_declaration_file(file);
    if (declaration.has_value()) {
      auto applied = domain::apply_registry(*registry, period, &*declaration);
      if (!applied.has_value()) {
        declaration = std::move(applied).error();
      }
    }
    if (!declaration.has_value()) {
      std::fprintf(stderr, "clearcut assess: %s\n", declaration.error().to_string().c_str());
      invalid = true;
      continue;
    }
    policy::Decision decision = engine.evaluate(*declaration);
    policy::DecisionView view = policy::explain(**pack, *declaration, decision);
    if (options.json) {
      std::printf("%s\n", policy::to_json(view).c_str());
    } else {
      std::printf("%s%s\n", options.files.size() > 1 ? ("== " + file + "\n").c_str() : "",
                  policy::to_text(view).c_str());
    }
    worst = std::max(worst, policy::exit_code(decision.outcome));
  }
  return invalid ? kExitInvalidInput : worst;
}

}  // namespace

void add_assess_command(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<AssessOptions>();
  CLI::App* cmd = app.add_subcommand(
      "assess",
      "Triage declared GenAI uses against a policy pack (the exit code is the highest outcome "
      "over all files)");
  cmd->add_option("files", options->files, "Declaration files (clearcut/v1, YAML or JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--policy", options->policy, "Policy pack (default: the built-in netflix-genai)");
  cmd->add_option("--tools", options->tools, "Tool registry (default: the built-in example)");
  cmd->add_flag("--json", options->json, "Print one JSON object per file");
  cmd->footer(exit_codes_footer({{0, "notify: proceed"},
                                 {10, "escalate: consult the studio contact first"},
                                 {20, "written_approval: legal review before proceeding"}}));
  cmd->callback([options, exit_code] { *exit_code = run_assess(*options); });
}

}  // namespace clearcut::cmd
