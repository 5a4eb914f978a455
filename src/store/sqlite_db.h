// The SQLite connection (store/db.h): the sqlite3 C API, one connection, prepared statements cached by their
// SQL text.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/db.h"

namespace nysol::store {

class SqliteStatement final : public Statement {
 public:
  // `stepped`: the list of its connection where the statement puts itself when first stepped after a reset.
  SqliteStatement(sqlite3_stmt* stmt, std::vector<SqliteStatement*>* stepped) : stmt_(stmt), stepped_(stepped) {}

  using Statement::Bind;
  Statement& Bind(int idx, int64_t value) override;
  Statement& Bind(int idx, double value) override;
  Statement& Bind(int idx, std::string_view value) override;
  Statement& BindNull(int idx) override;
  bool Step() override;
  bool IsNull(int col) const override;
  int64_t Int(int col) const override;
  double Real(int col) const override;
  std::string Text(int col) const override;
  int ColumnCount() const override;
  std::string ColumnName(int col) const override;
  void Reset() override;

 private:
  friend class SqliteDb;
  sqlite3_stmt* stmt_;
  std::vector<SqliteStatement*>* stepped_;
  bool listed_ = false;  // in *stepped_ (SqliteDb::ResetStatements resets those)
};

class SqliteDb final : public Db {
 public:
  // Opens (creating if needed) the database file in WAL mode with synchronous=FULL and foreign keys on.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb() override;

  Engine engine() const override { return Engine::kSqlite; }
  Statement& Prepare(std::string_view sql) override;
  void ResetStatements() override;
  void Exec(std::string_view sql) override;
  void BeginWrite() override { Exec("BEGIN IMMEDIATE"); }
  int Changes() const override;
  sqlite3* handle() { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  // Looked up by string_view without building a std::string: Prepare runs several times per command.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>, SqlHash, std::equal_to<>> statements_;
  std::unordered_map<std::string, sqlite3_stmt*> raw_;
  // Statements stepped since the last ResetStatements, each once: a command uses a handful of the cached
  // dozens, and resetting them all after every command showed in the demo's profile. Never longer than the
  // cache, even on a connection that is seldom reset.
  std::vector<SqliteStatement*> stepped_;
};

}  // namespace nysol::store
