#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "cmd/clearcut/commands.h"

#include "clearcut/app/policy_source.h"
#include "clearcut/base/file.h"
#include "clearcut/domain/validation.h"
#include "clearcut/policy/engine.h"
#include "clearcut/policy/policy_lint.h"
#include "clearcut/policy/policy_test_suite.h"

namespace clearcut::cmd {
namespace {

struct PolicyOptions {
  std::string dir;
  std::string pack;
  std::string policy;
  std::string tools;
};

int run_policy_test(const PolicyOptions& options) {
  auto pack = app::load_policy_pack(options.policy);
  if (!pack.has_value()) {
    return fail("policy test", pack.error());
  }
  auto registry = app::load_tool_registry(options.tools);
  if (!registry.has_value()) {
    return fail("policy test", registry.error());
  }
  policy::Engine engine(*pack);
  // Tool reviews age against today, unless a case file says which day it is assessed on.
  auto result = policy::run_policy_tests(options.dir, engine, *registry,
                                         domain::utc_day(std::chrono::system_clock::now()));
  if (!result.has_value()) {
    return fail("policy test", result.error());
  }
  for (const policy::CaseFailure& f : result->failures) {
    std::printf("FAIL %s:%d: %s: %s\n", f.file.c_str(), f.line, f.name.c_str(), f.message.c_str());
  }
  std::printf("policy %s %s: %d passed, %d failed\n", (*pack)->name().c_str(),
              (*pack)->version().c_str(), result->passed, result->failed);
  return result->failed == 0 ? kExitOk : kExitNo;
}

int run_policy_lint(const PolicyOptions& options) {
  auto text = base::read_file(options.pack);
  if (!text.has_value()) {
    return fail("policy lint", text.error());
  }
  std::vector<policy::LintFinding> findings = policy::lint_pack(*text, options.pack);
  int errors = 0;
  for (const policy::LintFinding& f : findings) {
    bool error = f.severity == policy::LintFinding::Severity::kError;
    errors += error ? 1 : 0;
    std::string where = f.location.file;
    if (f.location.line > 0) {
      where += ":" + std::to_string(f.location.line);
    }
    std::printf("%s: %s: %s%s\n", where.c_str(), error ? "error" : "warning",
                f.rule_id.empty() ? "" : (f.rule_id + ": ").c_str(), f.message.c_str());
  }
  std::printf("%zu finding(s), %d error(s)\n", findings.size(), errors);
  return errors == 0 ? kExitOk : kExitNo;
}

}  // namespace

void add_policy_command(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<PolicyOptions>();
  CLI::App* policy = app.add_subcommand("policy", "Test and lint policy packs");
  policy->require_subcommand(1);

  CLI::App* test = policy->add_subcommand(
      "test", "Run policy test cases (DIR/*.yaml) and print 'N passed, N failed'");
  test->add_option("dir", options->dir, "Folder of test case files")
      ->required()
      ->check(CLI::ExistingDirectory);
  test->add_option("--policy", options->policy, "Policy pack (default: the built-in pack)");
  test->add_option("--tools", options->tools, "Tool registry (default: the built-in example)");
  test->footer(exit_codes_footer({{kExitOk, "every case passes"}, {kExitNo, "a case fails"}}));
  test->callback([options, exit_code] { *exit_code = run_policy_test(*options); });

  CLI::App* lint = policy->add_subcommand(
      "lint", "Report duplicate ids, unknown fields and rules that can never fire");
  lint->add_option("pack", options->pack, "Policy pack file")->required()->check(CLI::ExistingFile);
  lint->footer(exit_codes_footer({{kExitOk, "no errors (warnings allowed)"}, {kExitNo, "errors"}}));
  lint->callback([options, exit_code] { *exit_code = run_policy_lint(*options); });
}

}  // namespace clearcut::cmd
