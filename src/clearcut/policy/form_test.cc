// The declaration form's questions (issue #17): the pack's wording and branching, read strictly;
// moot, implied and open questions and levers on the default pack.
#include "clearcut/policy/form.h"

#include <algorithm>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/domain/declaration_reader.h"
#include "clearcut/policy/engine.h"

namespace clearcut::policy {
namespace {

const std::string kPack = std::string(CLEARCUT_SOURCE_DIR) + "/policies/netflix-genai.yaml";

const std::string kRules =
    "rules:\n  - {id: R, section: s, outcome: escalate, why: w, when: talent.alteration == "
    "significant}\n";

std::string pack_error(const std::string& text) {
  auto pack = PolicyPack::parse("name: p\nversion: '1'\n" + text + kRules, "pack.yaml");
  EXPECT_FALSE(pack.has_value()) << text;
  return pack.has_value() ? "" : pack.error().to_string();
}

TEST(FormQuestionsTest, PackReadsWordingAndBranching) {
  auto pack = PolicyPack::parse(
      "name: p\nversion: '1'\n"
      "actions: {legal_review: Legal signs.}\n"
      "questions:\n"
      "  talent.likeness: {ask: A performer?, help: Face or voice.}\n"
      "  talent.alteration: {ask: Altered?, ask_when: talent.likeness != no, otherwise: none}\n"
      "  training.on: {ask: On?, ask_when: training.trains_model != no, otherwise: []}\n"
      "  talent.replaces_union_work: {ask: Union?, ask_when: talent.likeness, otherwise: no}\n"
      "  pipeline[].trains_on_data: {ask: Trains?}\n" +
          kRules,
      "pack.yaml");
  ASSERT_TRUE(pack.has_value()) << pack.error().to_string();
  EXPECT_EQ(pack->action_text(Action::kLegalReview), "Legal signs.");
  EXPECT_EQ(pack->action_text(Action::kNotifyContact), "");
  ASSERT_EQ(pack->questions().size(), 5U);
  const Question* alteration = pack->find_question("talent.alteration");
  ASSERT_NE(alteration, nullptr);
  EXPECT_EQ(alteration->ask, "Altered?");
  EXPECT_EQ(alteration->otherwise_scalar, 0);  // none is the vocabulary's first word
  EXPECT_EQ(pack->find_question("training.on")->otherwise_list, 0U);
  EXPECT_EQ(pack->find_question("talent.replaces_union_work")->otherwise_scalar, domain::kNo);
  EXPECT_EQ(pack->find_question("talent.likeness")->help, "Face or voice.");
  EXPECT_NE(pack->find_question("pipeline[].trains_on_data"), nullptr);
  // The wording is part of the pack, so of its digest; a pack without it keeps its digest.
  auto plain = PolicyPack::parse("name: p\nversion: '1'\n" + kRules, "pack.yaml");
  ASSERT_TRUE(plain.has_value());
  EXPECT_NE(plain->digest(), pack->digest());
  EXPECT_EQ(plain->canonical_json().find("questions"), std::string::npos);
  EXPECT_NE(pack->canonical_json().find("\"ask_when\":\"not talent.likeness == no\""),
            std::string::npos)
      << pack->canonical_json();
}

TEST(FormQuestionsTest, BadQuestionsAreErrorsWithTheirPlace) {
  EXPECT_EQ(pack_error("questions:\n  talent.alive: {ask: x}\n"),
            "pack.yaml:4:17: questions.talent.alive: not a declaration field (or "
            "pipeline[].<stage field>)");
  EXPECT_EQ(pack_error("questions:\n  talent.likeness: {help: x}\n"),
            "pack.yaml:4:20: questions.talent.likeness.ask: missing; say how the form asks for "
            "the field");
  EXPECT_EQ(pack_error("questions:\n  talent.alteration: {ask: x, otherwise: none}\n"),
            "pack.yaml:4:42: questions.talent.alteration.otherwise: an answer follows only when "
            "the question is not asked: give ask_when");
  EXPECT_EQ(pack_error("questions:\n  talent.alteration: {ask: x, ask_when: talent.likeness, "
                       "otherwise: total}\n"),
            "pack.yaml:4:69: questions.talent.alteration.otherwise: expected one of none, "
            "customary or significant, got 'total'");
  EXPECT_EQ(pack_error("questions:\n  talent.likeness: {ask: x, ask_when: talent.real_person, "
                       "otherwise: unsure}\n"),
            "pack.yaml:4:70: questions.talent.likeness.otherwise: expected yes or no: an answer "
            "that follows is never unsure");
  EXPECT_EQ(pack_error("questions:\n  training.on: {ask: x, ask_when: talent.likeness, "
                       "otherwise: [none]}\n"),
            "pack.yaml:4:64: questions.training.on.otherwise[0]: expected one of "
            "performer_material, third_party_art or studio_material");
  EXPECT_EQ(pack_error("questions:\n  pipeline[].trains_on_data: {ask: x, ask_when: "
                       "talent.likeness}\n"),
            "pack.yaml:4:49: questions.pipeline[].trains_on_data.ask_when: only a declaration "
            "field that rules can read is asked conditionally");
  EXPECT_EQ(pack_error("questions:\n  talent.likeness: {ask: x, ask_when: talent.alive}\n"),
            "pack.yaml:4:39: questions.talent.likeness.ask_when: condition: at column 1: unknown "
            "field 'talent.alive'");
  EXPECT_EQ(pack_error("actions: {sign_here: x}\n"),
            "pack.yaml:3:22: actions.sign_here: not an action (POLICY.md §2 lists them)");
}

class FormTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pack = PolicyPack::load_file(kPack);
    ASSERT_TRUE(pack.has_value()) << pack.error().to_string();
    engine_ = std::make_unique<Engine>(std::make_shared<const PolicyPack>(std::move(pack).value()));
  }

