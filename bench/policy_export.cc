// Writes what the peer comparison (bench/node/) needs as one JSON document: the default pack's
// compiled rule trees with field paths and vocabulary words resolved, and every benchmark
// declaration's facts as flat JSON with clearcut's decision on it (bench/README.md).
//   policy_export [--cases_dir=DIR] [--examples_dir=DIR] [--random=N] [--seed=S] [--out=FILE]
// --random adds N random declarations (unknown facts and 0..4 stages included) to the ones
// read from files; the agreement check uses them, the timing does not.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <string_view>

#include "bench/policy_corpus.h"
#include <nlohmann/json.hpp>

#include "clearcut/app/policy_source.h"
#include "clearcut/domain/declaration_schema.h"
#include "clearcut/policy/engine.h"

namespace clearcut::bench {
namespace {

using Json = nlohmann::ordered_json;
using domain::FieldKind;
using domain::FieldScope;
using domain::FieldSpec;
using policy::Condition;

// Pipelines longer than this are not exported: the peers' encodings unroll any()/all() over
// this many stages.
constexpr size_t kMaxStages = 4;

Json words(const FieldSpec& field, uint32_t mask) {
  Json out = Json::array();
  for (size_t i = 0; i < field.vocabulary.size(); ++i) {
    if ((mask >> i) & 1U) {
      out.push_back(field.vocabulary[i]);
    }
  }
  return out;
}

Json vocabulary(const FieldSpec& field) {
  Json out = Json::array();
  for (std::string_view word : field.vocabulary) {
    out.push_back(word);
  }
  return out;
}

std::string_view op_name(Condition::Op op) {
  switch (op) {
    case Condition::Op::kConst:
      return "const";
    case Condition::Op::kScalarIn:
      return "scalar_in";
    case Condition::Op::kStageScalarIn:
      return "stage_scalar_in";
    case Condition::Op::kListAny:
      return "list_any";
    case Condition::Op::kListAll:
      return "list_all";
    case Condition::Op::kPipelineLen:
      return "pipeline_len";
    case Condition::Op::kStated:
      return "stated";
    case Condition::Op::kNot:
      return "not";
    case Condition::Op::kAnd:
      return "and";
    case Condition::Op::kOr:
      return "or";
    case Condition::Op::kAny:
      return "any";
    case Condition::Op::kAll:
      return "all";
  }
  return "?";
}

Json node_json(const Condition& condition, const Condition::Node& n) {
  static constexpr std::string_view kCmp[] = {"==", "!=", "<", "<=", ">", ">="};
  Json out;
  out["op"] = op_name(n.op);
  switch (n.op) {
    case Condition::Op::kConst:
      out["value"] = n.value == static_cast<int>(policy::Truth::kTrue);
      break;
    case Condition::Op::kScalarIn:
    case Condition::Op::kStageScalarIn: {
      FieldScope scope =
          n.op == Condition::Op::kScalarIn ? FieldScope::kDeclaration : FieldScope::kStage;
      const FieldSpec& field = domain::scalar_field(scope, n.slot);
      out["field"] = field.path;
      out["words"] = words(field, n.mask);
      break;
    }
    case Condition::Op::kListAny:
    case Condition::Op::kListAll: {
      const FieldSpec& field = domain::list_field(n.slot);
      out["field"] = field.path;
      out["words"] = words(field, n.mask);
      break;
    }
    case Condition::Op::kPipelineLen:
      out["cmp"] = kCmp[static_cast<int>(n.cmp)];
      out["value"] = n.value;
      break;
    case Condition::Op::kStated: {
      // The field's kind: "list", "stage" (a stage scalar) or "scalar".
      auto kind = static_cast<policy::FactRef::Kind>(n.value);
      if (kind == policy::FactRef::Kind::kList) {
        out["field"] = domain::list_field(n.slot).path;
        out["kind"] = "list";
      } else {
        bool stage = kind == policy::FactRef::Kind::kStageScalar;
        out["field"] =
            domain::scalar_field(stage ? FieldScope::kStage : FieldScope::kDeclaration, n.slot)
                .path;
        out["kind"] = stage ? "stage" : "scalar";
      }
      break;
    }
    default:
      break;
  }
  Json children = Json::array();
  for (uint16_t child : condition.children(n)) {
    children.push_back(child);
  }
  out["children"] = std::move(children);
  return out;
}

Json pack_json(const policy::PolicyPack& pack) {
  Json rules = Json::array();
  for (const policy::Rule& rule : pack.rules()) {
    Json nodes = Json::array();
    for (const Condition::Node& n : rule.when.nodes()) {
      nodes.push_back(node_json(rule.when, n));
    }
    rules.push_back({{"id", rule.id},
                     {"outcome", policy::outcome_name(rule.outcome)},
                     {"when", rule.when.canonical()},
                     {"nodes", std::move(nodes)}});
  }
  return rules;
}

// The vocabularies, so the peers can complement a set of words (a test is false on a known
// value outside it).
Json fields_json() {
  Json scalars = Json::object();
  Json lists = Json::object();
  Json stage = Json::object();
  for (const FieldSpec& f : domain::declaration_fields()) {
    if (f.kind == FieldKind::kList) {
      lists[std::string(f.path)] = vocabulary(f);
    } else if (f.kind != FieldKind::kText) {
      scalars[std::string(f.path)] = vocabulary(f);
    }
  }
  for (const FieldSpec& f : domain::stage_fields()) {
    if (f.kind != FieldKind::kText) {
      stage[std::string(f.path)] = vocabulary(f);
    }
  }
  return {
      {"scalars", std::move(scalars)}, {"lists", std::move(lists)}, {"stage", std::move(stage)}};
}

// A scalar's word; "?unknown" when absent, "unsure" when declared so. Both are unknown to every
// test (POLICY.md §2); only stated() tells them apart.
std::string scalar_word(const FieldSpec& field, int8_t value) {
  if (value == domain::kUnsure) {
    return "unsure";
  }
  // Not "unknown": training_data and indemnified have that word (bench/node/encode.mjs).
  return value < 0 ? std::string("?unknown") : std::string(field.vocabulary[value]);
}

Json facts_json(const domain::Declaration& d) {
  Json facts = Json::object();
  for (const FieldSpec& f : domain::declaration_fields()) {
    std::string path(f.path);
    if (f.kind == FieldKind::kList) {
      facts[path] = d.list_known(f.slot) ? words(f, d.lists[f.slot]) : Json(nullptr);
    } else if (f.kind != FieldKind::kText) {
      facts[path] = scalar_word(f, d.scalars[f.slot]);
    }
  }
  if (!d.pipeline_known) {
    facts["pipeline"] = nullptr;
    return facts;
  }
  Json stages = Json::array();
  for (const domain::Stage& s : d.pipeline) {
    Json stage = Json::object();
    for (const FieldSpec& f : domain::stage_fields()) {
      if (f.kind != FieldKind::kText) {
        stage[std::string(f.path)] = scalar_word(f, s.scalars[f.slot]);
      }
    }
    stages.push_back(std::move(stage));
  }
  facts["pipeline"] = std::move(stages);
  return facts;
}

Json decision_json(const policy::Engine& engine, const domain::Declaration& d) {
  policy::Decision decision = engine.evaluate(d);
  Json fired = Json::array();
  Json unknown = Json::array();
  for (const policy::RuleHit& hit : decision.hits) {
    (hit.unknown ? unknown : fired).push_back(engine.pack().rules()[hit.rule].id);
  }
  return {{"outcome", policy::outcome_name(decision.outcome)},
          {"fired", std::move(fired)},
          {"unknown", std::move(unknown)}};
}

// A declaration with every fact drawn at random: a quarter of the scalars unknown, a fifth of
// the lists and a seventh of the pipelines unknown, 0..kMaxStages stages.
domain::Declaration random_declaration(std::mt19937& rng) {
  auto chance = [&rng](int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(rng) == 0;
  };
  auto pick = [&rng](size_t n) {
    return static_cast<int8_t>(std::uniform_int_distribution<size_t>(0, n - 1)(rng));
  };
  auto scalar = [&](const FieldSpec& f) -> int8_t {
    if (chance(4)) {
      return chance(2) ? domain::kAbsent : domain::kUnsure;
    }
    return pick(f.vocabulary.size());
  };
  domain::Declaration d;
  d.schema = "clearcut/v1";
  for (const FieldSpec& f : domain::declaration_fields()) {
    if (f.kind == FieldKind::kList) {
      if (!chance(5)) {
        uint32_t bits = 0;
        for (size_t i = 0; i < f.vocabulary.size(); ++i) {
          bits |= chance(4) ? 1U << i : 0U;
        }
        d.set_list(f.slot, bits);
      }
    } else if (f.kind != FieldKind::kText) {
      d.scalars[f.slot] = scalar(f);
    }
  }
  if (!chance(7)) {
    d.pipeline_known = true;
    d.pipeline.resize(static_cast<size_t>(pick(kMaxStages + 1)));
    for (domain::Stage& s : d.pipeline) {
      s.name = "stage";
      for (const FieldSpec& f : domain::stage_fields()) {
        if (f.kind != FieldKind::kText) {
          s.scalars[f.slot] = scalar(f);
        }
      }
    }
  }
  return d;
}

struct Options {
  std::string cases_dir = default_cases_dir();
  std::string examples_dir = default_examples_dir();
  std::string out;  // stdout when empty
  int random = 0;
  unsigned seed = 1;
};

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr,
               "policy_export: %s\nusage: policy_export [--cases_dir=DIR] [--examples_dir=DIR] "
               "[--random=N] [--seed=S] [--out=FILE]\n",
               problem.c_str());
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&arg](std::string_view flag) -> std::optional<std::string> {
      if (arg.starts_with(flag) && arg.size() > flag.size() && arg[flag.size()] == '=') {
        return std::string(arg.substr(flag.size() + 1));
      }
      return std::nullopt;
    };
    try {
      if (auto v = value("--cases_dir")) {
        options.cases_dir = *v;
      } else if (auto e = value("--examples_dir")) {
        options.examples_dir = *e;
      } else if (auto o = value("--out")) {
        options.out = *o;
      } else if (auto r = value("--random")) {
        options.random = std::stoi(*r);
      } else if (auto s = value("--seed")) {
        options.seed = static_cast<unsigned>(std::stoul(*s));
      } else {
        usage("unknown argument '" + std::string(arg) + "'");
      }
    } catch (const std::exception&) {
      usage("bad number in '" + std::string(arg) + "'");
    }
  }
  return options;
}

