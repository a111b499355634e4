#include "clearcut/store/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "clearcut/store/sql/migrator.h"
#include "clearcut/store/sqlite/sqlite_connection.h"

namespace clearcut::store::sqlite {
namespace {

const sql::Schema& schema() {
  static const sql::Schema kSchema(kSqliteDialect.schema);
  return kSchema;
}

constexpr std::chrono::milliseconds kPoolWait{10000};

}  // namespace

base::Result<std::unique_ptr<sql::SqlStore>> open_sqlite_store(const std::string& path,
                                                               OpenMode mode) {
  if (path.empty()) {
    return base::invalid_argument("sqlite: empty database path");
  }
  bool in_memory = path == ":memory:";
  if (!in_memory) {
    std::filesystem::path directory = std::filesystem::path(path).parent_path();
    if (directory.empty()) {
      directory = ".";
    }
    std::error_code ec;
    if (mode == OpenMode::kExisting && !std::filesystem::exists(path, ec)) {
      return base::not_found("sqlite: no database at " + path +
                             " (--db names it; `clearcut serve --db sqlite:" + path +
                             "` creates one)");
    }
    if (!std::filesystem::is_directory(directory, ec)) {
      return base::not_found("sqlite: the directory " + directory.string() +
                             " of the database does not exist");
    }
    // A new database is readable by its owner only (SQLite gives its -wal and -shm files the
    // database file's mode): it holds password hashes and the audit log.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      ::close(fd);
    } else if (errno != EEXIST) {
      return base::Error(base::ErrorCode::kUnavailable,
                         "sqlite: cannot create " + path + ": " + std::strerror(errno));
    }
  }
  // An in-memory database lives as long as its one connection: should that ever be replaced,
  // the new one starts empty and needs the schema again.
  auto connect = [path, in_memory]() -> base::Result<std::unique_ptr<sql::SqlConnection>> {
    std::unique_ptr<SqliteConnection> connection = CC_TRY(SqliteConnection::open(path));
    if (in_memory) {
      CC_TRY(sql::migrate(*connection, kSqliteDialect, schema().migrations()));
    }
    return std::unique_ptr<sql::SqlConnection>(std::move(connection));
  };
  auto pool = std::make_shared<sql::ConnectionPool>(connect, 1, kPoolWait);
  std::unique_ptr<sql::SqlConnection> connection = CC_TRY(pool->acquire());
  base::Status migrated =
      in_memory ? base::Status() : sql::migrate(*connection, kSqliteDialect, schema().migrations());
  pool->release(std::move(connection));
  if (!migrated.has_value()) {
    return std::move(migrated).error().with_context("sqlite: " + path);
  }
  return std::make_unique<sql::SqlStore>(kSqliteDialect, std::move(pool));
}

}  // namespace clearcut::store::sqlite
