// The database schema as numbered migrations. A migration is applied once, in order, inside a transaction,
// and recorded in schema_migrations. Never edit a released migration: add a new one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"

namespace nysol::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;                // SQLite's dialect; translated for PostgreSQL by MigrationSql
  // What only PostgreSQL runs, after the translated `sql`: the migration's triggers in its language, and
  // indexes SQLite has no kind of.
  std::string_view postgres_only = {};
};

const std::vector<Migration>& Migrations();

// What `engine` runs for a migration (or for other schema text written in SQLite's dialect).
std::string MigrationSql(std::string_view sqlite_sql, std::string_view postgres_only, Engine engine);
inline std::string MigrationSql(const Migration& migration, Engine engine) {
  return MigrationSql(migration.sql, migration.postgres_only, engine);
}

// A matter's next statutory due date, as SQL over the row of `matters` being updated (both engines): the
// earliest of an unassessed report's protection assessment, the undecided preliminary assessment and the
// unfinished investigation — the due dates MatterClocks counts from (core/legal_clock.cpp), as the projection
// stores them; ISO dates sort as text — or '9999-12-31' when none runs. Kept in matters.next_due by migration 12
// and by the projection after every event of the matter, so that the start page's queues are an index range.
extern const std::string_view kNextDueSql;

// The current-state tables: everything a replay of the journal rebuilds (in dependency order).
const std::vector<std::string_view>& ProjectionTables();

}  // namespace nysol::store
