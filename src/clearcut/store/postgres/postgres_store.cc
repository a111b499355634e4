#include "clearcut/store/postgres/postgres_store.h"

#include <chrono>

#include "clearcut/store/postgres/postgres_connection.h"
#include "clearcut/store/sql/migrator.h"

namespace clearcut::store::postgres {
namespace {

const sql::Schema& schema() {
  static const sql::Schema kSchema(kPostgresDialect.schema);
  return kSchema;
}

constexpr std::chrono::milliseconds kPoolWait{30000};

}  // namespace

base::Result<std::unique_ptr<sql::SqlStore>> open_postgres_store(const std::string& url) {
  auto connect = [url]() -> base::Result<std::unique_ptr<sql::SqlConnection>> {
    std::unique_ptr<PostgresConnection> connection = CC_TRY(PostgresConnection::open(url));
    return std::unique_ptr<sql::SqlConnection>(std::move(connection));
  };
  auto pool = std::make_shared<sql::ConnectionPool>(connect, kMaxConnections, kPoolWait);
  std::unique_ptr<sql::SqlConnection> connection = CC_TRY(pool->acquire());
  base::Status migrated = sql::migrate(*connection, kPostgresDialect, schema().migrations());
  pool->release(std::move(connection));
  if (!migrated.has_value()) {
    return std::move(migrated).error().with_context("postgresql");
  }
  return std::make_unique<sql::SqlStore>(kPostgresDialect, std::move(pool));
}

}  // namespace clearcut::store::postgres
