#include "store/case_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <utility>

#include "store/matter_batch.h"
#include "store/name_fold.h"
#include "store/projection.h"
#include "store/recent_events.h"
#include "store/schema.h"
#include "store/stored_rows.h"

namespace nysol::store {
namespace {

constexpr int kBulkCommitEvery = 20000;  // commands per transaction while bulk loading

std::vector<ReportRow> ReadReports(Statement& st) {
  std::vector<ReportRow> rows;
  while (st.Step()) {
    ReportRow r;
    r.report_id = st.Int(0);
    r.matter_id = st.Int(1);
    r.person_id = st.Int(2);
    r.received_at = st.Text(3);
    r.reporter_category = st.Text(4);
    r.channel = st.Text(5);
    r.reporter_name = st.OptText(6);
    r.text = st.Text(7);
    r.disposition = st.Text(8);
    r.outcome = st.Text(9);
    r.protection_due = st.Text(10);
    r.protection_assessed_at = st.OptText(11);
    if (auto need = st.OptInt(12)) r.immediate_need = *need != 0;
    rows.push_back(std::move(r));
  }
  return rows;
}

constexpr const char* kReportSelect =
    "SELECT r.id, s.matter_id, s.person_id, r.received_at, r.reporter_category, r.channel, r.reporter_name, r.text, "
    "s.disposition, s.outcome, s.protection_due, s.protection_assessed_at, s.immediate_need "
    "FROM report_subjects s JOIN reports r ON r.id = s.report_id ";

CommitteeDecisionRecord ReadCommitteeDecision(Statement& st) {
  CommitteeDecisionRecord d;
  d.id = st.Int(0);
  d.item_code = st.Text(1);
  d.valid_from = ReqDate(st, 2);
  d.valid_to = OptDate(st, 3);
  d.ended_from = OptDate(st, 4);
  d.identity_exempt = st.Int(5) != 0;
  if (auto v = st.OptInt(6)) d.age_min = static_cast<int>(*v);
  if (auto v = st.OptInt(7)) d.age_max = static_cast<int>(*v);
  return d;
}

// The columns ReadSummaries reads, from matters joined with their persons.
constexpr std::string_view kSummarySelect =
    "SELECT m.id, m.kind, m.phase, m.unit, m.person_id, m.received_on, m.assigned_to, p.protected_identity "
    "FROM matters m JOIN persons p ON p.id = m.person_id ";

// `select` with the matters (`FROM matters m`) read through `index`: SQLite's INDEXED BY, for a plan that
// must not change with the statistics.
std::string ReadThrough(std::string_view select, std::string_view index) {
  constexpr std::string_view kFrom = "FROM matters m";
  size_t after = select.find(kFrom) + kFrom.size();
  return fmt::format("{} INDEXED BY {}{}", select.substr(0, after), index, select.substr(after));
}

std::vector<MatterSummary> ReadSummaries(Statement& st) {
  std::vector<MatterSummary> rows;
  while (st.Step()) {
    rows.push_back({st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Int(4), st.Text(5), st.OptText(6),
                    st.Int(7) != 0});
  }
  return rows;
}

// The reads a command makes, inside the write transaction.
class TransactionView final : public CaseView {
 public:
  explicit TransactionView(Db& db) : db_(db) {}

  std::optional<PersonRecord> FindPersonByIdentityNumber(const std::string& digits) override {
    auto& st = db_.Prepare("SELECT id, protected_identity FROM persons WHERE identity_number = ?1");
    st.Bind(1, digits);
    if (!st.Step()) return std::nullopt;
    return PersonRecord{st.Int(0), digits, st.Int(1) != 0};
  }

  std::optional<PersonRecord> FindPerson(int64_t person_id) override {
    auto& st = db_.Prepare("SELECT identity_number, protected_identity FROM persons WHERE id = ?1");
    st.Bind(1, person_id);
    if (!st.Step()) return std::nullopt;
    return PersonRecord{person_id, st.OptText(0), st.Int(1) != 0};
  }

  std::optional<MatterState> LoadMatter(int64_t matter_id) override { return LoadMatterState(db_, matter_id); }

  std::optional<CommitteeDecisionRecord> FindCommitteeDecision(int64_t decision_id) override {
    auto& st = db_.Prepare(
        "SELECT id, item_code, valid_from, valid_to, ended_from, identity_exempt, age_min, age_max "
        "FROM committee_decisions WHERE id = ?1");
    st.Bind(1, decision_id);
    if (!st.Step()) return std::nullopt;
    return ReadCommitteeDecision(st);
  }

