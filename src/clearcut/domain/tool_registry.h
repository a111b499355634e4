#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/declaration.h"

namespace clearcut::domain {

// A GenAI tool as the studio has reviewed it (POLICY.md §4). Its facts use the stage slots.
struct Tool {
  std::string id;
  std::string name;
  std::string vendor;
  std::string license_tier;
  std::string reviewed_on;  // ISO 8601 date
  std::array<int8_t, kStageScalarCount> scalars;

  Tool() { scalars.fill(kAbsent); }
};

// The reviewed tools, by id. A value type; look-ups are linear (registries hold tens of tools).
class ToolRegistry {
 public:
  ToolRegistry() = default;
  explicit ToolRegistry(std::vector<Tool> tools) : tools_(std::move(tools)) {}

  const Tool* find(std::string_view id) const;
  const std::vector<Tool>& tools() const { return tools_; }

 private:
  std::vector<Tool> tools_;
};

// Reads a registry file: `tools:` followed by a list of tools. Strict like the declaration
// reader: unknown fields, bad values (reviewed_on is a YYYY-MM-DD date) and duplicate ids are
// errors naming file, line and field.
base::Result<ToolRegistry> parse_tool_registry(std::string_view text, const std::string& file);

// How long a review vouches for a tool (the pack's tool_review_months) and the day of the
// assessment: the CLI's today, the service's request time, a test's fixed date.
struct ReviewPeriod {
  int months = 12;
  std::chrono::sys_days today;
};
inline constexpr int kDefaultToolReviewMonths = 12;

// The stage facts a review vouches for: what the vendor's terms say (terms_reviewed,
// trains_on_data, retains_data, training_data, indemnified). Terms change without notice, so an
// old review says nothing about them. enterprise_agreement is the studio's own contract, kept on
// file whatever the review's age, so it stands.
bool review_vouches_for(uint8_t stage_slot);

// Why the tool's review does not vouch for it on period.today: "reviewed_on 2025-01-10 is older
// than the pack's 12-month review period" (older: more than `months` calendar months before,
// so a review is in date through the same day `months` later), or "it has no reviewed_on".
// Empty when the review is in date.
std::string stale_review(const Tool& tool, const ReviewPeriod& period);

// "trains_on_data, retains_data, terms_reviewed, training_data and indemnified": the fields an
// explanation names when a stale review leaves them unknown.
std::string review_vouched_fields();

// Puts each registered tool's facts into the stages that name it. Where the registry and an
// inline fact disagree the registry wins, and the disagreement is kept in `overrides`. A tool
// whose review is stale (stale_review) counts as not reviewed: the facts the review vouches for
// read as unknown (unsure) whatever the stage declares, and the reason goes to `stale_reviews`.
// A stage naming a tool the registry does not hold is an error (field `pipeline[i].tool`).
base::Status apply_registry(const ToolRegistry& registry, const ReviewPeriod& period,
                            Declaration* declaration);

}  // namespace clearcut::domain
