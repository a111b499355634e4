#pragma once

#include <span>
#include <string_view>

#include "clearcut/base/result.h"
#include "clearcut/store/sql/schema.h"
#include "clearcut/store/sql/sql_connection.h"

namespace clearcut::store::sql {

// Brings the database behind `connection` to the newest of `migrations` in one transaction:
// creates schema_migrations, applies every migration above the recorded version in order and
// records it. Idempotent; concurrent callers are serialised by the dialect's lock (SQLite by
// BEGIN IMMEDIATE). A database recorded at a version above the newest known one is refused
// with kFailedPrecondition: an older build must not write a schema it does not know.
base::Status migrate(SqlConnection& connection, const SqlDialect& dialect,
                     std::span<const Migration> migrations);

}  // namespace clearcut::store::sql
