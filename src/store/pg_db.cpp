#include "store/pg_db.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>

namespace nysol::store {
namespace {

// Every writer of the database takes this transaction-scoped advisory lock: PostgreSQL's counterpart of
// SQLite's one writer at a time, across every process using the database (server, CLI, backups' restore).
constexpr int64_t kWriteLock = 0x4e7953'6f4c;  // "NySoL"

// Notices (e.g. "table does not exist, skipping") are not errors; libpq would print them to stderr.
void IgnoreNotice(void*, const char*) {}

}  // namespace

std::string PostgresParameters(std::string_view sql, int* parameters) {
  std::string out;
  out.reserve(sql.size() + 8);
  int highest = 0;
  int next = 0;  // for bare `?`
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    size_t j = i + 1;
    int number = 0;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') number = number * 10 + (sql[j++] - '0');
    if (j == i + 1) number = ++next;
    highest = std::max(highest, number);
    out += fmt::format("${}", number);
    i = j - 1;
  }
  *parameters = highest;
  return out;
}

PgStatement::~PgStatement() { PQclear(result_); }

std::optional<std::string>& PgStatement::Slot(int idx) {
  if (idx < 1 || idx > static_cast<int>(values_.size())) {
    throw StoreError(fmt::format("postgresql bind: no parameter {} in: {}", idx, sql_));
  }
  return values_[static_cast<size_t>(idx - 1)];
}

Statement& PgStatement::Bind(int idx, int64_t value) {
  Slot(idx) = std::to_string(value);
  return *this;
}
Statement& PgStatement::Bind(int idx, double value) {
  Slot(idx) = fmt::format("{:.17g}", value);
  return *this;
}
Statement& PgStatement::Bind(int idx, std::string_view value) {
  Slot(idx) = std::string(value);
  return *this;
}
Statement& PgStatement::BindNull(int idx) {
  Slot(idx).reset();
  return *this;
}

std::vector<const char*> PgStatement::Values() const {
  std::vector<const char*> values(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) values[i] = values_[i] ? values_[i]->c_str() : nullptr;
  return values;
}

void PgStatement::Listed() {
  if (listed_) return;
  listed_ = true;
  db_->stepped_.push_back(this);
}

bool PgStatement::Step() {
  if (result_) return ++row_ < PQntuples(result_);
  Listed();
  std::vector<const char*> values = Values();
  PGresult* result = db_->WithReconnect([&] {
    if (!prepared_) {
      PGresult* prepared = db_->PrepareOnServer(*this);
      if (!prepared_) return prepared;
    }
    return PQexecPrepared(db_->conn_, name_.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                          nullptr, 0);
  });
  ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) db_->Fail(result, "step", sql_);
  const char* changed = PQcmdTuples(result);
  db_->changes_ = *changed ? std::atoi(changed) : 0;
  result_ = result;
  row_ = 0;
  return row_ < PQntuples(result_);
}

bool PgStatement::IsNull(int col) const { return PQgetisnull(result_, row_, col) != 0; }

int64_t PgStatement::Int(int col) const {
  const char* text = PQgetvalue(result_, row_, col);
  if (text[0] == 't' && text[1] == 0) return 1;  // a boolean expression's value
  if (text[0] == 'f' && text[1] == 0) return 0;
  int64_t value = 0;
  std::from_chars(text, text + PQgetlength(result_, row_, col), value);  // "12.50" (numeric) reads as 12
  return value;
}

double PgStatement::Real(int col) const { return std::strtod(PQgetvalue(result_, row_, col), nullptr); }

std::string PgStatement::Text(int col) const {
  return std::string(PQgetvalue(result_, row_, col), static_cast<size_t>(PQgetlength(result_, row_, col)));
}

int PgStatement::ColumnCount() const {
  if (result_) return PQnfields(result_);
  PGresult* described = PQdescribePrepared(db_->conn_, name_.c_str());
  int count = PQnfields(described);
  PQclear(described);
  return count;
}

std::string PgStatement::ColumnName(int col) const {
  if (result_) return PQfname(result_, col);
  PGresult* described = PQdescribePrepared(db_->conn_, name_.c_str());
  std::string name = PQfname(described, col);
  PQclear(described);
  return name;
}