  domain::Declaration read(const std::string& yaml) {
    auto d = domain::parse_declaration("schema: clearcut/v1\n" + yaml, "d.yaml");
    EXPECT_TRUE(d.has_value()) << d.error().to_string();
    return d.has_value() ? std::move(d).value() : domain::Declaration{};
  }

  static bool has(const std::vector<std::string>& list, const std::string& field) {
    return std::find(list.begin(), list.end(), field) != list.end();
  }

  std::unique_ptr<Engine> engine_;
};

// What a producer answers for a mood board when the form asks only what matters.
const char kMoodBoard[] = R"(summary: Mood board for the dormitory set
purpose: ideation
media: [image]
pipeline:
  - name: studio image tool
    enterprise_agreement: yes
    trains_on_data: no
    retains_data: no
    terms_reviewed: yes
inputs: [own_material]
references: [none]
training: {trains_model: no}
output:
  in_final: no
  on_screen_element: none
  could_be_mistaken_for_real: no
  factual_content: no
  public: no
talent: {likeness: no, real_person: no, replaces_union_work: no}
principles:
  p1_no_infringement: yes
  p2_no_training_on_production_data: yes
  p3_enterprise_environment: yes
  p4_temporary_not_final: yes
  p5_no_talent_replacement_without_consent: yes
)";

TEST_F(FormTest, AMoodBoardAnsweredSensiblyIsANotificationWithNothingLeft) {
  domain::Declaration d = read(kMoodBoard);
  // Without the form's implied answers, the replica and training questions stay unknown.
  EXPECT_EQ(engine_->evaluate(d).outcome, Outcome::kEscalate);

  Decision decision;
  FormView view = complete_form(*engine_, &d, &decision);
  EXPECT_EQ(decision.outcome, Outcome::kNotify);
  EXPECT_TRUE(view.open.empty()) << nlohmann::json(view.open).dump();
  EXPECT_TRUE(view.levers.empty());
  // No performer: no replica, no replica use (which follows from that), no alteration.
  nlohmann::json implied = nlohmann::json::parse(form_json(view))["implied"];
  EXPECT_EQ(implied, nlohmann::json::parse(R"({"talent.digital_replica": "none",
      "talent.replica_use": "none", "talent.alteration": "none",
      "talent.performer_model_outside_scope": "no", "training.on": []})"));
  // Not in the final, no element on screen, no real person: the rules that read these are
  // already settled.
  for (const char* moot :
       {"output.prominence", "output.story_relevant", "output.human_authored_final",
        "output.key_creative_element", "talent.deceased", "talent.consent_documented",
        "training.rights_cleared", "talent.digital_replica"}) {
    EXPECT_TRUE(has(view.moot, moot)) << moot;
  }
  // An answered question stays on the form; a field no rule reads is never moot.
  EXPECT_FALSE(has(view.moot, "output.in_final"));
  EXPECT_FALSE(has(view.moot, "media"));
}

