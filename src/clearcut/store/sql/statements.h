#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/store/sql/sql_connection.h"

namespace clearcut::store::sql {

// The statements of one transaction, on the connection it holds: what every record set of a
// SqlTransaction runs its SQL through. Once the database rejects a statement the transaction
// is aborted, as PostgreSQL does, so that both backends behave alike: later statements and
// commit() fail with kFailedPrecondition.
class Statements {
 public:
  // `connection` must be inside a transaction begun with dialect.begin.
  Statements(std::unique_ptr<SqlConnection> connection, const SqlDialect& dialect);
  Statements(const Statements&) = delete;
  Statements& operator=(const Statements&) = delete;

  // What to tell people when a unique key is taken or a referenced row is missing.
  struct Messages {
    std::string_view exists;
    std::string_view missing;
  };

  // Runs one statement; a database error aborts the transaction and is reworded with `action`
  // and `messages`. Text parameters must be UTF-8 without NUL (kInvalidArgument otherwise:
  // PostgreSQL refuses them, and SQLite must not store what PostgreSQL would not).
  base::Result<SqlRows> run(std::string_view action, std::string_view sql,
                            const std::vector<SqlValue>& params, Messages messages = {});
  // Takes the transaction-scoped lock `key` (kAuditLogLock, ...) where the dialect has locks.
  base::Status lock(std::string_view action, int64_t key);

  // The usual end of an UPDATE or DELETE ... RETURNING that names a row by id: OK when it
  // changed a row; else kNotFound when `table` has no row `id`, or kFailedPrecondition with
  // `refusal` when it has one that was not in the state the statement required.
  base::Status changed(std::string_view action, const SqlRows& rows, std::string_view table,
                       std::string_view what, int64_t id, std::string refusal = {});

  const SqlDialect& dialect() const { return dialect_; }

  base::Status commit();
  // Rolls back unless committed and hands the connection back for the pool (null when already
  // handed back). A failed rollback leaves the connection unhealthy; the pool then closes it.
  std::unique_ptr<SqlConnection> finish();

 private:
  enum class State { kOpen, kAborted, kFinished };

  base::Status usable() const;

  std::unique_ptr<SqlConnection> connection_;
  SqlDialect dialect_;
  State state_ = State::kOpen;
};

// Answers shared by the record sets.
base::Error missing(std::string_view what, int64_t id);
base::Error failed_precondition(std::string message);
base::Error data_loss(std::string message);
// kInvalidArgument unless 1 <= limit <= kMaxListLimit.
base::Status check_limit(int limit);
// The value of a statement that yields one integer in one row (a count, an inserted id).
base::Result<int64_t> single_integer(const SqlRows& rows);
// " AND <column> IN (?, ...)" for `ids` (nothing when `ids` is empty), their values appended to
// `params`.
std::string in_list(std::string_view column, const std::vector<int64_t>& ids,
                    std::vector<SqlValue>& params);
// `before_id` of a newest-first page: 0 means from the newest.
int64_t page_below(int64_t before_id);

}  // namespace clearcut::store::sql
