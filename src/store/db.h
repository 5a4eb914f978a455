// The database behind the store, whichever it is: SQLite (the embedded default, a file path) or PostgreSQL (a
// `postgresql://` address). One connection, prepared statements cached by their SQL text, typed binding.
// Prepared statements only — SQL text never contains values.
//
// SQL is written once, in the subset both engines understand: parameters `?1`, `?2` … (the PostgreSQL
// connection renumbers them to `$1` …), integer flags compared as `= 1`, text compared byte-wise (PostgreSQL
// columns are created with COLLATE "C"), new ids read back with RETURNING. Where the engines differ (a
// write transaction, JSON in the journal's payload), Db names the difference.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace nysol::store {

enum class Engine { kSqlite, kPostgres };

class Statement {
 public:
  virtual ~Statement() = default;

  // Binding, 1-based. Each returns *this so calls chain.
  virtual Statement& Bind(int idx, int64_t value) = 0;
  virtual Statement& Bind(int idx, double value) = 0;
  virtual Statement& Bind(int idx, std::string_view value) = 0;
  virtual Statement& BindNull(int idx) = 0;
  Statement& Bind(int idx, int value) { return Bind(idx, static_cast<int64_t>(value)); }
  Statement& Bind(int idx, bool value) { return Bind(idx, static_cast<int64_t>(value ? 1 : 0)); }
  Statement& Bind(int idx, const std::string& value) { return Bind(idx, std::string_view(value)); }
  Statement& Bind(int idx, const char* value) { return Bind(idx, std::string_view(value)); }
  template <typename T>
  Statement& Bind(int idx, const std::optional<T>& value) {
    return value ? Bind(idx, *value) : BindNull(idx);
  }

  // Steps once. True when a row is available, false when done; a failure throws (it means a broken schema
  // or constraint: a bug, since input is validated before it reaches the store — or a lost connection).
  virtual bool Step() = 0;
  // Steps to completion.
  void Run() {
    while (Step()) {
    }
  }

  virtual bool IsNull(int col) const = 0;
  virtual int64_t Int(int col) const = 0;
  virtual double Real(int col) const = 0;
  virtual std::string Text(int col) const = 0;
  std::optional<std::string> OptText(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Text(col);
  }
  std::optional<int64_t> OptInt(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Int(col);
  }
  virtual int ColumnCount() const = 0;
  virtual std::string ColumnName(int col) const = 0;

  virtual void Reset() = 0;
};

class Db {
 public:
  virtual ~Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  virtual Engine engine() const = 0;
  // A cached prepared statement, reset and unbound, ready to bind.
  virtual Statement& Prepare(std::string_view sql) = 0;
  // Resets every cached statement stepped since the last call. A statement left mid-result may hold a read
  // transaction open (stale reads, blocked checkpoints), so a connection is reset before it goes back to the
  // pool.
  virtual void ResetStatements() = 0;
  // Runs SQL without parameters (schema, COMMIT, ROLLBACK). Throws on failure.
  virtual void Exec(std::string_view sql) = 0;
  // Begins a write transaction that no other writer of the same database runs beside: SQLite's BEGIN
  // IMMEDIATE, or in PostgreSQL a transaction holding the store's advisory lock. Ended by Exec("COMMIT") or
  // Exec("ROLLBACK").
  virtual void BeginWrite() = 0;
  // Runs bound statements that have not run yet, together where the engine gains from it: PostgreSQL sends
  // them in one round trip (libpq's pipeline mode, one implicit transaction); SQLite, which has no round
  // trips, runs each when it is first stepped. Either way each is then stepped as usual.
  virtual void RunTogether(std::span<Statement* const> /*statements*/) {}
  // Rows changed by the last INSERT, UPDATE or DELETE.
  virtual int Changes() const = 0;
  // While on, PostgreSQL plans each statement for its parameters' values instead of once for all values (the
  // session's default, pg_db.cpp): for a statement whose best plan depends on the values, such as a search
  // pattern found in most rows or in few. SQLite always plans for the values. Use PlannedForValues.
  virtual void PlanForValues(bool /*on*/) {}
  // False once the connection is lost (the server went away); such a connection is dropped, not pooled.
  virtual bool Usable() const { return true; }
  // SQL that is true when the journal payload's field `field` (a constant, never input) is JSON true.
  std::string PayloadIsTrue(std::string_view field) const;

 protected:
  Db() = default;
};

// Db::PlanForValues for as long as it lives.
class PlannedForValues {
 public:
  explicit PlannedForValues(Db& db) : db_(db) { db_.PlanForValues(true); }
  ~PlannedForValues() { db_.PlanForValues(false); }
  PlannedForValues(const PlannedForValues&) = delete;
  PlannedForValues& operator=(const PlannedForValues&) = delete;

 private:
  Db& db_;
};

// Thrown only for failures that mean a bug or a broken database (not for bad input).
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database cannot be reached (PostgreSQL down, the connection lost). The request fails with 503 and the
// next one connects again.
class StoreUnavailable : public StoreError {
 public:
  using StoreError::StoreError;
};

// True for a PostgreSQL address (`postgresql://…` or `postgres://…`); anything else is a SQLite file path.
bool IsPostgresAddress(std::string_view address);
// The address with any password replaced by `***`, for messages and logs.
std::string RedactAddress(std::string_view address);

// Opens a connection: a SQLite file (created if needed, in WAL mode with synchronous=FULL and foreign keys
// on) or a PostgreSQL database. A PostgreSQL server that cannot be reached gives kUnavailable.
Result<std::unique_ptr<Db>> OpenDb(const std::string& address);

// One connection per thread and database, reused across calls: opening one per call costs a file open and
// the pragmas (SQLite) or a login (PostgreSQL), on paths that run for every request (who is logged in, the
// access log). When the outermost lease of a thread ends, every statement is reset, so no read snapshot
// outlives a call; a lost PostgreSQL connection is replaced at the next Get.
class ThreadConnection {
 public:
  static Result<ThreadConnection> Get(const std::string& address);
  ThreadConnection(ThreadConnection&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  ThreadConnection& operator=(ThreadConnection&&) = delete;
  ~ThreadConnection();
  Db& operator*() const { return *db_; }
  Db* operator->() const { return db_; }

 private:
  explicit ThreadConnection(Db* db) : db_(db) {}
  Db* db_;
};

}  // namespace nysol::store
