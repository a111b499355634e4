// Properties of the engine on generated declarations, with the default pack:
//  - making one more rule fire (keeping every rule that was listed) never lowers the outcome;
//  - the order of pipeline stages never changes the outcome, the listed rules or the actions;
//  - the outcome is the highest outcome of the listed rules.
#include <algorithm>
#include <random>
#include <set>
#include <tuple>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/policy/decision_view.h"
#include "clearcut/policy/engine.h"
#include "clearcut/policy/form.h"

namespace clearcut::policy {
namespace {

using domain::Declaration;
using domain::FieldKind;
using domain::FieldScope;

const std::string kPack = std::string(CLEARCUT_SOURCE_DIR) + "/policies/netflix-genai.yaml";

int8_t random_scalar(std::mt19937& rng, size_t vocabulary) {
  std::uniform_int_distribution<int> pick(-2, static_cast<int>(vocabulary) - 1);
  return static_cast<int8_t>(pick(rng));
}

Declaration random_declaration(std::mt19937& rng) {
  Declaration d;
  for (const auto& field : domain::declaration_fields()) {
    if (field.kind == FieldKind::kTri || field.kind == FieldKind::kEnum) {
      d.scalars[field.slot] = random_scalar(rng, field.vocabulary.size());
      if (field.kind == FieldKind::kEnum && d.scalars[field.slot] == domain::kUnsure) {
        d.scalars[field.slot] = domain::kAbsent;  // only tri-states can be unsure
      }
    } else if (field.kind == FieldKind::kList) {
      if (rng() % 4 == 0) {
        continue;  // absent
      }
      uint32_t bits = rng() & ((1U << field.vocabulary.size()) - 1U);
      bits &= rng();  // sparser lists
      d.set_list(field.slot, bits);
    }
  }
  if (rng() % 5 != 0) {
    d.pipeline_known = true;
    d.pipeline.resize(rng() % 4);
    for (size_t i = 0; i < d.pipeline.size(); ++i) {
      d.pipeline[i].name = "stage " + std::to_string(i);
      for (auto& v : d.pipeline[i].scalars) {
        v = random_scalar(rng, 2);
      }
    }
  }
  return d;
}

// Changes one fact at random.
Declaration mutate(const Declaration& d, std::mt19937& rng) {
  Declaration m = d;
  auto fields = domain::declaration_fields();
  for (;;) {
    const auto& field = fields[rng() % fields.size()];
    if (field.kind == FieldKind::kTri || field.kind == FieldKind::kEnum) {
      m.scalars[field.slot] = random_scalar(rng, field.vocabulary.size());
      if (field.kind == FieldKind::kEnum && m.scalars[field.slot] == domain::kUnsure) {
        m.scalars[field.slot] = domain::kAbsent;
      }
      return m;
    }
    if (field.kind == FieldKind::kList) {
      m.set_list(field.slot, m.lists[field.slot] ^ (1U << (rng() % field.vocabulary.size())));
      return m;
    }
    if (!m.pipeline.empty() && rng() % 2 == 0) {
      auto& stage = m.pipeline[rng() % m.pipeline.size()];
      stage.scalars[rng() % stage.scalars.size()] = random_scalar(rng, 2);
      return m;
    }
  }
}

std::set<uint16_t> listed(const Decision& d) {
  std::set<uint16_t> out;
  for (const RuleHit& h : d.hits) {
    out.insert(h.rule);
  }
  return out;
}

std::set<uint16_t> fired(const Decision& d) {
  std::set<uint16_t> out;
  for (const RuleHit& h : d.hits) {
    if (!h.unknown) {
      out.insert(h.rule);
    }
  }
  return out;
}

class PolicyPropertyTest : public testing::Test {
 protected:
  void SetUp() override {
    auto pack = PolicyPack::load_file(kPack);
    ASSERT_TRUE(pack.has_value()) << pack.error().to_string();
    engine_ = std::make_unique<Engine>(std::make_shared<const PolicyPack>(std::move(*pack)));
  }
  std::unique_ptr<Engine> engine_;
};

TEST_F(PolicyPropertyTest, OneMoreFiringRuleNeverLowersTheOutcome) {
  std::mt19937 rng(20251122);
  int checked = 0;
  for (int i = 0; i < 200000 && checked < 2000; ++i) {
    Declaration d = random_declaration(rng);
    Declaration m = mutate(d, rng);
    Decision a = engine_->evaluate(d);
    Decision b = engine_->evaluate(m);
    std::set<uint16_t> la = listed(a);
    std::set<uint16_t> lb = listed(b);
    std::set<uint16_t> fa = fired(a);
    std::set<uint16_t> fb = fired(b);
    bool keeps_listed = std::includes(lb.begin(), lb.end(), la.begin(), la.end());
    bool fires_more =
        fb.size() > fa.size() && std::includes(fb.begin(), fb.end(), fa.begin(), fa.end());
    if (!keeps_listed || !fires_more) {
      continue;
    }
    ++checked;
    ASSERT_GE(static_cast<int>(b.outcome), static_cast<int>(a.outcome)) << "iteration " << i;
  }
  EXPECT_GE(checked, 500) << "the generator produced too few comparable pairs";
}

TEST_F(PolicyPropertyTest, StageOrderNeverMatters) {
  std::mt19937 rng(7);
  int checked = 0;
  for (int i = 0; i < 5000; ++i) {
    Declaration d = random_declaration(rng);
    if (d.pipeline.size() < 2) {
      continue;
    }
    Decision a = engine_->evaluate(d);
    Declaration shuffled = d;
    std::shuffle(shuffled.pipeline.begin(), shuffled.pipeline.end(), rng);
    Decision b = engine_->evaluate(shuffled);
    ASSERT_EQ(a.outcome, b.outcome);
    ASSERT_EQ(a.actions, b.actions);
    ASSERT_EQ(listed(a), listed(b));
    ASSERT_EQ(fired(a), fired(b));
    ++checked;
  }
  EXPECT_GT(checked, 1000);
}

TEST_F(PolicyPropertyTest, OutcomeIsTheHighestListedRule) {
  std::mt19937 rng(11);
  for (int i = 0; i < 5000; ++i) {
    Declaration d = random_declaration(rng);
    Decision decision = engine_->evaluate(d);
    Outcome highest = Outcome::kNotify;
    for (const RuleHit& h : decision.hits) {
      highest = std::max(highest, h.outcome);
      if (h.unknown) {
        ASSERT_EQ(h.outcome, Outcome::kEscalate);
      }
    }
    ASSERT_EQ(decision.outcome, highest);
  }
}

// The form hides a question no answer could change (policy/form.h): on generated declarations,
// every answer to every question it calls moot, and not moot by the pack's own ask_when (whose
// answer the form states), leaves the outcome, the actions and the listed rules as they were.
TEST_F(PolicyPropertyTest, NoAnswerToAMootQuestionChangesTheDecision) {
  std::mt19937 rng(1207);
  auto signature = [](const Decision& d) {
    std::set<std::tuple<uint16_t, bool, uint8_t, uint32_t>> out;
    for (const RuleHit& h : d.hits) {
      out.insert({h.rule, h.unknown, h.additions, h.actions});
    }
    return std::make_tuple(d.outcome, d.actions, out);
  };
  int checked = 0;
  for (int i = 0; i < 3000; ++i) {
    Declaration d = random_declaration(rng);
    Decision decision;
    FormView view = complete_form(*engine_, &d, &decision);
    auto before = signature(decision);
    for (const std::string& path : view.moot) {
      const Question* q = engine_->pack().find_question(path);
      if (q != nullptr && q->ask_when && q->ask_when->evaluate(d) == Truth::kFalse) {
        continue;
      }
      const domain::FieldSpec* spec = domain::find_field(FieldScope::kDeclaration, path);
      ASSERT_NE(spec, nullptr);
      std::vector<Declaration> answers;
      if (spec->kind == FieldKind::kList) {
        for (uint32_t bits = 0; bits < (1U << spec->vocabulary.size()); ++bits) {
          answers.push_back(d);
          answers.back().set_list(spec->slot, bits);
        }
      } else {
        for (int v = domain::kUnsure; v < static_cast<int>(spec->vocabulary.size()); ++v) {
          if (v == domain::kAbsent || (v == domain::kUnsure && spec->kind != FieldKind::kTri)) {
            continue;
          }
          answers.push_back(d);
          answers.back().scalars[spec->slot] = static_cast<int8_t>(v);
        }
      }
      for (const Declaration& answered : answers) {
        ASSERT_EQ(signature(engine_->evaluate(answered)), before)
            << "iteration " << i << ": answering the moot question " << path;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 5000);
}

}  // namespace
}  // namespace clearcut::policy

namespace clearcut::policy {
namespace {

// The decision's JSON as it was first written, through an nlohmann tree: to_json writes it
// directly and must give these bytes.
std::string tree_json(const DecisionView& view) {
  nlohmann::json rules = nlohmann::json::array();
  for (const RuleView& r : view.rules) {
    nlohmann::json facts = nlohmann::json::array();
    for (const FactView& f : r.facts) {
      nlohmann::json fact = {{"field", f.field}, {"value", f.value}};
      if (!f.stage.empty()) {
        fact["stage"] = f.stage;
      }
      facts.push_back(std::move(fact));
    }
    rules.push_back({{"id", r.id},
                     {"outcome", outcome_name(r.outcome)},
                     {"section", r.section},
                     {"why", r.why},
                     {"facts", facts},
                     {"unknown", r.unknown},
                     {"actions", r.actions}});
  }
  nlohmann::json conditional = nlohmann::json::array();
  for (const ConditionalActions& c : view.conditional_actions) {
    conditional.push_back({{"rule", c.rule}, {"actions", c.actions}, {"unknown", c.unknown}});
  }
  nlohmann::json out = {
      {"outcome", outcome_name(view.outcome)},
      {"headline", view.headline},
      {"policy",
       {{"name", view.policy_name},
        {"version", view.policy_version},
        {"digest", view.policy_digest}}},
      {"rules", rules},
      {"actions", view.actions},
      {"conditional_actions", conditional},
      {"unknown", view.unknown},
      {"notes", view.notes},
  };
  return out.dump();
}

TEST_F(PolicyPropertyTest, DecisionJsonIsTheTreesBytes) {
  std::mt19937 rng(20261206);
  for (int i = 0; i < 2000; ++i) {
    Declaration d = random_declaration(rng);
    if (i % 3 == 0 && !d.pipeline.empty()) {
      d.pipeline[0].name = "caf\xC3\xA9 \"cut\" \\ \x01\t";  // escapes and UTF-8 in a fact's stage
    }
    DecisionView view = explain(engine_->pack(), d, engine_->evaluate(d));
    ASSERT_EQ(to_json(view), tree_json(view)) << "declaration " << i;
  }
  // Empty lists and a view with every list filled.
  DecisionView bare;
  EXPECT_EQ(to_json(bare), tree_json(bare));
  DecisionView full;
  full.headline = "line\nbreak";
  full.actions = {"a", "b"};
  full.notes = {"n\x7F"};
  full.unknown = {"u"};
  full.conditional_actions = {{"r1", {"x"}, {"f1", "f2"}}, {"r2", {}, {}}};
  full.rules = {
      {"id", "s", Outcome::kEscalate, true, "why", {"act"}, {{"f", "v", ""}, {"g", "w", "st"}}},
      {"id2", "s2", Outcome::kNotify, false, "", {}, {}}};
  EXPECT_EQ(to_json(full), tree_json(full));
}

}  // namespace
}  // namespace clearcut::policy
