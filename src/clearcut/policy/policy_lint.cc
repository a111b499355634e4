#include "clearcut/policy/policy_lint.h"

#include <algorithm>
#include <functional>
#include <map>

#include "clearcut/domain/internal/yaml_emitter.h"
#include "clearcut/domain/internal/yaml_input.h"
#include "clearcut/policy/policy_pack.h"

namespace clearcut::policy {
namespace {

using domain::Declaration;
using domain::FieldScope;

constexpr uint64_t kMaxCombinations = uint64_t{1} << 22;

// One dimension of the search: how many values it takes, and how to set value i.
struct Dimension {
  int size;
  std::function<void(Declaration*, int)> set;
};

// The values each fact of `condition` can take, as search dimensions. For lists, only the
// vocabulary bits the condition tests matter.
std::vector<Dimension> dimensions_of(const Condition& condition) {
  std::vector<Dimension> dims;
  std::map<uint8_t, uint32_t> list_bits;
  std::vector<uint8_t> stage_slots;
  bool uses_pipeline = false;
  for (const Condition::Node& n : condition.nodes()) {
    if (n.op == Condition::Op::kListAny || n.op == Condition::Op::kListAll) {
      list_bits[n.slot] |= n.mask;
    }
  }
  for (const FactRef& ref : condition.facts()) {
    switch (ref.kind) {
      case FactRef::Kind::kScalar: {
        const auto& field = domain::scalar_field(FieldScope::kDeclaration, ref.slot);
        uint8_t slot = ref.slot;
        dims.push_back(
            {static_cast<int>(field.vocabulary.size()) + 1, [slot](Declaration* d, int i) {
               d->scalars[slot] = static_cast<int8_t>(i - 1);  // 0 = absent
             }});
        break;
      }
      case FactRef::Kind::kList: {
        uint32_t bits = list_bits[ref.slot];
        std::vector<int> positions;
        for (int b = 0; b < 32; ++b) {
          if ((bits >> b) & 1U) {
            positions.push_back(b);
          }
        }
        uint8_t slot = ref.slot;
        dims.push_back({(1 << positions.size()) + 1, [slot, positions](Declaration* d, int i) {
                          if (i == 0) {
                            d->clear_list(slot);
                            return;
                          }
                          uint32_t value = 0;
                          for (size_t p = 0; p < positions.size(); ++p) {
                            if (((i - 1) >> p) & 1) {
                              value |= 1U << positions[p];
                            }
                          }
                          d->set_list(slot, value);
                        }});
        break;
      }
      case FactRef::Kind::kStageScalar:
        stage_slots.push_back(ref.slot);
        uses_pipeline = true;
        break;
      case FactRef::Kind::kPipeline:
        uses_pipeline = true;
        break;
    }
  }
  if (uses_pipeline) {
    // Pipeline shape: 0 = absent, 1 = empty, 2 = one stage, 3 = two stages.
    dims.push_back({4, [](Declaration* d, int i) {
                      d->pipeline_known = i > 0;
                      d->pipeline.resize(i >= 2 ? static_cast<size_t>(i - 1) : 0);
                    }});
    for (int stage = 0; stage < 2; ++stage) {
      for (uint8_t slot : stage_slots) {
        dims.push_back({3, [stage, slot](Declaration* d, int i) {
                          if (static_cast<size_t>(stage) < d->pipeline.size()) {
                            d->pipeline[static_cast<size_t>(stage)].scalars[slot] =
                                static_cast<int8_t>(i - 1);
                          }
                        }});
      }
    }
  }
  return dims;
}

struct Reach {
  bool can_be_true = false;
  bool always_true = true;
  bool exhaustive = true;
};

Reach search(const Condition& condition) {
  std::vector<Dimension> dims = dimensions_of(condition);
  uint64_t total = 1;
  for (const Dimension& d : dims) {
    total *= static_cast<uint64_t>(d.size);
    if (total > kMaxCombinations) {
      return {false, false, false};
    }
  }
  Reach reach;
  std::vector<int> index(dims.size(), 0);
  Declaration d;
  for (uint64_t n = 0; n < total; ++n) {
    // The pipeline shape is set before stage facts, which the loop order guarantees.
    for (size_t k = 0; k < dims.size(); ++k) {
      dims[k].set(&d, index[k]);
    }
    Truth t = condition.evaluate(d);
    reach.can_be_true = reach.can_be_true || t == Truth::kTrue;
    reach.always_true = reach.always_true && t == Truth::kTrue;
    for (size_t k = 0; k < dims.size(); ++k) {
      if (++index[k] < dims[k].size) {
        break;
      }
      index[k] = 0;
    }
  }
  return reach;
}

// `text` (lines ending in newlines) with every line indented by `spaces`.
std::string indented(const std::string& text, size_t spaces) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    out.append(spaces, ' ');
    out.append(text, start, end - start);
    start = end;
  }
  return out;
}

