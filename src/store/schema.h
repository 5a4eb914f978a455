// The database schema as numbered migrations. A migration is applied once, in order, inside a transaction,
// and recorded in schema_migrations. Never edit a released migration: add a new one.
#pragma once

#include <string_view>
#include <vector>

namespace nysol::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

const std::vector<Migration>& Migrations();

// The current-state tables: everything a replay of the journal rebuilds (in dependency order).
const std::vector<std::string_view>& ProjectionTables();

}  // namespace nysol::store
