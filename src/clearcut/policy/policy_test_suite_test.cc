#include "clearcut/policy/policy_test_suite.h"

#include <chrono>

#include <gtest/gtest.h>

namespace clearcut::policy {
namespace {

constexpr const char* kPack =
    "name: p\nversion: '1'\nrules:\n  - {id: R, section: s, outcome: escalate, why: w, "
    "when: purpose == vfx}\n";

constexpr std::chrono::sys_days kToday{std::chrono::year(2026) / std::chrono::December / 1};

struct Suite {
  Engine engine{std::make_shared<const PolicyPack>(*PolicyPack::parse(kPack, "p.yaml"))};
  domain::ToolRegistry registry = *domain::parse_tool_registry("tools: []\n", "t.yaml");

  base::Result<SuiteResult> run(const std::string& text) const {
    return run_policy_test_files({{"cases.yaml", text}}, engine, registry, kToday);
  }
};

TEST(PolicyTestSuiteTest, CasesThatExpectAnErrorStillRun) {
  Suite suite;
  auto result = suite.run(
      "cases:\n  - name: unknown field\n    declaration: {schema: clearcut/v1, colour: red}\n"
      "    expect:\n      error: \"colour: unknown field\"\n"
      "  - name: fires\n    declaration: {schema: clearcut/v1, purpose: vfx}\n"
      "    expect:\n      outcome: escalate\n      fires: [R]\n");
  ASSERT_TRUE(result.has_value()) << result.error().to_string();
  EXPECT_EQ(result->passed, 2);
  EXPECT_EQ(result->failed, 0);
}

// Tool reviews age against the file's assessed_on, a case's own, or the day given; notes are
// checked like the rest.
TEST(PolicyTestSuiteTest, CasesAreAssessedOnTheirDay) {
  Suite suite;
  suite.registry = *domain::parse_tool_registry(
      "tools:\n  - {id: gen, terms_reviewed: yes, reviewed_on: '2025-06-01'}\n", "t.yaml");
  const std::string stale = "notes: [\"reviewed_on 2025-06-01 is older than the pack's 12-month\"]";
  const std::string case_text =
      "    declaration: {schema: clearcut/v1, pipeline: [{tool: gen}]}\n    expect:\n      " +
      stale + "\n";
  // 2026-12-01 (the day given): stale. The file's day, 2026-06-01: in date; a case's own day
  // wins over the file's.
  auto result = suite.run("cases:\n  - name: today\n" + case_text);
  ASSERT_TRUE(result.has_value()) << result.error().to_string();
  EXPECT_EQ(result->passed, 1);
  result = suite.run("assessed_on: '2026-06-01'\ncases:\n  - name: file\n" + case_text +
                     "  - name: own\n    assessed_on: '2026-06-02'\n" + case_text);
  ASSERT_TRUE(result.has_value()) << result.error().to_string();
  EXPECT_EQ(result->passed, 1);
  EXPECT_EQ(result->failed, 1);
  ASSERT_EQ(result->failures.size(), 1U);
  EXPECT_EQ(result->failures[0].name, "file");
  EXPECT_NE(result->failures[0].message.find("no note says"), std::string::npos);
  auto bad = suite.run("assessed_on: '1 June'\ncases: []\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().to_string(),
            "cases.yaml:1:14: assessed_on: expected a date, YYYY-MM-DD (quote it in YAML)");
}

// Conditional actions, why texts and the headline are checked like the rest (POLICY.md §6).
TEST(PolicyTestSuiteTest, ChecksConditionalActionsWhyAndHeadline) {
  Suite suite;
  suite.engine = Engine(std::make_shared<const PolicyPack>(*PolicyPack::parse(
      "name: p\nversion: '1'\nrules:\n  - {id: R, section: s, outcome: written_approval, "
      "actions: [talent_consent], why: Consent first., when: talent.real_person}\n",
      "p.yaml")));
  auto result = suite.run(R"(cases:
  - name: open
    declaration: {schema: clearcut/v1, talent: {real_person: unsure}}
    expect:
      outcome: escalate
      conditional_actions: [talent_consent, legal_review]
      headline: R may apply
  - name: fired
    declaration: {schema: clearcut/v1, talent: {real_person: yes}}
    expect:
      conditional_actions: []
      why: [Consent first]
      headline: (R)
  - name: wrong
    declaration: {schema: clearcut/v1, talent: {real_person: yes}}
    expect:
      conditional_actions: [talent_consent]
      why: [estate]
      headline: Proceed
)");
  ASSERT_TRUE(result.has_value()) << result.error().to_string();
  EXPECT_EQ(result->passed, 2);
  EXPECT_EQ(result->failed, 1);
  ASSERT_EQ(result->failures.size(), 3U);
  EXPECT_EQ(result->failures[0].message, "conditional_actions [], expected [talent_consent]");
  EXPECT_EQ(result->failures[1].message, "no rule's why says 'estate' (fired [R], unknown [])");
  EXPECT_EQ(result->failures[2].message,
            "headline 'Written approval is required before proceeding: Consent first (R).' does "
            "not say 'Proceed'");
}

// A key given twice makes the case file itself invalid YAML, whichever case it is in.
TEST(PolicyTestSuiteTest, AFieldGivenTwiceIsAnErrorInTheFile) {
  Suite suite;
  auto result = suite.run(
      "cases:\n  - name: twice\n    declaration:\n      schema: clearcut/v1\n"
      "      purpose: previs\n      purpose: vfx\n    expect:\n      outcome: escalate\n");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().to_string(),
            "cases.yaml:6:7: cases[0].declaration.purpose: field given twice");
}

TEST(PolicyTestSuiteTest, DeepNestingIsAnErrorInTheFile) {
  Suite suite;
  auto result =
      suite.run("cases:\n  - name: deep\n    declaration: " + std::string(100'000, '[') + "\n");
  ASSERT_FALSE(result.has_value());
  std::string error = result.error().to_string();
  EXPECT_EQ(error.rfind("cases.yaml:3:79: cases[0].declaration[0]", 0), 0U) << error;
  EXPECT_NE(error.find("nested too deeply (more than 64 levels)"), std::string::npos) << error;
}

}  // namespace
}  // namespace clearcut::policy
