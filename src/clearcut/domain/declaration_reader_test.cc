#include "clearcut/domain/declaration_reader.h"

#include <chrono>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/domain/declaration_writer.h"
#include "clearcut/domain/internal/yaml_document.h"
#include "clearcut/domain/tool_registry.h"
#include "clearcut/domain/validation.h"

namespace clearcut::domain {
namespace {

int8_t scalar(const Declaration& d, std::string_view path) {
  return d.scalars[find_field(FieldScope::kDeclaration, path)->slot];
}

const std::string kExamples = std::string(CLEARCUT_SOURCE_DIR) + "/examples/";

TEST(DeclarationReaderTest, ReadsTheContractExample) {
  auto d = read_declaration_file(kExamples + "second-doll.yaml");
  ASSERT_TRUE(d.has_value()) << d.error().to_string();
  EXPECT_EQ(d->production, "squid-game-s3");
  EXPECT_EQ(scalar(*d, "purpose"),
            *vocabulary_index(*find_field(FieldScope::kDeclaration, "purpose"), "final_asset"));
  EXPECT_EQ(scalar(*d, "output.in_final"), kYes);
  EXPECT_EQ(scalar(*d, "output.human_authored_final"), kUnsure);
  EXPECT_EQ(scalar(*d, "principles.p4_temporary_not_final"), kNo);
  ASSERT_EQ(d->pipeline.size(), 2U);
  EXPECT_EQ(d->pipeline[0].tool, "imagegen-pro");
  EXPECT_EQ(d->pipeline[1].name, "in-house upscaler");
  EXPECT_EQ(d->pipeline[1].scalars[0], kYes);
  const FieldSpec* references = find_field(FieldScope::kDeclaration, "references");
  EXPECT_TRUE(d->list_known(references->slot));
  EXPECT_EQ(d->lists[references->slot], 0U);  // [none] is known and empty
  const FieldSpec* training_on = find_field(FieldScope::kDeclaration, "training.on");
  EXPECT_TRUE(d->list_known(training_on->slot));
}

TEST(DeclarationReaderTest, JsonAndYamlReadAlike) {
  const char* yaml = "schema: clearcut/v1\noutput:\n  in_final: yes\ninputs: [script]\n";
  const char* json = R"({"schema": "clearcut/v1", "output": {"in_final": true},
                         "inputs": ["script"]})";
  auto a = parse_declaration(yaml, "a.yaml");
  auto b = parse_declaration(json, "b.json");
  ASSERT_TRUE(a.has_value()) << a.error().to_string();
  ASSERT_TRUE(b.has_value()) << b.error().to_string();
  EXPECT_EQ(a->scalars, b->scalars);
  EXPECT_EQ(a->lists, b->lists);
  EXPECT_EQ(a->lists_known, b->lists_known);
}

TEST(DeclarationReaderTest, AbsentIsUnknown) {
  auto d = parse_declaration("schema: clearcut/v1\n", "min.yaml");
  ASSERT_TRUE(d.has_value());
  for (int8_t v : d->scalars) {
    EXPECT_EQ(v, kAbsent);
  }
  EXPECT_EQ(d->lists_known, 0);
  EXPECT_FALSE(d->pipeline_known);
}

// The fields of pack 2026.12 (POLICY.md §6) are optional: an older declaration leaves them
// absent, which is not the same as `unsure`.
TEST(DeclarationReaderTest, ReadsTheRealPersonAndPublicFields) {
  auto d = parse_declaration(
      "schema: clearcut/v1\ntalent: {real_person: unsure, deceased: yes}\noutput: {public: no}\n",
      "new.yaml");
  ASSERT_TRUE(d.has_value()) << d.error().to_string();
  EXPECT_EQ(scalar(*d, "talent.real_person"), kUnsure);
  EXPECT_EQ(scalar(*d, "talent.deceased"), kYes);
  EXPECT_EQ(scalar(*d, "output.public"), kNo);
  auto old = read_declaration_file(kExamples + "second-doll.yaml");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(scalar(*old, "talent.real_person"), kAbsent);
  EXPECT_EQ(scalar(*old, "talent.deceased"), kAbsent);
  EXPECT_EQ(scalar(*old, "output.public"), kAbsent);
}

struct BadInput {
  const char* name;
  const char* text;
  const char* expected;  // the whole error as printed: file:line:col: field: message
};

class DeclarationReaderErrorTest : public testing::TestWithParam<BadInput> {};

