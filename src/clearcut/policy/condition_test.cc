#include "clearcut/policy/condition.h"

#include <gtest/gtest.h>

#include "clearcut/domain/declaration_reader.h"

namespace clearcut::policy {
namespace {

domain::Declaration declare(const std::string& yaml) {
  auto d = domain::parse_declaration("schema: clearcut/v1\n" + yaml, "test.yaml");
  EXPECT_TRUE(d.has_value()) << d.error().to_string();
  return d.has_value() ? *d : domain::Declaration();
}

Truth eval(const std::string& condition, const std::string& yaml) {
  auto c = Condition::compile(condition);
  EXPECT_TRUE(c.has_value()) << c.error().to_string();
  return c.has_value() ? c->evaluate(declare(yaml)) : Truth::kUnknown;
}

constexpr Truth T = Truth::kTrue;
constexpr Truth F = Truth::kFalse;
constexpr Truth U = Truth::kUnknown;

TEST(ConditionTest, ComparesScalarsAndTreatsAbsentAndUnsureAsUnknown) {
  EXPECT_EQ(eval("output.in_final == yes", "output: {in_final: yes}"), T);
  EXPECT_EQ(eval("output.in_final == yes", "output: {in_final: no}"), F);
  EXPECT_EQ(eval("output.in_final == yes", "output: {in_final: unsure}"), U);
  EXPECT_EQ(eval("output.in_final == yes", ""), U);
  EXPECT_EQ(eval("output.in_final", "output: {in_final: yes}"), T);
  EXPECT_EQ(eval("output.in_final != yes", "output: {in_final: no}"), T);
  EXPECT_EQ(eval("output.in_final != yes", ""), U);
  EXPECT_EQ(eval("purpose in [ideation, reference]", "purpose: reference"), T);
  EXPECT_EQ(eval("purpose in [ideation, reference]", "purpose: vfx"), F);
}

TEST(ConditionTest, KleeneLogic) {
  // unknown AND false = false; unknown OR true = true; unknown AND true = unknown.
  EXPECT_EQ(eval("output.in_final == yes and purpose == vfx", "purpose: ideation"), F);
  EXPECT_EQ(eval("output.in_final == yes or purpose == vfx", "purpose: vfx"), T);
  EXPECT_EQ(eval("output.in_final == yes and purpose == vfx", "purpose: vfx"), U);
  EXPECT_EQ(eval("output.in_final == yes or purpose == vfx", "purpose: ideation"), U);
  EXPECT_EQ(eval("not output.in_final == yes", ""), U);
  EXPECT_EQ(eval("not (purpose == vfx)", "purpose: ideation"), T);
  EXPECT_EQ(eval("true and false", ""), F);
}

TEST(ConditionTest, Lists) {
  EXPECT_EQ(eval("inputs has script", "inputs: [script, contract]"), T);
  EXPECT_EQ(eval("inputs has script", "inputs: [none]"), F);
  EXPECT_EQ(eval("inputs has script", "inputs: []"), F);
  EXPECT_EQ(eval("inputs has script", ""), U);
  EXPECT_EQ(eval("inputs has_any [script, contract]", "inputs: [contract]"), T);
  EXPECT_EQ(eval("inputs has_all [script, contract]", "inputs: [contract]"), F);
  EXPECT_EQ(eval("inputs has_all [script, contract]", "inputs: [contract, script]"), T);
}

TEST(ConditionTest, PipelineQuantifiers) {
  const std::string two = R"(pipeline:
  - {name: a, trains_on_data: no}
  - {name: b, trains_on_data: yes})";
  EXPECT_EQ(eval("any(pipeline, trains_on_data == yes)", two), T);
  EXPECT_EQ(eval("all(pipeline, trains_on_data == yes)", two), F);
  EXPECT_EQ(eval("any(pipeline, trains_on_data == yes)", ""), U);
  EXPECT_EQ(eval("any(pipeline, trains_on_data == yes)", "pipeline: []"), F);
  EXPECT_EQ(eval("all(pipeline, trains_on_data == yes)", "pipeline: []"), T);
  EXPECT_EQ(eval("any(pipeline, trains_on_data == yes)", "pipeline: [{name: a}]"), U);
  EXPECT_EQ(eval("len(pipeline) > 1", two), T);
  EXPECT_EQ(eval("len(pipeline) > 1", "pipeline: [{name: a}]"), F);
  EXPECT_EQ(eval("len(pipeline) > 1", ""), U);
  // Declaration fields stay readable inside a quantifier.
  EXPECT_EQ(eval("any(pipeline, trains_on_data == yes and purpose == vfx)", two + "\npurpose: vfx"),
            T);
}

// stated() is two-valued: `unsure` is a statement, absence is not (POLICY.md §6).
TEST(ConditionTest, StatedTellsAbsentFromUnsure) {
  EXPECT_EQ(eval("stated(talent.real_person)", "talent: {real_person: yes}"), T);
  EXPECT_EQ(eval("stated(talent.real_person)", "talent: {real_person: no}"), T);
  EXPECT_EQ(eval("stated(talent.real_person)", "talent: {real_person: unsure}"), T);
  EXPECT_EQ(eval("stated(talent.real_person)", ""), F);
  EXPECT_EQ(eval("stated(purpose)", "purpose: vfx"), T);
  EXPECT_EQ(eval("stated(references)", "references: [none]"), T);
  EXPECT_EQ(eval("stated(references)", ""), F);
  EXPECT_EQ(eval("any(pipeline, stated(terms_reviewed))", "pipeline: [{name: a}]"), F);
  EXPECT_EQ(eval("any(pipeline, stated(terms_reviewed))",
                 "pipeline: [{name: a}, {name: b, terms_reviewed: unsure}]"),
            T);
  // Guarding a new field keeps an older declaration, which cannot state it, decided.
  const std::string guarded = "stated(output.public) and output.public";
  EXPECT_EQ(eval(guarded, ""), F);
  EXPECT_EQ(eval(guarded, "output: {public: unsure}"), U);
  EXPECT_EQ(eval(guarded, "output: {public: yes}"), T);
  EXPECT_EQ(eval("not stated(output.public)", ""), T);
}

TEST(ConditionTest, StatedIsExplainedAndPrinted) {
  auto c = Condition::compile("stated( talent.deceased ) and not stated(media)");
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  EXPECT_EQ(c->canonical(), "stated(talent.deceased) and not stated(media)");
  auto again = Condition::compile(c->canonical());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->canonical(), c->canonical());
  auto d = declare("talent: {deceased: unsure}");
  ASSERT_EQ(c->evaluate(d), T);
  std::vector<FactRef> facts;
  c->explain(d, T, &facts);
  ASSERT_EQ(facts.size(), 2U);
  EXPECT_EQ(facts[0].kind, FactRef::Kind::kScalar);
  EXPECT_EQ(facts[1].kind, FactRef::Kind::kList);
  EXPECT_EQ(c->facts().size(), 2U);
}