int run(const Options& options) {
  auto fail = [](const base::Error& error) {
    std::fprintf(stderr, "policy_export: %s\n", error.to_string().c_str());
    return 2;
  };
  auto pack = app::load_policy_pack("");
  if (!pack.has_value()) {
    return fail(pack.error());
  }
  policy::Engine engine(std::move(pack).value());
  auto registry = app::load_tool_registry("");
  if (!registry.has_value()) {
    return fail(registry.error());
  }
  auto corpus = PolicyCorpus::load(options.cases_dir, options.examples_dir, *registry);
  if (!corpus.has_value()) {
    return fail(corpus.error());
  }

  Json declarations = Json::array();
  auto add = [&](const std::string& origin, const domain::Declaration& d, bool timed) {
    if (d.pipeline.size() > kMaxStages) {
      std::fprintf(stderr, "policy_export: %s has %zu stages; the peers' encodings take %zu\n",
                   origin.c_str(), d.pipeline.size(), kMaxStages);
      std::exit(2);
    }
    declarations.push_back({{"origin", origin},
                            {"timed", timed},
                            {"facts", facts_json(d)},
                            {"clearcut", decision_json(engine, d)}});
  };
  for (const CorpusEntry& entry : corpus->entries) {
    add(entry.origin, entry.declaration, true);
  }
  std::mt19937 rng(options.seed);
  for (int i = 0; i < options.random; ++i) {
    add("random #" + std::to_string(i), random_declaration(rng), false);
  }

  const policy::PolicyPack& p = engine.pack();
  Json doc = {{"pack", {{"name", p.name()}, {"version", p.version()}, {"digest", p.digest()}}},
              {"engine_version", policy::kEngineVersion},
              {"max_stages", kMaxStages},
              {"fields", fields_json()},
              {"rules", pack_json(p)},
              {"skipped_cases", corpus->skipped},
              {"declarations", std::move(declarations)}};
  std::string text = doc.dump(1) + "\n";
  if (options.out.empty()) {
    std::cout << text;
    return std::cout.good() ? 0 : 2;
  }
  std::ofstream out(options.out, std::ios::binary);
  out << text;
  if (!out.good()) {
    std::fprintf(stderr, "policy_export: cannot write %s\n", options.out.c_str());
    return 2;
  }
  return 0;
}

}  // namespace
}  // namespace clearcut::bench

int main(int argc, char** argv) {
  return clearcut::bench::run(clearcut::bench::parse_options(argc, argv));
}