TEST_F(FormTest, TheEmptyFormAsksTheQuestionsThatDecideAndHidesTheRest) {
  domain::Declaration d = read("summary: x\n");
  Decision decision;
  FormView view = complete_form(*engine_, &d, &decision);
  EXPECT_EQ(decision.outcome, Outcome::kEscalate);
  EXPECT_TRUE(has(view.open, "talent.likeness"));
  EXPECT_TRUE(has(view.open, "principles.p3_enterprise_environment"));
  EXPECT_TRUE(has(view.open, "talent.digital_replica"));
  EXPECT_TRUE(view.implied.empty());
  // Fields read under stated() are asked too: "released to the public" would need approval.
  EXPECT_TRUE(has(view.open, "output.public"));
  // One answer cannot settle everything that is unknown, so no lever yet.
  EXPECT_TRUE(view.levers.empty());
}

TEST_F(FormTest, APerformerBringsTheReplicaQuestionsBack) {
  std::string text = kMoodBoard;
  domain::Declaration d = read(text.replace(text.find("likeness: no"), 12, "likeness: yes"));
  Decision decision;
  FormView view = complete_form(*engine_, &d, &decision);
  EXPECT_TRUE(has(view.open, "talent.digital_replica"));
  EXPECT_TRUE(has(view.open, "talent.alteration"));
  EXPECT_FALSE(has(view.moot, "talent.digital_replica"));
  EXPECT_TRUE(has(view.open, "talent.replica_use"));       // until the replica question is answered
  EXPECT_EQ(decision.outcome, Outcome::kWrittenApproval);  // TRIG-LIKENESS

  // A replica made now, not an existing one used: how one is used does not arise.
  text.replace(text.find("likeness: yes"), 13, "likeness: yes, digital_replica: create");
  d = read(text);
  view = complete_form(*engine_, &d, &decision);
  EXPECT_TRUE(has(view.moot, "talent.replica_use"));
  EXPECT_FALSE(has(view.open, "talent.digital_replica"));
  EXPECT_EQ(view.implied, (std::vector<std::pair<std::string, std::string>>{
                              {"training.on", "[]"}, {"talent.replica_use", R"("none")"}}));
}

TEST_F(FormTest, LeversNameTheAnswerOrChoiceThatLowersTheOutcome) {
  // Everything answered but principle 3, with personal data going into the tools.
  std::string text = kMoodBoard;
  text.replace(text.find("  p3_enterprise_environment: yes\n"), 33, "");
  text.replace(text.find("[own_material]"), 14, "[own_material, personal_data]");
  domain::Declaration d = read(text);
  Decision decision;
  FormView view = complete_form(*engine_, &d, &decision);
  EXPECT_EQ(decision.outcome, Outcome::kWrittenApproval);  // TRIG-PERSONAL
  EXPECT_EQ(view.open, std::vector<std::string>{"principles.p3_enterprise_environment"});
  // Leaving personal data out lowers it to escalate (p3 is still open); answering p3 alone does
  // not lower a written approval.
  ASSERT_EQ(view.levers.size(), 1U) << form_json(view);
  EXPECT_EQ(view.levers[0].field, "inputs");
  EXPECT_EQ(view.levers[0].removes, "personal_data");
  EXPECT_EQ(view.levers[0].value_json, R"(["own_material"])");
  EXPECT_EQ(view.levers[0].outcome, Outcome::kEscalate);

  // Without personal data, answering p3 is what lowers it, and to a notification.
  text.replace(text.find("[own_material, personal_data]"), 29, "[own_material]");
  domain::Declaration without = read(text);
  FormView second = complete_form(*engine_, &without, &decision);
  EXPECT_EQ(decision.outcome, Outcome::kEscalate);
  ASSERT_EQ(second.levers.size(), 1U) << form_json(second);
  EXPECT_EQ(second.levers[0].field, "principles.p3_enterprise_environment");
  EXPECT_EQ(second.levers[0].value_json, R"("yes")");
  EXPECT_EQ(second.levers[0].outcome, Outcome::kNotify);
}

}  // namespace
}  // namespace clearcut::policy
