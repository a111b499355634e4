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
    // Lax: a missing or non-array "rules" yields no rows rather than an error.
    .decision_rules =
        "jsonb_path_query(CASE WHEN u.decision_json LIKE '{%' "
        "THEN u.decision_json::jsonb ELSE '{}'::jsonb END, 'lax $.rules[*]') "
        "AS r(value)",
    .rule_id = "(r.value ->> 'id')",
    .rule_unknown = "(r.value ->> 'unknown') = 'true'",
    .schema =
        {
            .id = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            .bigint = "BIGINT",
            .boolean = "{} BOOLEAN NOT NULL",
            .boolean_false = "{} BOOLEAN NOT NULL DEFAULT FALSE",
            .table_end = "",
            .keyed_table_end = "",
            .append_only =
                "CREATE FUNCTION {}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                "BEGIN\n"
                "  RAISE EXCEPTION 'the audit log is append-only';\n"
                "END\n"
                "$$;\n"
                "CREATE TRIGGER {}_no_change BEFORE UPDATE OR DELETE ON {}\n"
                "  FOR EACH ROW EXECUTE FUNCTION {}_append_only();\n"
                "CREATE TRIGGER {}_no_truncate BEFORE TRUNCATE ON {}\n"
                "  FOR EACH STATEMENT EXECUTE FUNCTION {}_append_only();",
        },
};

// The most connections one process keeps to the server; begin() waits up to 30 s for one.
inline constexpr int kMaxConnections = 8;

// Connects to `url` (postgresql://... or postgres://...) and migrates the database.
base::Result<std::unique_ptr<sql::SqlStore>> open_postgres_store(const std::string& url);

}  // namespace clearcut::store::postgres
