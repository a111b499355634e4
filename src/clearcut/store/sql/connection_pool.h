#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <vector>

#include "clearcut/base/mutex.h"
#include "clearcut/base/result.h"
#include "clearcut/store/sql/sql_connection.h"

namespace clearcut::store::sql {

// Hands out at most `max_open` connections, opening them on demand and keeping released
// healthy ones for reuse. Thread-safe. acquire() waits up to `wait` for a free connection, then
// fails with kUnavailable. Held by shared_ptr so that transactions may outlive their Store.
class ConnectionPool {
 public:
  using Connect = std::function<base::Result<std::unique_ptr<SqlConnection>>()>;

  ConnectionPool(Connect connect, int max_open, std::chrono::milliseconds wait);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  base::Result<std::unique_ptr<SqlConnection>> acquire();
  // Returns a connection; an unhealthy one is closed and its slot freed.
  void release(std::unique_ptr<SqlConnection> connection);

 private:
  Connect connect_;
  const int max_open_;
  const std::chrono::milliseconds wait_;
  base::Mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SqlConnection>> idle_ GUARDED_BY(mu_);
  int open_ GUARDED_BY(mu_) = 0;
};

}  // namespace clearcut::store::sql