  std::optional<FirstLineRecord> FindFirstLineParticipation(int64_t participation_id) override {
    auto& st = db_.Prepare(
        "SELECT id, unit, person_id, age, referred_matter_id FROM first_line_participations WHERE id = ?1");
    st.Bind(1, participation_id);
    if (!st.Step()) return std::nullopt;
    FirstLineRecord r{st.Int(0), st.Text(1), st.OptInt(2), std::nullopt, st.OptInt(4)};
    if (auto age = st.OptInt(3)) r.age = static_cast<int>(*age);
    return r;
  }

  std::vector<OpenMatter> OpenMattersOf(int64_t person_id) override {
    auto& st = db_.Prepare("SELECT id, kind, phase FROM matters WHERE person_id = ?1 AND phase <> 'closed' ORDER BY id");
    st.Bind(1, person_id);
    std::vector<OpenMatter> matters;
    while (st.Step()) {
      OpenMatter m{st.Int(0)};
      if (!ParseMatterKind(st.Text(1), &m.kind) || !ParseMatterPhase(st.Text(2), &m.phase)) {
        throw StoreError("stored matter kind or phase is unknown");
      }
      matters.push_back(m);
    }
    return matters;
  }

  int64_t NextId(std::string_view table) override {
    auto it = next_.find(std::string(table));
    if (it == next_.end()) {
      static const std::map<std::string_view, const char*> kQueries = {
          {"persons", "SELECT coalesce(max(id), 0) + 1 FROM persons"},
          {"matters", "SELECT coalesce(max(id), 0) + 1 FROM matters"},
          {"reports", "SELECT coalesce(max(id), 0) + 1 FROM reports"},
          {"decisions", "SELECT coalesce(max(id), 0) + 1 FROM decisions"},
          {"interventions", "SELECT coalesce(max(id), 0) + 1 FROM interventions"},
          {"notes", "SELECT coalesce(max(id), 0) + 1 FROM notes"},
          {"committee_decisions", "SELECT coalesce(max(id), 0) + 1 FROM committee_decisions"},
          {"first_line_participations", "SELECT coalesce(max(id), 0) + 1 FROM first_line_participations"},
      };
      auto query = kQueries.find(table);
      if (query == kQueries.end()) throw StoreError(fmt::format("no id sequence for '{}'", table));
      auto& st = db_.Prepare(query->second);
      st.Step();
      int64_t next = st.Int(0);
      // Ids removed by gallring (16 kap. SoL, migration 5) are never handed out again: the access log
      // keeps them.
      auto& floor = db_.Prepare("SELECT max_id + 1 FROM retention_id_floor WHERE name = ?1");
      floor.Bind(1, table);
      if (floor.Step() && floor.Int(0) > next) next = floor.Int(0);
      it = next_.emplace(std::string(table), next).first;
    }
    return it->second++;
  }

 private:
  Db& db_;
  std::map<std::string, int64_t> next_;
};

}  // namespace

// A pooled connection, returned to the pool when the lease ends; or, during a bulk load, the bulk
// connection itself, so that reads see the load's own uncommitted writes.
class CaseStore::Lease {
 public:
  Lease(CaseStore* store, std::unique_ptr<Db> db) : store_(store), owned_(std::move(db)), db_(owned_.get()) {}
  explicit Lease(Db* borrowed) : db_(borrowed) {}
  Lease(Lease&& other) noexcept
      : store_(other.store_), owned_(std::move(other.owned_)), db_(std::exchange(other.db_, nullptr)) {}
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (owned_) {
      store_->Release(std::move(owned_));
    } else if (db_) {
      db_->ResetStatements();
    }
  }
  Db& operator*() { return *db_; }
  Db* operator->() { return db_; }

 private:
  CaseStore* store_ = nullptr;
  std::unique_ptr<Db> owned_;
  Db* db_ = nullptr;
};

namespace {

// SQLite's planner statistics from a sample of each index: the planner needs no more.
void AnalyseFromSample(Db& db) {
  db.Exec("PRAGMA analysis_limit=1000");
  db.Exec("ANALYZE");
}

// A SQLite database with planner statistics (the demo's, from a sample) has them refreshed after a migration,
// the same way: SQLite judges an index it has no statistics for by default estimates that make it look cheap,
// and took migration 18's (unit, id) for the start page's queue, sorting all of a unit's matters. A database
// without statistics, as any built by use, is left without: its hot statements name their indexes
// (ListMattersSql).
void RefreshStatistics(Db& db) {
  auto& table = db.Prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'");
  table.Step();
  bool analysed = table.Int(0) > 0;
  table.Reset();
  if (analysed) {
    auto& rows = db.Prepare("SELECT count(*) FROM sqlite_stat1");  // emptied by hand: none either
    rows.Step();
    analysed = rows.Int(0) > 0;
    rows.Reset();
  }
  if (analysed) AnalyseFromSample(db);
}

}  // namespace

