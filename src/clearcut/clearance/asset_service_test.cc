#include "clearcut/clearance/asset_service.h"

#include <gtest/gtest.h>

#include "clearcut/domain/validation.h"

namespace clearcut::clearance {
namespace {

domain::Approval approval(const std::string& scope, const std::string& expires = "") {
  domain::Approval a;
  a.granted = true;
  a.scope = domain::read_approval_scope(scope);
  a.expires_at = expires;
  return a;
}

TEST(ApprovalClearsTest, OnlyACurrentFinalUseApprovalClears) {
  domain::Asset asset;
  asset.id = 7;
  const auto now = *domain::parse_rfc3339_utc("2026-11-22T10:00:00.000Z");
  EXPECT_TRUE(approval_clears(approval(R"({"final_use": true})"), asset, now));
  EXPECT_FALSE(approval_clears(approval(R"({"final_use": false})"), asset, now));
  EXPECT_FALSE(approval_clears(approval(R"({})"), asset, now));
  EXPECT_FALSE(approval_clears(approval("not json"), asset, now));
  EXPECT_TRUE(approval_clears(approval(R"({"final_use": true, "outputs": [7]})"), asset, now));
  EXPECT_TRUE(approval_clears(approval(R"({"final_use": true, "outputs": ["7"]})"), asset, now));
  EXPECT_FALSE(approval_clears(approval(R"({"final_use": true, "outputs": [8]})"), asset, now));
  EXPECT_FALSE(
      approval_clears(approval(R"({"final_use": true})", "2026-11-21T00:00:00Z"), asset, now));
  EXPECT_TRUE(
      approval_clears(approval(R"({"final_use": true})", "2027-01-01T00:00:00Z"), asset, now));
  domain::Approval outdated = approval(R"({"final_use": true})");
  outdated.outdated = true;
  EXPECT_FALSE(approval_clears(outdated, asset, now));
  domain::Approval refused = approval(R"({"final_use": true})");
  refused.granted = false;
  EXPECT_FALSE(approval_clears(refused, asset, now));
}

}  // namespace
}  // namespace clearcut::clearance
