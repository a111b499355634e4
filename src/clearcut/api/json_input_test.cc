#include "clearcut/api/json_input.h"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

namespace clearcut::api {
namespace {

std::string field_of(const base::Result<nlohmann::json>& r) {
  return r.has_value() ? "(parsed)" : r.error().field();
}

TEST(ParseStrictJsonTest, ReadsOrdinaryJson) {
  auto r = parse_strict_json(R"({"a":[1,{"b":"x"}],"c":null,"d":true})");
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ((*r)["a"][1]["b"], "x");
}

// nlohmann reports a number too large for a double as out_of_range, not parse_error; it must
// come back as an error like any other (fuzz_oidc found it thrown through).
TEST(ParseStrictJsonTest, ANumberTooLargeIsAnError) {
  auto r = parse_strict_json(R"({"a":1e999})");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("malformed JSON"), std::string::npos) << r.error().message();
  EXPECT_FALSE(parse_strict_json("8888888844e8888844").has_value());
}

TEST(ParseStrictJsonTest, DepthIsLimitedWithoutRecursion) {
  const std::string deep_ok = std::string(64, '[') + std::string(64, ']');
  EXPECT_TRUE(parse_strict_json(deep_ok).has_value());
  const std::string too_deep = std::string(65, '[') + std::string(65, ']');
  auto r = parse_strict_json(too_deep);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("nested deeper than 64"), std::string::npos);
  // A million levels: no stack overflow under ASan, an error naming where.
  const std::string huge = R"({"x":[)" + std::string(1000000, '[') + "]]}";
  auto h = parse_strict_json(huge);
  ASSERT_FALSE(h.has_value());
  EXPECT_EQ(field_of(h).rfind("x[0]", 0), 0u) << field_of(h);
  EXPECT_FALSE(parse_strict_json(R"({"a":1})", 0).has_value());
}

TEST(ParseStrictJsonTest, DuplicateKeysAreRefusedAtEveryLevel) {
  EXPECT_EQ(field_of(parse_strict_json(R"({"a":1,"a":2})")), "a");
  EXPECT_EQ(field_of(parse_strict_json(R"({"a":{"b":1,"c":2,"b":3}})")), "a.b");
  EXPECT_EQ(field_of(parse_strict_json(R"([{"k":1},{"k":1,"k":2}])")), "[1].k");
  // The same key in sibling objects is fine.
  EXPECT_TRUE(parse_strict_json(R"({"a":{"k":1},"b":{"k":1},"c":[{"k":1},{"k":2}]})").has_value());
}

TEST(ParseStrictJsonTest, NulCharactersAreRefusedNamingTheField) {
  auto r = parse_strict_json(R"({"a":{"b":["ok","x\u0000y"]}})");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field(), "a.b[1]");
  EXPECT_NE(r.error().message().find("NUL"), std::string::npos);
  EXPECT_FALSE(parse_strict_json(R"({"a\u0000":1})").has_value());
}

TEST(ParseStrictJsonTest, MalformedTextSaysWhere) {
  auto r = parse_strict_json("{\"a\": tru}");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("malformed JSON"), std::string::npos);
  EXPECT_NE(r.error().message().find("column"), std::string::npos) << r.error().message();
  EXPECT_FALSE(parse_strict_json("{\"a\":\"\xff\"}").has_value());
  EXPECT_FALSE(parse_strict_json("").has_value());
  EXPECT_FALSE(parse_strict_json("{} {}").has_value());
}

// The same value, with the same types (nlohmann's == takes 1 and 1.0 for equal).
bool same(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.type() != b.type() || a.size() != b.size()) {
    return false;
  }
  if (a.is_object()) {
    for (auto it = a.begin(), jt = b.begin(); it != a.end(); ++it, ++jt) {
      if (it.key() != jt.key() || !same(it.value(), jt.value())) {
        return false;
      }
    }
    return true;
  }
  if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!same(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }
  if (a.is_number_float()) {  // -0.0 too
    return std::signbit(a.get<double>()) == std::signbit(b.get<double>()) && a == b;
  }
  return a == b;
}

// Whatever path reads it, a valid text comes back as nlohmann's parser reads it.
TEST(ParseStrictJsonTest, ReadsWhatNlohmannReads) {
  const char* texts[] = {
      R"({"declaration":{"schema":"clearcut/v1","media":["image","video"],"n":[]},"form":true})",
      " \t\r\n{ \"a\" : [ 1 , -2 , 3.5 , -0 , -0.0 , 0 , 1e2 , 1E-2 , 2.5e+3 ] } \n",
      (R"([9223372036854775807,-9223372036854775808,9223372036854775808,18446744073709551615,)"
       R"(18446744073709551616,-9223372036854775809,1.7976931348623157e308,4.9e-324,1e-400])"),
      R"(["\"\\\/\b\f\n\r\t","\u00e9\u20ac\ud83c\udfac","é€🎬","\u007f","x\u0001y"])",
      R"({"":{},"b":{"a":null,"c":false,"b":true},"z":[[[]]],"\u00e9":1})",
      "\"just a string\"",
      "12",
      "null",
      "\xef\xbb\xbf{\"bom\":1}",
  };
  for (const char* text : texts) {
    auto read = parse_strict_json(text);
    ASSERT_TRUE(read.has_value()) << text << ": " << read.error().to_string();
    nlohmann::json expected = nlohmann::json::parse(text);
    EXPECT_TRUE(same(*read, expected)) << text << "\n" << read->dump() << "\n" << expected.dump();
  }
  // And what nlohmann refuses stays refused, in its words.
  const char* refused[] = {"{\"a\":01}",
                           "[1,]",
                           "{\"a\" 1}",
                           "[\"\\ud800\"]",
                           "[\"\\udc00\"]",
                           "[\"\\x\"]",
                           "[\"a\nb\"]",
                           "[1.]",
                           "[-]",
                           "[1e]",
                           "{\"a\":1,}",
                           "[\"\xed\xa0\x80\"]",
                           "[\"\xc0\xaf\"]",
                           "[\"\xf4\x90\x80\x80\"]",
                           "[tru]",
                           "{\"a\":1}x"};
  for (const char* text : refused) {
    auto read = parse_strict_json(text);
    ASSERT_FALSE(read.has_value()) << text;
    EXPECT_EQ(read.error().message().rfind("malformed JSON: ", 0), 0u) << read.error().message();
  }
}

TEST(JsonInputTest, BodiesNeedTheJsonContentType) {
  http::HttpRequest request;
  request.body = R"({"name":"x"})";
  request.headers = {{"Content-Type", "text/plain"}};
  auto refused = JsonInput::parse(request, {"name"});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), base::ErrorCode::kUnsupported);
  request.headers = {{"content-type", " application/json ; charset=UTF-8"}};
  EXPECT_TRUE(JsonInput::parse(request, {"name"}).has_value());
  request.headers = {{"Content-Type", "application/jsonx"}};
  EXPECT_FALSE(JsonInput::parse(request, {"name"}).has_value());
}

}  // namespace
}  // namespace clearcut::api
