#include "clearcut/store/sql/schema.h"

#include <string>

#include <gtest/gtest.h>

#include "clearcut/store/postgres/postgres_store.h"
#include "clearcut/store/sqlite/sqlite_store.h"

namespace clearcut::store::sql {
namespace {

TEST(RenderSchema, ReplacesEachWordWithTheDialectsText) {
  SchemaDialect dialect = {.id = "ID-TYPE",
                           .bigint = "BIG",
                           .boolean = "{} BOOL-OF-{}",
                           .boolean_false = "{} FALSE-{}",
                           .table_end = " END",
                           .keyed_table_end = " KEYED",
                           .append_only = "LOCK {}"};
  EXPECT_EQ(render_schema("CREATE TABLE t (\n  id $ID,\n  n $BIGINT NOT NULL,\n  $BOOL(a),\n"
                          "  $BOOL_FALSE(b)\n)$STRICT;\nCREATE TABLE k (x TEXT)$KEYED;\n"
                          "$APPEND_ONLY(t)\n",
                          dialect),
            "CREATE TABLE t (\n  id ID-TYPE,\n  n BIG NOT NULL,\n  a BOOL-OF-a,\n"
            "  b FALSE-b\n) END;\nCREATE TABLE k (x TEXT) KEYED;\nLOCK t\n");
  EXPECT_EQ(render_schema("no words here", dialect), "no words here");
}

TEST(RenderSchema, RefusesAnUnknownWord) {
  EXPECT_DEATH(render_schema("a $NOPE b", sqlite::kSqliteDialect.schema), "");
  EXPECT_DEATH(render_schema("$BOOL", sqlite::kSqliteDialect.schema), "");
}

// Every migration renders for both backends with no word left over (PostgreSQL's function
// bodies use $$, which only the dialect's own text brings).
TEST(Schema, RendersEveryMigrationForBothBackends) {
  for (const SchemaDialect* dialect :
       {&sqlite::kSqliteDialect.schema, &postgres::kPostgresDialect.schema}) {
    Schema schema(*dialect);
    ASSERT_EQ(schema.migrations().size(), 14U);
    for (size_t i = 0; i < schema.migrations().size(); ++i) {
      const Migration& migration = schema.migrations()[i];
      EXPECT_EQ(migration.version, static_cast<int>(i) + 1);
      std::string text(migration.sql);
      for (size_t at = text.find('$'); at != std::string::npos; at = text.find('$', at + 2)) {
        EXPECT_EQ(text.substr(at, 2), "$$") << "migration " << migration.version;
      }
    }
  }
  Schema sqlite_schema(sqlite::kSqliteDialect.schema);
  std::string first(sqlite_schema.migrations()[0].sql);
  EXPECT_NE(first.find("admin INTEGER NOT NULL CHECK (admin IN (0, 1))"), std::string::npos);
  EXPECT_NE(first.find(") STRICT, WITHOUT ROWID;"), std::string::npos);
  Schema postgres_schema(postgres::kPostgresDialect.schema);
  first = std::string(postgres_schema.migrations()[0].sql);
  EXPECT_NE(first.find("id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"), std::string::npos);
  EXPECT_EQ(first.find("STRICT"), std::string::npos);
}

}  // namespace
}  // namespace clearcut::store::sql
