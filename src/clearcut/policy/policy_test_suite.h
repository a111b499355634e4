#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/tool_registry.h"
#include "clearcut/policy/engine.h"

namespace clearcut::policy {

// One failed expectation of one case.
struct CaseFailure {
  std::string file;
  int line = 0;
  std::string name;
  std::string message;
};

struct SuiteResult {
  int passed = 0;
  int failed = 0;
  std::vector<CaseFailure> failures;
};

// Runs the policy test cases in every *.yaml file of `dir` (sorted by name). A file holds
// `cases:` and optionally `assessed_on: YYYY-MM-DD`, the day its cases are assessed on (tool
// reviews age against it; `today` otherwise). Each case has a `name`, optionally its own
// `assessed_on`, a `declaration` (inline, clearcut/v1), and `expect`:
//   outcome: notify | escalate | written_approval     (exact)
//   fires: [ids]          rules that must fire (condition true)
//   not_fires: [ids]      rules that must not appear at all (neither true nor unknown)
//   unknown_rules: [ids]  rules whose condition must come out unknown
//   actions: [names]      the exact set of required actions
//   conditional_actions: [names]  the exact set of actions that unknown rules would add
//   unknown: [fields]     field paths that must be listed as unknown
//   why: [texts]          each must appear in the why of some listed rule
//   headline: text        must appear in the decision's headline
//   notes: [texts]        each must appear in some note (registry overrides, stale reviews)
//   error: text           the declaration must be rejected with a message containing this
// A malformed case file is an error, not a failed case.
base::Result<SuiteResult> run_policy_tests(const std::string& dir, const Engine& engine,
                                           const domain::ToolRegistry& registry,
                                           std::chrono::sys_days today);

// A case file given as text (an upload), named for error messages.
struct CaseFile {
  std::string name;
  std::string text;
};

// The same over case files in memory, in the order given.
base::Result<SuiteResult> run_policy_test_files(const std::vector<CaseFile>& files,
                                                const Engine& engine,
                                                const domain::ToolRegistry& registry,
                                                std::chrono::sys_days today);

}  // namespace clearcut::policy
