// A thin RAII layer over the sqlite3 C API: one connection, prepared statements cached by their SQL text,
// typed binding. Prepared statements only — SQL text never contains values.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"

namespace nysol::store {

class Statement {
 public:
  // `stepped`: the list of its connection where the statement puts itself when first stepped after a reset.
  Statement(sqlite3_stmt* stmt, std::vector<Statement*>* stepped) : stmt_(stmt), stepped_(stepped) {}

  // Binding, 1-based like sqlite. Each returns *this so calls chain.
  Statement& Bind(int idx, int64_t value);
  Statement& Bind(int idx, int value) { return Bind(idx, static_cast<int64_t>(value)); }
  Statement& Bind(int idx, bool value) { return Bind(idx, static_cast<int64_t>(value ? 1 : 0)); }
  Statement& Bind(int idx, double value);
  Statement& Bind(int idx, std::string_view value);
  Statement& Bind(int idx, const std::string& value) { return Bind(idx, std::string_view(value)); }
  Statement& Bind(int idx, const char* value) { return Bind(idx, std::string_view(value)); }
  Statement& BindNull(int idx);
  template <typename T>
  Statement& Bind(int idx, const std::optional<T>& value) {
    return value ? Bind(idx, *value) : BindNull(idx);
  }

  // Steps once. True when a row is available, false when done; a failure throws (it means a broken schema
  // or constraint: a bug, since input is validated before it reaches the store).
  bool Step();
  // Steps to completion.
  void Run();

  bool IsNull(int col) const;
  int64_t Int(int col) const;
  double Real(int col) const;
  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const;
  std::optional<int64_t> OptInt(int col) const;
  int ColumnCount() const;
  std::string ColumnName(int col) const;

  void Reset();

 private:
  friend class SqliteDb;
  sqlite3_stmt* stmt_;
  std::vector<Statement*>* stepped_;
  bool listed_ = false;  // in *stepped_ (SqliteDb::ResetStatements resets those)
};

class SqliteDb {
 public:
  // Opens (creating if needed) the database file in WAL mode with synchronous=FULL and foreign keys on.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // A cached prepared statement, reset and unbound, ready to bind.
  Statement& Prepare(std::string_view sql);
  // Resets every cached statement stepped since the last call. A statement left mid-result
  // holds a read transaction open (stale reads, blocked checkpoints), so a connection is reset before it goes
  // back to the pool.
  void ResetStatements();
  // Runs SQL without parameters (schema, pragmas, BEGIN/COMMIT). Throws on failure.
  void Exec(std::string_view sql);
  int64_t LastInsertId() const;
  int Changes() const;
  sqlite3* handle() { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  // Looked up by string_view without building a std::string: Prepare runs several times per command.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>> statements_;
  std::unordered_map<std::string, sqlite3_stmt*> raw_;
  // Statements stepped since the last ResetStatements, each once: a command uses a handful of the cached
  // dozens, and resetting them all after every command showed in the demo's profile. Never longer than the
  // cache, even on a connection that is seldom reset.
  std::vector<Statement*> stepped_;
};

// One connection per thread and database file, reused across calls: opening one per call costs a file open,
// the WAL index and the pragmas, on paths that run for every request (who is logged in, the access log). When
// the outermost lease of a thread ends, every statement is reset, so no read snapshot outlives a call.
class ThreadConnection {
 public:
  static Result<ThreadConnection> Get(const std::string& path);
  ThreadConnection(ThreadConnection&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  ThreadConnection& operator=(ThreadConnection&&) = delete;
  ~ThreadConnection();
  SqliteDb& operator*() const { return *db_; }
  SqliteDb* operator->() const { return db_; }

 private:
  explicit ThreadConnection(SqliteDb* db) : db_(db) {}
  SqliteDb* db_;
};

// Thrown only for failures that mean a bug or a broken database (not for bad input).
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace nysol::store
