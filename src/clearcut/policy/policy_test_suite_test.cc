#include "clearcut/policy/policy_test_suite.h"

#include <gtest/gtest.h>

namespace clearcut::policy {
namespace {

const char* kPack =
    "name: p\nversion: '1'\nrules:\n  - {id: R, section: s, outcome: escalate, why: w, "
    "when: purpose == vfx}\n";

struct Suite {
  Engine engine{std::make_shared<const PolicyPack>(*PolicyPack::parse(kPack, "p.yaml"))};
  domain::ToolRegistry registry = *domain::parse_tool_registry("tools: []\n", "t.yaml");

  base::Result<SuiteResult> run(const std::string& text) const {
    return run_policy_test_files({{"cases.yaml", text}}, engine, registry);
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
