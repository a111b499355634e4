#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/store/sql/schema.h"
#include "clearcut/store/sql/sql_value.h"

namespace clearcut::store::sql {

// What differs between the SQL the backends speak; everything else is shared text.
struct SqlDialect {
  std::string_view backend;  // Store::backend(): "sqlite" or "postgresql"
  std::string_view begin;    // starts a transaction that may write
  // Takes a lock named by an integer (bound to `?`) until the transaction ends; empty when the
  // backend serialises all writers anyway (SQLite's BEGIN IMMEDIATE).
  std::string_view lock;
  // Appended to a SELECT that picks rows to update so that concurrent transactions each get a
  // different row ("FOR UPDATE SKIP LOCKED"); empty when writers are serialised anyway.
  std::string_view skip_locked;
  // The rules a stored decision lists (policy::to_json's "rules"), as a FROM item `r` over the
  // use case row `u`, one row per rule; a decision that is not JSON with a "rules" array gives
  // none. `rule_id` is the text of a rule's id, `rule_unknown` a condition that holds when its
  // condition came out unknown.
  std::string_view decision_rules;
  std::string_view rule_id;
  std::string_view rule_unknown;
  SchemaDialect schema;
};

// Integers naming the transaction-scoped locks (PostgreSQL advisory locks share one key space
// per database, so the keys spell "clearcut" to stay clear of other users).
inline constexpr int64_t kMigrationLock = 0x636c656172637574;
inline constexpr int64_t kAuditLogLock = kMigrationLock + 1;
inline constexpr int64_t kPolicyPackLock = kMigrationLock + 2;

// One connection to a database, used by one thread at a time. Statements use `?` placeholders,
// which drivers translate. Failures carry canonical codes and fixed messages, never SQL or
// server text: kAlreadyExists (unique key), kNotFound (foreign key: a referenced row is
// missing), kInvalidArgument (other constraints, bad text), kUnavailable (busy, locked,
// connection lost), kDataLoss (corrupt file), kInternal (anything else).
class SqlConnection {
 public:
  virtual ~SqlConnection() = default;

  // Runs one statement with `params` bound in order; returns every row it yields.
  virtual base::Result<SqlRows> query(std::string_view sql,
                                      const std::vector<SqlValue>& params) = 0;

  // Runs statements without parameters, in order (BEGIN, COMMIT, migrations).
  virtual base::Status execute(std::string_view sql) = 0;

  // False once the connection cannot be reused (lost, or stuck in a transaction).
  virtual bool healthy() const = 0;
};

}  // namespace clearcut::store::sql