void Migrate(Db& db) {
  db.Exec(MigrationSql("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)",
                       "", db.engine()));
  bool migrated = false;
  for (const auto& migration : Migrations()) {
    auto& st = db.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?1");
    st.Bind(1, migration.version);
    bool applied = st.Step();
    st.Reset();  // a statement left on a row holds a read snapshot: a later BEGIN IMMEDIATE would fail at once
    if (applied) continue;
    migrated = true;
    db.BeginWrite();
    try {
      db.Exec(MigrationSql(migration, db.engine()));
      db.Prepare("INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)")
          .Bind(1, migration.version)
          .Bind(2, migration.name)
          .Run();
      db.Exec("COMMIT");
    } catch (...) {
      db.Exec("ROLLBACK");
      throw;
    }
  }
  if (migrated && db.engine() == Engine::kSqlite) RefreshStatistics(db);
}

Result<std::unique_ptr<CaseStore>> CaseStore::Open(const std::string& path) {
  auto db = OpenDb(path);
  if (!db.ok()) return db.status();
  try {
    Migrate(**db);
  } catch (const StoreError& e) {
    return Error(ErrorCode::kUnavailable, fmt::format("cannot migrate '{}': {}", path, e.what()));
  }
  std::unique_ptr<CaseStore> store(new CaseStore(path));
  store->idle_.push_back(std::move(*db));
  return store;
}

namespace {
thread_local CaseStore::ReadScope* t_read_scope = nullptr;  // this thread's open scope, if any
}  // namespace

CaseStore::ReadScope::ReadScope(CaseStore& store) : store_(store), active_(t_read_scope == nullptr) {
  if (active_) t_read_scope = this;
}

CaseStore::ReadScope::~ReadScope() {
  if (!active_) return;
  t_read_scope = nullptr;
  if (!db_) return;
  try {
    EndSnapshot();
    store_.Release(std::move(db_));
  } catch (const std::exception&) {
    // A connection whose read transaction cannot end is not given back; the pool opens another.
  }
}

Db& CaseStore::ReadScope::Connection() {
  if (!db_) db_ = store_.Pooled();
  if (!in_transaction_ && db_->engine() == Engine::kSqlite) {
    // Deferred: a read transaction, its snapshot taken at the first statement. PostgreSQL keeps one snapshot
    // per statement here: a transaction would cost two more round trips per request.
    db_->Exec("BEGIN");
    in_transaction_ = true;
  }
  return *db_;
}

void CaseStore::ReadScope::EndSnapshot() {
  if (!in_transaction_) return;
  in_transaction_ = false;
  db_->ResetStatements();
  db_->Exec("COMMIT");
}

CaseStore::Lease CaseStore::Acquire() {
  if (bulk_db_) return Lease(bulk_db_.get());  // bulk loads are single-threaded
  if (t_read_scope && &t_read_scope->store_ == this) return Lease(&t_read_scope->Connection());
  return Lease(this, Pooled());
}

std::unique_ptr<Db> CaseStore::Pooled() {
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      auto db = std::move(idle_.back());
      idle_.pop_back();
      return db;
    }
  }
  auto db = OpenDb(path_);
  if (!db.ok()) throw StoreUnavailable(db.status().message());
  return std::move(*db);
}

void CaseStore::Release(std::unique_ptr<Db> db) {
  db->ResetStatements();
  if (!db->Usable()) return;  // a lost PostgreSQL connection: the next Acquire connects again
  std::lock_guard lock(pool_mutex_);
  idle_.push_back(std::move(db));
}

void AppendEvent(Db& db, Event& event) {
  auto& st = db.Prepare(
      "INSERT INTO journal (occurred_at, recorded_at, actor, unit, matter_id, person_id, kind, payload, "
      "rulebook_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING seq");
  st.Bind(1, event.occurred_at)
      .Bind(2, event.recorded_at)
      .Bind(3, event.actor)
      .Bind(4, event.unit)
      .Bind(5, event.matter_id)
      .Bind(6, event.person_id)
      .Bind(7, event.kind)
      .Bind(8, event.payload.dump())
      .Bind(9, event.rulebook_version);
  if (!st.Step()) throw StoreError("INSERT … RETURNING gave no row");
  event.seq = st.Int(0);
  st.Reset();
}

