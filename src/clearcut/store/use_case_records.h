#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/checklist.h"
#include "clearcut/domain/use_case.h"

namespace clearcut::store {

struct UseCaseFilter {
  std::vector<int64_t> production_ids;  // empty = all
  std::optional<domain::UseCaseState> state;
  int64_t after_id = 0;  // keyset pagination: ids greater than this
  int limit = 50;        // 1..kMaxListLimit
};

// How many use cases of a production are in a state.
struct StateCount {
  int64_t production_id = 0;
  domain::UseCaseState state = domain::UseCaseState::kDraft;
  int64_t count = 0;
};

// How many use cases in `state` have, in their stored decision, a rule of `category` that fired
// (unsettled false), or only rules of it whose condition came out unknown (unsettled true).
struct CategoryCount {
  std::string category;
  domain::UseCaseState state = domain::UseCaseState::kDraft;
  bool unsettled = false;
  int64_t count = 0;
};

// Declared GenAI uses with their decisions, history and comments. Part of a Transaction
// (store.h), whose contract every call follows.
class UseCaseRecords {
 public:
  virtual ~UseCaseRecords() = default;

  // A new use case is stored at revision 1.
  virtual base::Result<int64_t> create(const domain::UseCase& use_case) = 0;
  virtual base::Result<domain::UseCase> get(int64_t id) = 0;
  // Writes every field but id, production_id, created_by, created_at and assignee_id, if the
  // stored revision equals use_case.revision; stores revision + 1. Stale: kFailedPrecondition.
  // A change of state ends the assignment (assignee_id becomes 0).
  virtual base::Status update(const domain::UseCase& use_case) = 0;
  // Assigns the use case to a user (0: nobody), its revision unchanged.
  virtual base::Status set_assignee(int64_t use_case_id, int64_t assignee_id) = 0;
  virtual base::Result<std::vector<domain::UseCase>> list(
      const UseCaseFilter& filter) = 0;  // by id

  // Counts by production and state, in one query (dashboards): only states with use cases.
  // Empty `production_ids`: every production.
  virtual base::Result<std::vector<StateCount>> count_by_state(
      const std::vector<int64_t>& production_ids) = 0;
  // Counts the production's notified, escalated and approved use cases by the categories of the
  // rules their stored decisions list, in one query: `rule_categories` pairs a category with a
  // rule id (a rule may be in several categories). A use case counts once per category.
  virtual base::Result<std::vector<CategoryCount>> count_by_rule_category(
      int64_t production_id,
      const std::vector<std::pair<std::string, std::string>>& rule_categories) = 0;

  virtual base::Result<int64_t> append_event(const domain::UseCaseEvent& event) = 0;
  virtual base::Result<std::vector<domain::UseCaseEvent>> list_events(int64_t use_case_id) = 0;
  // The histories of several use cases in one query (at most kMaxListLimit ids), by use case id
  // and then event id.
  virtual base::Result<std::vector<domain::UseCaseEvent>> list_events_of(
      const std::vector<int64_t>& use_case_ids) = 0;

  virtual base::Result<int64_t> add_comment(const domain::Comment& comment) = 0;
  virtual base::Result<std::vector<domain::Comment>> list_comments(int64_t use_case_id) = 0;

  // A use case's checklist (domain/checklist.h), by id. One item per (use case, kind, name):
  // kAlreadyExists for a second.
  virtual base::Result<int64_t> add_checklist_item(const domain::ChecklistItem& item) = 0;
  virtual base::Result<std::vector<domain::ChecklistItem>> list_checklist(int64_t use_case_id) = 0;
  // Writes rules, conditional, state, evidence, reason and who decided when.
  virtual base::Status update_checklist_item(const domain::ChecklistItem& item) = 0;
  virtual base::Status delete_checklist_item(int64_t id) = 0;
};

}  // namespace clearcut::store