TEST_P(DeclarationReaderErrorTest, NamesFileLineFieldAndExpectation) {
  auto d = parse_declaration(GetParam().text, "bad.yaml");
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(d.error().to_string(), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    AllKinds, DeclarationReaderErrorTest,
    testing::Values(
        BadInput{"UnknownField", "schema: clearcut/v1\noutput:\n  in_fnal: yes\n",
                 "bad.yaml:3:3: output.in_fnal: unknown field (did you mean 'in_final'?); "
                 "expected one of: in_final, prominence, story_relevant, key_creative_element, "
                 "on_screen_element, could_be_mistaken_for_real, factual_content, "
                 "human_authored_final, public"},
        BadInput{"UnknownTopLevel", "schema: clearcut/v1\nbudget: 3\n",
                 "bad.yaml:2:1: budget: unknown field; expected one of: schema, production, "
                 "summary, purpose, media, pipeline, inputs, references, training, output, "
                 "talent, principles"},
        BadInput{"OutsideVocabulary", "schema: clearcut/v1\npurpose: fun\n",
                 "bad.yaml:2:10: purpose: expected ideation, reference, previs, temp_media, "
                 "localization, marketing, vfx, final_asset, training or other, got 'fun'"},
        BadInput{"TriStateWord", "schema: clearcut/v1\noutput:\n  in_final: maybe\n",
                 "bad.yaml:3:13: output.in_final: expected yes, no or unsure (or true/false), "
                 "got 'maybe'"},
        BadInput{"WrongTypeList", "schema: clearcut/v1\ninputs: script\n",
                 "bad.yaml:2:9: inputs: expected a list of studio_unreleased, script, "
                 "production_image, personal_data, talent_likeness, contract, third_party_ip, "
                 "licensed_stock, public_domain or own_material (or [none])"},
        BadInput{"WrongTypeSection", "schema: clearcut/v1\noutput: yes\n",
                 "bad.yaml:2:9: output: expected a mapping of fields"},
        BadInput{"ListItem", "schema: clearcut/v1\nmedia: [image, hologram]\n",
                 "bad.yaml:2:16: media[1]: expected image, video, audio or text, got "
                 "'hologram'"},
        BadInput{"NoneWithOthers", "schema: clearcut/v1\nreferences: [none, public_figure]\n",
                 "bad.yaml:2:13: references: 'none' cannot be listed with other values"},
        BadInput{"WrongSchema", "schema: clearcut/v2\n",
                 "bad.yaml:1:9: schema: expected clearcut/v1, got 'clearcut/v2'"},
        BadInput{"MissingSchema", "purpose: vfx\n",
                 "bad.yaml:1:1: schema: missing; a declaration starts with `schema: "
                 "clearcut/v1`"},
        BadInput{"DuplicateField", "schema: clearcut/v1\npurpose: vfx\npurpose: vfx\n",
                 "bad.yaml:3:1: purpose: field given twice"},
        BadInput{"StageWithoutTool", "schema: clearcut/v1\npipeline:\n  - trains_on_data: no\n",
                 "bad.yaml:3:5: pipeline[0]: a stage needs a `tool` id from the registry or a "
                 "`name` with its facts"},
        BadInput{"StageField", "schema: clearcut/v1\npipeline:\n  - name: x\n    trains: no\n",
                 "bad.yaml:4:5: pipeline[0].trains: unknown field; expected one of: tool, name, "
                 "enterprise_agreement, trains_on_data, retains_data, terms_reviewed, "
                 "training_data, indemnified"},
        BadInput{"MalformedYaml", "schema: clearcut/v1\noutput: [in_final: yes\n",
                 "bad.yaml:3:1: malformed YAML: flow sequence without a closing bracket"},
        BadInput{"MalformedJson", "{\"schema\": \"clearcut/v1\",\n \"purpose\": }\n}",
                 "bad.yaml:2:13: malformed JSON: JSON does not allow empty values in a mapping"},
        BadInput{"UnterminatedQuote",
                 "schema: clearcut/v1\nsummary: \"a doll\npurpose: final_asset\n",
                 "bad.yaml:2:10: malformed YAML: wrongly indented double-quoted scalar (is its "
                 "closing quote missing?)"},
        BadInput{"DuplicateStageField",
                 "schema: clearcut/v1\npipeline:\n  - name: x\n    trains_on_data: no\n"
                 "    trains_on_data: yes\n",
                 "bad.yaml:5:5: pipeline[0].trains_on_data: field given twice"},
        BadInput{
            "DuplicateJsonField",
            "{\"schema\": \"clearcut/v1\", \"output\": {\"in_final\": true, \"in_final\": false}}",
            "bad.yaml:1:56: output.in_final: field given twice"},
        BadInput{"YamlInsideJson", "{\"schema\": \"clearcut/v1\", purpose: vfx}",
                 "bad.yaml:1:27: malformed JSON: Invalid JSON plain scalar"},
        BadInput{"TwoDocuments", "schema: clearcut/v1\n---\nschema: clearcut/v1\n",
                 "bad.yaml:2:1: a second document; a file holds exactly one (remove `---` or "
                 "`...`)"},
        BadInput{"Alias", "schema: clearcut/v1\nproduction: &p x\nsummary: *p\n",
                 "bad.yaml:2:13: production: anchors (&name) are not supported; write the value "
                 "out"},
        BadInput{"QuotedNullIsText", "schema: clearcut/v1\npurpose: \"null\"\n",
                 "bad.yaml:2:10: purpose: expected ideation, reference, previs, temp_media, "
                 "localization, marketing, vfx, final_asset, training or other, got 'null'"},
        BadInput{"NullIsNotText", "schema: clearcut/v1\nsummary: null\n",
                 "bad.yaml:2:10: summary: expected text"},
        BadInput{"NotAMapping", "- a\n- b\n",
                 "bad.yaml:1:1: expected a declaration: a mapping starting with `schema: "
                 "clearcut/v1`"},
        BadInput{"NotUtf8", "schema: clearcut/v1\nsummary: caf\xe9\n",
                 "bad.yaml:2:13: not UTF-8 text (byte 32)"},
        BadInput{"EmptyDocument", "",
                 "bad.yaml:1:1: empty document; expected a clearcut/v1 declaration"}),
    [](const testing::TestParamInfo<BadInput>& param_info) { return param_info.param.name; });

// A YAML tree as a JSON value: plain true and false as booleans, other scalars as text.
nlohmann::json json_of(const internal::YamlNode& node) {
  switch (node.kind()) {
    case internal::YamlKind::kNull:
      return nullptr;
    case internal::YamlKind::kScalar:
      if (!node.quoted() && (node.text() == "true" || node.text() == "false")) {
        return node.text() == "true";
      }
      return node.text();
    case internal::YamlKind::kSequence: {
      nlohmann::json out = nlohmann::json::array();
      for (size_t i = 0; i < node.size(); ++i) {
        out.push_back(json_of(node.item(i)));
      }
      return out;
    }
    case internal::YamlKind::kMap: {
      nlohmann::json out = nlohmann::json::object();
      for (size_t i = 0; i < node.size(); ++i) {
        out[node.key(i).text()] = json_of(node.value(i));
      }
      return out;
    }
  }
  return nullptr;
}

// A request body's declaration object is read without writing it out and parsing the text
// again, with the same result: the same declaration (positions of tools included, which the
// registry's errors quote), or the same error to the character.
// 2026-12-01 under the default 12-month period: a review of 2026-10-01 is in date.
constexpr ReviewPeriod kInDate{
    12, std::chrono::sys_days(std::chrono::year(2026) / std::chrono::December / 1)};

TEST(DeclarationReaderTest, JsonValuesReadAsTheirText) {
  std::vector<nlohmann::json> values;
  for (const char* name : {"second-doll.yaml", "mood-board.yaml", "synthetic-voice.json"}) {
    auto d = read_declaration_file(kExamples + name);
    ASSERT_TRUE(d.has_value()) << d.error().to_string();
    values.push_back(nlohmann::json::parse(declaration_to_json(*d)));
  }
  // Every error case that is a tree at all.
  for (const char* text :
       {"schema: clearcut/v1\noutput:\n  in_fnal: yes\n", "schema: clearcut/v1\nbudget: 3\n",
        "schema: clearcut/v1\npurpose: fun\n", "schema: clearcut/v1\noutput:\n  in_final: maybe\n",
        "schema: clearcut/v1\ninputs: script\n", "schema: clearcut/v1\noutput: yes\n",
        "schema: clearcut/v1\nmedia: [image, hologram]\n",
        "schema: clearcut/v1\nreferences: [none, public_figure]\n", "schema: clearcut/v2\n",
        "purpose: vfx\n", "schema: clearcut/v1\npipeline:\n  - trains_on_data: no\n",
        "schema: clearcut/v1\npipeline:\n  - name: x\n    trains: no\n",
        "schema: clearcut/v1\npurpose: \"null\"\n", "schema: clearcut/v1\nsummary: null\n",
        "- a\n- b\n"}) {
    auto document = internal::YamlDocument::parse(text, "case.yaml");
    ASSERT_TRUE(document.has_value()) << text;
    values.push_back(json_of(document->root()));
  }
  // UTF-8 before a tool and before an error; numbers; a character the parser refuses; empty.
  for (
      const char* text : {
          R"({"schema":"clearcut/v1","pipeline":[{"name":"caf\u00e9 \ud83c\udfac","tool":"imagegen-pro"},{"tool":"no-such-tool"}]})",
          R"({"schema":"clearcut/v1","media":["image"],"pipeline":[{"name":"\u00e9\u00e9","tool":7}]})",
          R"({"schema":"clearcut/v1","summary":"\u00e9t\u00e9","purpose":1.5e3,"output":{"in_final":0}})",
          R"({"schema":"clearcut/v1","summary":"a\u0090b"})",
          R"({"schema":"clearcut/v1","summary":"tab\tquote\"\u0001"})",
          R"({"schema":"clearcut/v1","pipeline":[]})",
          R"({})",
      }) {
    values.push_back(nlohmann::json::parse(text));
  }
  auto registry = parse_tool_registry("tools:\n  - id: imagegen-pro\n", "t.yaml");
  ASSERT_TRUE(registry.has_value());
  for (const nlohmann::json& value : values) {
    SCOPED_TRACE(value.dump());
    auto text = parse_declaration(value.dump(), "declaration");
    auto direct = parse_declaration_json(value, "declaration");
    ASSERT_EQ(text.has_value(), direct.has_value());
    if (!text.has_value()) {
      EXPECT_EQ(direct.error().to_string(), text.error().to_string());
      continue;
    }
    EXPECT_EQ(declaration_to_json(*direct), declaration_to_json(*text));
    EXPECT_EQ(direct->source_file, text->source_file);
    ASSERT_EQ(direct->pipeline.size(), text->pipeline.size());
    for (size_t i = 0; i < text->pipeline.size(); ++i) {
      EXPECT_EQ(direct->pipeline[i].tool_line, text->pipeline[i].tool_line);
      EXPECT_EQ(direct->pipeline[i].tool_column, text->pipeline[i].tool_column);
    }
    base::Status a = apply_registry(*registry, kInDate, &*text);
    base::Status b = apply_registry(*registry, kInDate, &*direct);
    ASSERT_EQ(a.has_value(), b.has_value());
    if (!a.has_value()) {
      EXPECT_EQ(b.error().to_string(), a.error().to_string());
    }
  }
}

