#include "clearcut/domain/internal/yaml_document.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/domain/internal/yaml_emitter.h"

namespace clearcut::domain::internal {
namespace {

const std::string kTestdata = std::string(CLEARCUT_SOURCE_DIR) + "/src/clearcut/domain/testdata/";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".json")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Whether two trees hold the same kinds, texts and keys in the same order (styles aside).
bool same_tree(YamlNode a, YamlNode b) {
  std::vector<std::pair<YamlNode, YamlNode>> pending = {{a, b}};
  while (!pending.empty()) {
    auto [x, y] = pending.back();
    pending.pop_back();
    if (x.kind() != y.kind() || x.text() != y.text() || x.size() != y.size()) {
      return false;
    }
    for (size_t i = 0; i < x.size(); ++i) {
      if (x.is_map()) {
        pending.emplace_back(x.key(i), y.key(i));
        pending.emplace_back(x.value(i), y.value(i));
      } else {
        pending.emplace_back(x.item(i), y.item(i));
      }
    }
  }
  return true;
}

// `levels` flow sequences, one inside the other, around a scalar.
std::string nested_flow(size_t levels) {
  return std::string(levels, '[') + "x" + std::string(levels, ']') + "\n";
}

TEST(YamlDocumentTest, RejectsEveryInvalidFileAtItsLineAndColumn) {
  const std::string dir = kTestdata + "yaml_invalid/";
  std::map<std::string, std::string> expected;  // file -> "line:column message"
  std::istringstream manifest(slurp(dir + "expected.txt"));
  for (std::string line; std::getline(manifest, line);) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    size_t space = line.find(' ');
    ASSERT_NE(space, std::string::npos) << line;
    expected[line.substr(0, space)] = line.substr(space + 1);
  }
  std::vector<std::string> files = files_in(dir);
  EXPECT_GE(files.size(), 30U);
  for (const std::string& name : files) {
    SCOPED_TRACE(name);
    auto it = expected.find(name);
    ASSERT_NE(it, expected.end()) << "no line for " << name << " in expected.txt";
    auto document = YamlDocument::parse(slurp(dir + name), name);
    ASSERT_FALSE(document.has_value()) << "accepted: " << emit_yaml(document->root());
    EXPECT_EQ(document.error().code(), base::ErrorCode::kInvalidArgument);
    EXPECT_GT(document.error().location().line, 0);
    EXPECT_GT(document.error().location().column, 0);
    // file:line:column: [field: ]message
    size_t space = it->second.find(' ');
    EXPECT_EQ(document.error().to_string(),
              name + ":" + it->second.substr(0, space) + ": " + it->second.substr(space + 1));
    expected.erase(it);
  }
  for (const auto& [name, line] : expected) {
    ADD_FAILURE() << "expected.txt names " << name << ", which is not in the directory";
  }
}

TEST(YamlDocumentTest, ParsesEveryValidFileAndWritesItBack) {
  const std::string dir = kTestdata + "yaml_valid/";
  std::vector<std::string> files = files_in(dir);
  EXPECT_GE(files.size(), 10U);
  for (const std::string& name : files) {
    SCOPED_TRACE(name);
    auto document = YamlDocument::parse(slurp(dir + name), name);
    ASSERT_TRUE(document.has_value()) << document.error().to_string();
    std::string emitted = emit_yaml(document->root());
    auto again = YamlDocument::parse(emitted, "emitted.yaml");
    ASSERT_TRUE(again.has_value()) << again.error().to_string() << "\n" << emitted;
    EXPECT_TRUE(same_tree(document->root(), again->root())) << emitted;
    EXPECT_EQ(emit_yaml(again->root()), emitted);
  }
}

