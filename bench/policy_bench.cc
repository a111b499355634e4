// Decisions per second of the policy engine on one core (bench/README.md): the default pack
// over the declarations of policies/tests and examples/, cycled.
//   policy_bench [--cases_dir=DIR] [--examples_dir=DIR] [benchmark flags]

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "bench/policy_corpus.h"
#include <benchmark/benchmark.h>

#include "clearcut/app/policy_source.h"
#include "clearcut/domain/declaration_reader.h"
#include "clearcut/policy/decision_view.h"
#include "clearcut/policy/engine.h"

namespace clearcut::bench {
namespace {

std::string cases_dir = default_cases_dir();
std::string examples_dir = default_examples_dir();

struct Fixture {
  std::unique_ptr<policy::Engine> engine;
  domain::ToolRegistry registry;
  PolicyCorpus corpus;
};

[[noreturn]] void die(const base::Error& error) {
  std::fprintf(stderr, "policy_bench: %s\n", error.to_string().c_str());
  std::exit(2);
}

Fixture load_fixture() {
  Fixture out;
  auto pack = app::load_policy_pack("");
  if (!pack.has_value()) {
    die(pack.error());
  }
  out.engine = std::make_unique<policy::Engine>(std::move(pack).value());
  auto registry = app::load_tool_registry("");
  if (!registry.has_value()) {
    die(registry.error());
  }
  out.registry = std::move(registry).value();
  auto corpus = PolicyCorpus::load(cases_dir, examples_dir, out.registry);
  if (!corpus.has_value()) {
    die(corpus.error());
  }
  out.corpus = std::move(corpus).value();
  if (out.corpus.entries.empty()) {
    die(base::invalid_argument("no declarations in " + cases_dir + " or " + examples_dir));
  }
  return out;
}

// Loaded once, on first use, so that --benchmark_list_tests needs no files.
const Fixture& fixture() {
  static const Fixture f = load_fixture();
  return f;
}

void add_context(benchmark::State& state, const Fixture& f) {
  state.counters["declarations"] = static_cast<double>(f.corpus.entries.size());
  state.counters["rules"] = static_cast<double>(f.engine->pack().rules().size());
}

// (a) The engine alone: pre-parsed declarations, one reused Decision, no allocation.
void BM_Decide(benchmark::State& state) {
  const Fixture& f = fixture();
  const auto& entries = f.corpus.entries;
  policy::Decision decision;
  size_t i = 0;
  for (auto _ : state) {
    f.engine->evaluate(entries[i].declaration, &decision);
    benchmark::DoNotOptimize(decision.outcome);
    i = i + 1 == entries.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  add_context(state, f);
}
BENCHMARK(BM_Decide);

// (b) What `clearcut assess` does per file: YAML text → Declaration (registry applied) →
// Decision.
void BM_ParseDecide(benchmark::State& state) {
  const Fixture& f = fixture();
  const auto& entries = f.corpus.entries;
  policy::Decision decision;
  size_t i = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    const CorpusEntry& entry = entries[i];
    auto declaration = domain::parse_declaration(entry.text, entry.origin);
    if (!declaration.has_value() ||
        !domain::apply_registry(f.registry, corpus_review_period(), &*declaration)) {
      state.SkipWithError("a declaration no longer parses");
      break;
    }
    f.engine->evaluate(*declaration, &decision);
    benchmark::DoNotOptimize(decision.outcome);
    bytes += static_cast<int64_t>(entry.text.size());
    i = i + 1 == entries.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(bytes);
  add_context(state, f);
}
BENCHMARK(BM_ParseDecide);

// (c) A complete answer: decide, explain in words, and serialise the `--json` object.
void BM_DecideExplainJson(benchmark::State& state) {
  const Fixture& f = fixture();
  const auto& entries = f.corpus.entries;
  policy::Decision decision;
  size_t i = 0;
  for (auto _ : state) {
    const domain::Declaration& declaration = entries[i].declaration;
    f.engine->evaluate(declaration, &decision);
    std::string json = policy::to_json(policy::explain(f.engine->pack(), declaration, decision));
    benchmark::DoNotOptimize(json.data());
    i = i + 1 == entries.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  add_context(state, f);
}
BENCHMARK(BM_DecideExplainJson);

// Takes our own flags out of argv; benchmark::Initialize has already taken its own.
void parse_own_flags(int* argc, char** argv) {
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--cases_dir=")) {
      cases_dir = std::string(arg.substr(std::strlen("--cases_dir=")));
    } else if (arg.starts_with("--examples_dir=")) {
      examples_dir = std::string(arg.substr(std::strlen("--examples_dir=")));
    } else {
      argv[kept++] = argv[i];
    }
  }
  *argc = kept;
}

}  // namespace
}  // namespace clearcut::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  clearcut::bench::parse_own_flags(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
