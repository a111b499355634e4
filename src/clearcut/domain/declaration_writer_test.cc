#include "clearcut/domain/declaration_writer.h"

#include <random>

#include <gtest/gtest.h>

#include "clearcut/domain/declaration_reader.h"

namespace clearcut::domain {
namespace {

void expect_same(const Declaration& a, const Declaration& b) {
  EXPECT_EQ(a.schema, b.schema);
  EXPECT_EQ(a.production, b.production);
  EXPECT_EQ(a.summary, b.summary);
  EXPECT_EQ(a.scalars, b.scalars);
  EXPECT_EQ(a.lists, b.lists);
  EXPECT_EQ(a.lists_known, b.lists_known);
  EXPECT_EQ(a.pipeline_known, b.pipeline_known);
  ASSERT_EQ(a.pipeline.size(), b.pipeline.size());
  for (size_t i = 0; i < a.pipeline.size(); ++i) {
    EXPECT_EQ(a.pipeline[i].tool, b.pipeline[i].tool);
    EXPECT_EQ(a.pipeline[i].name, b.pipeline[i].name);
    EXPECT_EQ(a.pipeline[i].scalars, b.pipeline[i].scalars);
  }
}

TEST(DeclarationWriterTest, ExampleRoundTripsAndDigestIsStable) {
  auto d = read_declaration_file(std::string(CLEARCUT_SOURCE_DIR) + "/examples/second-doll.yaml");
  ASSERT_TRUE(d.has_value());
  std::string json = declaration_to_json(*d);
  auto back = parse_declaration(json, "canonical.json");
  ASSERT_TRUE(back.has_value()) << back.error().to_string() << "\n" << json;
  expect_same(*d, *back);
  EXPECT_EQ(declaration_to_json(*back), json);
  EXPECT_EQ(declaration_digest(*back), declaration_digest(*d));
  EXPECT_NE(json.find("\"human_authored_final\":\"unsure\""), std::string::npos);
}

TEST(DeclarationWriterTest, RandomDeclarationsRoundTrip) {
  std::mt19937 rng(3);
  for (int n = 0; n < 500; ++n) {
    Declaration d;
    d.schema = "clearcut/v1";
    d.summary = n % 2 ? "caf\xc3\xa9 \"quoted\"" : "";
    for (const FieldSpec& f : declaration_fields()) {
      if (f.kind == FieldKind::kTri) {
        d.scalars[f.slot] = static_cast<int8_t>(static_cast<int>(rng() % 4) - 2);
      } else if (f.kind == FieldKind::kEnum) {
        d.scalars[f.slot] =
            static_cast<int8_t>(static_cast<int>(rng() % (f.vocabulary.size() + 1)) - 1);
      } else if (f.kind == FieldKind::kList && rng() % 3 != 0) {
        d.set_list(f.slot, static_cast<uint32_t>(rng()) & ((1U << f.vocabulary.size()) - 1));
      }
    }
    if (rng() % 2) {
      d.pipeline_known = true;
      d.pipeline.resize(rng() % 3);
      for (Stage& s : d.pipeline) {
        s.name = "stage";
        for (const FieldSpec& f : stage_fields()) {
          if (f.kind == FieldKind::kTri) {
            s.scalars[f.slot] = static_cast<int8_t>(static_cast<int>(rng() % 4) - 2);
          } else if (f.kind == FieldKind::kEnum) {  // training_data, indemnified: never unsure
            s.scalars[f.slot] =
                static_cast<int8_t>(static_cast<int>(rng() % (f.vocabulary.size() + 1)) - 1);
          }
        }
      }
    }
    auto back = parse_declaration(declaration_to_json(d), "random.json");
    ASSERT_TRUE(back.has_value()) << back.error().to_string();
    expect_same(d, *back);
  }
}

}  // namespace
}  // namespace clearcut::domain
