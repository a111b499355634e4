#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clearcut::domain {

// An action the decision requires, or a question it leaves open (issue #14).
enum class ChecklistItemKind : uint8_t { kAction, kQuestion };
std::string_view checklist_item_kind_name(ChecklistItemKind kind);
std::optional<ChecklistItemKind> parse_checklist_item_kind(std::string_view name);

// open until met (with evidence) or waived (by legal, with a reason).
enum class ChecklistItemState : uint8_t { kOpen, kMet, kWaived };
std::string_view checklist_item_state_name(ChecklistItemState state);
std::optional<ChecklistItemState> parse_checklist_item_state(std::string_view name);

// One thing to settle before legal may give written approval: a required action of the use
// case's current decision (firm, or conditional on facts still unknown) or an open question
// (an unknown fact the decision names). Items are derived from the decision; what was recorded
// against an item (evidence, a waiver) stays while the item does.
struct ChecklistItem {
  int64_t id = 0;
  int64_t use_case_id = 0;
  ChecklistItemKind kind = ChecklistItemKind::kAction;
  std::string name;                // the action (talent_consent) or the field (talent.real_person)
  std::vector<std::string> rules;  // the rule ids it came from
  bool conditional = false;        // only rules whose condition is unknown ask for it
  ChecklistItemState state = ChecklistItemState::kOpen;
  std::string evidence_json;  // met: the evidence recorded, a JSON object; else empty
  std::string reason;         // waived: legal's reason; else empty
  int64_t decided_by = 0;     // who recorded the evidence or the waiver; 0 = nobody yet
  std::string decided_at;     // when; empty while open
  // open: what keeps it open when the service can tell (a tool's stale review). Worked out
  // whenever the checklist is read, never stored.
  std::string note;
};

// "TAL-1 TRIG-LIKENESS" and back: how an item's rules are stored.
std::string checklist_rules_text(const std::vector<std::string>& rules);
std::optional<std::vector<std::string>> parse_checklist_rules(std::string_view text);

}  // namespace clearcut::domain
