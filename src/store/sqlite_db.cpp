#include "store/sqlite_db.h"

#include <fmt/format.h>

namespace nysol::store {
namespace {

void Check(sqlite3_stmt* stmt, int rc, const char* what) {
  if (rc != SQLITE_OK) {
    throw StoreError(fmt::format("sqlite {}: {}", what, sqlite3_errmsg(sqlite3_db_handle(stmt))));
  }
}

}  // namespace

Statement& SqliteStatement::Bind(int idx, int64_t value) {
  Check(stmt_, sqlite3_bind_int64(stmt_, idx, value), "bind");
  return *this;
}
Statement& SqliteStatement::Bind(int idx, double value) {
  Check(stmt_, sqlite3_bind_double(stmt_, idx, value), "bind");
  return *this;
}
Statement& SqliteStatement::Bind(int idx, std::string_view value) {
  Check(stmt_, sqlite3_bind_text(stmt_, idx, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT),
        "bind");
  return *this;
}
Statement& SqliteStatement::BindNull(int idx) {
  Check(stmt_, sqlite3_bind_null(stmt_, idx), "bind");
  return *this;
}

bool SqliteStatement::Step() {
  if (!listed_) {
    listed_ = true;
    stepped_->push_back(this);
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string message = sqlite3_errmsg(sqlite3_db_handle(stmt_));
  std::string sql = sqlite3_sql(stmt_);
  sqlite3_reset(stmt_);
  throw StoreError(fmt::format("sqlite step ({}): {} in: {}", rc, message, sql));
}

bool SqliteStatement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
int64_t SqliteStatement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double SqliteStatement::Real(int col) const { return sqlite3_column_double(stmt_, col); }
std::string SqliteStatement::Text(int col) const {
  const auto* text = sqlite3_column_text(stmt_, col);
  return text ? std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, col))
              : std::string();
}
int SqliteStatement::ColumnCount() const { return sqlite3_column_count(stmt_); }
std::string SqliteStatement::ColumnName(int col) const { return sqlite3_column_name(stmt_, col); }

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  // SQLite counts every allocation under a global mutex unless told not to; nothing here reads those counts.
  // Only possible before SQLite initialises, so done once, before the first connection (a later call is a
  // no-op).
  static const int kMemoryStatisticsOff = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kMemoryStatisticsOff;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error(ErrorCode::kUnavailable, fmt::format("cannot open database '{}': {}", path, message));
  }
  std::unique_ptr<SqliteDb> result(new SqliteDb(db));
  sqlite3_busy_timeout(db, 10000);
  // More lookaside slots than SQLite's default 40: the cached statements keep some for good, and every step's
  // cursors then fell through to malloc (a tenth of the demo's instructions went to SQLite's allocations).
  sqlite3_db_config(db, SQLITE_DBCONFIG_LOOKASIDE, nullptr, 1200, 1000);
  try {
    // WAL lets readers run beside the one writer; synchronous=FULL makes every acknowledged commit durable.
    result->Exec("PRAGMA journal_mode=WAL");
    result->Exec("PRAGMA synchronous=FULL");
    result->Exec("PRAGMA foreign_keys=ON");
    result->Exec("PRAGMA cache_size=-65536");
    result->Exec("PRAGMA temp_store=MEMORY");
  } catch (const StoreError& e) {
    return Error(ErrorCode::kUnavailable, fmt::format("cannot use database '{}': {}", path, e.what()));
  }
  return result;
}

SqliteDb::~SqliteDb() {
  statements_.clear();
  for (auto& [sql, stmt] : raw_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Statement& SqliteDb::Prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) {
    it->second->Reset();
    return *it->second;
  }
  std::string key(sql);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT,
                              &stmt, nullptr);
  if (rc != SQLITE_OK) {
    throw StoreError(fmt::format("sqlite prepare: {} in: {}", sqlite3_errmsg(db_), key));
  }
  raw_[key] = stmt;
  auto [inserted, _] = statements_.emplace(key, std::make_unique<SqliteStatement>(stmt, &stepped_));
  return *inserted->second;
}

void SqliteDb::ResetStatements() {
  for (SqliteStatement* statement : stepped_) {
    statement->Reset();
    statement->listed_ = false;
  }
  stepped_.clear();
}

void SqliteDb::Exec(std::string_view sql) {
  char* error = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw StoreError(fmt::format("sqlite exec: {} in: {}", message, text.substr(0, 200)));
  }
}

int SqliteDb::Changes() const { return sqlite3_changes(db_); }

}  // namespace nysol::store
