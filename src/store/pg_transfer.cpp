#include "store/pg_transfer.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "store/schema.h"

namespace nysol::store {
namespace {

struct Table {
  std::string name;
  std::vector<std::string> columns;
};

// NySoL's tables in the order they were created, which is also an order in which rows can be inserted (a
// table only refers to tables made before it, or to itself), with their columns.
std::vector<Table> TablesOf(SqliteDb& db) {
  std::vector<Table> tables;
  auto& names = db.Prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid");
  while (names.Step()) tables.push_back({names.Text(0), {}});
  names.Reset();
  for (auto& table : tables) {
    auto& columns = db.Prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
    columns.Bind(1, table.name);
    while (columns.Step()) table.columns.push_back(columns.Text(0));
    columns.Reset();
  }
  return tables;
}

std::string ColumnList(const Table& table) {
  std::string out;
  for (const auto& column : table.columns) out += (out.empty() ? "" : ", ") + column;
  return out;
}

// COPY's text format: tab between fields, \N for NULL, backslash escapes for the characters it uses.
void AppendCopyField(std::string& line, const char* text, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    char c = text[i];
    switch (c) {
      case '\\': line += "\\\\"; break;
      case '\t': line += "\\t"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      default: line += c;
    }
  }
}

// One line of COPY text (without its newline) split into fields; nullopt for \N.
std::vector<std::optional<std::string>> ParseCopyLine(std::string_view line) {
  std::vector<std::optional<std::string>> fields;
  std::string field;
  bool is_null = false;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == '\t') {
      fields.push_back(is_null ? std::nullopt : std::optional<std::string>(field));
      field.clear();
      is_null = false;
      continue;
    }
    char c = line[i];
    if (c != '\\' || i + 1 == line.size()) {
      field += c;
      continue;
    }
    char e = line[++i];
    switch (e) {
      case 'N': is_null = true; break;
      case 't': field += '\t'; break;
      case 'n': field += '\n'; break;
      case 'r': field += '\r'; break;
      case 'b': field += '\b'; break;
      case 'f': field += '\f'; break;
      case 'v': field += '\v'; break;
      default: field += e;  // "\\" and any other escaped character stand for themselves
    }
  }
  return fields;
}

// The functions NySoL's PostgreSQL triggers call (store/schema.cpp), dropped with the tables.
constexpr const char* kTriggerFunctions[] = {"nysol_refuse", "nysol_retention_active_needs_an_open_run",
                                             "nysol_journal_rows_are_kept"};

int64_t CopyTableIn(SqliteDb& from, PgDb& to, const Table& table) {
  auto& rows = from.Prepare(fmt::format("SELECT {} FROM {}", ColumnList(table), table.name));
  to.StartCopy(fmt::format("COPY {} ({}) FROM STDIN", table.name, ColumnList(table)));
  PGconn* conn = to.handle();
  std::string buffer;
  int64_t count = 0;
  auto flush = [&] {
    if (buffer.empty()) return;
    if (PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) != 1) to.Fail(nullptr, "copy", table.name);
    buffer.clear();
  };
  const int columns = static_cast<int>(table.columns.size());
  while (rows.Step()) {
    for (int i = 0; i < columns; ++i) {
      if (i) buffer += '\t';
      if (rows.IsNull(i)) {
        buffer += "\\N";
      } else {
        std::string text = rows.Text(i);
        AppendCopyField(buffer, text.data(), static_cast<int>(text.size()));
      }
    }
    buffer += '\n';
    ++count;
    if (buffer.size() > (1 << 20)) flush();
  }
  rows.Reset();
  flush();
  if (PQputCopyEnd(conn, nullptr) != 1) to.Fail(nullptr, "copy", table.name);
  PGresult* result = PQgetResult(conn);
  if (PQresultStatus(result) != PGRES_COMMAND_OK) to.Fail(result, "copy", table.name);
  PQclear(result);
  while ((result = PQgetResult(conn)) != nullptr) PQclear(result);
  return count;
}

}  // namespace

