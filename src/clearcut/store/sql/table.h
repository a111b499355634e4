#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/store/sql/sql_value.h"

namespace clearcut::store::sql {

// One column of a table and how it maps to a field of the domain record `Row`.
template <typename Row>
struct Column {
  std::string_view name;
  // Reads the column into `row`; false when the value is outside the field's domain (an unknown
  // state name, a negative width). The reader has checked the SQL type already.
  bool (*read)(SqlRowReader& reader, Row& row);
  // What an INSERT writes, or nullptr for a column the database assigns (the id).
  SqlValue (*write)(const Row& row);
};

// A table as the list of its columns: one list drives the SELECT list, the row reader and the
// INSERT, so that they cannot drift apart.
template <typename Row, size_t N>
class Table {
 public:
  constexpr Table(std::string_view name, std::array<Column<Row>, N> columns)
      : name_(name), columns_(columns) {}

  std::string_view name() const { return name_; }

  // "id, name, ..." in order; a column named in `omit` reads as '' (a large text a listing
  // leaves out).
  std::string columns(std::string_view omit = {}) const {
    std::string out;
    for (const Column<Row>& column : columns_) {
      out += out.empty() ? "" : ", ";
      out += column.name == omit ? std::string_view("''") : column.name;
    }
    return out;
  }

  // "SELECT <columns> FROM <table> <rest>".
  std::string select(std::string_view rest, std::string_view omit = {}) const {
    std::string sql = "SELECT " + columns(omit) + " FROM ";
    sql += name_;
    sql += ' ';
    sql += rest;
    return sql;
  }

  // "INSERT INTO <table> (<written columns>) VALUES (?, ...) <rest>", bound with values().
  std::string insert(std::string_view rest = "RETURNING id") const {
    std::string names;
    std::string marks;
    for (const Column<Row>& column : columns_) {
      if (column.write != nullptr) {
        names += names.empty() ? "" : ", ";
        names += column.name;
        marks += marks.empty() ? "?" : ", ?";
      }
    }
    std::string sql =
        "INSERT INTO " + std::string(name_) + " (" + names + ") VALUES (" + marks + ")";
    if (!rest.empty()) {
      sql += ' ';
      sql += rest;
    }
    return sql;
  }

  // "UPDATE <table> SET <written column> = ?, ... <rest>", bound with values() and then what
  // `rest` binds.
  std::string update(std::string_view rest) const {
    std::string sql = "UPDATE " + std::string(name_) + " SET ";
    bool first = true;
    for (const Column<Row>& column : columns_) {
      if (column.write != nullptr) {
        sql += first ? "" : ", ";
        sql += std::string(column.name) + " = ?";
        first = false;
      }
    }
    sql += ' ';
    sql += rest;
    return sql;
  }

  // insert() that overwrites the other written columns of a row whose `key` (a column list)
  // is taken.
  std::string upsert(std::string_view key) const {
    std::string sql = insert("") + " ON CONFLICT (" + std::string(key) + ") DO UPDATE SET ";
    bool first = true;
    for (const Column<Row>& column : columns_) {
      if (column.write != nullptr && !in_list(key, column.name)) {
        sql += first ? "" : ", ";
        sql += std::string(column.name) + " = excluded." + std::string(column.name);
        first = false;
      }
    }
    return sql;
  }

  std::vector<SqlValue> values(const Row& row) const {
    std::vector<SqlValue> out;
    out.reserve(N);
    for (const Column<Row>& column : columns_) {
      if (column.write != nullptr) {
        out.push_back(column.write(row));
      }
    }
    return out;
  }

  // A row selected with columns(); kDataLoss naming the table and column when a value is not
  // what the schema promises (the database is external input: a file edited by hand).
  base::Result<Row> read(const SqlRow& sql_row) const {
    SqlRowReader reader(sql_row);
    Row row{};
    for (const Column<Row>& column : columns_) {
      if (!column.read(reader, row)) {
        reader.reject();
      }
    }
    if (int bad = reader.bad_column(); bad >= 0) {
      std::string where = std::string(name_);
      if (!sql_row.empty() && std::holds_alternative<int64_t>(sql_row[0])) {
        where += " row " + std::to_string(std::get<int64_t>(sql_row[0]));
      }
      std::string_view column =
          static_cast<size_t>(bad) < N ? columns_[static_cast<size_t>(bad)].name : "?";
      return base::Error(base::ErrorCode::kDataLoss,
                         "stored " + where + " has an unexpected value in " + std::string(column));
    }
    return row;
  }