// Issue #11: an unclosed quote before `purpose: final_asset` made the rest of the file its
// summary, and the declaration escalated as unknown instead of being refused.
TEST(DeclarationReaderTest, UnclosedQuoteIsAnErrorAtTheQuote) {
  auto d =
      read_declaration_file(std::string(CLEARCUT_SOURCE_DIR) +
                            "/src/clearcut/domain/testdata/final-asset-unterminated-quote.yaml");
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(d.error().location().line, 6);
  EXPECT_EQ(d.error().location().column, 10);
  EXPECT_NE(d.error().message().find("double-quoted scalar"), std::string::npos)
      << d.error().to_string();
}

TEST(DeclarationReaderTest, AHundredThousandLevelsAreAnErrorNamingWhere) {
  constexpr size_t kLevels = 100'000;
  std::string yaml = "schema: clearcut/v1\noutput:\n  in_final: ";
  std::string json = R"({"schema": "clearcut/v1", "pipeline": )";
  for (size_t i = 0; i < kLevels; ++i) {
    yaml += "[";
    json += "[";
  }
  yaml += std::string(kLevels, ']') + "\n";
  json += std::string(kLevels, ']') + "}";
  std::string list_path;
  for (int i = 0; i < 63; ++i) {
    list_path += "[0]";
  }
  auto from_yaml = parse_declaration(yaml, "deep.yaml");
  ASSERT_FALSE(from_yaml.has_value());
  EXPECT_EQ(from_yaml.error().to_string(), "deep.yaml:3:75: output.in_final" +
                                               list_path.substr(0, 62 * 3) +
                                               ": nested too deeply (more than 64 levels)");
  auto from_json = parse_declaration(json, "deep.json");
  ASSERT_FALSE(from_json.has_value());
  EXPECT_EQ(from_json.error().to_string(),
            "deep.json:1:102: pipeline" + list_path + ": nested too deeply (more than 64 levels)");
}