Result<int64_t> CopySqliteToPostgres(SqliteDb& from, PgDb& to) {
  std::vector<Table> tables = TablesOf(from);
  int64_t copied = 0;
  to.BeginWrite();
  try {
    for (const auto& table : tables) to.Exec(fmt::format("DROP TABLE IF EXISTS {} CASCADE", table.name));
    for (const char* function : kTriggerFunctions) {
      to.Exec(fmt::format("DROP FUNCTION IF EXISTS {}() CASCADE", function));
    }
    // The schema as the migrations make it (identity columns, collations, triggers), then the rows.
    to.Exec(MigrationSql(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)", "", Engine::kPostgres));
    for (const auto& migration : Migrations()) to.Exec(MigrationSql(migration, Engine::kPostgres));
    // Rows the migrations seed (units, retention_active) come from the backup instead; the triggers that
    // guard rows are off while the copy runs, inside this transaction only.
    for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
      to.Exec(fmt::format("ALTER TABLE {0} DISABLE TRIGGER USER; DELETE FROM {0}", it->name));
    }
    for (const auto& table : tables) copied += CopyTableIn(from, to, table);
    for (const auto& table : tables) to.Exec(fmt::format("ALTER TABLE {} ENABLE TRIGGER USER", table.name));
    // Identity columns go on after the highest id copied.
    auto& identities = to.Prepare(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'");
    std::vector<std::pair<std::string, std::string>> columns;
    while (identities.Step()) columns.emplace_back(identities.Text(0), identities.Text(1));
    identities.Reset();
    for (const auto& [table, column] : columns) {
      to.Exec(fmt::format("SELECT setval(pg_get_serial_sequence('{0}', '{1}'), coalesce(max({1}), 0) + 1, false) "
                          "FROM {0}",
                          table, column));
    }
    to.Exec("COMMIT");
    // The planner's statistics of the new tables now, not when autovacuum gets to them: without them the
    // first queries on a restored database choose poor plans.
    to.Exec("ANALYZE");
  } catch (const StoreError& e) {
    to.ResetStatements();
    if (to.Usable() || PQtransactionStatus(to.handle()) != PQTRANS_UNKNOWN) {
      try {
        to.Exec("ROLLBACK");
      } catch (const StoreError&) {
      }
    }
    if (dynamic_cast<const StoreUnavailable*>(&e)) return Error(ErrorCode::kUnavailable, e.what());
    return Error(ErrorCode::kInternal, e.what());
  }
  return copied;
}

Result<int64_t> CopyPostgresToSqlite(PgDb& from, SqliteDb& to) {
  std::vector<Table> tables = TablesOf(to);
  int64_t copied = 0;
  try {
    from.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    to.Exec("PRAGMA foreign_keys=OFF");  // rows arrive table by table; the source already enforced them
    to.Exec("BEGIN");
    PGconn* conn = from.handle();
    for (const auto& table : tables) {
      std::string placeholders;
      for (size_t i = 1; i <= table.columns.size(); ++i) placeholders += fmt::format("{}?{}", i > 1 ? ", " : "", i);
      // REPLACE: the rows the migrations seed (units, retention_active) are in the source too.
      auto& insert = to.Prepare(
          fmt::format("INSERT OR REPLACE INTO {} ({}) VALUES ({})", table.name, ColumnList(table), placeholders));
      from.StartCopy(fmt::format("COPY (SELECT {} FROM {}) TO STDOUT", ColumnList(table), table.name));
      char* data = nullptr;
      int bytes = 0;
      while ((bytes = PQgetCopyData(conn, &data, 0)) > 0) {
        std::string_view line(data, static_cast<size_t>(bytes));
        if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
        auto fields = ParseCopyLine(line);
        PQfreemem(data);
        if (fields.size() != table.columns.size()) {
          throw StoreError(fmt::format("COPY of {} gave {} fields, not {}", table.name, fields.size(),
                                       table.columns.size()));
        }
        insert.Reset();
        for (size_t i = 0; i < fields.size(); ++i) insert.Bind(static_cast<int>(i + 1), fields[i]);
        insert.Run();
        ++copied;
      }
      if (bytes == -2) from.Fail(nullptr, "copy", table.name);
      PGresult* result = PQgetResult(conn);
      if (PQresultStatus(result) != PGRES_COMMAND_OK) from.Fail(result, "copy", table.name);
      PQclear(result);
      while ((result = PQgetResult(conn)) != nullptr) PQclear(result);
      insert.Reset();
    }
    to.Exec("COMMIT");
    to.Exec("PRAGMA foreign_keys=ON");
    from.Exec("COMMIT");
  } catch (const StoreError& e) {
    to.ResetStatements();
    try {
      to.Exec("ROLLBACK");
    } catch (const StoreError&) {
    }
    try {
      from.Exec("ROLLBACK");
    } catch (const StoreError&) {
    }
    if (dynamic_cast<const StoreUnavailable*>(&e)) return Error(ErrorCode::kUnavailable, e.what());
    return Error(ErrorCode::kInternal, e.what());
  }
  return copied;
}

}  // namespace nysol::store
