#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace clearcut::store::sql {

// One step of a backend's schema, applied once and recorded in schema_migrations.
struct Migration {
  int version = 0;  // 1, 2, 3, ... without gaps
  std::string_view sql;
};

// What the schema source (schema.cc) leaves to each backend. The source is written once, in
// SQL both backends speak, with these words standing where they differ:
//   $ID              an integer primary key the database assigns, never reused
//   $BIGINT          a 64-bit integer column type (references, sequences, counters)
//   $BOOL(c)         the whole definition of a NOT NULL boolean column c
//   $BOOL_FALSE(c)   the same, defaulting to false
//   $STRICT          what follows the closing parenthesis of a CREATE TABLE
//   $KEYED           the same, for a table stored by its primary key alone
//   $APPEND_ONLY(t)  statements that make table t refuse UPDATE and DELETE
// In the dialect's texts "{}" stands for the argument (a column or table name).
struct SchemaDialect {
  std::string_view id;
  std::string_view bigint;
  std::string_view boolean;
  std::string_view boolean_false;
  std::string_view table_end;
  std::string_view keyed_table_end;
  std::string_view append_only;
};

// Replaces the words above in `source`. An unknown word, or one missing its argument, is a
// programming error (CC_CHECK): the source is ours and every test renders it.
std::string render_schema(std::string_view source, const SchemaDialect& dialect);

// clearcut's schema rendered for one backend, oldest migration first. Never edit a released
// migration in schema.cc: add the next one.
class Schema {
 public:
  explicit Schema(const SchemaDialect& dialect);
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  std::span<const Migration> migrations() const { return migrations_; }

 private:
  std::vector<std::string> texts_;
  std::vector<Migration> migrations_;
};

}  // namespace clearcut::store::sql
