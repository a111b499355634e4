#pragma once

#include <memory>
#include <string>

#include "clearcut/base/result.h"
#include "clearcut/store/sql/sql_store.h"

namespace clearcut::store::sqlite {

inline constexpr sql::SqlDialect kSqliteDialect = {
    .backend = "sqlite",
    // Takes the write lock at once: a transaction that reads and then writes can never fail
    // to upgrade, and the audit log's next sequence is ours until commit.
    .begin = "BEGIN IMMEDIATE",
    .lock = "",
    .skip_locked = "",
};

// Opens and migrates the SQLite database at `path` (created if missing; its directory must
// exist). One connection serves the process: SQLite runs one writer at a time, and waiting in
// the pool is cheaper than SQLite's sleeping busy handler. Other processes are waited for up
// to 10 s.
base::Result<std::unique_ptr<sql::SqlStore>> open_sqlite_store(const std::string& path);

}  // namespace clearcut::store::sqlite
