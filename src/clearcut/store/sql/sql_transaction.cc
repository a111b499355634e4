#include "clearcut/store/sql/sql_transaction.h"

#include <utility>

namespace clearcut::store::sql {

SqlTransaction::SqlTransaction(std::shared_ptr<ConnectionPool> pool,
                               std::unique_ptr<SqlConnection> connection, const SqlDialect& dialect)
    : pool_(std::move(pool)), statements_(std::move(connection), dialect) {}

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
  return status;
}

}  // namespace clearcut::store::sql
