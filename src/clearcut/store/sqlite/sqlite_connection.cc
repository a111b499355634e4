#include "clearcut/store/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <spdlog/spdlog.h>

namespace clearcut::store::sqlite {
namespace {

using base::Error;
using base::ErrorCode;

constexpr int kBusyTimeoutMs = 10000;
// Queries are built from a handful of shapes; the cap only guards against a caller that makes
// unboundedly many (a list filter with ever more production ids).
constexpr size_t kMaxCachedStatements = 256;

// Canonical codes for SQLite's result codes; the messages are fixed, the detail is logged.
Error map_error(int code) {
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Error(ErrorCode::kAlreadyExists, "a unique key is already taken");
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Error(ErrorCode::kNotFound, "a referenced row does not exist");
    case SQLITE_CONSTRAINT_TRIGGER:
      return Error(ErrorCode::kFailedPrecondition, "the database does not allow this change");
    default:
      break;
  }
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      return Error(ErrorCode::kInvalidArgument, "a value breaks a constraint of the database");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error(ErrorCode::kUnavailable, "the database is busy");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error(ErrorCode::kDataLoss, "the database file is corrupt or not a database");
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
      return Error(ErrorCode::kUnavailable, "the database file cannot be read or written");
    default:
      return Error(ErrorCode::kInternal, "database error");
  }
}

}  // namespace

base::Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    spdlog::warn("sqlite: open {}: {}", path, db != nullptr ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close_v2(db);
    return Error(ErrorCode::kUnavailable, "cannot open the SQLite database " + path);
  }
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // foreign_keys is per connection and off by default; synchronous=FULL syncs the WAL on
  // every commit, so that an acknowledged write survives a crash or power loss.
  base::Status set = connection->execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;");
  if (!set.has_value()) {
    return std::move(set).error().with_context("open SQLite database " + path);
  }
  // WAL lets readers of the file (backups, the sqlite3 shell) work beside the writer; the mode
  // is stored in the file. An in-memory database answers "memory".
  auto mode = connection->query("PRAGMA journal_mode = WAL", {});
  if (!mode.has_value()) {
    return std::move(mode).error().with_context("open SQLite database " + path);
  }
  const auto* name = mode->size() == 1 && mode->at(0).size() == 1
                         ? std::get_if<std::string>(&mode->at(0)[0])
                         : nullptr;
  if (name == nullptr || (*name != "wal" && !(path == ":memory:" && *name == "memory"))) {
    return Error(ErrorCode::kFailedPrecondition,
                 "open SQLite database " + path + ": cannot switch it to WAL mode");
  }
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, statement] : statements_) {
    sqlite3_finalize(statement);
  }
  sqlite3_close_v2(db_);
}

Error SqliteConnection::error(int code, std::string_view what) const {
  Error mapped = map_error(code);
  if (mapped.code() == ErrorCode::kAlreadyExists || mapped.code() == ErrorCode::kNotFound) {
    spdlog::debug("sqlite: {}: {} ({})", what, sqlite3_errmsg(db_), code);
  } else {
    spdlog::warn("sqlite: {}: {} ({})", what, sqlite3_errmsg(db_), code);
  }
  return mapped;
}

base::Result<sqlite3_stmt*> SqliteConnection::prepare(std::string_view sql, bool* cached) {
  std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) {
    *cached = true;
    return it->second;
  }
  *cached = statements_.size() < kMaxCachedStatements;
  sqlite3_stmt* statement = nullptr;
  int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                              *cached ? SQLITE_PREPARE_PERSISTENT : 0, &statement, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(statement);
    return error(rc, "prepare");
  }
  if (statement == nullptr) {
    return base::internal_error("empty statement");
  }
  if (*cached) {
    statements_.emplace(std::move(key), statement);
  }
  return statement;
}

base::Result<sql::SqlRows> SqliteConnection::query(std::string_view sql,
                                                   const std::vector<sql::SqlValue>& params) {
  bool cached = false;
  sqlite3_stmt* statement = CC_TRY(prepare(sql, &cached));
  // Resets the statement for its next use, or frees an uncached one, on every path out.
  struct Cleanup {
    sqlite3_stmt* statement;
    bool cached;
    ~Cleanup() {
      if (cached) {
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
      } else {
        sqlite3_finalize(statement);
      }
    }
  } cleanup{statement, cached};

  if (static_cast<size_t>(sqlite3_bind_parameter_count(statement)) != params.size()) {
    return base::internal_error("statement parameter count mismatch");
  }
  for (size_t i = 0; i < params.size(); ++i) {
    int index = static_cast<int>(i) + 1;
    const sql::SqlValue& value = params[i];
    int rc = SQLITE_OK;
    if (const auto* integer = std::get_if<int64_t>(&value)) {
      rc = sqlite3_bind_int64(statement, index, *integer);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      // The parameters outlive the statement's use: no copy.
      rc = sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_STATIC,
                               SQLITE_UTF8);
    } else if (const auto* boolean = std::get_if<bool>(&value)) {
      rc = sqlite3_bind_int(statement, index, *boolean ? 1 : 0);
    } else {
      rc = sqlite3_bind_null(statement, index);
    }
    if (rc != SQLITE_OK) {
      return error(rc, "bind");
    }
  }

  sql::SqlRows rows;
  int columns = sqlite3_column_count(statement);
  for (;;) {
    int rc = sqlite3_step(statement);
    if (rc == SQLITE_DONE) {
      break;
    }
    if (rc != SQLITE_ROW) {
      return error(rc, "step");
    }
    sql::SqlRow& row = rows.emplace_back();
    row.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(statement, c)) {
        case SQLITE_INTEGER:
          row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(statement, c)));
          break;
        case SQLITE_NULL:
          row.emplace_back();
          break;
        case SQLITE_FLOAT:
          row.emplace_back(std::to_string(sqlite3_column_double(statement, c)));
          break;
        default: {
          // Text (or a blob a hand edit put there): the bytes as they are.
          const auto* data = static_cast<const char*>(sqlite3_column_blob(statement, c));
          int size = sqlite3_column_bytes(statement, c);
          row.emplace_back(data == nullptr ? std::string() : std::string(data, size));
          break;
        }
      }
    }
  }
  return rows;
}

base::Status SqliteConnection::execute(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) {
    return error(rc, "execute");
  }
  return {};
}

bool SqliteConnection::healthy() const {
  // Reusable only outside a transaction: a failed ROLLBACK leaves one open.
  return sqlite3_get_autocommit(db_) != 0;
}

}  // namespace clearcut::store::sqlite
