#include "clearcut/store/sql/connection_pool.h"

namespace clearcut::store::sql {

ConnectionPool::ConnectionPool(Connect connect, int max_open, std::chrono::milliseconds wait)
    : connect_(std::move(connect)), max_open_(max_open), wait_(wait) {
  CC_CHECK(max_open_ > 0);
}

base::Result<std::unique_ptr<SqlConnection>> ConnectionPool::acquire() {
  {
    base::MutexLock lock(mu_);
    bool ready = lock.wait_for(available_, wait_,
                               [&]() REQUIRES(mu_) { return !idle_.empty() || open_ < max_open_; });
    if (!ready) {
      return base::Error(base::ErrorCode::kUnavailable,
                         "database busy: no connection became free in time");
    }
    if (!idle_.empty()) {
      std::unique_ptr<SqlConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_;
  }
  // Connect outside the lock: it may take a network round trip.
  auto connection = connect_();
  if (!connection.has_value()) {
    base::MutexLock lock(mu_);
    --open_;
    available_.notify_one();
  }
  return connection;
}

void ConnectionPool::release(std::unique_ptr<SqlConnection> connection) {
  std::unique_ptr<SqlConnection> closing;
  {
    base::MutexLock lock(mu_);
    if (connection != nullptr && connection->healthy()) {
      idle_.push_back(std::move(connection));
    } else {
      closing = std::move(connection);
      --open_;
    }
  }
  available_.notify_one();
}

}  // namespace clearcut::store::sql