TEST(YamlDocumentTest, OnlyPlainScalarsAreNull) {
  auto document = YamlDocument::parse(slurp(kTestdata + "yaml_valid/nulls-and-quoted-nulls.yaml"),
                                      "nulls.yaml");
  ASSERT_TRUE(document.has_value()) << document.error().to_string();
  YamlNode root = document->root();
  for (std::string_view key : {"a", "b", "c", "d", "e"}) {
    EXPECT_TRUE(root.find(key)->is_null()) << key;
  }
  EXPECT_TRUE(root.find("f")->is_scalar());
  EXPECT_EQ(root.find("f")->text(), "null");
  EXPECT_EQ(root.find("f")->style(), YamlStyle::kDoubleQuoted);
  EXPECT_EQ(root.find("g")->text(), "~");
  EXPECT_TRUE(root.find("g")->quoted());
  EXPECT_TRUE(root.find("h")->is_scalar());
  EXPECT_EQ(root.find("h")->text(), "");
  EXPECT_FALSE(root.find("missing"));
}

TEST(YamlDocumentTest, KeepsOrderTextsAndOneBasedPositions) {
  auto document = YamlDocument::parse(
      "# comment\nschema: clearcut/v1\nmedia: [image, \"video\"]\noutput:\n  in_final: yes\n",
      "d.yaml");
  ASSERT_TRUE(document.has_value()) << document.error().to_string();
  YamlNode root = document->root();
  ASSERT_TRUE(root.is_map());
  ASSERT_EQ(root.size(), 3U);
  EXPECT_EQ(root.key(0).text(), "schema");
  EXPECT_EQ(root.key(1).text(), "media");
  EXPECT_EQ(root.key(2).text(), "output");
  EXPECT_EQ(root.line(), 2);
  EXPECT_EQ(root.column(), 1);
  YamlNode media = root.value(1);
  ASSERT_TRUE(media.is_sequence());
  ASSERT_EQ(media.size(), 2U);
  EXPECT_EQ(media.item(1).text(), "video");
  EXPECT_EQ(media.item(1).line(), 3);
  EXPECT_EQ(media.item(1).column(), 16);  // the opening quote
  YamlNode in_final = *root.value(2).find("in_final");
  EXPECT_EQ(in_final.text(), "yes");
  EXPECT_FALSE(in_final.quoted());
  EXPECT_EQ(in_final.line(), 5);
  EXPECT_EQ(in_final.column(), 13);
}

TEST(YamlDocumentTest, EmptyTextIsANullDocument) {
  for (const char* text : {"", "# only a comment\n", "---\n", "\n\n"}) {
    auto document = YamlDocument::parse(text, "empty.yaml");
    ASSERT_TRUE(document.has_value()) << text;
    EXPECT_TRUE(document->root().is_null()) << text;
    EXPECT_EQ(document->root().line(), 1) << text;
  }
}

TEST(YamlDocumentTest, DuplicateKeysAreRefusedAtEveryLevel) {
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : {
           Case{"a:\n  b:\n    - c: 1\n      c: 2\n", "dup.yaml:4:7: a.b[0].c: field given twice"},
           Case{"- [{a: 1}, {a: 1, a: 2}]\n", "dup.yaml:1:19: [0][1].a: field given twice"},
           Case{R"({"a": [{"b": {"c": 1, "c": 2}}]})",
                "dup.yaml:1:23: a[0].b.c: field given twice"},
           Case{"'a': 1\n\"a\": 2\n", "dup.yaml:2:1: a: field given twice"},
       }) {
    auto document = YamlDocument::parse(c.text, "dup.yaml");
    ASSERT_FALSE(document.has_value()) << c.text;
    EXPECT_EQ(document.error().to_string(), c.error);
  }
}

TEST(YamlDocumentTest, NestingIsLimitedTo64Levels) {
  auto deepest = YamlDocument::parse(nested_flow(kMaxYamlDepth), "deep.yaml");
  ASSERT_TRUE(deepest.has_value()) << deepest.error().to_string();
  auto deeper = YamlDocument::parse(nested_flow(kMaxYamlDepth + 1), "deep.yaml");
  ASSERT_FALSE(deeper.has_value());
  std::string path;
  for (int i = 0; i < kMaxYamlDepth; ++i) {
    path += "[0]";
  }
  EXPECT_EQ(deeper.error().to_string(),
            "deep.yaml:1:65: " + path + ": nested too deeply (more than 64 levels)");
}

