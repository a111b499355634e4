#pragma once

// For the clearance tests: a clock the test sets, take(), and the fixtures' common steps.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/base/file.h"
#include "clearcut/base/result.h"
#include "clearcut/clearance/actor.h"
#include "clearcut/clearance/clearance_service.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/domain/tool_registry.h"
#include "clearcut/domain/validation.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// Stands where the test puts it (2026-12-01T10:00:00Z, a Tuesday, until set). Not thread-safe.
class TestClock : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return now_; }
  void set(std::string_view rfc3339) { now_ = domain::parse_rfc3339_utc(rfc3339).value(); }

 private:
  std::chrono::system_clock::time_point now_ =
      domain::parse_rfc3339_utc("2026-12-01T10:00:00Z").value();
};

// The value, failing the test with the error's text when there is none.
template <typename T>
T take(base::Result<T> result) {
  if (!result.has_value()) {
    ADD_FAILURE() << result.error().to_string();
  }
  return std::move(result).value();
}

// A file of the source tree ("policies/tools.yaml"), for test targets (CLEARCUT_SOURCE_DIR).
inline std::string read_source(const std::string& path) {
  return take(base::read_file(std::string(CLEARCUT_SOURCE_DIR) + "/" + path));
}

// A user of organization `org` named `name` (e-mail name@studio.example) with `roles`.
inline Actor add_user(store::Transaction& tx, int64_t org, const std::string& name,
                      const std::vector<std::pair<int64_t, domain::Role>>& roles) {
  Actor actor;
  actor.user.organization_id = org;
  actor.user.email = name + "@studio.example";
  actor.user.name = name;
  actor.user.created_at = "2026-11-01T00:00:00Z";
  actor.user.id = take(tx.accounts().create_user(actor.user));
  for (const auto& [production, role] : roles) {
    domain::Membership m{actor.user.id, production, role};
    EXPECT_TRUE(tx.accounts().set_membership(m).has_value());
    actor.memberships.push_back(m);
  }
  return actor;
}

// The default policy pack activated and the example tool registry loaded, by `admin`.
inline void load_default_policy(ClearanceService& service, const Actor& admin) {
  ASSERT_TRUE(
      service.activate_policy_pack(admin, read_source("policies/netflix-genai.yaml")).has_value());
  domain::ToolRegistry tools =
      take(domain::parse_tool_registry(read_source("policies/tools.yaml"), "tools.yaml"));
  for (const domain::Tool& tool : tools.tools()) {
    ASSERT_TRUE(service.upsert_tool(admin, tool).has_value());
  }
}

}  // namespace clearcut::clearance
