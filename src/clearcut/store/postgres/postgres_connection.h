#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/store/sql/sql_connection.h"

// libpq's handle, declared as libpq-fe.h does, so that only the .cc includes it.
struct pg_conn;

namespace clearcut::store::postgres {

// One libpq connection. Statements go through PQexecParams with every value as a parameter,
// never spliced into SQL. Server messages are logged, never returned. Used by one thread at a
// time.
class PostgresConnection final : public sql::SqlConnection {
 public:
  // Connects to `url` (postgresql:// or postgres://, libpq's URI syntax) with UTF8 as the
  // client encoding; refuses a database whose encoding is not UTF8. An unreachable or
  // refusing server is kUnavailable; the message names host and port, never the password.
  static base::Result<std::unique_ptr<PostgresConnection>> open(const std::string& url);

  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;
  ~PostgresConnection() override;

  base::Result<sql::SqlRows> query(std::string_view sql,
                                   const std::vector<sql::SqlValue>& params) override;
  base::Status execute(std::string_view sql) override;
  bool healthy() const override;

 private:
  explicit PostgresConnection(pg_conn* conn) : conn_(conn) {}

  pg_conn* conn_;
};

// `sql` with each `?` replaced by $1, $2, ...: the shared statements use `?`.
std::string number_placeholders(std::string_view sql);

}  // namespace clearcut::store::postgres