void PgStatement::Reset() {
  PQclear(result_);
  result_ = nullptr;
  row_ = -1;
  for (auto& value : values_) value.reset();
}

namespace {

// Every session's settings, in one round trip.
// - Dates and times are stored as text in UTC by the application; nothing depends on the session's zone,
//   but a fixed one keeps now() readable in logs.
// - Generic plans for every prepared statement. Left to choose, PostgreSQL planned the start page's queue
//   statements afresh on every execution (0.2–0.9 ms of its CPU each, for an index scan of microseconds): a
//   generic plan's estimate for `assigned_to = $2` is the average case worker's queue, so it always looked
//   dearer than a custom plan for a case worker with no matters. Every statement here is written for an index
//   and takes no clause that only a known parameter value can simplify (no `col = $1 OR $1 IS NULL`).
constexpr const char* kSessionSettings = "SET TIME ZONE 'UTC'; SET plan_cache_mode = force_generic_plan";

}  // namespace

Result<std::unique_ptr<PgDb>> PgDb::Open(const std::string& address) {
  // The address's own settings win: connect_timeout and application_name are only defaults.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"5", "nysol", address.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = conn ? PQerrorMessage(conn) : "out of memory";
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    PQfinish(conn);
    return Error(ErrorCode::kUnavailable,
                 fmt::format("cannot connect to PostgreSQL at {}: {}", RedactAddress(address), reason));
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  std::unique_ptr<PgDb> db(new PgDb(conn));
  try {
    db->Exec(kSessionSettings);
  } catch (const StoreError& e) {
    return Error(ErrorCode::kUnavailable, fmt::format("cannot use PostgreSQL at {}: {}", RedactAddress(address),
                                                      e.what()));
  }
  return db;
}

PgDb::~PgDb() {
  statements_.clear();
  PQfinish(conn_);
}

void PgDb::Fail(PGresult* result, std::string_view what, std::string_view sql) {
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
  PQclear(result);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (PQstatus(conn_) != CONNECTION_OK) {
    throw StoreUnavailable(fmt::format("the connection to PostgreSQL was lost: {}", message));
  }
  throw StoreError(fmt::format("postgresql {}: {} in: {}", what, message, sql.substr(0, 300)));
}

template <typename Run>
PGresult* PgDb::WithReconnect(Run&& run) {
  // Idle, or already known to be lost (its transaction, if any, went with it and the caller is rolling back).
  bool idle = PQtransactionStatus(conn_) == PQTRANS_IDLE || PQstatus(conn_) != CONNECTION_OK;
  PGresult* result = run();
  if (PQstatus(conn_) == CONNECTION_OK || !idle) return result;
  // (PQprepare's success is returned as nullptr by PrepareOnServer; either way the session is gone.)
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) return result;  // still down: the caller reports the first failure
  PQclear(result);
  for (auto& [sql, statement] : statements_) statement->prepared_ = false;
  Exec(kSessionSettings);
  return run();
}

PGresult* PgDb::PrepareOnServer(PgStatement& statement) {
  PGresult* result = PQprepare(conn_, statement.name_.c_str(), statement.sql_.c_str(), 0, nullptr);
  if (PQresultStatus(result) != PGRES_COMMAND_OK) return result;  // the caller fails with its message
  PQclear(result);
  statement.prepared_ = true;
  return nullptr;
}

Statement& PgDb::Prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) {
    it->second->Reset();
    return *it->second;
  }
  int parameters = 0;
  std::string translated = PostgresParameters(sql, &parameters);
  std::string name = fmt::format("s{}", statements_.size() + 1);
  auto statement = std::make_unique<PgStatement>(this, std::move(name), std::move(translated), parameters);
  // Prepared now, so that SQL the server rejects fails here; Step prepares again after a reconnect.
  PGresult* failed = WithReconnect([&] { return PrepareOnServer(*statement); });
  if (failed) Fail(failed, "prepare", statement->sql_);
  auto [inserted, _] = statements_.emplace(std::string(sql), std::move(statement));
  return *inserted->second;
}

