#include "clearcut/store/sql/sql_store.h"

#include <utility>

#include "clearcut/store/sql/sql_transaction.h"

namespace clearcut::store::sql {

SqlStore::SqlStore(const SqlDialect& dialect, std::shared_ptr<ConnectionPool> pool)
    : dialect_(dialect), pool_(std::move(pool)) {}

base::Result<std::unique_ptr<Transaction>> SqlStore::begin() {
  // A pooled connection may have died while idle (a server restart); one retry on a fresh
  // connection hides that from the caller.
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<SqlConnection> connection = CC_TRY(pool_->acquire());
    base::Status begun = connection->execute(dialect_.begin);
    if (begun.has_value()) {
      return std::unique_ptr<Transaction>(std::make_unique<SqlTransaction>(
          pool_, std::move(connection), dialect_, account_changes_));
    }
    bool retry = attempt == 0 && !connection->healthy();
    pool_->release(std::move(connection));
    if (!retry) {
      return std::move(begun).error().with_context("begin transaction");
    }
  }
}

base::Status SqlStore::execute_raw(std::string_view sql) {
  std::unique_ptr<SqlConnection> connection = CC_TRY(pool_->acquire());
  base::Status status = connection->execute(sql);
  pool_->release(std::move(connection));
  account_changes_->fetch_add(1, std::memory_order_release);
  return status;
}

base::Result<SqlRows> SqlStore::query_raw(std::string_view sql,
                                          const std::vector<SqlValue>& params) {
  std::unique_ptr<SqlConnection> connection = CC_TRY(pool_->acquire());
  base::Result<SqlRows> rows = connection->query(sql, params);
  pool_->release(std::move(connection));
  account_changes_->fetch_add(1, std::memory_order_release);
  return rows;
}

}  // namespace clearcut::store::sql
