#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::store::sql {

// A value bound to a statement's `?` or read from a result column: NULL, an integer, text or a
// boolean. Drivers convert to and from their own types (SQLite stores booleans as 0/1).
using SqlValue = std::variant<std::monostate, int64_t, std::string, bool>;
using SqlRow = std::vector<SqlValue>;
using SqlRows = std::vector<SqlRow>;

// NULL for the domain's "none": an id of 0 or an empty string.
inline SqlValue id_or_null(int64_t id) {
  return id == 0 ? SqlValue() : SqlValue(id);
}
inline SqlValue text_or_null(const std::string& text) {
  return text.empty() ? SqlValue() : SqlValue(text);
}

// Reads one row's columns in order, mapping NULL back to 0 and "". A column of an unexpected
// type (a file edited by hand, another program's table) is remembered and reported by status()
// as kDataLoss rather than asserted on: the database is external input.
class SqlRowReader {
 public:
  explicit SqlRowReader(const SqlRow& row) : row_(row) {}

  int64_t int64();
  std::string text();
  bool boolean();

  // Marks the column just read as bad: its type was right but its value is not (an unknown
  // state name).
  void reject();
  // The first bad column, or -1.
  int bad_column() const { return bad_column_; }

  // kDataLoss naming the first bad column, or OK.
  base::Status status() const;

 private:
  const SqlValue* next();

  const SqlRow& row_;
  size_t column_ = 0;
  int bad_column_ = -1;
};

}  // namespace clearcut::store::sql
