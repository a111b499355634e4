#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/store/sql/sql_connection.h"

// SQLite's handles, declared as sqlite3.h does, so that only the .cc includes it.
struct sqlite3;
struct sqlite3_stmt;

namespace clearcut::store::sqlite {

// One connection to a SQLite file with clearcut's settings: WAL, synchronous=FULL (a commit
// survives a crash of the process or the machine), foreign keys on, a 10 s busy timeout.
// Prepared statements are cached by their text. Used by one thread at a time.
class SqliteConnection final : public sql::SqlConnection {
 public:
  // Opens (creating) the database at `path`; ":memory:" is a private in-memory database.
  static base::Result<std::unique_ptr<SqliteConnection>> open(const std::string& path);

  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection() override;

  base::Result<sql::SqlRows> query(std::string_view sql,
                                   const std::vector<sql::SqlValue>& params) override;
  base::Status execute(std::string_view sql) override;
  bool healthy() const override;

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  base::Result<sqlite3_stmt*> prepare(std::string_view sql, bool* cached);
  base::Error error(int code, std::string_view what) const;

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace clearcut::store::sqlite
