// Events per second of the journal write path, against the floor of what SQLite itself does on the same disk.
//
// Ours (the real path: RegisterReport validated against the rulebook, reads in the transaction, events appended
// to the journal and projected into the current-state tables):
//   NysolWrite/durable  CaseStore::Write, one BEGIN IMMEDIATE … COMMIT per command, WAL, synchronous=FULL —
//                       what the server does for every POST.
//   NysolWrite/bulk     BeginBulk … EndBulk (the demo generator's mode): commands grouped into large
//                       transactions with synchronous=OFF; the timing includes EndBulk (the journal's indexes
//                       built, commit, checkpoint, ANALYZE), so the load is durable when the clock stops.
// Peer, in the same run (raw sqlite3 C API, a plain table with the journal's columns and no index or trigger,
// the very rows our path appends — same kinds, same payload bytes):
//   RawSqlite/txn_per_row      one transaction per row, WAL, synchronous=FULL: SQLite's floor per commit.
//   RawSqlite/txn_per_command  the rows of one command per transaction (as ours groups them), WAL, FULL.
//   RawSqlite/bulk             all rows in one transaction (kBulkCommands is one of our bulk batches),
//                              synchronous=OFF, then FULL and a checkpoint: the floor for the bulk mode.
// Each repetition starts from a fresh database file in $TMPDIR (bench/run points it at bench/out/, the repo's
// disk). Every command reports a new child, so each gives the same three events (person_registered,
// matter_opened, report_received); the raw peer inserts exactly as many rows as our path appended events.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/identity_number.h"
#include "core/matter_commands.h"
#include "core/rulebook.h"
#include "store/case_store.h"

namespace nysol {
namespace {

constexpr int kDurableCommands = 1000;  // fsync-bound
constexpr int kBulkCommands = 20000;    // CPU-bound
constexpr int kBulkCommandsPerTxn = 20000;  // as store/case_store.cpp's kBulkCommitEvery
constexpr int kRepetitions = 5;  // the summary takes the median
constexpr const char* kNow = "2026-03-02T09:00";

const Rulebook& SharedRulebook() {
  static const Rulebook rulebook = [] {
    auto loaded = Rulebook::Load(Rulebook::DefaultPath());
    if (!loaded.ok()) throw std::runtime_error(loaded.status().message());
    return std::move(*loaded);
  }();
  return rulebook;
}

// Distinct synthetic identity numbers (birth numbers 980–999, Luhn-valid, taken from no register) of children
// born 2010–2024: young enough for a report of concern on kNow's date.
const std::vector<std::string>& IdentityNumbers() {
  static const std::vector<std::string> numbers = [] {
    std::vector<std::string> out;
    out.reserve(kBulkCommands);
    Date day{std::chrono::year{2010}, std::chrono::month{1}, std::chrono::day{1}};
    while (static_cast<int>(out.size()) < kBulkCommands) {
      for (int birth_number = 980; birth_number <= 999 && static_cast<int>(out.size()) < kBulkCommands;
           ++birth_number) {
        std::string nine = fmt::format("{:02}{:02}{:02}{:03}", static_cast<int>(day.year()) % 100,
                                       static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()),
                                       birth_number);
        out.push_back(fmt::format("{:02}{}{}", static_cast<int>(day.year()) / 100, nine, LuhnCheckDigit(nine)));
      }
      day = AddDays(day, 1);
    }
    return out;
  }();
  return numbers;
}

nlohmann::json ReportInput(const std::string& identity_number) {
  return {{"received_at", "2026-03-02T08:30"},
          {"reporter_category", "school"},
          {"channel", "phone"},
          {"text", "Skolan oroar sig för elevens frånvaro; eleven har inte varit i skolan sedan höstlovet."},
          {"children", {{{"identity_number", identity_number}}}}};
}

// A database file that is removed (with its WAL and shared-memory files) before and after use.
class TempDb {
 public:
  explicit TempDb(const std::string& tag) {
    path_ = (std::filesystem::temp_directory_path() / fmt::format("nysol-bench-{}-{}.db", ::getpid(), tag)).string();
    Remove();
  }
  ~TempDb() { Remove(); }
  const std::string& path() const { return path_; }

