#pragma once

#include <memory>
#include <string>

#include "clearcut/base/result.h"
#include "clearcut/store/sql/sql_store.h"
#include "clearcut/store/store.h"

namespace clearcut::store::sqlite {

inline constexpr sql::SqlDialect kSqliteDialect = {
    .backend = "sqlite",
    // Takes the write lock at once: a transaction that reads and then writes can never fail
    // to upgrade, and the audit log's next sequence is ours until commit.
    .begin = "BEGIN IMMEDIATE",
    .lock = "",
    .skip_locked = "",
    .decision_rules =
        "json_each(CASE WHEN json_valid(u.decision_json) THEN u.decision_json "
        "ELSE '{}' END, '$.rules') AS r",
    .rule_id = "json_extract(r.value, '$.id')",
    .rule_unknown = "json_extract(r.value, '$.unknown') = 1",
    .schema =
        {
            .id = "INTEGER PRIMARY KEY",
            .bigint = "INTEGER",
            .boolean = "{} INTEGER NOT NULL CHECK ({} IN (0, 1))",
            .boolean_false = "{} INTEGER NOT NULL DEFAULT 0 CHECK ({} IN (0, 1))",
            .table_end = " STRICT",
            .keyed_table_end = " STRICT, WITHOUT ROWID",
            .append_only = "CREATE TRIGGER {}_no_update BEFORE UPDATE ON {}\n"
                           "BEGIN\n"
                           "  SELECT RAISE(ABORT, 'the audit log is append-only');\n"
                           "END;\n"
                           "CREATE TRIGGER {}_no_delete BEFORE DELETE ON {}\n"
                           "BEGIN\n"
                           "  SELECT RAISE(ABORT, 'the audit log is append-only');\n"
                           "END;",
        },
};

// Opens and migrates the SQLite database at `path` (created if missing with kCreate, else
// kNotFound; its directory must exist). One connection serves the process: SQLite runs one writer
// at a time, and waiting in the pool is cheaper than SQLite's sleeping busy handler. Other
// processes are waited for up to 10 s.
base::Result<std::unique_ptr<sql::SqlStore>> open_sqlite_store(const std::string& path,
                                                               OpenMode mode = OpenMode::kCreate);

}  // namespace clearcut::store::sqlite
