#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "clearcut/store/sql/connection_pool.h"
#include "clearcut/store/sql/sql_connection.h"
#include "clearcut/store/store.h"

namespace clearcut::store::sql {

// A Store on a pool of connections to one SQL database; the backends differ only in their
// connections and dialect. Thread-safe.
class SqlStore final : public Store {
 public:
  SqlStore(const SqlDialect& dialect, std::shared_ptr<ConnectionPool> pool);

  base::Result<std::unique_ptr<Transaction>> begin() override;
  std::string_view backend() const override { return dialect_.backend; }
  uint64_t account_changes() const override {
    return account_changes_->load(std::memory_order_acquire);
  }

  // Runs statements outside the Store interface, on a pooled connection and outside any
  // transaction: for tests and maintenance, never for the service's own data.
  base::Status execute_raw(std::string_view sql);
  base::Result<SqlRows> query_raw(std::string_view sql, const std::vector<SqlValue>& params);

 private:
  SqlDialect dialect_;
  std::shared_ptr<ConnectionPool> pool_;
  // Shared with the transactions, which may outlive the store.
  std::shared_ptr<std::atomic<uint64_t>> account_changes_ =
      std::make_shared<std::atomic<uint64_t>>(0);
};

}  // namespace clearcut::store::sql
