#include "clearcut/policy/policy_lint.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "clearcut/domain/declaration_schema.h"

namespace clearcut::policy {
namespace {

constexpr std::string_view kUnread = "is read by no rule";

// The findings as text; the small packs below read few fields, so unread fields are left out
// unless asked for.
std::vector<std::string> messages(const std::vector<LintFinding>& findings,
                                  bool unread_fields = false) {
  std::vector<std::string> out;
  for (const LintFinding& f : findings) {
    if (unread_fields || f.message.find(kUnread) == std::string::npos) {
      out.push_back(std::to_string(f.location.line) + " " + f.rule_id + ": " + f.message);
    }
  }
  return out;
}

TEST(PolicyLintTest, ReportsEveryProblemNotJustTheFirst) {
  const char* pack = R"yaml(name: p
version: "1"
rules:
  - {id: A, section: s, outcome: notify, why: w, when: "true"}
  - {id: A, section: s, outcome: notify, why: w, when: "true"}
  - {id: B, section: s, outcome: escalate, why: w, when: output.in_fnal == yes}
  - {id: C, section: s, outcome: escalate, why: w, when: purpose == vfx and purpose == ideation}
  - {id: D, section: s, outcome: escalate, why: w, when: "any(pipeline, trains_on_data == yes) and all(pipeline, trains_on_data == no)"}
  - {id: E, section: s, outcome: escalate, why: w, when: inputs has script or not inputs has script or true}
)yaml";
  std::vector<std::string> got = messages(lint_pack(pack, "p.yaml"));
  ASSERT_EQ(got.size(), 2U) << testing::PrintToString(got);
  EXPECT_EQ(got[0], "5 A: duplicate rule id (first at line 4)");
  EXPECT_EQ(got[1],
            "6 B: rules[2].when: condition: at column 1: unknown field 'output.in_fnal' (did you "
            "mean 'output.in_final'?)");
}

TEST(PolicyLintTest, FindsRulesThatCanNeverFireOrAlwaysFire) {
  const char* pack = R"yaml(name: p
version: "1"
rules:
  - {id: C, section: s, outcome: escalate, why: w, when: purpose == vfx and purpose == ideation}
  - {id: D, section: s, outcome: escalate, why: w, when: "any(pipeline, trains_on_data == yes) and all(pipeline, trains_on_data == no)"}
  - {id: E, section: s, outcome: escalate, why: w, when: inputs has script or true}
  - {id: F, section: s, outcome: escalate, why: w, when: "any(pipeline, trains_on_data == yes) and any(pipeline, trains_on_data == no)"}
)yaml";
  std::vector<std::string> got = messages(lint_pack(pack, "p.yaml"));
  ASSERT_EQ(got.size(), 3U) << testing::PrintToString(got);
  EXPECT_EQ(got[0],
            "4 C: can never fire: no declaration makes `purpose == vfx and purpose == ideation` "
            "true");
  EXPECT_EQ(got[1],
            "5 D: can never fire: no declaration makes `any(pipeline, trains_on_data == yes) and "
            "all(pipeline, trains_on_data == no)` true");
  EXPECT_EQ(got[2],
            "6 E: always fires: `inputs has script or true` is true for every declaration; "
            "write `true`");
  // F needs two stages that disagree, which the search covers: no finding.
}

TEST(PolicyLintTest, ReportsMalformedAndTooDeepPacksWithoutCrashing) {
  std::string deep =
      "name: p\nversion: \"1\"\nrules:\n  - {id: A, section: s, outcome: notify, why: w, when: " +
      std::string(100'000, '[') + "\n";
  std::vector<std::string> got = messages(lint_pack(deep, "p.yaml"));
  ASSERT_EQ(got.size(), 1U) << testing::PrintToString(got);
  EXPECT_EQ(got[0].rfind("4 : rules[0].when[0][0]", 0), 0U) << got[0];
  EXPECT_NE(got[0].find(": nested too deeply (more than 64 levels)"), std::string::npos) << got[0];

  std::string twice =
      "name: p\nversion: \"1\"\nrules:\n  - {id: A, section: s, outcome: notify, why: w, "
      "when: \"true\", why: again}\n";
  got = messages(lint_pack(twice, "p.yaml"));
  ASSERT_EQ(got.size(), 1U) << testing::PrintToString(got);
  EXPECT_EQ(got[0], "4 : rules[0].why: field given twice");
}

TEST(PolicyLintTest, ReportsFieldsNoRuleReadsUnlessMarkedInformational) {
  std::string pack = R"yaml(name: p
version: "1"
informational:
  media: the medium changes nothing
rules:
  - id: A
    section: s
    outcome: escalate
    why: w
    when: output.in_final == yes or any(pipeline, trains_on_data == yes)
    also:
      - {when: talent.deceased == yes, why: x}
)yaml";
  std::vector<std::string> got = messages(lint_pack(pack, "p.yaml"), true);
  std::vector<std::string> unread;
  for (const auto& field : domain::declaration_fields()) {
    if (field.kind != domain::FieldKind::kText) {
      unread.emplace_back(field.path);
    }
  }
  std::erase_if(unread, [](const std::string& f) {
    return f == "media" || f == "output.in_final" || f == "talent.deceased";
  });
  ASSERT_EQ(got.size(), unread.size()) << testing::PrintToString(got);
  EXPECT_EQ(got[0],
            "0 : `purpose` is read by no rule; read it, or mark it informational with "
            "the reason");
  for (const std::string& message : got) {
    EXPECT_EQ(message.find("`media`"), std::string::npos) << message;
    EXPECT_EQ(message.find("`output.in_final`"), std::string::npos) << message;
    EXPECT_EQ(message.find("`talent.deceased`"), std::string::npos) << message;
  }
}

TEST(PolicyLintTest, TheDefaultPackIsClean) {
  std::ifstream in(std::string(CLEARCUT_SOURCE_DIR) + "/policies/netflix-genai.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::vector<LintFinding> findings = lint_pack(text.str(), "netflix-genai.yaml");
  EXPECT_TRUE(findings.empty()) << testing::PrintToString(messages(findings, true));
}

}  // namespace
}  // namespace clearcut::policy