LintFinding finding(LintFinding::Severity severity, base::SourceLocation location,
                    std::string rule_id, std::string message) {
  LintFinding f;
  f.severity = severity;
  f.location = std::move(location);
  f.rule_id = std::move(rule_id);
  f.message = std::move(message);
  return f;
}

// Every declaration field a rule could read, that no rule (or addition) reads and that the pack
// does not mark informational (POLICY.md §6). A declared answer nobody reads is a question the
// partner was asked for nothing.
std::vector<std::string_view> unread_fields(const PolicyPack& pack) {
  std::vector<FactRef> read;
  auto add = [&read](const Condition& condition) {
    for (const FactRef& ref : condition.facts()) {
      read.push_back(ref);
    }
  };
  for (const Rule& rule : pack.rules()) {
    add(rule.when);
    for (const RuleAddition& addition : rule.also) {
      add(addition.condition);
    }
  }
  std::vector<std::string_view> out;
  for (const domain::FieldSpec& field : domain::declaration_fields()) {
    if (field.kind == domain::FieldKind::kText) {
      continue;
    }
    FactRef ref{
        field.kind == domain::FieldKind::kList ? FactRef::Kind::kList : FactRef::Kind::kScalar,
        field.slot, -1};
    bool marked =
        std::any_of(pack.informational().begin(), pack.informational().end(),
                    [&field](const InformationalField& f) { return f.field == field.path; });
    if (!marked && std::find(read.begin(), read.end(), ref) == read.end()) {
      out.push_back(field.path);
    }
  }
  return out;
}

}  // namespace

std::vector<LintFinding> lint_pack(std::string_view text, const std::string& file) {
  using domain::internal::InputNode;
  using domain::internal::YamlNode;
  std::vector<LintFinding> findings;
  auto yaml = domain::internal::load_yaml(text, file);
  if (!yaml.has_value()) {
    const base::Error& e = yaml.error();
    findings.push_back(finding(LintFinding::Severity::kError, e.location(), "",
                               (e.field().empty() ? "" : e.field() + ": ") + e.message()));
    return findings;
  }
  // Pass 1: each rule on its own, so that every broken rule is reported, not just the first.
  InputNode root{yaml->root(), &file, ""};
  std::optional<YamlNode> rules_node = root.node.find("rules");
  if (rules_node && rules_node->is_sequence()) {
    InputNode rules = root.child(*rules_node, "rules");
    std::map<std::string, int> first_line;
    for (size_t i = 0; i < rules.node.size(); ++i) {
      InputNode rule = rules.element(rules.node.item(i), i);
      std::optional<YamlNode> id_node = rule.node.find("id");
      std::string id = id_node && id_node->is_scalar() ? id_node->text() : rule.path;
      if (auto [it, inserted] = first_line.emplace(id, rule.location().line); !inserted) {
        findings.push_back(
            finding(LintFinding::Severity::kError, rule.location(), id,
                    "duplicate rule id (first at line " + std::to_string(it->second) + ")"));
      }
      // Reuse the loader's checks on a one-rule pack.
      std::string single_text = "name: lint\nversion: \"0\"\nrules:\n  -\n" +
                                indented(domain::internal::emit_yaml(rule.node), 4);
      auto loaded = PolicyPack::parse(single_text, file);
      if (!loaded.has_value()) {
        base::Error e = loaded.error();
        std::string field = e.field();
        if (field.rfind("rules[0]", 0) == 0) {
          field = rule.path + field.substr(8);
        }
        findings.push_back(finding(LintFinding::Severity::kError, rule.location(), id,
                                   (field.empty() ? "" : field + ": ") + e.message()));
      }
    }
  }
  // Pass 2: the whole pack, and what its rules can reach.
  auto pack = PolicyPack::parse(text, file);
  if (!pack.has_value()) {
    if (findings.empty()) {
      findings.push_back(finding(LintFinding::Severity::kError, pack.error().location(), "",
                                 pack.error().to_string()));
    }
    return findings;
  }
  for (const Rule& rule : pack->rules()) {
    Reach reach = search(rule.when);
    base::SourceLocation where{file, rule.line, 0};
    if (!reach.exhaustive) {
      findings.push_back(finding(LintFinding::Severity::kWarning, where, rule.id,
                                 "condition reads too many facts to check exhaustively"));
    } else if (!reach.can_be_true) {
      findings.push_back(
          finding(LintFinding::Severity::kError, where, rule.id,
                  "can never fire: no declaration makes `" + rule.when.canonical() + "` true"));
    } else if (reach.always_true && rule.when.canonical() != "true") {
      findings.push_back(finding(LintFinding::Severity::kWarning, where, rule.id,
                                 "always fires: `" + rule.when.canonical() +
                                     "` is true for every declaration; write `true`"));
    }
  }
  for (std::string_view field : unread_fields(*pack)) {
    findings.push_back(finding(LintFinding::Severity::kWarning, {file, 0, 0}, "",
                               "`" + std::string(field) +
                                   "` is read by no rule; read it, or mark it informational with "
                                   "the reason"));
  }
  return findings;
}

}  // namespace clearcut::policy
