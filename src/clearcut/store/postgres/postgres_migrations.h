#pragma once

#include <span>

#include "clearcut/store/sql/migrator.h"

namespace clearcut::store::postgres {

// The PostgreSQL schema, oldest first. Never edit a released migration: add the next one.
std::span<const sql::Migration> postgres_migrations();

}  // namespace clearcut::store::postgres
