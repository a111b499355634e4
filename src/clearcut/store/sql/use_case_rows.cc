#include "clearcut/store/sql/use_case_rows.h"

#include <optional>
#include <string>
#include <utility>

#include "clearcut/domain/validation.h"
#include "clearcut/store/sql/table.h"
#include "clearcut/store/store.h"

namespace clearcut::store::sql {
namespace {

using base::Result;
using base::Status;
using domain::ChecklistItem;
using domain::Comment;
using domain::UseCase;
using domain::UseCaseEvent;

constexpr auto kUseCases = table<UseCase>(
    "use_cases", key<&UseCase::id>("id"), field<&UseCase::production_id>("production_id"),
    field<&UseCase::created_by>("created_by"), field<&UseCase::summary>("summary"),
    field<&UseCase::declaration_json>("declaration_json"),
    field<&UseCase::declaration_digest>("declaration_digest"),
    enum_field<&UseCase::state, domain::use_case_state_name, domain::parse_use_case_state>("state"),
    enum_field<&UseCase::outcome, domain::use_case_outcome_text, domain::parse_use_case_outcome>(
        "outcome"),
    field<&UseCase::decision_json>("decision_json"),
    field<&UseCase::policy_digest>("policy_digest"),
    field<&UseCase::engine_version>("engine_version"), field<&UseCase::revision>("revision"),
    field<&UseCase::created_at>("created_at"), field<&UseCase::updated_at>("updated_at"),
    optional_field<&UseCase::assignee_id>("assignee_id"));

constexpr auto kEvents = table<UseCaseEvent>(
    "use_case_events", key<&UseCaseEvent::id>("id"),
    field<&UseCaseEvent::use_case_id>("use_case_id"),
    optional_field<&UseCaseEvent::actor_id>("actor_id"),
    enum_field<&UseCaseEvent::kind, domain::use_case_event_kind_name,
               domain::parse_use_case_event_kind>("kind"),
    field<&UseCaseEvent::from_state>("from_state"), field<&UseCaseEvent::to_state>("to_state"),
    field<&UseCaseEvent::note>("note"), field<&UseCaseEvent::at>("at"));

constexpr auto kComments =
    table<Comment>("comments", key<&Comment::id>("id"), field<&Comment::use_case_id>("use_case_id"),
                   field<&Comment::author_id>("author_id"), field<&Comment::body>("body"),
                   field<&Comment::created_at>("created_at"));

constexpr auto kChecklist = table<ChecklistItem>(
    "checklist_items", key<&ChecklistItem::id>("id"),
    field<&ChecklistItem::use_case_id>("use_case_id"),
    enum_field<&ChecklistItem::kind, domain::checklist_item_kind_name,
               domain::parse_checklist_item_kind>("kind"),
    field<&ChecklistItem::name>("name"),
    enum_field<&ChecklistItem::rules, domain::checklist_rules_text, domain::parse_checklist_rules>(
        "rules"),
    field<&ChecklistItem::conditional>("conditional"),
    enum_field<&ChecklistItem::state, domain::checklist_item_state_name,
               domain::parse_checklist_item_state>("state"),
    field<&ChecklistItem::evidence_json>("evidence_json"), field<&ChecklistItem::reason>("reason"),
    optional_field<&ChecklistItem::decided_by>("decided_by"),
    optional_field<&ChecklistItem::decided_at>("decided_at"));

constexpr Statements::Messages kUseCaseMissing = {{}, "use case or user not found"};

}  // namespace

Result<int64_t> SqlUseCaseRecords::create(const UseCase& use_case) {
  CC_TRY(domain::check_time(use_case.created_at, "created_at"));
  CC_TRY(domain::check_time(use_case.updated_at, "updated_at"));
  UseCase stored = use_case;
  stored.revision = 1;
  return single_integer(
      CC_TRY(statements_.run("create use case", kUseCases.insert(), kUseCases.values(stored),
                             {{}, "production or user not found"})));
}

Result<UseCase> SqlUseCaseRecords::get(int64_t id) {
  SqlRows rows = CC_TRY(statements_.run("get use case", kUseCases.select("WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("use case", id);
  }
  return kUseCases.read(rows[0]);
}

Status SqlUseCaseRecords::update(const UseCase& use_case) {
  constexpr std::string_view kAction = "update use case";
  CC_TRY(domain::check_time(use_case.updated_at, "updated_at"));
  SqlRows rows = CC_TRY(statements_.run(
      kAction,
      "UPDATE use_cases SET summary = ?, declaration_json = ?, declaration_digest = ?, "
      "assignee_id = CASE WHEN state = ? THEN assignee_id ELSE NULL END, "
      "state = ?, outcome = ?, decision_json = ?, policy_digest = ?, engine_version = ?, "
      "updated_at = ?, revision = revision + 1 WHERE id = ? AND revision = ? RETURNING id",
      {use_case.summary, use_case.declaration_json, use_case.declaration_digest,
       std::string(domain::use_case_state_name(use_case.state)),
       std::string(domain::use_case_state_name(use_case.state)),
       std::string(domain::use_case_outcome_text(use_case.outcome)), use_case.decision_json,
       use_case.policy_digest, use_case.engine_version, use_case.updated_at, use_case.id,
       use_case.revision}));
  if (!rows.empty()) {
    return {};
  }
  rows = CC_TRY(
      statements_.run(kAction, "SELECT revision FROM use_cases WHERE id = ?", {use_case.id}));
  if (rows.empty()) {
    return missing("use case", use_case.id);
  }
  int64_t stored = CC_TRY(single_integer(rows));
  return failed_precondition(
      "use case " + std::to_string(use_case.id) + " was changed meanwhile (revision " +
      std::to_string(use_case.revision) + " read, " + std::to_string(stored) + " stored)");
}

Status SqlUseCaseRecords::set_assignee(int64_t use_case_id, int64_t assignee_id) {
  constexpr std::string_view kAction = "assign use case";
  SqlRows rows = CC_TRY(
      statements_.run(kAction, "UPDATE use_cases SET assignee_id = ? WHERE id = ? RETURNING id",
                      {id_or_null(assignee_id), use_case_id}, kUseCaseMissing));
  return statements_.changed(kAction, rows, "use_cases", "use case", use_case_id);
}

Result<std::vector<UseCase>> SqlUseCaseRecords::list(const UseCaseFilter& filter) {
  CC_TRY(check_limit(filter.limit));
  // Only the conditions in use appear, so that each shape of query can use its index.
  std::vector<SqlValue> params = {filter.after_id};
  std::string where = "WHERE id > ?" + in_list("production_id", filter.production_ids, params);
  if (filter.state.has_value()) {
    where += " AND state = ?";
    params.emplace_back(std::string(domain::use_case_state_name(*filter.state)));
  }
  where += " ORDER BY id LIMIT ?";
  params.emplace_back(int64_t{filter.limit});
  return kUseCases.read_all(
      CC_TRY(statements_.run("list use cases", kUseCases.select(where), params)));
}

Result<std::vector<StateCount>> SqlUseCaseRecords::count_by_state(
    const std::vector<int64_t>& production_ids) {
  std::vector<SqlValue> params;
  SqlRows rows =
      CC_TRY(statements_.run("count use cases",
                             "SELECT production_id, state, COUNT(*) FROM use_cases WHERE 1 = 1" +
                                 in_list("production_id", production_ids, params) +
                                 " GROUP BY production_id, state ORDER BY production_id, state",
                             params));
  std::vector<StateCount> out;
  for (const SqlRow& row : rows) {
    SqlRowReader r(row);
    StateCount count;
    count.production_id = r.int64();
    std::optional<domain::UseCaseState> state = domain::parse_use_case_state(r.text());
    count.count = r.int64();
    CC_TRY(r.status());
    if (!state) {
      return data_loss("stored use_cases has an unexpected value in state");
    }
    count.state = *state;
    out.push_back(count);
  }
  return out;
}

Result<std::vector<CategoryCount>> SqlUseCaseRecords::count_by_rule_category(
    int64_t production_id,
    const std::vector<std::pair<std::string, std::string>>& rule_categories) {
  if (rule_categories.empty()) {
    return std::vector<CategoryCount>{};
  }
  // The pairs as a table, joined to the rules each decision lists; a use case counts once per
  // category, settled when any of its rules there fired.
  std::vector<SqlValue> params;
  std::string sql = "WITH categories (category, rule_id) AS (VALUES ";
  for (size_t i = 0; i < rule_categories.size(); ++i) {
    sql += i == 0 ? "(?, ?)" : ", (?, ?)";
    params.emplace_back(rule_categories[i].first);
    params.emplace_back(rule_categories[i].second);
  }
  const SqlDialect& dialect = statements_.dialect();
  sql += "), hits AS (SELECT u.id AS id, u.state AS state, c.category AS category, MIN(CASE WHEN ";
  sql += dialect.rule_unknown;
  sql += " THEN 1 ELSE 0 END) AS unsettled FROM use_cases u, ";
  sql += dialect.decision_rules;
  sql +=
      ", categories c WHERE u.production_id = ? AND u.state IN ('notified', 'escalated', "
      "'approved') AND c.rule_id = ";
  sql += dialect.rule_id;
  sql +=
      " GROUP BY u.id, u.state, c.category) SELECT category, state, unsettled, COUNT(*) "
      "FROM hits GROUP BY category, state, unsettled ORDER BY category, state, unsettled";
  params.emplace_back(production_id);
  SqlRows rows = CC_TRY(statements_.run("count use cases by rule category", sql, params));
  std::vector<CategoryCount> out;
  for (const SqlRow& row : rows) {
    SqlRowReader r(row);
    CategoryCount count;
    count.category = r.text();
    std::optional<domain::UseCaseState> state = domain::parse_use_case_state(r.text());
    count.unsettled = r.int64() != 0;
    count.count = r.int64();
    CC_TRY(r.status());
    if (!state) {
      return data_loss("stored use_cases has an unexpected value in state");
    }
    count.state = *state;
    out.push_back(std::move(count));
  }
  return out;
}

Result<int64_t> SqlUseCaseRecords::append_event(const UseCaseEvent& event) {
  CC_TRY(domain::check_time(event.at, "at"));
  return single_integer(CC_TRY(statements_.run("append use case event", kEvents.insert(),
                                               kEvents.values(event), kUseCaseMissing)));
}

Result<std::vector<UseCaseEvent>> SqlUseCaseRecords::list_events(int64_t use_case_id) {
  return kEvents.read_all(CC_TRY(statements_.run(
      "list use case events", kEvents.select("WHERE use_case_id = ? ORDER BY id"), {use_case_id})));
}

Result<std::vector<UseCaseEvent>> SqlUseCaseRecords::list_events_of(
    const std::vector<int64_t>& use_case_ids) {
  if (use_case_ids.empty()) {
    return std::vector<UseCaseEvent>{};
  }
  if (use_case_ids.size() > static_cast<size_t>(kMaxListLimit)) {
    return base::invalid_argument("at most " + std::to_string(kMaxListLimit) +
                                  " use cases at once");
  }
  std::vector<SqlValue> params;
  std::string where = "WHERE 1 = 1" + in_list("use_case_id", use_case_ids, params);
  return kEvents.read_all(CC_TRY(statements_.run(
      "list use case events", kEvents.select(where + " ORDER BY use_case_id, id"), params)));
}

Result<int64_t> SqlUseCaseRecords::add_comment(const Comment& comment) {
  CC_TRY(domain::check_time(comment.created_at, "created_at"));
  return single_integer(CC_TRY(statements_.run("add comment", kComments.insert(),
                                               kComments.values(comment), kUseCaseMissing)));
}

Result<std::vector<Comment>> SqlUseCaseRecords::list_comments(int64_t use_case_id) {
  return kComments.read_all(CC_TRY(statements_.run(
      "list comments", kComments.select("WHERE use_case_id = ? ORDER BY id"), {use_case_id})));
}

// Checklists.

Result<int64_t> SqlUseCaseRecords::add_checklist_item(const ChecklistItem& item) {
  CC_TRY(domain::check_optional_time(item.decided_at, "decided_at"));
  return single_integer(CC_TRY(statements_.run(
      "add checklist item", kChecklist.insert(), kChecklist.values(item),
      {"the use case already has that checklist item", "use case or user not found"})));
}

Result<std::vector<ChecklistItem>> SqlUseCaseRecords::list_checklist(int64_t use_case_id) {
  return kChecklist.read_all(CC_TRY(statements_.run(
      "list checklist", kChecklist.select("WHERE use_case_id = ? ORDER BY id"), {use_case_id})));
}

Status SqlUseCaseRecords::update_checklist_item(const ChecklistItem& item) {
  constexpr std::string_view kAction = "update checklist item";
  CC_TRY(domain::check_optional_time(item.decided_at, "decided_at"));
  SqlRows rows = CC_TRY(statements_.run(
      kAction,
      "UPDATE checklist_items SET rules = ?, conditional = ?, state = ?, evidence_json = ?, "
      "reason = ?, decided_by = ?, decided_at = ? WHERE id = ? RETURNING id",
      {domain::checklist_rules_text(item.rules), item.conditional,
       std::string(domain::checklist_item_state_name(item.state)), item.evidence_json, item.reason,
       id_or_null(item.decided_by), text_or_null(item.decided_at), item.id},
      {{}, "user not found"}));
  if (rows.empty()) {
    return missing("checklist item", item.id);
  }
  return {};
}

Status SqlUseCaseRecords::delete_checklist_item(int64_t id) {
  SqlRows rows = CC_TRY(statements_.run(
      "delete checklist item", "DELETE FROM checklist_items WHERE id = ? RETURNING id", {id}));
  if (rows.empty()) {
    return missing("checklist item", id);
  }
  return {};
}

}  // namespace clearcut::store::sql
