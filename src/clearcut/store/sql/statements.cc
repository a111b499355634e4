#include "clearcut/store/sql/statements.h"

#include <limits>
#include <utility>

#include "clearcut/base/utf8.h"
#include "clearcut/store/store.h"

namespace clearcut::store::sql {
namespace {

using base::Error;
using base::ErrorCode;
using base::Result;
using base::Status;

Status check_params(const std::vector<SqlValue>& params) {
  for (const SqlValue& value : params) {
    const auto* text = std::get_if<std::string>(&value);
    if (text == nullptr) {
      continue;
    }
    if (text->find('\0') != std::string::npos) {
      return base::invalid_argument("text contains a NUL character");
    }
    if (base::find_invalid_utf8(*text).has_value()) {
      return base::invalid_argument("text is not valid UTF-8");
    }
  }
  return {};
}

}  // namespace

Statements::Statements(std::unique_ptr<SqlConnection> connection, const SqlDialect& dialect)
    : connection_(std::move(connection)), dialect_(dialect) {}

Status Statements::usable() const {
  switch (state_) {
    case State::kOpen:
      return {};
    case State::kAborted:
      return failed_precondition(
          "transaction aborted by an earlier database error; begin a new one");
    case State::kFinished:
      return failed_precondition("transaction already finished");
  }
  return failed_precondition("transaction in an unknown state");
}

Result<SqlRows> Statements::run(std::string_view action, std::string_view sql,
                                const std::vector<SqlValue>& params, Messages messages) {
  if (Status status = usable(); !status.has_value()) {
    return std::move(status).error().with_context(action);
  }
  if (Status status = check_params(params); !status.has_value()) {
    return std::move(status).error().with_context(action);
  }
  Result<SqlRows> rows = connection_->query(sql, params);
  if (rows.has_value()) {
    return rows;
  }
  state_ = State::kAborted;
  Error error = std::move(rows).error();
  if (error.code() == ErrorCode::kAlreadyExists && !messages.exists.empty()) {
    error = Error(ErrorCode::kAlreadyExists, std::string(messages.exists));
  } else if (error.code() == ErrorCode::kNotFound && !messages.missing.empty()) {
    error = base::not_found(std::string(messages.missing));
  }
  return error.with_context(action);
}

Status Statements::lock(std::string_view action, int64_t key) {
  if (!dialect_.lock.empty()) {
    CC_TRY(run(action, dialect_.lock, {SqlValue(key)}));
  }
  return {};
}

Status Statements::changed(std::string_view action, const SqlRows& rows, std::string_view table,
                           std::string_view what, int64_t id, std::string refusal) {
  if (!rows.empty()) {
    return {};
  }
  if (!refusal.empty()) {
    std::string sql = "SELECT id FROM " + std::string(table) + " WHERE id = ?";
    SqlRows found = CC_TRY(run(action, sql, {id}));
    if (!found.empty()) {
      return failed_precondition(std::move(refusal));
    }
  }
  return missing(what, id);
}

Status Statements::commit() {
  if (state_ == State::kAborted) {
    return failed_precondition("commit: transaction aborted by an earlier database error");
  }
  CC_TRY(usable());
  Status status = connection_->execute("COMMIT");
  if (!status.has_value()) {
    // The database rolled back or lost the transaction; finish() makes sure and cleans up.
    state_ = State::kAborted;
    return std::move(status).error().with_context("commit");
  }
  state_ = State::kFinished;
  return {};
}

std::unique_ptr<SqlConnection> Statements::finish() {
  if (connection_ != nullptr && state_ != State::kFinished) {
    (void)connection_->execute("ROLLBACK");
    state_ = State::kFinished;
  }
  return std::move(connection_);
}

Error missing(std::string_view what, int64_t id) {
  return base::not_found(std::string(what) + " " + std::to_string(id) + " not found");
}

Error failed_precondition(std::string message) {
  return Error(ErrorCode::kFailedPrecondition, std::move(message));
}

Error data_loss(std::string message) {
  return Error(ErrorCode::kDataLoss, std::move(message));
}

Status check_limit(int limit) {
  if (limit < 1 || limit > kMaxListLimit) {
    return base::invalid_argument("limit must be between 1 and " + std::to_string(kMaxListLimit))
        .with_field("limit");
  }
  return {};
}

Result<int64_t> single_integer(const SqlRows& rows) {
  if (rows.size() != 1) {
    return base::internal_error("expected one row");
  }
  SqlRowReader r(rows[0]);
  int64_t value = r.int64();
  CC_TRY(r.status());
  return value;
}

std::string in_list(std::string_view column, const std::vector<int64_t>& ids,
                    std::vector<SqlValue>& params) {
  if (ids.empty()) {
    return {};
  }
  std::string sql = " AND " + std::string(column) + " IN (";
  for (size_t i = 0; i < ids.size(); ++i) {
    sql += i == 0 ? "?" : ", ?";
    params.emplace_back(ids[i]);
  }
  return sql + ')';
}

int64_t page_below(int64_t before_id) {
  return before_id > 0 ? before_id : std::numeric_limits<int64_t>::max();
}

}  // namespace clearcut::store::sql