ReviewPeriod on(const char* date, int months = 12) {
  return {months, *parse_iso_date(date)};
}

TEST(ToolRegistryTest, AReviewIsInDateThroughTheSameDayMonthsLater) {
  Tool tool;
  tool.reviewed_on = "2025-01-10";
  EXPECT_EQ(stale_review(tool, on("2026-01-10")), "");
  EXPECT_EQ(stale_review(tool, on("2026-01-11")),
            "reviewed_on 2025-01-10 is older than the pack's 12-month review period");
  EXPECT_EQ(stale_review(tool, on("2025-07-11", 6)),
            "reviewed_on 2025-01-10 is older than the pack's 6-month review period");
  // A month without the day: the review lasts through that month's last day.
  tool.reviewed_on = "2025-03-31";
  EXPECT_EQ(stale_review(tool, on("2025-04-30", 1)), "");
  EXPECT_NE(stale_review(tool, on("2025-05-01", 1)), "");
  tool.reviewed_on = "";
  EXPECT_EQ(stale_review(tool, on("2025-01-01")), "it has no reviewed_on");
}

TEST(ToolRegistryTest, AStaleReviewVouchesForNothingTheTermsSay) {
  auto registry = parse_tool_registry(
      "tools:\n  - id: gen\n    enterprise_agreement: yes\n    trains_on_data: no\n"
      "    retains_data: no\n    terms_reviewed: yes\n    reviewed_on: '2025-01-10'\n",
      "t.yaml");
  ASSERT_TRUE(registry.has_value()) << registry.error().to_string();
  auto d = parse_declaration(
      "schema: clearcut/v1\npipeline:\n  - name: first\n    terms_reviewed: no\n"
      "  - tool: gen\n    terms_reviewed: yes\n",
      "d.yaml");
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(apply_registry(*registry, on("2026-06-01"), &*d).has_value());
  const Stage& stage = d->pipeline[1];
  auto slot = [](const char* name) {
    return find_field(FieldScope::kStage, name)->slot;
  };
  // The partner's own "yes" does not stand in for the studio's review.
  EXPECT_EQ(stage.scalars[slot("terms_reviewed")], kUnsure);
  EXPECT_EQ(stage.scalars[slot("trains_on_data")], kUnsure);
  EXPECT_EQ(stage.scalars[slot("retains_data")], kUnsure);
  EXPECT_EQ(stage.scalars[slot("enterprise_agreement")], kYes);
  EXPECT_EQ(d->pipeline[0].scalars[slot("terms_reviewed")], kNo);
  EXPECT_TRUE(d->overrides.empty());
  ASSERT_EQ(d->stale_reviews.size(), 1U);
  EXPECT_EQ(d->stale_reviews[0].stage, 1);
  EXPECT_EQ(d->stale_reviews[0].reason,
            "reviewed_on 2025-01-10 is older than the pack's 12-month review period");
}

