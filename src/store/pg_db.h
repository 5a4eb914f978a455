// The PostgreSQL connection (store/db.h): libpq, one connection, statements prepared once per connection under
// a generated name and run with text parameters whose types the server infers from the SQL. Results are read
// in text format, whole: a statement's rows stay readable while the same connection runs others, as SQLite's
// do.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/db.h"

namespace nysol::store {

class PgDb;

class PgStatement final : public Statement {
 public:
  PgStatement(PgDb* db, std::string name, std::string sql, int parameters)
      : db_(db), name_(std::move(name)), sql_(std::move(sql)), values_(static_cast<size_t>(parameters)) {}
  ~PgStatement() override;

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
  friend class PgDb;
  std::optional<std::string>& Slot(int idx);
  std::vector<const char*> Values() const;  // the bound values as libpq takes them, NULL for null
  void Listed();                            // in the connection's list of statements to reset
  PgDb* db_;
  std::string name_;
  std::string sql_;  // as sent, with $n parameters
  std::vector<std::optional<std::string>> values_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  bool prepared_ = false;  // on the server, for the current session (a reconnect forgets it)
  bool listed_ = false;  // in the connection's list of statements to reset
};

class PgDb final : public Db {
 public:
  // Connects to `address` (a libpq connection URI). A server that cannot be reached gives kUnavailable with
  // libpq's reason and the address without its password.
  static Result<std::unique_ptr<PgDb>> Open(const std::string& address);
  ~PgDb() override;

  Engine engine() const override { return Engine::kPostgres; }
  Statement& Prepare(std::string_view sql) override;
  void ResetStatements() override;
  void Exec(std::string_view sql) override;
  void BeginWrite() override;
  void RunTogether(std::span<Statement* const> statements) override;
  // Starts `COPY … FROM STDIN` or `COPY … TO STDOUT`; the caller moves the data with libpq's copy calls.
  void StartCopy(std::string_view sql);
  int Changes() const override { return changes_; }
  void PlanForValues(bool on) override;
  bool Usable() const override;
  PGconn* handle() { return conn_; }

  // Throws StoreUnavailable when the connection is gone, StoreError otherwise; `result` is cleared.
  [[noreturn]] void Fail(PGresult* result, std::string_view what, std::string_view sql);

 private:
  // Runs `run` (which returns a PGresult); when the connection turns out to be lost outside a transaction —
  // PostgreSQL restarted since the last call — connects again once and reruns it, so the first request after
  // the database is back succeeds. Inside a transaction nothing is retried: its earlier statements are gone.
  template <typename Run>
  PGresult* WithReconnect(Run&& run);
  // Prepares `statement` in this session; nullptr when done, else the failed result.
  PGresult* PrepareOnServer(PgStatement& statement);

  friend class PgStatement;
  explicit PgDb(PGconn* conn) : conn_(conn) {}
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  PGconn* conn_;
  std::unordered_map<std::string, std::unique_ptr<PgStatement>, SqlHash, std::equal_to<>> statements_;
  std::vector<PgStatement*> stepped_;
  int changes_ = 0;
};

// `sql` with SQLite-style parameters (`?1`, `?`) renumbered as PostgreSQL's `$1`; `parameters` gets the count.
// Question marks inside quoted text are left alone.
std::string PostgresParameters(std::string_view sql, int* parameters);

}  // namespace nysol::store
