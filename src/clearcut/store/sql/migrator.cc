#include "clearcut/store/sql/migrator.h"

#include <string>

namespace clearcut::store::sql {
namespace {

base::Status migrate_in_transaction(SqlConnection& connection, const SqlDialect& dialect,
                                    std::span<const Migration> migrations) {
  if (!dialect.lock.empty()) {
    CC_TRY(connection.query(dialect.lock, {SqlValue(kMigrationLock)}));
  }
  CC_TRY(connection.execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)"));
  SqlRows rows =
      CC_TRY(connection.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {}));
  SqlRowReader reader(rows.at(0));
  int64_t current = reader.int64();
  CC_TRY(reader.status());
  int64_t newest = migrations.empty() ? 0 : migrations.back().version;
  if (current > newest) {
    return base::Error(base::ErrorCode::kFailedPrecondition,
                       "the database schema is at version " + std::to_string(current) +
                           ", newer than this build of clearcut knows (" + std::to_string(newest) +
                           "); use a newer clearcut");
  }
  for (const Migration& migration : migrations) {
    if (migration.version <= current) {
      continue;
    }
    base::Status applied = connection.execute(migration.sql);
    if (!applied.has_value()) {
      return std::move(applied).error().with_context("migration " +
                                                     std::to_string(migration.version));
    }
    CC_TRY(connection.query("INSERT INTO schema_migrations (version) VALUES (?)",
                            {SqlValue(int64_t{migration.version})}));
  }
  return {};
}

}  // namespace

base::Status migrate(SqlConnection& connection, const SqlDialect& dialect,
                     std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    CC_CHECK(migrations[i].version == static_cast<int>(i) + 1);
  }
  CC_TRY(connection.execute(dialect.begin));
  base::Status status = migrate_in_transaction(connection, dialect, migrations);
  if (status.has_value()) {
    status = connection.execute("COMMIT");
  }
  if (!status.has_value()) {
    (void)connection.execute("ROLLBACK");
    return std::move(status).error().with_context("migrate database");
  }
  return {};
}

}  // namespace clearcut::store::sql