void ForEachEvent(Db& db, const std::function<void(const Event&)>& fn, int64_t page_rows) {
  // In pages by seq: PostgreSQL's connection holds a result whole, and a whole journal is hundreds of MB.
  page_rows = std::max<int64_t>(1, page_rows);
  static const std::string kSql =
      fmt::format("SELECT {} FROM journal WHERE seq > ?1 ORDER BY seq LIMIT ?2", kEventColumns);
  auto& st = db.Prepare(kSql);
  for (int64_t after = 0;;) {
    st.Bind(1, after).Bind(2, page_rows);
    int64_t rows = 0;
    while (st.Step()) {
      Event event = ReadEvent(st);
      ++rows;
      after = event.seq;
      fn(event);
    }
    st.Reset();
    if (rows < page_rows) return;
  }
}

Result<Events> CaseStore::WriteOn(Db& db, const Decider& decide, const Finisher& finish) {
  TransactionView view(db);
  auto events = decide(view);
  if (!events.ok()) {
    db.ResetStatements();
    return events;
  }
  for (auto& event : *events) {
    AppendEvent(db, event);
    Project(db, event, /*keep_next_due=*/bulk_db_ == nullptr);
  }
  if (finish) finish(db, *events);
  db.ResetStatements();
  return events;
}

Result<Events> CaseStore::Write(const Decider& decide, const Finisher& finish) {
  std::lock_guard lock(write_mutex_);
  if (bulk_db_) {
    Db& db = *bulk_db_;
    // No savepoint per command: a refused command has written nothing (deciders only read), and a command
    // that throws abandons everything since the last commit, which only a broken load can cause.
    try {
      auto events = WriteOn(db, decide, finish);
      if (++bulk_pending_ >= kBulkCommitEvery) {
        db.Exec("COMMIT");
        db.BeginWrite();
        bulk_pending_ = 0;
      }
      return events;
    } catch (...) {
      db.ResetStatements();
      db.Exec("ROLLBACK");
      db.BeginWrite();
      DropBulkJournalIndexes(db);  // the rollback may have restored them
      bulk_pending_ = 0;
      throw;
    }
  }
  // Never the thread's ReadScope connection: it is inside a read transaction.
  Lease db(this, Pooled());
  db->BeginWrite();
  Result<Events> events = Error(ErrorCode::kInternal, "not written");
  try {
    events = WriteOn(*db, decide, finish);
    db->Exec(events.ok() ? "COMMIT" : "ROLLBACK");
  } catch (...) {
    db->Exec("ROLLBACK");
    throw;
  }
  // What this thread reads next includes the write.
  if (events.ok() && t_read_scope && &t_read_scope->store_ == this) t_read_scope->EndSnapshot();
  return events;
}

void CaseStore::BeginBulk() {
  std::lock_guard lock(write_mutex_);
  auto db = OpenDb(path_);
  if (!db.ok()) throw StoreError(db.status().message());
  bulk_db_ = std::move(*db);
  bulk_pending_ = 0;
  bulk_journal_indexes_.clear();
  if (bulk_db_->engine() == Engine::kPostgres) {
    // Large transactions only; the server's own settings decide durability.
    bulk_db_->BeginWrite();
    return;
  }
  // Durability is restored by EndBulk; a crash during a bulk load means generating the demo again.
  bulk_db_->Exec("PRAGMA synchronous=OFF");
  // The load reads back what it wrote (matters, reports) all the time; keep the current-state tables cached.
  bulk_db_->Exec("PRAGMA cache_size=-524288");
  bulk_db_->Exec("PRAGMA threads=2");  // EndBulk sorts the journal's indexes on both cores
  bulk_db_->BeginWrite();
  // No command reads the journal by matter or person, so its indexes are built once at the end, in one sort,
  // instead of row by row. They are recreated from their own stored definitions.
  bulk_journal_indexes_.clear();
  auto& indexes = bulk_db_->Prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'journal' AND sql IS NOT NULL");
  while (indexes.Step()) bulk_journal_indexes_.emplace_back(indexes.Text(0), indexes.Text(1));
  bulk_db_->ResetStatements();
  DropBulkJournalIndexes(*bulk_db_);
  bulk_pending_ = 0;
}

void CaseStore::DropBulkJournalIndexes(Db& db) {
  for (const auto& [name, sql] : bulk_journal_indexes_) db.Exec(fmt::format("DROP INDEX IF EXISTS {}", name));
}