  base::Result<std::vector<Row>> read_all(const SqlRows& rows) const {
    std::vector<Row> out;
    out.reserve(rows.size());
    for (const SqlRow& row : rows) {
      out.push_back(CC_TRY(read(row)));
    }
    return out;
  }

  base::Result<std::optional<Row>> read_first(const SqlRows& rows) const {
    if (rows.empty()) {
      return std::optional<Row>();
    }
    return std::optional<Row>(CC_TRY(read(rows[0])));
  }

 private:
  static bool in_list(std::string_view list, std::string_view name) {
    while (!list.empty()) {
      size_t comma = list.find(',');
      std::string_view item = list.substr(0, comma);
      while (!item.empty() && item.front() == ' ') {
        item.remove_prefix(1);
      }
      while (!item.empty() && item.back() == ' ') {
        item.remove_suffix(1);
      }
      if (item == name) {
        return true;
      }
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
    return false;
  }

  std::string_view name_;
  std::array<Column<Row>, N> columns_;
};

template <typename Row, typename... Columns>
constexpr Table<Row, sizeof...(Columns)> table(std::string_view name, Columns... columns) {
  return Table<Row, sizeof...(Columns)>(name, {columns...});
}

namespace internal {

template <auto Member>
struct MemberOf;
template <typename R, typename T, T R::*M>
struct MemberOf<M> {
  using Row = R;
  using Type = T;
};

// How each field type maps to a column. Integers narrower than 64 bits are counts and sizes:
// never negative. The unsigned 64-bit watermark payload is stored as the signed integer with
// the same bits.
inline bool read_value(SqlRowReader& r, int64_t& out) {
  out = r.int64();
  return true;
}
inline bool read_value(SqlRowReader& r, uint64_t& out) {
  out = static_cast<uint64_t>(r.int64());
  return true;
}
inline bool read_value(SqlRowReader& r, int& out) {
  int64_t value = r.int64();
  out = static_cast<int>(value);
  return value >= 0 && value <= std::numeric_limits<int>::max();
}
inline bool read_value(SqlRowReader& r, bool& out) {
  out = r.boolean();
  return true;
}
inline bool read_value(SqlRowReader& r, std::string& out) {
  out = r.text();
  return true;
}
inline SqlValue write_value(int64_t value) {
  return value;
}
inline SqlValue write_value(uint64_t value) {
  return static_cast<int64_t>(value);
}
inline SqlValue write_value(int value) {
  return int64_t{value};
}
inline SqlValue write_value(bool value) {
  return value;
}
inline SqlValue write_value(const std::string& value) {
  return value;
}

}  // namespace internal

// A column holding `Member` as it is.
template <auto Member>
constexpr auto field(std::string_view name) {
  using Row = typename internal::MemberOf<Member>::Row;
  return Column<Row>{name,
                     [](SqlRowReader& r, Row& row) { return internal::read_value(r, row.*Member); },
                     [](const Row& row) {
                       return internal::write_value(row.*Member);
                     }};
}

// The same, for a column the database assigns: read, never inserted.
template <auto Member>
constexpr auto key(std::string_view name) {
  using Row = typename internal::MemberOf<Member>::Row;
  return Column<Row>{name,
                     [](SqlRowReader& r, Row& row) { return internal::read_value(r, row.*Member); },
                     nullptr};
}

// An optional reference or time: the domain's 0 or "" is stored as NULL.
template <auto Member>
constexpr auto optional_field(std::string_view name) {
  using Row = typename internal::MemberOf<Member>::Row;
  return Column<Row>{name,
                     [](SqlRowReader& r, Row& row) { return internal::read_value(r, row.*Member); },
                     [](const Row& row) {
                       const auto& value = row.*Member;
                       if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string>) {
                         return text_or_null(value);
                       } else {
                         return id_or_null(value);
                       }
                     }};
}

// An enum stored by name: `Name` gives the name of a value, `Parse` the value of a name
// (nullopt: none). Also any other value stored as text it is parsed from once when read.
template <auto Member, auto Name, auto Parse>
constexpr auto enum_field(std::string_view column) {
  using Row = typename internal::MemberOf<Member>::Row;
  return Column<Row>{column,
                     [](SqlRowReader& r, Row& row) {
                       auto parsed = Parse(r.text());
                       if (!parsed) {
                         return false;
                       }
                       row.*Member = *parsed;
                       return true;
                     },
                     [](const Row& row) {
                       return SqlValue(std::string(Name(row.*Member)));
                     }};
}

}  // namespace clearcut::store::sql
