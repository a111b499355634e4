#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/checklist.h"
#include "clearcut/domain/declaration.h"
#include "clearcut/domain/tool_registry.h"
#include "clearcut/domain/use_case.h"

namespace clearcut::clearance {

// How an action item is met: by consents linked to the use case (computed, never ticked), by the
// tool registry (computed: every stage's tool reviewed in date), by a document (its SHA-256) or
// by a statement the contact or legal records.
enum class EvidenceKind : uint8_t { kConsent, kRegistry, kDocument, kStatement };

// The actions that gate a written approval, with what meets each (issue #14). The others are
// not items: notify_contact is met by submitting, legal_review by the approval itself, and
// register_outputs and keep_temporary bind what happens after it. nullopt: not an item.
std::optional<EvidenceKind> checklist_evidence_kind(std::string_view action);

// The items the decision (the JSON `clearcut assess --json` prints) asks for, open: its
// gating actions with the rules they came from, then the actions of rules whose condition is
// unknown (conditional, unless a firm rule asks for them too), then its unknown facts as
// questions. kInvalidArgument when the JSON is not a decision.
base::Result<std::vector<domain::ChecklistItem>> derive_checklist(std::string_view decision_json);

// What to write to turn the stored items into the derived ones. An item keeps its id and what
// was recorded against it (evidence, waiver) while the decision still asks for it; its rules
// and whether it is conditional follow the decision.
struct ChecklistChanges {
  std::vector<domain::ChecklistItem> added;    // ids 0
  std::vector<domain::ChecklistItem> updated;  // rules or conditional changed
  std::vector<domain::ChecklistItem> removed;  // no longer asked for
  std::vector<domain::ChecklistItem> result;   // the checklist afterwards (added ones id 0)
  bool empty() const { return added.empty() && updated.empty() && removed.empty(); }
};
ChecklistChanges reconcile_checklist(const std::vector<domain::ChecklistItem>& stored,
                                     const std::vector<domain::ChecklistItem>& derived);

// The consents that cover the declared use: linked to the use case or production-wide, in
// force at `now` (not revoked, not expired), and together of every kind the declaration needs
// (replica_creation when talent.digital_replica is create, replica_use when use, alteration when
// talent.alteration is significant; any kind when it names none). Empty when they fall short.
std::vector<int64_t> covering_consents(const domain::Declaration& declaration,
                                       const std::vector<domain::Consent>& consents,
                                       int64_t use_case_id,
                                       std::chrono::system_clock::time_point now);

// Marks the open consent items of `items` met, with the covering consent ids as evidence, when
// `consent_ids` is not empty. Nothing is stored: coverage follows the consents as they are.
void apply_consent_coverage(const std::vector<int64_t>& consent_ids,
                            std::vector<domain::ChecklistItem>* items);

// Decides the tool items (use_enterprise_tool, review_tool_terms) of `items` from the registry,
// whatever was recorded against them before, except a waiver, which stands. Met when every stage
// of the declaration names a registered tool whose terms were reviewed (terms_reviewed yes) and
// whose review is in date on period.today, and for use_enterprise_tool that has an enterprise
// agreement; the evidence lists each tool with its reviewed_on. Otherwise open, with a note
// naming each stage that falls short and why. Nothing is stored: the items follow the registry.
void apply_tool_reviews(const domain::Declaration& declaration,
                        const domain::ToolRegistry& registry, const domain::ReviewPeriod& period,
                        std::vector<domain::ChecklistItem>* items);

// Whether `items` hold an audience_disclosure item that is met (its plan recorded) but whose
// evidence carries no confirmation that the disclosure was made (confirm_disclosure): until
// then a scan does not pass the use case's outputs. A waived item asks for nothing.
bool disclosure_unconfirmed(const std::vector<domain::ChecklistItem>& items);

}  // namespace clearcut::clearance