void PgDb::ResetStatements() {
  for (PgStatement* statement : stepped_) {
    statement->Reset();
    statement->listed_ = false;
  }
  stepped_.clear();
}

void PgDb::Exec(std::string_view sql) {
  std::string text(sql);
  PGresult* result = WithReconnect([&] { return PQexec(conn_, text.c_str()); });
  ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) Fail(result, "exec", text);
  PQclear(result);
}

void PgDb::StartCopy(std::string_view sql) {
  std::string text(sql);
  PGresult* result = PQexec(conn_, text.c_str());
  ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COPY_IN && status != PGRES_COPY_OUT) Fail(result, "copy", text);
  PQclear(result);
}

void PgDb::RunTogether(std::span<Statement* const> statements) {
  std::vector<PgStatement*> batch;
  for (Statement* statement : statements) {
    auto* st = static_cast<PgStatement*>(statement);
    if (!st->result_ && st->prepared_) batch.push_back(st);
  }
  // One statement gains nothing. A connection already known to be lost is left to Step, which connects again.
  if (batch.size() < 2 || PQstatus(conn_) != CONNECTION_OK) return;
  bool idle = PQtransactionStatus(conn_) == PQTRANS_IDLE;
  if (PQenterPipelineMode(conn_) != 1) return;
  size_t sent = 0;
  for (PgStatement* st : batch) {
    std::vector<const char*> values = st->Values();  // copied into libpq's buffer by the call
    if (PQsendQueryPrepared(conn_, st->name_.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                            nullptr, 0) != 1) {
      break;
    }
    ++sent;
  }
  bool synced = PQpipelineSync(conn_) == 1;
  bool ok = sent == batch.size() && synced;
  PGresult* failed = nullptr;
  std::string failed_sql = batch.front()->sql_;
  for (size_t i = 0; i < sent && synced; ++i) {
    PGresult* result = PQgetResult(conn_);
    if (result) {
      while (PGresult* more = PQgetResult(conn_)) PQclear(more);  // up to the NULL that ends this statement
    }
    ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
      batch[i]->Listed();
      batch[i]->result_ = result;
      batch[i]->row_ = -1;  // Step moves to the first row
      continue;
    }
    // After a failure the rest of the pipeline is PGRES_PIPELINE_ABORTED; the first failure says why.
    if (ok && result && status != PGRES_PIPELINE_ABORTED) {
      failed = result;
      failed_sql = batch[i]->sql_;
    } else {
      PQclear(result);
    }
    ok = false;
    if (!result) break;  // the connection is gone
  }
  if (synced) {
    while (PGresult* rest = PQgetResult(conn_)) {  // the sync's own result
      bool sync = PQresultStatus(rest) == PGRES_PIPELINE_SYNC;
      PQclear(rest);
      if (sync) break;
    }
  }
  if (PQexitPipelineMode(conn_) != 1) ok = false;
  if (!ok && idle && PQstatus(conn_) != CONNECTION_OK) {
    // The session ended while the connection was idle in the pool (PostgreSQL restarted): what has no answer
    // is left to Step, which connects again as for a statement run alone; nothing of a transaction was lost.
    PQclear(failed);
    return;
  }
  if (!ok) {
    for (PgStatement* st : batch) st->Reset();
    Fail(failed, "pipeline", failed_sql);
  }
}

void PgDb::PlanForValues(bool on) {
  if (on) {
    Exec("SET plan_cache_mode = force_custom_plan");
    return;
  }
  try {
    Exec("SET plan_cache_mode = force_generic_plan");  // as kSessionSettings
  } catch (const StoreError&) {
    // Only a lost connection refuses a SET: it is dropped, and a new session starts with kSessionSettings.
  }
}

void PgDb::BeginWrite() { Exec(fmt::format("BEGIN; SELECT pg_advisory_xact_lock({})", kWriteLock)); }

bool PgDb::Usable() const {
  // Also out of pipeline mode: a pipeline that could not be ended leaves the connection refusing plain calls.
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE &&
         PQpipelineStatus(conn_) == PQ_PIPELINE_OFF;
}

}  // namespace nysol::store