TEST(YamlDocumentTest, AHundredThousandLevelsAreAnErrorNotACrash) {
  constexpr size_t kLevels = 100'000;
  std::string json_path;
  for (int i = 0; i < kMaxYamlDepth; ++i) {
    json_path += json_path.empty() ? "a" : ".a";
  }
  std::string json;
  for (size_t i = 0; i < kLevels; ++i) {
    json += "{\"a\": ";
  }
  json += "1" + std::string(kLevels, '}');
  std::string block_sequences;
  for (size_t i = 0; i < kLevels; ++i) {
    block_sequences += "- ";
  }
  block_sequences += "x\n";
  std::string flow_maps = "# YAML, not JSON\n";
  for (size_t i = 0; i < kLevels; ++i) {
    flow_maps += "{a: ";
  }
  flow_maps += "x" + std::string(kLevels, '}') + "\n";
  struct Case {
    std::string text;
    std::string where;
  };
  for (const Case& c :
       {Case{nested_flow(kLevels), ":1:65: [0]"}, Case{json, ":1:385: " + json_path + ": "},
        Case{block_sequences, ":1:129: [0]"}, Case{flow_maps, ":2:257: " + json_path + ": "}}) {
    auto document = YamlDocument::parse(c.text, "deep");
    ASSERT_FALSE(document.has_value());
    std::string error = document.error().to_string();
    EXPECT_EQ(error.rfind("deep" + c.where, 0), 0U) << error.substr(0, 200);
    EXPECT_NE(error.find("nested too deeply (more than 64 levels)"), std::string::npos);
  }
}

TEST(YamlDocumentTest, SizeIsLimited) {
  std::string big(kMaxYamlBytes + 1, ' ');
  auto too_big = YamlDocument::parse(big, "big.yaml");
  ASSERT_FALSE(too_big.has_value());
  EXPECT_EQ(too_big.error().to_string(),
            "big.yaml:1:1: too large: 4194305 bytes; the limit is 4 MiB");

  std::string many = "[";
  for (size_t i = 0; i < kMaxYamlNodes; ++i) {
    many += "a,";
  }
  many += "a]";
  ASSERT_LE(many.size(), kMaxYamlBytes);
  auto too_many = YamlDocument::parse(many, "many.yaml");
  ASSERT_FALSE(too_many.has_value());
  EXPECT_NE(too_many.error().to_string().find("more than 500000 values in one file"),
            std::string::npos)
      << too_many.error().to_string();
}

TEST(YamlDocumentTest, EmitterQuotesWhatPlainStyleWouldMisread) {
  auto document = YamlDocument::parse(
      "a: \"null\"\nb: ~\nc: \"-1\"\nd: \"x: y\"\ne: \"tab\\there\\u2028\"\nf: [[], {}]\n"
      "g: {\"k #\": \"\"}\n",
      "e.yaml");
  ASSERT_TRUE(document.has_value()) << document.error().to_string();
  EXPECT_EQ(emit_yaml(document->root()),
            "a: \"null\"\nb: null\nc: \"-1\"\nd: \"x: y\"\ne: \"tab\\there\\u2028\"\nf:\n"
            "  - []\n  - {}\ng:\n  \"k #\": \"\"\n");
}

TEST(YamlDocumentTest, EmitterWritesTheDeepestTreeBack) {
  std::string text;
  for (int i = 0; i < kMaxYamlDepth; ++i) {
    text += i % 2 == 0 ? "{k: " : "[";
  }
  text += "leaf";
  for (int i = kMaxYamlDepth - 1; i >= 0; --i) {
    text += i % 2 == 0 ? "}" : "]";
  }
  auto document = YamlDocument::parse("# YAML\n" + text, "deep.yaml");
  ASSERT_TRUE(document.has_value()) << document.error().to_string();
  std::string emitted = emit_yaml(document->root());
  auto again = YamlDocument::parse(emitted, "emitted.yaml");
  ASSERT_TRUE(again.has_value()) << again.error().to_string() << "\n" << emitted;
  EXPECT_TRUE(same_tree(document->root(), again->root()));
}

