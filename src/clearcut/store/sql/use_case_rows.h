#pragma once

#include "clearcut/store/sql/statements.h"
#include "clearcut/store/use_case_records.h"

namespace clearcut::store::sql {

// Use cases, their history, comments and checklists, in SQL both backends speak.
class SqlUseCaseRecords final : public UseCaseRecords {
 public:
  explicit SqlUseCaseRecords(Statements& statements) : statements_(statements) {}

  base::Result<int64_t> create(const domain::UseCase& use_case) override;
  base::Result<domain::UseCase> get(int64_t id) override;
  base::Status update(const domain::UseCase& use_case) override;
  base::Status set_assignee(int64_t use_case_id, int64_t assignee_id) override;
  base::Result<std::vector<domain::UseCase>> list(const UseCaseFilter& filter) override;
  base::Result<std::vector<StateCount>> count_by_state(
      const std::vector<int64_t>& production_ids) override;
  base::Result<std::vector<CategoryCount>> count_by_rule_category(
      int64_t production_id,
      const std::vector<std::pair<std::string, std::string>>& rule_categories) override;
  base::Result<int64_t> append_event(const domain::UseCaseEvent& event) override;
  base::Result<std::vector<domain::UseCaseEvent>> list_events(int64_t use_case_id) override;
  base::Result<std::vector<domain::UseCaseEvent>> list_events_of(
      const std::vector<int64_t>& use_case_ids) override;
  base::Result<int64_t> add_comment(const domain::Comment& comment) override;
  base::Result<std::vector<domain::Comment>> list_comments(int64_t use_case_id) override;
  base::Result<int64_t> add_checklist_item(const domain::ChecklistItem& item) override;
  base::Result<std::vector<domain::ChecklistItem>> list_checklist(int64_t use_case_id) override;
  base::Status update_checklist_item(const domain::ChecklistItem& item) override;
  base::Status delete_checklist_item(int64_t id) override;

 private:
  Statements& statements_;
};

}  // namespace clearcut::store::sql
