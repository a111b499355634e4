#include "clearcut/domain/approval_scope.h"

#include <gtest/gtest.h>

namespace clearcut::domain {
namespace {

TEST(ApprovalScope, ANewScopeIsCheckedAndKeptCanonical) {
  ApprovalScope scope =
      parse_approval_scope(R"({"outputs": ["7"], "final_use": true, "deliverables": ["S3E4"]})")
          .value();
  EXPECT_EQ(scope.json, R"({"deliverables":["S3E4"],"final_use":true,"outputs":["7"]})");
  EXPECT_TRUE(scope.final_use);
  EXPECT_EQ(scope.deliverables, std::vector<std::string>{"S3E4"});
  EXPECT_TRUE(scope.clears_output(7));
  EXPECT_FALSE(scope.clears_output(8));

  auto field_of = [](const char* json) {
    return parse_approval_scope(json).error().field();
  };
  EXPECT_EQ(field_of("[]"), "scope");
  EXPECT_EQ(field_of("not json"), "scope");
  EXPECT_EQ(field_of(R"({"final_use": "yes"})"), "scope.final_use");
  EXPECT_EQ(field_of(R"({"outputs": [7]})"), "scope.outputs");
  EXPECT_EQ(field_of(R"({"deliverables": [""]})"), "scope.deliverables");
  EXPECT_EQ(field_of(R"({"episodes": []})"), "scope.episodes");
}

TEST(ApprovalScope, AStoredScopeIsReadAsWritten) {
  const char* text = R"({"final_use": true, "outputs": [7, "9", null]})";
  ApprovalScope scope = read_approval_scope(text);
  EXPECT_EQ(scope.json, text);
  EXPECT_TRUE(scope.clears_output(7));
  EXPECT_TRUE(scope.clears_output(9));
  EXPECT_FALSE(scope.clears_output(8));
  // Listing only what names no asset still limits the scope.
  EXPECT_FALSE(read_approval_scope(R"({"final_use": true, "outputs": [true]})").clears_output(1));
  EXPECT_TRUE(read_approval_scope(R"({"final_use": true, "outputs": []})").clears_output(1));
  EXPECT_FALSE(read_approval_scope(R"({"final_use": 1})").clears_output(1));
  EXPECT_FALSE(read_approval_scope("not json").clears_output(1));
  EXPECT_EQ(read_approval_scope("not json").json, "not json");
}

}  // namespace
}  // namespace clearcut::domain