// from_json must build the tree parse() makes of dump()'s text, node for node: kinds, styles,
// texts and positions (columns count characters, so text before a node may be UTF-8), or
// refuse, never differ.
void expect_same_tree(const YamlNode& a, const YamlNode& b, const std::string& where) {
  ASSERT_EQ(static_cast<int>(a.kind()), static_cast<int>(b.kind())) << where;
  EXPECT_EQ(static_cast<int>(a.style()), static_cast<int>(b.style())) << where;
  EXPECT_EQ(a.text(), b.text()) << where;
  EXPECT_EQ(a.line(), b.line()) << where;
  EXPECT_EQ(a.column(), b.column()) << where;
  ASSERT_EQ(a.size(), b.size()) << where;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a.is_map()) {
      expect_same_tree(a.key(i), b.key(i), where + "/" + a.key(i).text() + "(key)");
      expect_same_tree(a.value(i), b.value(i), where + "/" + a.key(i).text());
    } else {
      expect_same_tree(a.item(i), b.item(i), where + "/" + std::to_string(i));
    }
  }
}

TEST(YamlDocumentTest, FromJsonIsWhatTheCompactTextParsesTo) {
  std::vector<std::string> texts = {
      R"({})",
      R"([])",
      R"({"b": 1, "a": [true, false, null, -0, 0.5, 1e300, 2.5E-7, -12345678901234, 18446744073709551615]})",
      R"({"caf\u00e9 \u2014 \ud83c\udfac": {"k\u00e9y": "v\u00e4lue \"quoted\" \\ \t\n\u0001"}, "z": 2})",
      R"({"x": [[], {}, [{"y": [""]}]], "\u0085nel": "\u00a0"})",
  };
  for (const std::string& name : files_in(kTestdata + "yaml_valid")) {
    if (name.ends_with(".json")) {
      texts.push_back(slurp(kTestdata + "yaml_valid/" + name));
    }
  }
  for (const std::string& text : texts) {
    SCOPED_TRACE(text.substr(0, 80));
    const nlohmann::json value = nlohmann::json::parse(text);
    std::optional<YamlDocument> built = YamlDocument::from_json(value);
    ASSERT_TRUE(built.has_value());
    auto parsed = YamlDocument::parse(value.dump(), "x.json");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
    expect_same_tree(parsed->root(), built->root(), "");
  }
}

TEST(YamlDocumentTest, FromJsonLeavesToTheParserWhatItRefuses) {
  // Characters the parser refuses, nesting beyond its limit.
  for (const std::string& text :
       {std::string(R"({"a": "\u0090"})"), std::string(R"({"\u0081": 1})"),
        std::string(R"({"a": ["\uffff"]})"), std::string(R"(["\ufffe"])"),
        std::string(R"({"a": "x\u007f"})")}) {
    const nlohmann::json value = nlohmann::json::parse(text);
    EXPECT_FALSE(YamlDocument::from_json(value).has_value()) << text;
    EXPECT_FALSE(YamlDocument::parse(value.dump(), "x.json").has_value()) << text;
  }
  nlohmann::json deep = nlohmann::json::array();
  for (int i = 1; i < kMaxYamlDepth; ++i) {
    deep = nlohmann::json::array({deep});
  }
  EXPECT_TRUE(YamlDocument::from_json(deep).has_value());  // 64 levels
  EXPECT_TRUE(YamlDocument::parse(deep.dump(), "x.json").has_value());
  deep = nlohmann::json::array({deep});
  EXPECT_FALSE(YamlDocument::from_json(deep).has_value());
  EXPECT_FALSE(YamlDocument::parse(deep.dump(), "x.json").has_value());
  nlohmann::json wide = nlohmann::json::array();
  for (size_t i = 0; i < kMaxYamlNodes; ++i) {
    wide.push_back(0);
  }
  EXPECT_FALSE(YamlDocument::from_json(wide).has_value());
  EXPECT_FALSE(YamlDocument::parse(wide.dump(), "x.json").has_value());
  wide.erase(wide.begin());
  EXPECT_TRUE(YamlDocument::from_json(wide).has_value());
  EXPECT_TRUE(YamlDocument::parse(wide.dump(), "x.json").has_value());
}

}  // namespace
}  // namespace clearcut::domain::internal