void CaseStore::EndBulk() {
  std::lock_guard lock(write_mutex_);
  if (!bulk_db_) return;
  bulk_db_->ResetStatements();
  for (const auto& [name, sql] : bulk_journal_indexes_) bulk_db_->Exec(sql);
  // The projection left next_due alone during the load (a load given up before this is abandoned whole).
  bulk_db_->Exec(fmt::format("UPDATE matters SET next_due = {}", kNextDueSql));
  bulk_db_->Exec("COMMIT");
  if (bulk_db_->engine() == Engine::kPostgres) {
    bulk_db_->Exec("ANALYZE");
    bulk_db_.reset();
    return;
  }
  bulk_db_->Exec("PRAGMA synchronous=FULL");
  bulk_db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  AnalyseFromSample(*bulk_db_);
  bulk_db_.reset();
}

std::optional<MatterState> LoadMatterState(Db& db, int64_t id) {
  // One implementation for one matter and for lists of them (store/matter_batch.h).
  auto matters = LoadMatterStates(db, {id});
  if (matters.empty()) return std::nullopt;
  return std::move(matters.front());
}

Result<MatterState> CaseStore::LoadMatter(int64_t id) {
  auto db = Acquire();
  auto matter = LoadMatterState(*db, id);
  if (!matter) return Error(ErrorCode::kNotFound, fmt::format("there is no matter {}", id));
  return *matter;
}

namespace {
const std::string& PersonByIdSql() {
  static const std::string sql = fmt::format("SELECT {} FROM persons WHERE id = ?1", kPersonColumns);
  return sql;
}
const std::string& ReportsInMatterSql() {
  static const std::string sql = std::string(kReportSelect) + "WHERE s.matter_id = ?1 ORDER BY r.received_at, r.id";
  return sql;
}
const std::string& MatterJournalSql() {
  static const std::string sql = fmt::format("SELECT {} FROM journal WHERE matter_id = ?1 ORDER BY seq", kEventColumns);
  return sql;
}
std::vector<Event> ReadEvents(Statement& st) {
  std::vector<Event> events;
  while (st.Step()) events.push_back(ReadEvent(st));
  return events;
}
}  // namespace

std::optional<PersonRow> CaseStore::GetPerson(int64_t id) {
  auto db = Acquire();
  auto& st = db->Prepare(PersonByIdSql());
  st.Bind(1, id);
  if (!st.Step()) return std::nullopt;
  return ReadPerson(st);
}

MatterDetails CaseStore::LoadMatterDetails(int64_t matter_id, int64_t person_id) {
  auto db = Acquire();
  auto& journal = db->Prepare(MatterJournalSql());
  journal.Bind(1, matter_id);
  auto& reports = db->Prepare(ReportsInMatterSql());
  reports.Bind(1, matter_id);
  auto& person = db->Prepare(PersonByIdSql());
  person.Bind(1, person_id);
  Statement* together[] = {&journal, &reports, &person};
  db->RunTogether(together);  // one round trip on PostgreSQL
  MatterDetails details;
  while (journal.Step()) details.journal.push_back(ReadStoredEvent(journal));
  details.reports = ReadReports(reports);
  if (person.Step()) details.person = ReadPerson(person);
  return details;
}

std::optional<PersonRow> CaseStore::FindPersonByIdentityNumber(const std::string& digits) {
  auto db = Acquire();
  auto& st = db->Prepare(fmt::format("SELECT {} FROM persons WHERE identity_number = ?1", kPersonColumns));
  st.Bind(1, digits);
  if (!st.Step()) return std::nullopt;
  return ReadPerson(st);
}

std::vector<PersonRow> CaseStore::FindPersonsByName(std::string_view part, std::string_view unit, int limit) {
  std::string pattern = "%";
  for (char c : FoldName(part)) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  auto db = Acquire();
  // Planned for the pattern: "sson" is in most names, "selma holm" in few. With one plan for both, PostgreSQL
  // took the trigram index (migration 14) for "sson" too: 143 instead of 33 ms in the 100,000-person demo.
  PlannedForValues planned(*db);
  auto& st = db->Prepare(fmt::format(
      "SELECT {} FROM persons WHERE name_folded LIKE ?1 ESCAPE '\\' "
      "AND id IN (SELECT person_id FROM matters WHERE unit = ?2) ORDER BY name_order, name, id LIMIT ?3",
      kPersonColumns));
  st.Bind(1, pattern).Bind(2, unit).Bind(3, limit);
  std::vector<PersonRow> persons;
  while (st.Step()) persons.push_back(ReadPerson(st));
  return persons;
}

std::vector<ReportRow> CaseStore::ReportsAboutPerson(int64_t person_id) {
  auto db = Acquire();
  auto& st = db->Prepare(std::string(kReportSelect) + "WHERE s.person_id = ?1 ORDER BY r.received_at DESC, r.id DESC");
  st.Bind(1, person_id);
  return ReadReports(st);
}

