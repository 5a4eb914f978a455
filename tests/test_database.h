// The database a unit test runs on. With NYSOL_TEST_BACKEND unset or "sqlite": a SQLite file in the test's
// folder. With "postgresql" (ctest's *_pg entries): a fresh schema on the PostgreSQL server named by
// NYSOL_TEST_PG_SERVER (scripts/test starts a throwaway one), addressed with that schema as search_path.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"

namespace nysol::testing {

inline bool OnPostgres() {
  const char* backend = std::getenv("NYSOL_TEST_BACKEND");
  return backend && std::string_view(backend) == "postgresql";
}

// The schemas a test process made, dropped when it exits, so that the server does not gather one per test.
struct SchemasDroppedAtExit {
  std::string server;
  std::vector<std::string> schemas;
  ~SchemasDroppedAtExit() {
    if (schemas.empty()) return;
    try {
      auto db = store::OpenDb(server);
      if (!db.ok()) return;  // the server went first: it is thrown away anyway
      (*db)->Exec("SET lock_timeout = '5s'");  // a transaction a failed test left open must not hold the exit
      for (const auto& schema : schemas) (*db)->Exec(fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", schema));
    } catch (const std::exception&) {
    }
  }
};

// The same folder and name give the same database for the whole test process: tests reopen what they made.
inline std::string TestDatabase(const std::filesystem::path& dir, std::string_view name = "test.db") {
  std::string file = (dir / name).string();
  if (!OnPostgres()) return file;
  static SchemasDroppedAtExit dropped;
  static std::map<std::string, std::string> made;
  if (auto it = made.find(file); it != made.end()) return it->second;
  const char* server = std::getenv("NYSOL_TEST_PG_SERVER");
  if (!server || !*server) {
    throw std::runtime_error("NYSOL_TEST_BACKEND=postgresql needs NYSOL_TEST_PG_SERVER (scripts/pg-throwaway start DIR)");
  }
  std::string schema = fmt::format("t_{}_{}", static_cast<long>(::getpid()), made.size() + 1);
  auto db = store::OpenDb(server);
  if (!db.ok()) throw std::runtime_error(db.status().message());
  (*db)->Exec(fmt::format("DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}", schema));
  std::string address = fmt::format("{}?options=-csearch_path%3D{}", server, schema);
  made.emplace(file, address);
  dropped.server = server;
  dropped.schemas.push_back(schema);
  return address;
}

// The names of the database's tables.
inline std::vector<std::string> TableNames(store::Db& db) {
  auto& st = db.Prepare(db.engine() == store::Engine::kSqlite
                            ? "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"
                            : "SELECT table_name FROM information_schema.tables "
                              "WHERE table_schema = current_schema() ORDER BY table_name");
  std::vector<std::string> names;
  while (st.Step()) names.push_back(st.Text(0));
  st.Reset();
  return names;
}

// A trigger that refuses `event` ("INSERT", …) on `table` when `condition` (SQL over NEW, or "true") holds,
// with `message`: how a test breaks a table on purpose, in each engine's own language.
inline void AddRefusingTrigger(store::Db& db, std::string_view name, std::string_view table, std::string_view event,
                               std::string_view condition, std::string_view message) {
  if (db.engine() == store::Engine::kSqlite) {
    db.Exec(fmt::format("CREATE TRIGGER {} BEFORE {} ON {} WHEN {} BEGIN SELECT RAISE(ABORT, '{}'); END", name,
                        event, table, condition == "true" ? "1" : condition, message));
    return;
  }
  db.Exec(fmt::format(
      "CREATE FUNCTION {0}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF {3} THEN RAISE EXCEPTION '{4}'; "
      "END IF; RETURN NEW; END $$; CREATE TRIGGER {0} BEFORE {1} ON {2} FOR EACH ROW EXECUTE FUNCTION {0}_fn()",
      name, event, table, condition, message));
}

inline void DropTrigger(store::Db& db, std::string_view name, std::string_view table) {
  db.Exec(db.engine() == store::Engine::kSqlite ? fmt::format("DROP TRIGGER {}", name)
                                                : fmt::format("DROP TRIGGER {} ON {}", name, table));
}

}  // namespace nysol::testing
