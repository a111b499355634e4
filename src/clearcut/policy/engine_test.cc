#include "clearcut/policy/engine.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/domain/declaration_reader.h"
#include "clearcut/domain/tool_registry.h"
#include "clearcut/policy/decision_view.h"

namespace clearcut::policy {
namespace {

const std::string kPolicies = std::string(CLEARCUT_SOURCE_DIR) + "/policies/";
const std::string kExamples = std::string(CLEARCUT_SOURCE_DIR) + "/examples/";

std::shared_ptr<const PolicyPack> default_pack() {
  static auto pack = [] {
    auto p = PolicyPack::load_file(kPolicies + "netflix-genai.yaml");
    EXPECT_TRUE(p.has_value()) << p.error().to_string();
    return std::make_shared<const PolicyPack>(std::move(p).value());
  }();
  return pack;
}

// The day these tests are assessed on: the registry's review above is in date.
constexpr domain::ReviewPeriod kPeriod{
    12, std::chrono::sys_days(std::chrono::year(2026) / std::chrono::December / 1)};

domain::ToolRegistry default_registry() {
  auto text = std::string(
      "tools:\n  - {id: imagegen-pro, enterprise_agreement: yes, trains_on_data: no, "
      "retains_data: no, terms_reviewed: yes, reviewed_on: '2026-10-01'}\n");
  return *domain::parse_tool_registry(text, "tools.yaml");
}

DecisionView assess(const std::string& file) {
  auto d = domain::read_declaration_file(file);
  EXPECT_TRUE(d.has_value()) << d.error().to_string();
  EXPECT_TRUE(domain::apply_registry(default_registry(), kPeriod, &*d).has_value());
  Engine engine(default_pack());
  return explain(engine.pack(), *d, engine.evaluate(*d));
}

std::vector<std::string> ids(const DecisionView& view, bool unknown) {
  std::vector<std::string> out;
  for (const RuleView& r : view.rules) {
    if (r.unknown == unknown) {
      out.push_back(r.id);
    }
  }
  return out;
}

TEST(EngineTest, SecondDollNeedsWrittenApprovalForTheRightReasons) {
  DecisionView view = assess(kExamples + "second-doll.yaml");
  EXPECT_EQ(view.outcome, Outcome::kWrittenApproval);
  std::vector<std::string> fired = ids(view, false);
  for (const char* id :
       {"BASE-1", "TRIG-FINAL", "PRIN-4", "CREA-1", "FIN-2", "VEND-1", "MATRIX-3"}) {
    EXPECT_NE(std::find(fired.begin(), fired.end(), id), fired.end()) << id;
  }
  // FIN-2 says why: the output is final and prominent.
  auto fin2 = std::find_if(view.rules.begin(), view.rules.end(),
                           [](const RuleView& r) { return r.id == "FIN-2"; });
  ASSERT_NE(fin2, view.rules.end());
  ASSERT_EQ(fin2->facts.size(), 2U);
  EXPECT_EQ(fin2->facts[0].field, "output.in_final");
  EXPECT_EQ(fin2->facts[1].field, "output.prominence");
  EXPECT_EQ(fin2->facts[1].value, "prominent");
  EXPECT_EQ(view.policy_name, "netflix-genai");
  EXPECT_EQ(view.policy_digest, default_pack()->digest());
}

TEST(EngineTest, MoodBoardIsNotify) {
  DecisionView view = assess(kExamples + "mood-board.yaml");
  EXPECT_EQ(view.outcome, Outcome::kNotify);
  EXPECT_TRUE(view.unknown.empty());
  EXPECT_EQ(ids(view, false), (std::vector<std::string>{"BASE-1", "MATRIX-1"}));
}

TEST(EngineTest, UnknownEscalatesNeverHigherAndListsTheFacts) {
  auto d = domain::parse_declaration("schema: clearcut/v1\noutput: {in_final: unsure}\n", "d");
  ASSERT_TRUE(d.has_value());
  Engine engine(default_pack());
  Decision decision = engine.evaluate(*d);
  DecisionView view = explain(engine.pack(), *d, decision);
  EXPECT_EQ(view.outcome, Outcome::kEscalate);
  auto trig = std::find_if(view.rules.begin(), view.rules.end(),
                           [](const RuleView& r) { return r.id == "TRIG-FINAL"; });
  ASSERT_NE(trig, view.rules.end());
  EXPECT_TRUE(trig->unknown);
  EXPECT_EQ(trig->outcome, Outcome::kEscalate);
  EXPECT_NE(std::find(view.unknown.begin(), view.unknown.end(), "output.in_final"),
            view.unknown.end());
  // Unknown rules ask the contact; their own actions wait until the facts are known.
  EXPECT_FALSE(decision.has_action(Action::kLegalReview));
  EXPECT_TRUE(decision.has_action(Action::kNotifyContact));
}

TEST(EngineTest, NamesTheFailingStage) {
  auto d = domain::parse_declaration(R"(schema: clearcut/v1
pipeline:
  - tool: imagegen-pro
  - name: cheap upscaler
    enterprise_agreement: no
    trains_on_data: yes
    retains_data: yes
    terms_reviewed: no
)",
                                     "d.yaml");
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(domain::apply_registry(default_registry(), kPeriod, &*d).has_value());
  Engine engine(default_pack());
  DecisionView view = explain(engine.pack(), *d, engine.evaluate(*d));
  auto conf3 = std::find_if(view.rules.begin(), view.rules.end(),
                            [](const RuleView& r) { return r.id == "CONF-3"; });
  ASSERT_NE(conf3, view.rules.end());
  ASSERT_FALSE(conf3->facts.empty());
  EXPECT_EQ(conf3->facts[0].field, "pipeline[1].trains_on_data");
  EXPECT_EQ(conf3->facts[0].stage, "cheap upscaler");
}

// VEND-2 (issue #14) says which stage and tool: the facts that made it fire are the second
// stage's, named by the registry's tool id.
TEST(EngineTest, Vend2NamesTheStageAndTheTool) {
  auto registry = domain::parse_tool_registry(
      "tools:\n  - {id: licensed-gen, training_data: licensed, indemnified: no, reviewed_on: "
      "'2026-10-01'}\n  - {id: scraped-gen, training_data: unknown, indemnified: no, reviewed_on: "
      "'2026-10-01'}\n",
      "tools.yaml");
  ASSERT_TRUE(registry.has_value()) << registry.error().to_string();
  auto d = domain::parse_declaration(
      "schema: clearcut/v1\noutput: {in_final: yes}\npipeline:\n  - tool: licensed-gen\n"
      "  - tool: scraped-gen\n",
      "d.yaml");
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(domain::apply_registry(*registry, kPeriod, &*d).has_value());
  Engine engine(default_pack());
  DecisionView view = explain(engine.pack(), *d, engine.evaluate(*d));
  auto vend2 = std::find_if(view.rules.begin(), view.rules.end(),
                            [](const RuleView& r) { return r.id == "VEND-2"; });
  ASSERT_NE(vend2, view.rules.end());
  EXPECT_FALSE(vend2->unknown);
  EXPECT_NE(std::find(vend2->actions.begin(), vend2->actions.end(), "rights_clearance"),
            vend2->actions.end());
  bool names_stage = false;
  for (const FactView& fact : vend2->facts) {
    names_stage = names_stage || (fact.field == "pipeline[1].training_data" &&
                                  fact.value == "unknown" && fact.stage == "scraped-gen");
  }
  EXPECT_TRUE(names_stage);
}

TEST(EngineTest, ReusedDecisionGivesTheSameAnswer) {
  Engine engine(default_pack());
  auto a = domain::read_declaration_file(kExamples + "second-doll.yaml");
  auto b = domain::read_declaration_file(kExamples + "mood-board.yaml");
  ASSERT_TRUE(a.has_value() && b.has_value());
  ASSERT_TRUE(domain::apply_registry(default_registry(), kPeriod, &*a).has_value());
  ASSERT_TRUE(domain::apply_registry(default_registry(), kPeriod, &*b).has_value());
  Decision reused;
  engine.evaluate(*a, &reused);
  engine.evaluate(*b, &reused);
  Decision fresh = engine.evaluate(*b);
  EXPECT_EQ(reused.outcome, fresh.outcome);
  EXPECT_EQ(reused.actions, fresh.actions);
  EXPECT_EQ(reused.hits.size(), fresh.hits.size());
  EXPECT_EQ(reused.facts, fresh.facts);
}

// A small pack for the engine-level additions of POLICY.md §6.
std::shared_ptr<const PolicyPack> pack_of(const std::string& rules) {
  auto p = PolicyPack::parse("name: p\nversion: '1'\nrules:\n" + rules, "p.yaml");
  EXPECT_TRUE(p.has_value()) << p.error().to_string();
  return std::make_shared<const PolicyPack>(std::move(p).value());
}

DecisionView assess_text(const std::shared_ptr<const PolicyPack>& pack, const std::string& yaml) {
  auto d = domain::parse_declaration("schema: clearcut/v1\n" + yaml, "d.yaml");
  EXPECT_TRUE(d.has_value()) << d.error().to_string();
  Engine engine(pack);
  return explain(engine.pack(), *d, engine.evaluate(*d));
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(EngineTest, WrittenApprovalAlwaysCarriesLegalReview) {
  auto pack = pack_of(
      "  - {id: LOW, section: s, outcome: escalate, actions: [rights_clearance], why: w,\n"
      "     when: 'true'}\n"
      "  - {id: HIGH, section: s, outcome: written_approval, actions: [guild_compliance],\n"
      "     why: w, when: talent.replaces_union_work}\n");
  DecisionView high = assess_text(pack, "talent: {replaces_union_work: yes}");
  EXPECT_EQ(high.outcome, Outcome::kWrittenApproval);
  EXPECT_TRUE(has(high.actions, "legal_review"));
  EXPECT_TRUE(has(high.rules[1].actions, "legal_review"));
  DecisionView low = assess_text(pack, "talent: {replaces_union_work: no}");
  EXPECT_EQ(low.outcome, Outcome::kEscalate);
  EXPECT_FALSE(has(low.actions, "legal_review"));
}

TEST(EngineTest, ConditionalActionsNameTheRuleItsActionsAndTheOpenFacts) {
  auto pack = pack_of(
      "  - {id: R, section: s, outcome: written_approval, actions: [talent_consent], why: w,\n"
      "     when: 'stated(talent.real_person) and talent.real_person'}\n");
  DecisionView view = assess_text(pack, "talent: {real_person: unsure}");
  EXPECT_EQ(view.outcome, Outcome::kEscalate);
  EXPECT_FALSE(has(view.actions, "talent_consent"));
  ASSERT_EQ(view.conditional_actions.size(), 1U);
  EXPECT_EQ(view.conditional_actions[0].rule, "R");
  EXPECT_EQ(view.conditional_actions[0].actions,
            (std::vector<std::string>{"legal_review", "talent_consent"}));
  EXPECT_EQ(view.conditional_actions[0].unknown, (std::vector<std::string>{"talent.real_person"}));
  EXPECT_NE(
      to_json(view).find(R"("conditional_actions":[{"actions":["legal_review",)"
                         R"("talent_consent"],"rule":"R","unknown":["talent.real_person"]}])"),
      std::string::npos)
      << to_json(view);
  // Not stated: the rule is false, not an open question.
  EXPECT_TRUE(assess_text(pack, "").conditional_actions.empty());
  EXPECT_TRUE(assess_text(pack, "talent: {real_person: yes}").conditional_actions.empty());
}

TEST(EngineTest, HeadlineNamesTheStrictestReasonNeverALowerRule) {
  auto pack = pack_of(
      "  - {id: LOW, section: s, outcome: notify, why: Ideation is low risk., when: 'true'}\n"
      "  - {id: OPEN, section: s, outcome: written_approval, why: Open., "
      "when: 'output.story_relevant'}\n"
      "  - {id: HIGH, section: s, outcome: written_approval, why: It is final., "
      "when: 'output.in_final'}\n");
  DecisionView high = assess_text(pack, "output: {in_final: yes}");
  EXPECT_EQ(high.headline, "Written approval is required before proceeding: It is final (HIGH).");
  DecisionView open = assess_text(pack, "output: {in_final: no}");
  EXPECT_EQ(open.headline,
            "Escalate to the studio contact before proceeding: OPEN may apply, and "
            "output.story_relevant is not yet known.");
  DecisionView low = assess_text(pack, "output: {in_final: no, story_relevant: no}");
  EXPECT_EQ(low.headline, "Proceed and notify the studio contact: Ideation is low risk (LOW).");
  EXPECT_NE(to_json(high).find(R"("headline":"Written approval)"), std::string::npos);
}

TEST(EngineTest, AdditionsApplyWhenTrueOrUnlessTrue) {
  auto pack = pack_of(R"(  - id: R
    section: s
    outcome: written_approval
    actions: [talent_consent]
    why: A real person.
    when: talent.real_person
    also:
      - when: talent.deceased
        why: The consent is the estate's.
      - unless: output.could_be_mistaken_for_real == no
        actions: [audience_disclosure]
)");
  DecisionView dead = assess_text(pack, "talent: {real_person: yes, deceased: yes}");
  EXPECT_EQ(dead.rules[0].why, "A real person. The consent is the estate's.");
  EXPECT_TRUE(has(dead.actions, "audience_disclosure"));  // unknown is not `no`
  DecisionView living = assess_text(
      pack,
      "talent: {real_person: yes, deceased: unsure}\noutput: {could_be_mistaken_for_real: no}");
  EXPECT_EQ(living.rules[0].why, "A real person.");
  EXPECT_FALSE(has(living.actions, "audience_disclosure"));
  DecisionView open = assess_text(pack, "talent: {real_person: unsure}");
  ASSERT_EQ(open.conditional_actions.size(), 1U);
  EXPECT_TRUE(has(open.conditional_actions[0].actions, "audience_disclosure"));
}

TEST(PolicyPackTest, AdditionsAndInformationalFieldsAreInTheDigest) {
  const std::string base = "name: p\nversion: '1'\n";
  const std::string rule =
      "rules:\n  - {id: R, section: s, outcome: notify, why: w, when: 'true'}\n";
  auto plain = PolicyPack::parse(base + rule, "a");
  auto marked = PolicyPack::parse(base + "informational: {media: not read}\n" + rule, "b");
  auto also = PolicyPack::parse(
      base +
          "rules:\n  - {id: R, section: s, outcome: notify, why: w, when: 'true',\n"
          "     also: [{when: output.public, why: x}]}\n",
      "c");
  ASSERT_TRUE(plain.has_value() && marked.has_value() && also.has_value());
  EXPECT_NE(plain->digest(), marked->digest());
  EXPECT_NE(plain->digest(), also->digest());
  ASSERT_EQ(marked->informational().size(), 1U);
  EXPECT_EQ(marked->informational()[0].field, "media");
  EXPECT_EQ(marked->informational()[0].reason, "not read");
}

TEST(PolicyPackTest, DigestIgnoresFormattingButNotMeaning) {
  const char* a =
      "name: p\nversion: '1'\nrules:\n  - {id: R, section: s, outcome: notify, "
      "why: w, when: 'output.in_final==yes'}\n";
  const char* b =
      "# a comment\nversion: \"1\"\nname: p\nrules:\n  - id: R\n    why: w\n"
      "    section: s\n    outcome: notify\n    when: output.in_final   ==  yes\n";
  const char* c =
      "name: p\nversion: '1'\nrules:\n  - {id: R, section: s, outcome: escalate, "
      "why: w, when: 'output.in_final==yes'}\n";
  auto pa = PolicyPack::parse(a, "a");
  auto pb = PolicyPack::parse(b, "b");
  auto pc = PolicyPack::parse(c, "c");
  ASSERT_TRUE(pa.has_value() && pb.has_value() && pc.has_value());
  EXPECT_EQ(pa->digest(), pb->digest());
  EXPECT_NE(pa->digest(), pc->digest());
  EXPECT_EQ(pa->digest().size(), 64U);
}

// tool_review_months: 12 unless the pack says; a pack that does not say keeps its digest.
TEST(PolicyPackTest, ToolReviewMonthsDefaultsToAYear) {
  const std::string rules =
      "rules:\n  - {id: R, section: s, outcome: notify, why: w, when: 'true'}\n";
  auto plain = PolicyPack::parse("name: p\nversion: '1'\n" + rules, "a");
  auto twelve = PolicyPack::parse("name: p\nversion: '1'\ntool_review_months: 12\n" + rules, "b");
  auto six = PolicyPack::parse("name: p\nversion: '1'\ntool_review_months: 6\n" + rules, "c");
  ASSERT_TRUE(plain.has_value() && twelve.has_value() && six.has_value());
  EXPECT_EQ(plain->tool_review_months(), 12);
  EXPECT_EQ(twelve->tool_review_months(), 12);
  EXPECT_EQ(six->tool_review_months(), 6);
  EXPECT_EQ(plain->canonical_json().find("tool_review_months"), std::string::npos);
  EXPECT_NE(plain->digest(), six->digest());
  EXPECT_NE(twelve->digest(), six->digest());
}

// Risk categories name the pack's own rules, in the pack's order; a pack without them keeps its
// digest, and every mistake names where it is.
TEST(PolicyPackTest, RiskCategoriesNameThePacksRules) {
  const std::string head = "name: p\nversion: '1'\n";
  const std::string rules =
      "rules:\n  - {id: R, section: s, outcome: notify, why: w, when: 'true'}\n"
      "  - {id: S, section: s, outcome: notify, why: w, when: 'true'}\n";
  auto plain = PolicyPack::parse(head + rules, "a");
  auto with = PolicyPack::parse(head +
                                    "risk_categories:\n  talent: {label: Talent, rules: [R, S]}\n"
                                    "  ip: {label: Third-party IP, rules: [S]}\n" +
                                    rules,
                                "b");
  ASSERT_TRUE(plain.has_value() && with.has_value());
  EXPECT_TRUE(plain->risk_categories().empty());
  EXPECT_EQ(plain->canonical_json().find("risk_categories"), std::string::npos);
  ASSERT_EQ(with->risk_categories().size(), 2U);
  EXPECT_EQ(with->risk_categories()[0].name, "talent");
  EXPECT_EQ(with->risk_categories()[0].label, "Talent");
  EXPECT_EQ(with->risk_categories()[0].rules, (std::vector<std::string>{"R", "S"}));
  EXPECT_EQ(with->risk_categories()[1].name, "ip");
  EXPECT_NE(plain->digest(), with->digest());

  const std::pair<std::string, std::string> bad[] = {
      {"risk_categories:\n  talent: {label: T, rules: [X]}\n", "no rule 'X' in this pack"},
      {"risk_categories:\n  Talent: {label: T, rules: [R]}\n",
       "a category's name is 1 to 40 of a-z, 0-9 and _"},
      {"risk_categories:\n  talent: {rules: [R]}\n", "a category needs a label and rules"},
      {"risk_categories:\n  talent: {label: T, rules: []}\n",
       "expected a non-empty list of rule ids"},
      {"risk_categories:\n  talent: {label: T, rules: [R], colour: red}\n", "colour"},
      {"risk_categories: [talent]\n", "expected a mapping of 1 to 16 categories"},
  };
  for (const auto& [yaml, expected] : bad) {
    auto pack = PolicyPack::parse(head + yaml + rules, "pack.yaml");
    ASSERT_FALSE(pack.has_value()) << yaml;
    EXPECT_NE(pack.error().to_string().find("pack.yaml:"), std::string::npos);
    EXPECT_NE(pack.error().to_string().find("risk_categories"), std::string::npos)
        << pack.error().to_string();
    EXPECT_NE(pack.error().to_string().find(expected), std::string::npos)
        << pack.error().to_string();
  }
}

struct BadPack {
  const char* name;
  const char* text;
  const char* expected;
};

class PolicyPackErrorTest : public testing::TestWithParam<BadPack> {};

TEST_P(PolicyPackErrorTest, NamesWhereAndWhat) {
  auto pack = PolicyPack::parse(GetParam().text, "pack.yaml");
  ASSERT_FALSE(pack.has_value());
  EXPECT_EQ(pack.error().to_string(), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    All, PolicyPackErrorTest,
    testing::Values(
        BadPack{"UnknownFieldInCondition",
                "name: p\nversion: '1'\nrules:\n  - id: R\n    section: s\n    outcome: notify\n"
                "    why: w\n    when: output.final == yes\n",
                "pack.yaml:8:11: rules[0].when: condition: at column 1: unknown field "
                "'output.final' (did you mean 'output.in_final'?)"},
        BadPack{"ReviewMonthsNotAWholeNumber",
                "name: p\nversion: '1'\ntool_review_months: 1.5\nrules:\n  - {id: R, section: s, "
                "outcome: notify, why: w, when: 'true'}\n",
                "pack.yaml:3:21: tool_review_months: expected a whole number of months from 1 to "
                "120, got '1.5'"},
        BadPack{"ReviewMonthsZero",
                "name: p\nversion: '1'\ntool_review_months: 0\nrules:\n  - {id: R, section: s, "
                "outcome: notify, why: w, when: 'true'}\n",
                "pack.yaml:3:21: tool_review_months: expected a whole number of months from 1 to "
                "120, got '0'"},
        BadPack{"UnknownAction",
                "name: p\nversion: '1'\nrules:\n  - {id: R, section: s, outcome: notify, why: w, "
                "when: 'true', actions: [notify_contact, call_lawyer]}\n",
                "pack.yaml:4:90: rules[0].actions[1]: unknown action 'call_lawyer'; expected one "
                "of: notify_contact, legal_review, talent_consent, guild_compliance, "
                "rights_clearance, use_enterprise_tool, review_tool_terms, human_authorship, "
                "audience_disclosure, register_outputs, keep_temporary, talent_qa, "
                "all_party_consent"},
        BadPack{"BadOutcome",
                "name: p\nversion: '1'\nrules:\n  - {id: R, section: s, outcome: block, why: w, "
                "when: 'true'}\n",
                "pack.yaml:4:34: rules[0].outcome: expected notify, escalate or "
                "written_approval, got 'block'"},
        BadPack{"DuplicateId",
                "name: p\nversion: '1'\nrules:\n  - {id: R, section: s, outcome: notify, why: w, "
                "when: 'true'}\n  - {id: R, section: s, outcome: notify, why: w, when: 'true'}\n",
                "pack.yaml:5:10: rules[1].id: duplicate rule id 'R'"},
        BadPack{"MissingWhen",
                "name: p\nversion: '1'\nrules:\n  - {id: R, section: s, outcome: notify, why: w}\n",
                "pack.yaml:4:5: rules[0].when: missing; every rule needs when"},
        BadPack{"NoRules", "name: p\nversion: '1'\nrules: []\n",
                "pack.yaml:3:8: rules: expected a non-empty list of rules"},
        BadPack{"FieldTwiceInRule",
                "name: p\nversion: '1'\nrules:\n  - id: R\n    section: s\n    outcome: notify\n"
                "    why: w\n    when: 'true'\n    outcome: escalate\n",
                "pack.yaml:9:5: rules[0].outcome: field given twice"},
        BadPack{"UnclosedQuote",
                "name: p\nversion: '1'\nrules:\n  - id: R\n    section: s\n    outcome: notify\n"
                "    why: \"w\n    when: 'true'\n",
                "pack.yaml:7:10: malformed YAML: wrongly indented double-quoted scalar (is its "
                "closing quote missing?)"},
        BadPack{"AdditionWithWhenAndUnless",
                "name: p\nversion: '1'\nrules:\n  - {id: R, section: s, outcome: notify, why: w, "
                "when: 'true', also: [{when: 'true', unless: 'true', why: x}]}\n",
                "pack.yaml:4:71: rules[0].also[0]: give either `when` or `unless`"},
        BadPack{"AdditionWithNothingToAdd",
                "name: p\nversion: '1'\nrules:\n  - {id: R, section: s, outcome: notify, why: w, "
                "when: 'true', also: [{when: 'true'}]}\n",
                "pack.yaml:4:71: rules[0].also[0]: an addition needs `actions` or `why`"},
        BadPack{
            "InformationalUnknownField",
            "name: p\nversion: '1'\ninformational: {talent.alive: x}\nrules:\n"
            "  - {id: R, section: s, outcome: notify, why: w, when: 'true'}\n",
            "pack.yaml:3:31: informational.talent.alive: not a declaration field that rules can "
            "read"},
        BadPack{"TwoDocuments", "name: p\nversion: '1'\n---\nrules: []\n",
                "pack.yaml:3:1: a second document; a file holds exactly one (remove `---` or "
                "`...`)"}),
    [](const testing::TestParamInfo<BadPack>& param_info) { return param_info.param.name; });

TEST(PolicyPackTest, AHundredThousandLevelsAreAnErrorNamingWhere) {
  constexpr size_t kLevels = 100'000;
  std::string yaml =
      "name: p\nversion: '1'\nrules:\n  - id: R\n    section: s\n    outcome: notify\n"
      "    why: w\n    when: ";
  std::string json = R"({"name": "p", "version": "1", "rules": )";
  for (size_t i = 0; i < kLevels; ++i) {
    yaml += "[";
    json += "[";
  }
  yaml += std::string(kLevels, ']') + "\n";
  json += std::string(kLevels, ']') + "}";
  std::string levels;
  for (int i = 0; i < 61; ++i) {
    levels += "[0]";
  }
  auto from_yaml = PolicyPack::parse(yaml, "deep.yaml");
  ASSERT_FALSE(from_yaml.has_value());
  EXPECT_EQ(from_yaml.error().to_string(),
            "deep.yaml:8:72: rules[0].when" + levels + ": nested too deeply (more than 64 levels)");
  auto from_json = PolicyPack::parse(json, "deep.json");
  ASSERT_FALSE(from_json.has_value());
  EXPECT_EQ(from_json.error().to_string(), "deep.json:1:103: rules" + levels + "[0][0]" +
                                               ": nested too deeply (more than 64 levels)");
}

}  // namespace
}  // namespace clearcut::policy