std::vector<ReportRow> CaseStore::ReportsInMatter(int64_t matter_id) {
  auto db = Acquire();
  auto& st = db->Prepare(ReportsInMatterSql());
  st.Bind(1, matter_id);
  return ReadReports(st);
}

std::vector<Event> CaseStore::JournalWhere(std::string_view column, int64_t id) {
  auto db = Acquire();
  auto& st = db->Prepare(fmt::format("SELECT {} FROM journal WHERE {} = ?1 ORDER BY seq", kEventColumns, column));
  st.Bind(1, id);
  return ReadEvents(st);
}

std::vector<Event> CaseStore::PersonJournal(int64_t person_id) { return JournalWhere("person_id", person_id); }

std::vector<Event> CaseStore::MatterJournal(int64_t matter_id) { return JournalWhere("matter_id", matter_id); }

std::vector<CommitteeDecisionRow> CaseStore::CommitteeDecisions(std::optional<Date> on) {
  auto db = Acquire();
  auto& st = db->Prepare(
      "SELECT id, item_code, valid_from, valid_to, ended_from, identity_exempt, age_min, age_max, item_name_sv, "
      "catalog_version, decided_on, minutes_paragraph, dnr, ended_by, target_group, max_sessions, conditions, "
      "identity_exempt_reasons, recorded_by FROM committee_decisions ORDER BY id");
  std::vector<CommitteeDecisionRow> rows;
  while (st.Step()) {
    CommitteeDecisionRow row{ReadCommitteeDecision(st), st.Text(8), st.Text(9), st.Text(10), st.Text(11),
                             st.Text(12), st.OptInt(13), st.OptText(14), st.OptInt(15), st.OptText(16),
                             st.OptText(17), st.Text(18)};
    if (!on || row.rule.AppliesOn(*on)) rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<nlohmann::json> CaseStore::FirstLineParticipations(std::string_view unit, Date date) {
  auto db = Acquire();
  auto& st = db->Prepare(
      "SELECT id, decision_id, item_code, date, mode, person_id, age, guardian_consent, basis, count, age_band, "
      "gender, informed_about_application, recorded_by, referred_matter_id FROM first_line_participations "
      "WHERE unit = ?1 AND date = ?2 ORDER BY id");
  st.Bind(1, unit).Bind(2, FormatDate(date));
  std::vector<nlohmann::json> rows;
  auto opt_int = [&](int col) { auto v = st.OptInt(col); return v ? nlohmann::json(*v) : nlohmann::json(); };
  auto opt_text = [&](int col) { auto v = st.OptText(col); return v ? nlohmann::json(*v) : nlohmann::json(); };
  while (st.Step()) {
    auto consent = st.OptInt(7);
    rows.push_back({{"id", st.Int(0)}, {"decision_id", st.Int(1)}, {"item_code", st.Text(2)}, {"date", st.Text(3)},
                    {"mode", st.Text(4)}, {"person_id", opt_int(5)}, {"age", opt_int(6)},
                    {"guardian_consent", consent ? nlohmann::json(*consent != 0) : nlohmann::json()},
                    {"basis", opt_text(8)}, {"count", st.Int(9)}, {"age_band", opt_text(10)},
                    {"gender", opt_text(11)}, {"informed_about_application", st.Int(12) != 0},
                    {"recorded_by", st.Text(13)}, {"referred_matter_id", opt_int(14)}});
  }
  return rows;
}

std::vector<Event> CaseStore::RecentEvents(std::string_view since_utc, int limit) {
  auto db = Acquire();
  std::vector<Event> events;
  ForNewestEvents(*db, limit, [&](const Statement& st) {
    if (st.Text(2) < since_utc) return false;
    events.push_back(ReadEvent(st));
    return true;
  });
  return events;
}

namespace {

// Optional filters as one constant statement per combination: `(?2 IS NULL OR m.unit = ?2)` keeps the planner
// from every index on the column. The values are still bound, never part of the text; the placeholders are
// numbered in the order they appear, so that each statement uses all of its parameters.
class FilterSql {
 public:
  explicit FilterSql(std::string_view head) : sql_(head) {}
  // Appends `condition` with its placeholder written as "?", which becomes the next number.
  FilterSql& Where(std::string_view condition) {
    sql_ += where_ ? " AND " : " WHERE ";
    where_ = true;
    for (char c : condition) {
      sql_ += c;
      if (c == '?') sql_ += std::to_string(++parameters_);
    }
    return *this;
  }
  FilterSql& Then(std::string_view tail) {
    for (char c : tail) {
      sql_ += c;
      if (c == '?') sql_ += std::to_string(++parameters_);
    }
    return *this;
  }
  std::string Done() && { return std::move(sql_); }

 private:
  std::string sql_;
  bool where_ = false;
  int parameters_ = 0;
};

// The open-matter filters of MattersByUrgency and CountOpenMatters: matters of one unit (and of one case worker,
// or those nobody has yet), not closed. The partial indexes of migrations 11 and 12 answer each of them.
std::string OpenMatterSql(std::string_view head, std::string_view tail, bool assigned, bool unassigned) {
  FilterSql sql(head);
  sql.Where("m.unit = ?").Where("m.phase <> 'closed'");
  if (assigned) sql.Where("m.assigned_to = ?");
  if (unassigned) sql.Where("m.assigned_to IS NULL");
  return std::move(sql.Then(tail)).Done();
}

// OpenMatterSql's four combinations [assigned | unassigned << 1] for each engine [0 SQLite, 1 PostgreSQL]: on
// SQLite the matters are read through the index `sqlite_index` names for each combination.
using OpenMatterStatements = std::array<std::array<std::string, 4>, 2>;
OpenMatterStatements OpenMatterSqlByEngine(std::string_view head, std::string_view tail,
                                           const std::array<const char*, 4>& sqlite_index) {
  OpenMatterStatements sql;
  for (int v = 0; v < 4; ++v) {
    sql[0][v] = OpenMatterSql(ReadThrough(head, sqlite_index[v]), tail, v & 1, v & 2);
    sql[1][v] = OpenMatterSql(head, tail, v & 1, v & 2);
  }
  return sql;
}

enum class ListParam { kAfter, kUnit, kWorker, kLimit };
struct ListQuery {
  std::string sql;
  std::vector<ListParam> params;  // the value bound to each `?N` of `sql`, in order
};

// The index each of the API's lists walks on SQLite (the unit is always given there), by [open_only]
// [assigned_to]: a unit's matters in id order, of every phase (migration 18) or open (migration 11).
constexpr std::array<std::array<const char*, 2>, 2> kListIndex = {
    {{"matters_unit_id", "matters_unit_assigned_id"}, {"matters_unit_open", "matters_unit_open_assigned"}}};

const ListQuery& ListMattersQuery(Engine engine, const MatterFilter& filter) {
  using Param = ListParam;
  // [engine][unit][open_only][assigned_to]
  static const auto kQueries = [] {
    std::array<std::array<ListQuery, 8>, 2> queries;
    for (int e = 0; e < 2; ++e) {
      for (int v = 0; v < 8; ++v) {
        ListQuery& q = queries[e][v];
        // Named on SQLite, as for the counts (CountOpenMattersSql): without statistics it took
        // matters_unit_person (unit, person_id) and sorted all of the unit's matters for a page of 20.
        FilterSql sql(e == 0 && (v & 1)
                          ? ReadThrough(kSummarySelect, kListIndex[(v & 2) ? 1 : 0][(v & 4) ? 1 : 0])
                          : std::string(kSummarySelect));
        std::string order = "m.id";
        if ((v & 1) && e == 1) {
          // PostgreSQL's planner, told the unit (and case worker) by equality, drops them from the order,
          // walks the primary key and filters: on a big municipality most of the table before the unit's
          // first open matter (18 ms a page). Said as a keyset over the index's own columns, with upper
          // bounds that make the leading ones equal, only that index gives the order and the scan starts at
          // the key. SQLite does not seek inside a row value, so it keeps the plain form.
          if (v & 4) {
            sql.Where("(m.unit, m.assigned_to, m.id) > (?, ?, ?)")
                .Where("m.unit <= ?")
                .Where("m.assigned_to <= ?");
            q.params = {Param::kUnit, Param::kWorker, Param::kAfter, Param::kUnit, Param::kWorker};
            order = "m.unit, m.assigned_to, m.id";
          } else {
            sql.Where("(m.unit, m.id) > (?, ?)").Where("m.unit <= ?");
            q.params = {Param::kUnit, Param::kAfter, Param::kUnit};
            order = "m.unit, m.id";
          }
        } else {
          sql.Where("m.id > ?");
          q.params = {Param::kAfter};
          if (v & 1) {
            sql.Where("m.unit = ?");
            q.params.push_back(Param::kUnit);
          }
          if (v & 4) {
            sql.Where("m.assigned_to = ?");
            q.params.push_back(Param::kWorker);
          }
        }
        if (v & 2) sql.Where("m.phase <> 'closed'");
        q.sql = std::move(sql.Then(" ORDER BY " + order + " LIMIT ?")).Done();
        q.params.push_back(Param::kLimit);
      }
    }
    return queries;
  }();
  return kQueries[engine == Engine::kSqlite ? 0 : 1]
                 [(filter.unit ? 1 : 0) | (filter.open_only ? 2 : 0) | (filter.assigned_to ? 4 : 0)];
}

}  // namespace

const std::string& ListMattersSql(Engine engine, const MatterFilter& filter) {
  return ListMattersQuery(engine, filter).sql;
}

std::vector<MatterSummary> CaseStore::ListMatters(const MatterFilter& filter) {
  using Param = ListParam;
  auto db = Acquire();
  const ListQuery& q = ListMattersQuery(db->engine(), filter);
  auto& st = db->Prepare(q.sql);
  int at = 0;
  for (Param param : q.params) {
    ++at;
    switch (param) {
      case Param::kAfter:
        st.Bind(at, filter.after_id);
        break;
      case Param::kUnit:
        st.Bind(at, *filter.unit);
        break;
      case Param::kWorker:
        st.Bind(at, *filter.assigned_to);
        break;
      case Param::kLimit:
        st.Bind(at, filter.limit);
        break;
    }
  }
  return ReadSummaries(st);
}

const std::string& MattersByUrgencySql(Engine engine, bool assigned, bool unassigned) {
  // In the order of migration 12's and 13's partial indexes, (unit[, assigned_to], next_due, id) over the
  // open matters: the scan stops after `limit`. On SQLite each names its index: with the demo's sampled
  // statistics and migration 18's indexes, which the sample never saw, SQLite read the unit's queue through
  // matters_unit_assigned_id and sorted all of the unit's matters. With both filters nothing matches.
  static const OpenMatterStatements kSql =
      OpenMatterSqlByEngine(kSummarySelect, " ORDER BY m.next_due, m.id LIMIT ?",
                            {"matters_unit_urgency", "matters_unit_assigned_urgency",
                             "matters_unit_unassigned_urgency", "matters_unit_assigned_urgency"});
  return kSql[engine == Engine::kSqlite ? 0 : 1][(assigned ? 1 : 0) | (unassigned ? 2 : 0)];
}

std::vector<MatterSummary> CaseStore::MattersByUrgency(const MatterFilter& filter) {
  auto db = Acquire();
  auto& st =
      db->Prepare(MattersByUrgencySql(db->engine(), filter.assigned_to.has_value(), filter.unassigned_only));
  int p = 0;
  st.Bind(++p, filter.unit);
  if (filter.assigned_to) st.Bind(++p, *filter.assigned_to);
  st.Bind(++p, filter.limit);
  return ReadSummaries(st);
}

const std::string& CountOpenMattersSql(Engine engine, bool assigned, bool unassigned) {
  // The partial index that holds exactly the rows each combination counts (migrations 11 and 13); with both
  // filters nothing matches, and the case worker's index finds that at once.
  static const OpenMatterStatements kSql =
      OpenMatterSqlByEngine("SELECT count(*) FROM matters m", "",
                            {"matters_unit_open", "matters_unit_open_assigned",
                             "matters_unit_unassigned_urgency", "matters_unit_open_assigned"});
  return kSql[engine == Engine::kSqlite ? 0 : 1][(assigned ? 1 : 0) | (unassigned ? 2 : 0)];
}

int64_t CaseStore::CountOpenMatters(const MatterFilter& filter) {
  auto db = Acquire();
  auto& st =
      db->Prepare(CountOpenMattersSql(db->engine(), filter.assigned_to.has_value(), filter.unassigned_only));
  int p = 0;
  st.Bind(++p, filter.unit);
  if (filter.assigned_to) st.Bind(++p, *filter.assigned_to);
  st.Step();
  return st.Int(0);
}

std::vector<MatterSummary> CaseStore::MattersOfPerson(int64_t person_id) {
  auto db = Acquire();
  auto& st = db->Prepare(
      std::string(kSummarySelect) + "WHERE m.person_id = ?1 ORDER BY m.id DESC");
  st.Bind(1, person_id);
  return ReadSummaries(st);
}

void CaseStore::Read(const std::function<void(Db&)>& read) {
  auto db = Acquire();
  read(*db);
}

int64_t CaseStore::JournalLength() {
  auto db = Acquire();
  auto& st = db->Prepare("SELECT count(*) FROM journal");
  st.Step();
  return st.Int(0);
}

}  // namespace nysol::store
