#pragma once

#include <memory>
#include <string>

#include "clearcut/base/result.h"
#include "clearcut/store/sql/sql_store.h"

namespace clearcut::store::postgres {

inline constexpr sql::SqlDialect kPostgresDialect = {
    .backend = "postgresql",
    .begin = "BEGIN ISOLATION LEVEL READ COMMITTED",
    // Transaction-scoped: released by COMMIT or ROLLBACK, also when the client dies.
    .lock = "SELECT pg_advisory_xact_lock(?)",
    .skip_locked = " FOR UPDATE SKIP LOCKED",
};

// The most connections one process keeps to the server; begin() waits up to 30 s for one.
inline constexpr int kMaxConnections = 8;

// Connects to `url` (postgresql://... or postgres://...) and migrates the database.
base::Result<std::unique_ptr<sql::SqlStore>> open_postgres_store(const std::string& url);

}  // namespace clearcut::store::postgres