TEST(ConditionTest, ExplainsWhichStage) {
  auto c = Condition::compile("any(pipeline, trains_on_data == yes)");
  ASSERT_TRUE(c.has_value());
  auto d =
      declare("pipeline:\n  - {name: a, trains_on_data: no}\n  - {name: b, trains_on_data: yes}");
  std::vector<FactRef> facts;
  c->explain(d, Truth::kTrue, &facts);
  ASSERT_EQ(facts.size(), 1U);
  EXPECT_EQ(facts[0].kind, FactRef::Kind::kStageScalar);
  EXPECT_EQ(facts[0].stage, 1);
}

TEST(ConditionTest, ExplainsUnknownFacts) {
  auto c = Condition::compile("output.in_final == yes and (purpose == vfx or inputs has script)");
  ASSERT_TRUE(c.has_value());
  auto d = declare("purpose: ideation");
  ASSERT_EQ(c->evaluate(d), U);
  std::vector<FactRef> facts;
  c->explain(d, U, &facts);
  ASSERT_EQ(facts.size(), 2U);  // in_final and inputs, not purpose (known false)
  EXPECT_EQ(facts[0].kind, FactRef::Kind::kScalar);
  EXPECT_EQ(facts[1].kind, FactRef::Kind::kList);
}

TEST(ConditionTest, CanonicalFormIgnoresSpacingAndKeepsMeaning) {
  auto a = Condition::compile(
      "output.in_final==yes and(purpose in [vfx,final_asset] or not "
      "inputs has script)");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->canonical(),
            "output.in_final == yes and (purpose in [vfx, final_asset] or not "
            "inputs has script)");
  auto b = Condition::compile(a->canonical());
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->canonical(), a->canonical());
  auto nested = Condition::compile("(a_or) or x");
  EXPECT_FALSE(nested.has_value());
}

struct BadCondition {
  const char* text;
  const char* message;
};

class ConditionErrorTest : public testing::TestWithParam<BadCondition> {};

TEST_P(ConditionErrorTest, IsRejectedAtCompileTime) {
  auto c = Condition::compile(GetParam().text);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    All, ConditionErrorTest,
    testing::Values(
        BadCondition{"output.in_fnal == yes",
                     "at column 1: unknown field 'output.in_fnal' (did you mean "
                     "'output.in_final'?)"},
        BadCondition{"trains_on_data == yes",
                     "at column 1: unknown field 'trains_on_data'; stage fields are read inside "
                     "any(pipeline, ...) or all(pipeline, ...)"},
        BadCondition{"purpose == fun",
                     "at column 12: 'fun' is not a value of purpose; expected ideation, "
                     "reference, previs, temp_media, localization, marketing, vfx, final_asset, "
                     "training or other"},
        BadCondition{"output.in_final == unsure",
                     "at column 20: 'unsure' is unknown, not a value; compare with yes or no "
                     "and let unknown escalate"},
        BadCondition{"inputs == script",
                     "at column 8: inputs is a list: test it with 'has', 'has_any [...]' or "
                     "'has_all [...]'"},
        BadCondition{"purpose", "at column 8: expected '==', '!=' or 'in [...]' after purpose"},
        BadCondition{"any(pipeline, any(pipeline, trains_on_data == yes))",
                     "at column 15: any() and all() cannot be nested"},
        BadCondition{"output.in_final == yes and",
                     "at column 27: expected a field, 'not', '(', "
                     "'any', 'all', 'len', 'stated', 'true' or 'false', got "
                     "'end of condition'"},
        BadCondition{"stated(output.in_fnal)",
                     "at column 8: unknown field 'output.in_fnal' (did you mean "
                     "'output.in_final'?)"},
        BadCondition{"stated(summary)", "at column 8: unknown field 'summary'"},
        BadCondition{"stated output.public", "at column 8: expected '(', got 'output.public'"},
        BadCondition{"stated(trains_on_data)",
                     "at column 8: unknown field 'trains_on_data'; stage fields are read inside "
                     "any(pipeline, ...) or all(pipeline, ...)"},
        BadCondition{"(true", "at column 6: expected ')', got 'end of condition'"},
        BadCondition{"true true",
                     "at column 6: expected 'and', 'or' or the end of the condition, got 'true'"},
        BadCondition{"purpose == vfx; drop", "at column 15: unexpected character ';'"},
        BadCondition{"", "empty condition; write `true` for a rule that always fires"}));

}  // namespace
}  // namespace clearcut::policy
