#pragma once

#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/declaration.h"
#include "clearcut/domain/tool_registry.h"

namespace clearcut::bench {

// One declaration the policy benchmarks decide: its origin, its text and its parsed facts.
struct CorpusEntry {
  std::string origin;               // "policies/tests/x.yaml: case name" or "examples/y.yaml"
  std::string text;                 // the declaration alone, as YAML or JSON text
  domain::Declaration declaration;  // parsed, with the tool registry applied
};

// The declarations of the policy benchmarks and the peer comparison: every test case of
// `cases_dir` (*.yaml, sorted) whose declaration is accepted, then every file of
// `examples_dir`. Cases that expect an error are left out and counted in `skipped`.
struct PolicyCorpus {
  std::vector<CorpusEntry> entries;
  int skipped = 0;

  // Reads the corpus; a file that cannot be read or parsed is an error naming it. A missing
  // or empty `cases_dir` is not an error (the examples still count).
  static base::Result<PolicyCorpus> load(const std::string& cases_dir,
                                         const std::string& examples_dir,
                                         const domain::ToolRegistry& registry);
};

// Tool reviews are aged against a fixed day, the one the default pack's cases are assessed on,
// so that the corpus decides the same way whenever the benchmark runs.
domain::ReviewPeriod corpus_review_period();

// Where the corpus lives in this source tree.
std::string default_cases_dir();
std::string default_examples_dir();

}  // namespace clearcut::bench