TEST(ToolRegistryTest, TrainingDataAndIndemnityAreWords) {
  auto registry = parse_tool_registry(
      "tools:\n  - {id: a, training_data: unknown, indemnified: no}\n"
      "  - {id: b, training_data: licensed, indemnified: unknown}\n",
      "t.yaml");
  ASSERT_TRUE(registry.has_value()) << registry.error().to_string();
  const FieldSpec* training = find_field(FieldScope::kStage, "training_data");
  const FieldSpec* indemnified = find_field(FieldScope::kStage, "indemnified");
  EXPECT_EQ(scalar_text(*training, registry->find("a")->scalars[training->slot]), "unknown");
  EXPECT_EQ(scalar_text(*indemnified, registry->find("a")->scalars[indemnified->slot]), "no");
  EXPECT_EQ(scalar_text(*training, registry->find("b")->scalars[training->slot]), "licensed");
  EXPECT_EQ(scalar_text(*indemnified, registry->find("b")->scalars[indemnified->slot]), "unknown");
  auto bad = parse_tool_registry("tools:\n  - {id: a, indemnified: unsure}\n", "t.yaml");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().to_string(),
            "t.yaml:2:26: tools[0].indemnified: expected yes, no or unknown, got 'unsure'");
  // A stale review vouches for neither.
  auto stale = parse_tool_registry(
      "tools:\n  - {id: a, training_data: licensed, indemnified: yes, reviewed_on: '2020-01-01'}\n",
      "t.yaml");
  auto d = parse_declaration("schema: clearcut/v1\npipeline:\n  - tool: a\n", "d.yaml");
  ASSERT_TRUE(stale.has_value() && d.has_value());
  ASSERT_TRUE(apply_registry(*stale, kInDate, &*d).has_value());
  EXPECT_EQ(d->pipeline[0].scalars[training->slot], kUnsure);
  EXPECT_EQ(d->pipeline[0].scalars[indemnified->slot], kUnsure);
  // As the service stores it: written without them (no word says unsure for either), read back,
  // and the registry applied again gives the same facts.
  const std::string stored = declaration_to_json(*d);
  EXPECT_EQ(stored.find("training_data"), std::string::npos) << stored;
  EXPECT_EQ(stored.find("indemnified"), std::string::npos) << stored;
  auto again = parse_declaration(stored, "stored");
  ASSERT_TRUE(again.has_value()) << again.error().to_string();
  ASSERT_TRUE(apply_registry(*stale, kInDate, &*again).has_value());
  EXPECT_EQ(again->pipeline[0].scalars, d->pipeline[0].scalars);
  EXPECT_EQ(declaration_to_json(*again), stored);
}

