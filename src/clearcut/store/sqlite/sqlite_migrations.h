#pragma once

#include <span>

#include "clearcut/store/sql/migrator.h"

namespace clearcut::store::sqlite {

// The SQLite schema, oldest first. Never edit a released migration: add the next one.
std::span<const sql::Migration> sqlite_migrations();

}  // namespace clearcut::store::sqlite