 private:
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
};

std::unique_ptr<store::CaseStore> OpenStore(const std::string& path) {
  auto opened = store::CaseStore::Open(path);
  if (!opened.ok()) throw std::runtime_error(opened.status().message());
  return std::move(*opened);
}

// Registers one report about a new child through the real write path; returns the number of events appended.
int64_t RegisterOne(store::CaseStore& store, const LocalDateTime& now, const std::string& recorded_at,
                    const nlohmann::json& input) {
  auto events = store.Write([&](CaseView& view) {
    CommandContext ctx{SharedRulebook(), view, "bench", "barn-och-unga", now, recorded_at};
    return RegisterReport(input, ctx);
  });
  if (!events.ok()) throw std::runtime_error(events.status().message());
  return static_cast<int64_t>(events->size());
}

// The rows our path appends for one command, captured once from the real path so the peer writes the same bytes.
struct JournalRow {
  std::string occurred_at, recorded_at, actor, unit, kind, payload, rulebook_version;
  int64_t matter_id = 0, person_id = 0;
  bool has_matter = false;
};

const std::vector<JournalRow>& SampleCommandRows() {
  static const std::vector<JournalRow> rows = [] {
    TempDb db("sample");
    auto store = OpenStore(db.path());
    LocalDateTime now = *ParseLocalDateTime(kNow);
    std::vector<JournalRow> out;
    auto events = store->Write([&](CaseView& view) {
      CommandContext ctx{SharedRulebook(), view, "bench", "barn-och-unga", now, FormatUtc(FromStockholm(now))};
      return RegisterReport(ReportInput(IdentityNumbers().front()), ctx);
    });
    if (!events.ok()) throw std::runtime_error(events.status().message());
    for (const auto& e : *events) {
      out.push_back({e.occurred_at, e.recorded_at, e.actor, e.unit, e.kind, e.payload.dump(), e.rulebook_version,
                     e.matter_id.value_or(0), e.person_id.value_or(0), e.matter_id.has_value()});
    }
    return out;
  }();
  return rows;
}

// Rates from our own wall-clock measurement of the timed part (Counter::kIsRate would divide by CPU time in
// this version of Google Benchmark, and the durable modes spend most of their time waiting for fsync).
void CountRates(benchmark::State& state, int64_t commands, int64_t events, double seconds) {
  state.counters["commands"] = static_cast<double>(commands);
  state.counters["events"] = static_cast<double>(events);
  state.counters["seconds"] = seconds;
  state.counters["commands_per_second"] = static_cast<double>(commands) / seconds;
  state.counters["events_per_second"] = static_cast<double>(events) / seconds;
}

using SteadyClock = std::chrono::steady_clock;
double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

// --- ours -----------------------------------------------------------------------------------------------------

void BM_NysolWrite(benchmark::State& state, bool bulk) {
  const int commands = bulk ? kBulkCommands : kDurableCommands;
  const auto& numbers = IdentityNumbers();
  LocalDateTime now = *ParseLocalDateTime(kNow);
  std::string recorded_at = FormatUtc(FromStockholm(now));
  std::vector<nlohmann::json> inputs;
  inputs.reserve(commands);
  for (int i = 0; i < commands; ++i) inputs.push_back(ReportInput(numbers[i]));
  const int64_t events_per_command = static_cast<int64_t>(SampleCommandRows().size());

  int64_t total_commands = 0, total_events = 0;
  double total_seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto db = std::make_unique<TempDb>(bulk ? "nysol-bulk" : "nysol-durable");
    auto store = OpenStore(db->path());  // schema migrated, untimed
    state.ResumeTiming();
    auto started = SteadyClock::now();

    int64_t events = 0;
    if (bulk) store->BeginBulk();
    for (const auto& input : inputs) events += RegisterOne(*store, now, recorded_at, input);
    if (bulk) store->EndBulk();
    double seconds = SecondsSince(started);

    state.PauseTiming();
    if (events != events_per_command * commands) {
      state.SkipWithError("a command appended an unexpected number of events");
    }
    total_commands += commands;
    total_events += events;
    total_seconds += seconds;
    store.reset();
    db.reset();
    state.ResumeTiming();
  }
  CountRates(state, total_commands, total_events, total_seconds);
}

// --- the peer: raw SQLite -------------------------------------------------------------------------------------