TEST(ToolRegistryTest, ReviewedOnIsADate) {
  auto bad = parse_tool_registry("tools:\n  - id: a\n    reviewed_on: '2025-02-30'\n", "t.yaml");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().to_string(),
            "t.yaml:3:18: tools[0].reviewed_on: expected a date, YYYY-MM-DD (quote it in YAML)");
}

TEST(ToolRegistryTest, RegistryWinsAndSaysSo) {
  auto registry = parse_tool_registry(
      "tools:\n  - id: gen\n    trains_on_data: no\n    enterprise_agreement: yes\n"
      "    reviewed_on: '2026-10-01'\n",
      "t.yaml");
  ASSERT_TRUE(registry.has_value()) << registry.error().to_string();
  auto d = parse_declaration(
      "schema: clearcut/v1\npipeline:\n  - tool: gen\n    trains_on_data: yes\n"
      "    retains_data: yes\n",
      "d.yaml");
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(apply_registry(*registry, kInDate, &*d).has_value());
  EXPECT_TRUE(d->stale_reviews.empty());
  const Stage& stage = d->pipeline[0];
  EXPECT_EQ(stage.scalars[find_field(FieldScope::kStage, "trains_on_data")->slot], kNo);
  EXPECT_EQ(stage.scalars[find_field(FieldScope::kStage, "enterprise_agreement")->slot], kYes);
  // The registry is silent on retains_data, so the inline fact stands.
  EXPECT_EQ(stage.scalars[find_field(FieldScope::kStage, "retains_data")->slot], kYes);
  ASSERT_EQ(d->overrides.size(), 1U);
  EXPECT_EQ(d->overrides[0].declared, kYes);
  EXPECT_EQ(d->overrides[0].registry, kNo);
}

TEST(ToolRegistryTest, UnknownToolIsAnError) {
  auto registry = parse_tool_registry("tools:\n  - id: gen\n", "t.yaml");
  ASSERT_TRUE(registry.has_value());
  auto d = parse_declaration("schema: clearcut/v1\npipeline:\n  - tool: genn\n", "d.yaml");
  ASSERT_TRUE(d.has_value());
  auto status = apply_registry(*registry, kInDate, &*d);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().to_string(),
            "d.yaml:3:11: pipeline[0].tool: tool 'genn' is not in the tool registry; known "
            "tools: gen");
}

TEST(ToolRegistryTest, RejectsDuplicateIdsAndBadFacts) {
  auto dup = parse_tool_registry("tools:\n  - id: a\n  - id: a\n", "t.yaml");
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().to_string(), "t.yaml:3:9: tools[1].id: duplicate tool id 'a'");
  auto bad = parse_tool_registry("tools:\n  - id: a\n    trains_on_data: often\n", "t.yaml");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field(), "tools[0].trains_on_data");
  auto twice = parse_tool_registry("tools:\n  - id: a\n    vendor: x\n    vendor: y\n", "t.yaml");
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().to_string(), "t.yaml:4:5: tools[0].vendor: field given twice");
  auto deep = parse_tool_registry("tools: " + std::string(100'000, '['), "t.yaml");
  ASSERT_FALSE(deep.has_value());
  EXPECT_NE(deep.error().to_string().find("nested too deeply"), std::string::npos);
}

}  // namespace
}  // namespace clearcut::domain
