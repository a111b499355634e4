#include "clearcut/store/sql/sql_transaction.h"

#include <utility>

namespace clearcut::store::sql {

SqlTransaction::SqlTransaction(std::shared_ptr<ConnectionPool> pool,
                               std::unique_ptr<SqlConnection> connection, const SqlDialect& dialect,
                               std::shared_ptr<std::atomic<uint64_t>> account_changes)
    : pool_(std::move(pool)),
      account_changes_(std::move(account_changes)),
      statements_(std::move(connection), dialect) {}

SqlTransaction::~SqlTransaction() {
  finish();
}

void SqlTransaction::finish() {
  if (std::unique_ptr<SqlConnection> connection = statements_.finish(); connection != nullptr) {
    pool_->release(std::move(connection));
  }
}

base::Status SqlTransaction::commit() {
  base::Status status = statements_.commit();
  finish();
  // After the commit: an actor read before it was cached under the count this moves past. A
  // failed commit counts too (its outcome may be unknown).
  if (accounts_.changed_actors()) {
    account_changes_->fetch_add(1, std::memory_order_release);
  }
  return status;
}

}  // namespace clearcut::store::sql