class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      throw std::runtime_error(fmt::format("cannot open {}", path));
    }
    Exec("PRAGMA journal_mode=WAL");
    Exec("PRAGMA synchronous=FULL");
    Exec("CREATE TABLE journal (seq INTEGER PRIMARY KEY, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, "
         "actor TEXT NOT NULL, unit TEXT NOT NULL, matter_id INTEGER, person_id INTEGER, kind TEXT NOT NULL, "
         "payload TEXT NOT NULL, rulebook_version TEXT NOT NULL)");
    const char* sql =
        "INSERT INTO journal (occurred_at, recorded_at, actor, unit, matter_id, person_id, kind, payload, "
        "rulebook_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &insert_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sqlite3_errmsg(db_));
    }
  }
  ~RawDb() {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }
  void Exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error(message);
    }
  }
  void Insert(const JournalRow& row, int64_t command_idx) {
    auto text = [&](int idx, const std::string& value) {
      sqlite3_bind_text(insert_, idx, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    };
    text(1, row.occurred_at);
    text(2, row.recorded_at);
    text(3, row.actor);
    text(4, row.unit);
    if (row.has_matter) {
      sqlite3_bind_int64(insert_, 5, row.matter_id + command_idx);
    } else {
      sqlite3_bind_null(insert_, 5);
    }
    sqlite3_bind_int64(insert_, 6, row.person_id + command_idx);
    text(7, row.kind);
    text(8, row.payload);
    text(9, row.rulebook_version);
    if (sqlite3_step(insert_) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
    sqlite3_reset(insert_);
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

enum class RawMode { kTxnPerRow, kTxnPerCommand, kBulk };

void BM_RawSqlite(benchmark::State& state, RawMode mode) {
  const int commands = mode == RawMode::kBulk ? kBulkCommands : kDurableCommands;
  const auto& rows = SampleCommandRows();
  int64_t total_commands = 0, total_events = 0;
  double total_seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto db = std::make_unique<TempDb>("raw");
    auto raw = std::make_unique<RawDb>(db->path());
    state.ResumeTiming();
    auto started = SteadyClock::now();

    int64_t inserted = 0;
    if (mode == RawMode::kBulk) {
      raw->Exec("PRAGMA synchronous=OFF");
      raw->Exec("BEGIN IMMEDIATE");
    }
    for (int command = 0; command < commands; ++command) {
      if (mode == RawMode::kTxnPerCommand) raw->Exec("BEGIN IMMEDIATE");
      for (const auto& row : rows) {
        if (mode == RawMode::kTxnPerRow) raw->Exec("BEGIN IMMEDIATE");
        raw->Insert(row, command);
        if (mode == RawMode::kTxnPerRow) raw->Exec("COMMIT");
        ++inserted;
      }
      if (mode == RawMode::kTxnPerCommand) raw->Exec("COMMIT");
      if (mode == RawMode::kBulk && (command + 1) % kBulkCommandsPerTxn == 0) raw->Exec("COMMIT; BEGIN IMMEDIATE");
    }
    if (mode == RawMode::kBulk) {
      raw->Exec("COMMIT");
      raw->Exec("PRAGMA synchronous=FULL");
      raw->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    double seconds = SecondsSince(started);

    state.PauseTiming();
    total_commands += commands;
    total_events += inserted;
    total_seconds += seconds;
    raw.reset();
    db.reset();
    state.ResumeTiming();
  }
  CountRates(state, total_commands, total_events, total_seconds);
}

void Configure(benchmark::internal::Benchmark* b) {
  b->Iterations(1)->Repetitions(kRepetitions)->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK_CAPTURE(BM_NysolWrite, durable, false)->Apply(Configure);
BENCHMARK_CAPTURE(BM_RawSqlite, txn_per_row, RawMode::kTxnPerRow)->Apply(Configure);
BENCHMARK_CAPTURE(BM_RawSqlite, txn_per_command, RawMode::kTxnPerCommand)->Apply(Configure);
BENCHMARK_CAPTURE(BM_NysolWrite, bulk, true)->Apply(Configure);
BENCHMARK_CAPTURE(BM_RawSqlite, bulk, RawMode::kBulk)->Apply(Configure);

}  // namespace
}  // namespace nysol

BENCHMARK_MAIN();
