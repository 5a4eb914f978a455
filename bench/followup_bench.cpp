// The follow-up measures at national scale: our columnar snapshot (src/followup/snapshot.h) and Measure
// (measures.h) against SQLite answering the same questions in SQL over the same facts, in one run. It also
// writes those facts as CSV, and the figures every engine must reproduce, for DuckDB (followup_duckdb.mjs).
//
//   followup_bench --db DEMO.db --copies 5 --out DIR [--to 2026-02-28] [--runs 5] [--sqlite-runs 3]
//
// 1. The snapshot is built from the demo database's journal with CatchUp (timed), then replicated: `copies`
//    districts, each a copy of the demo with units and persons of its own (Snapshot::Replicate), so that the
//    100,000-person ten-year demo (~2 million events) stands for ~10 million events.
// 2. Ours: Measure() for one year (the year ending on --to) and for all years (the first fact's day to --to),
//    single thread; one warm-up, then the median of --runs.
// 3. The facts, the matters and the small lookup tables go to DIR as CSV (facts.csv, matters.csv, codes.csv,
//    units.csv, items.csv, interventions.csv) and into a fresh SQLite file DIR/followup.sqlite (the same
//    plain integer columns, no index; load timed).
// 4. SQLite: the same questions in SQL (below), one warm-up, then the median of --sqlite-runs; single thread.
// 5. Every non-zero cell of our report (each measure × row × column of every split; lead times' n, median and
//    90th percentile per split and per step) must equal SQLite's, both periods; DIR/expected.json holds them
//    for DuckDB. A mismatch is printed to stderr and the exit status is 1.
// Prints one JSON object to stdout; progress goes to stderr.
//
// The questions are every count table Measure computes, split by gender, age band and unit: inflow by
// reporter category / application / first line, by channel, own initiative or not, the funnel, deadline
// compliance, repeat reports within 12 months, first line by catalog item, knowledge basis, volumes and costs
// by catalog item (the catalog's items as a lookup table, items.csv); lead times (n, median, 90th percentile
// per step and split, and over the whole step); the open queue on the last day by waiting time; favourable
// decisions not carried out within three months by intervention and by time waited. The SQL follows
// measures.cpp exactly. What it takes from outside the facts is passed in as data: the code texts, the
// catalog items, the intervention codes in force on --to, the 34 kap. limit (checked below to be three
// calendar months from one date on). The facts' derived columns (lead, end_day, flags, age) are the
// snapshot's: every engine answers Measure's questions, none re-derives the facts from the journal.
//
// The SQL first aggregates the facts by the few low-cardinality columns the measures look at (kind, code,
// channel, flags, gender, age band, unit, repeat) and only then spreads that small table over the measures;
// the lead-time percentiles come from a per-group histogram of the day counts with running sums. These were
// the fastest ways we found to write it for both engines, so the baselines are strong ones. SQLite has no
// GROUPING SETS, so its three splits are a UNION ALL of three GROUP BYs over a materialized CTE; otherwise
// the DuckDB script's SQL is this SQL.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/catalog.h"
#include "core/rulebook.h"
#include "followup/measures.h"
#include "followup/snapshot.h"
#include "store/sqlite_db.h"

namespace nysol::followup {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Every figure a report holds, keyed "measure|split|row|column" (column: its index in the table, which is the
// gender code, the age band's index or the unit's dictionary id); lead times as "lead_times.median|…" and
// "lead_times.p90|…", over the whole step as split "all", column 0. Zero counts and empty medians are left
// out.
using Cells = std::map<std::string, double>;

std::string Key(std::string_view measure, std::string_view split, std::string_view row, int64_t column) {
  return fmt::format("{}|{}|{}|{}", measure, split, row, column);
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Runs `run` once to warm up, then `runs` times; the median in milliseconds.
template <typename F>
double MedianMs(int runs, F&& run) {
  run();
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    run();
    ms.push_back(Seconds(Clock::now() - start) * 1000);
  }
  return std::round(Median(ms) * 100) / 100;
}

int32_t DayOf(Date date) {
  return static_cast<int32_t>(std::chrono::sys_days(date).time_since_epoch().count());
}

void AddReport(const Report& report, Cells& cells) {
  for (const CountTable& table : report.counts) {
    for (size_t r = 0; r < table.rows.size(); ++r) {
      for (size_t c = 0; c < table.columns.size(); ++c) {
        int64_t value = table.Cell(r, c);
        if (value != 0)
          cells[Key(table.id, table.split, table.rows[r].code, static_cast<int64_t>(c))] = value;
      }
    }
  }
  for (const DurationTable& table : report.durations) {
    const CountTable& n = table.n;
    for (size_t r = 0; r < n.rows.size(); ++r) {
      for (size_t c = 0; c < n.columns.size(); ++c) {
        size_t i = r * n.columns.size() + c;
        if (n.cells[i] == 0) continue;
        cells[Key(n.id, n.split, n.rows[r].code, static_cast<int64_t>(c))] = static_cast<double>(n.cells[i]);
        if (table.median[i])
          cells[Key(n.id + ".median", n.split, n.rows[r].code, static_cast<int64_t>(c))] = *table.median[i];
        if (table.p90[i])
          cells[Key(n.id + ".p90", n.split, n.rows[r].code, static_cast<int64_t>(c))] = *table.p90[i];
      }
      if (table.row_median[r]) cells[Key(n.id + ".median", "all", n.rows[r].code, 0)] = *table.row_median[r];
      if (table.row_p90[r]) cells[Key(n.id + ".p90", "all", n.rows[r].code, 0)] = *table.row_p90[r];
    }
  }
}

// Prints up to 20 differences to stderr; true when there are none.
bool Compare(const Cells& ours, const Cells& theirs, std::string_view engine, std::string_view period) {
  int shown = 0, differences = 0;
  auto report = [&](const std::string& key, std::string ours_text, std::string theirs_text) {
    ++differences;
    if (shown++ < 20) {
      std::cerr << fmt::format("followup_bench: MISMATCH {} {} {}: ours {}, {} {}\n", engine, period, key,
                               ours_text, engine, theirs_text);
    }
  };
  for (const auto& [key, value] : ours) {
    auto it = theirs.find(key);
    if (it == theirs.end()) {
      report(key, fmt::format("{}", value), "nothing");
    } else if (std::abs(it->second - value) > 1e-9) {
      report(key, fmt::format("{}", value), fmt::format("{}", it->second));
    }
  }
  for (const auto& [key, value] : theirs) {
    if (!ours.count(key)) report(key, "nothing", fmt::format("{}", value));
  }
  if (differences > 0) {
    std::cerr << fmt::format("followup_bench: {} {}: {} of {} cells differ\n", engine, period, differences,
                             ours.size());
  }
  return differences == 0;
}

// --- CSV
// ----------------------------------------------------------------------------------------------------------

class CsvWriter {
 public:
  explicit CsvWriter(const std::filesystem::path& path) : file_(std::fopen(path.c_str(), "wb")), path_(path) {
    if (!file_) throw std::runtime_error("cannot write " + path.string());
    buffer_.reserve(1 << 20);
  }
  ~CsvWriter() { Close(); }
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  CsvWriter& Header(std::initializer_list<std::string_view> names) {
    for (auto name : names) Text(name);
    return End();
  }
  CsvWriter& Int(int64_t value) {
    Separator();
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    buffer_.append(digits, end);
    return *this;
  }
  CsvWriter& Text(std::string_view text) {
    Separator();
    buffer_ += '"';
    for (char ch : text) {
      if (ch == '"') buffer_ += '"';
      buffer_ += ch;
    }
    buffer_ += '"';
    return *this;
  }
  CsvWriter& End() {
    buffer_ += '\n';
    first_ = true;
    if (buffer_.size() > (1 << 20) - 256) Flush();
    return *this;
  }
  void Close() {
    if (!file_) return;
    Flush();
    bool failed = std::fclose(file_) != 0;
    file_ = nullptr;
    if (failed) throw std::runtime_error("cannot write " + path_.string());
  }

 private:
  void Separator() {
    if (!first_) buffer_ += ',';
    first_ = false;
  }
  void Flush() {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      throw std::runtime_error("cannot write " + path_.string());
    }
    buffer_.clear();
  }
  std::FILE* file_;
  std::filesystem::path path_;
  std::string buffer_;
  bool first_ = true;
};

// The lookup tables the SQL needs besides the facts.
struct Lookups {
  struct Item {
    uint16_t code;  // the snapshot's code id
    std::string item, basis;
    int64_t cost;
  };
  std::vector<Item> items;  // catalog items (first entry per code, as Measure), found in the codes
  std::vector<uint16_t> interventions;  // the rulebook's intervention codes in force on the last day
};

Lookups MakeLookups(const Snapshot& snapshot, const Catalog& catalog, const Rulebook& rulebook, Date to) {
  std::unordered_map<std::string, uint16_t> code_id;
  for (size_t c = 0; c < snapshot.codes().size(); ++c)
    code_id.emplace(snapshot.codes().texts()[c], static_cast<uint16_t>(c));
  Lookups lookups;
  std::vector<std::string> seen;
  for (const auto& item : catalog.items()) {
    if (std::find(seen.begin(), seen.end(), item.code) != seen.end()) continue;
    seen.push_back(item.code);
    auto id = code_id.find(item.code);
    if (id == code_id.end()) continue;  // never occurs in the facts
    lookups.items.push_back(
        {id->second, item.code, item.knowledge_basis, item.fields.value("unit_cost_sek", int64_t{0})});
  }
  for (const auto& code : rulebook.Codes("intervention", to)) {
    auto id = code_id.find(code.code);
    if (id != code_id.end()) lookups.interventions.push_back(id->second);
  }
  return lookups;
}

void WriteCsv(const Snapshot& snapshot, const Lookups& lookups, const std::filesystem::path& dir) {
  const Facts& f = snapshot.facts();
  CsvWriter facts(dir / "facts.csv");
  facts.Header({"day", "kind", "unit", "gender", "age", "code", "channel", "lead_days", "end_day", "flags",
                "person", "people"});
  for (size_t i = 0; i < f.size(); ++i) {
    facts.Int(f.day[i]).Int(static_cast<int>(f.kind[i])).Int(f.unit[i]).Int(f.gender[i]).Int(f.age[i]);
    facts.Int(f.code[i]).Int(f.channel[i]).Int(f.lead[i]).Int(f.end_day[i]).Int(f.flags[i]).Int(f.person[i]);
    facts.Int(f.count[i]).End();
  }
  facts.Close();
  const Matters& m = snapshot.matters();
  CsvWriter matters(dir / "matters.csv");
  matters.Header(
      {"opened", "closed", "decided", "unit", "unit_before", "transferred", "gender", "age", "child"});
  for (size_t i = 0; i < m.size(); ++i) {
    matters.Int(m.opened[i]).Int(m.closed[i]).Int(m.decided[i]).Int(m.unit[i]).Int(m.unit_before[i]);
    matters.Int(m.transferred[i]).Int(m.gender[i]).Int(m.age[i]).Int(m.child[i]).End();
  }
  matters.Close();
  CsvWriter codes(dir / "codes.csv");
  codes.Header({"id", "text"});
  for (size_t c = 0; c < snapshot.codes().size(); ++c)
    codes.Int(static_cast<int64_t>(c)).Text(snapshot.codes().texts()[c]).End();
  CsvWriter units(dir / "units.csv");
  units.Header({"id", "code"});
  for (size_t u = 0; u < snapshot.units().size(); ++u)
    units.Int(static_cast<int64_t>(u)).Text(snapshot.units().texts()[u]).End();
  CsvWriter items(dir / "items.csv");
  items.Header({"code", "item", "basis", "cost"});
  for (const auto& item : lookups.items)
    items.Int(item.code).Text(item.item).Text(item.basis).Int(item.cost).End();
  CsvWriter interventions(dir / "interventions.csv");
  interventions.Header({"code"});
  for (uint16_t code : lookups.interventions) interventions.Int(code).End();
}

// --- SQLite
// --------------------------------------------------------------------------------------------------------

void LoadSqlite(store::Db& db, const Snapshot& snapshot, const Lookups& lookups) {
  db.Exec("PRAGMA journal_mode=OFF");
  db.Exec("PRAGMA synchronous=OFF");
  db.Exec(
      "CREATE TABLE facts (day INTEGER, kind INTEGER, unit INTEGER, gender INTEGER, age INTEGER, code "
      "INTEGER, "
      "channel INTEGER, lead_days INTEGER, end_day INTEGER, flags INTEGER, person INTEGER, people INTEGER);"
      "CREATE TABLE matters (opened INTEGER, closed INTEGER, decided INTEGER, unit INTEGER, unit_before "
      "INTEGER, "
      "transferred INTEGER, gender INTEGER, age INTEGER, child INTEGER);"
      "CREATE TABLE codes (id INTEGER PRIMARY KEY, text TEXT);"
      "CREATE TABLE units (id INTEGER PRIMARY KEY, code TEXT);"
      "CREATE TABLE items (code INTEGER PRIMARY KEY, item TEXT, basis TEXT, cost INTEGER);"
      "CREATE TABLE interventions (code INTEGER PRIMARY KEY);");
  db.Exec("BEGIN");
  const Facts& f = snapshot.facts();
  auto& fact = db.Prepare("INSERT INTO facts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  for (size_t i = 0; i < f.size(); ++i) {
    fact.Reset();
    fact.Bind(1, f.day[i]).Bind(2, static_cast<int>(f.kind[i])).Bind(3, f.unit[i]).Bind(4, f.gender[i]);
    fact.Bind(5, f.age[i]).Bind(6, f.code[i]).Bind(7, f.channel[i]).Bind(8, f.lead[i]).Bind(9, f.end_day[i]);
    fact.Bind(10, f.flags[i])
        .Bind(11, static_cast<int64_t>(f.person[i]))
        .Bind(12, static_cast<int64_t>(f.count[i]));
    fact.Run();
  }
  const Matters& m = snapshot.matters();
  auto& matter = db.Prepare("INSERT INTO matters VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  for (size_t i = 0; i < m.size(); ++i) {
    matter.Reset();
    matter.Bind(1, m.opened[i]).Bind(2, m.closed[i]).Bind(3, m.decided[i]).Bind(4, m.unit[i]);
    matter.Bind(5, m.unit_before[i]).Bind(6, m.transferred[i]).Bind(7, m.gender[i]).Bind(8, m.age[i]);
    matter.Bind(9, m.child[i]).Run();
  }
  auto& code = db.Prepare("INSERT INTO codes VALUES (?1, ?2)");
  for (size_t c = 0; c < snapshot.codes().size(); ++c) {
    code.Reset();
    code.Bind(1, static_cast<int64_t>(c)).Bind(2, snapshot.codes().texts()[c]).Run();
  }
  auto& unit = db.Prepare("INSERT INTO units VALUES (?1, ?2)");
  for (size_t u = 0; u < snapshot.units().size(); ++u) {
    unit.Reset();
    unit.Bind(1, static_cast<int64_t>(u)).Bind(2, snapshot.units().texts()[u]).Run();
  }
  auto& item = db.Prepare("INSERT INTO items VALUES (?1, ?2, ?3, ?4)");
  for (const auto& i : lookups.items) {
    item.Reset();
    item.Bind(1, i.code).Bind(2, i.item).Bind(3, i.basis).Bind(4, i.cost).Run();
  }
  auto& intervention = db.Prepare("INSERT INTO interventions VALUES (?1)");
  for (uint16_t c : lookups.interventions) {
    intervention.Reset();
    intervention.Bind(1, c).Run();
  }
  db.Exec("COMMIT");
  // No index on facts: SQLite's GROUP BY sorts, and that sort, not reading the table, is what costs. An index
  // on (day) or (kind, day) made the one-year questions no faster and the all-years ones slower in our
  // trials.
}

// The age band's index (measures.cpp, AgeBands: 0-12, 13-17, 18-29, 30-49, 50-64, 65-79, 80+; 7 unknown).
std::string BandSql(std::string_view age) {
  return fmt::format(
      "CASE WHEN {0} = 255 THEN 7 WHEN {0} >= 80 THEN 6 WHEN {0} >= 65 THEN 5 WHEN {0} >= 50 THEN 4 "
      "WHEN {0} >= 30 THEN 3 WHEN {0} >= 18 THEN 2 WHEN {0} >= 13 THEN 1 ELSE 0 END",
      age);
}

// AddMonths (core/civil_date.h) on a day number: calendar months, clamped to the month's last day. SQLite's
// '+N months' rolls 31 January + 1 month over into March, so the result is capped at the target month's end.
std::string AddMonthsSql(std::string_view day, int months) {
  return fmt::format(
      "CAST(min(julianday({0} + 2440587.5, '{1:+d} months'), "
      "julianday({0} + 2440587.5, 'start of month', '{2:+d} months', '-1 day')) - 2440587.5 AS INTEGER)",
      day, months, months + 1);
}

struct Params {
  int32_t from = 0, to = 0;
  int32_t rule_from = 0;  // the first day the 34 kap. (earlier 16 kap. 6 f §) reporting duty is in force
  int rule_months = 3;
};

// Every count table but the queue and the 34 kap. ones, split three ways. `base` is the facts of the period
// grouped by what the measures look at (a few thousand rows); each of its rows then counts once in each
// measure row it belongs to: `slots` lists the measure rows a fact can fall in, and `row_code` says which row
// of that measure it is, or NULL for none. (Written as a UNION ALL of one SELECT per measure row, DuckDB
// pushes the kinds each SELECT wants down into the scan of the facts as one long OR, which cost more than all
// the rest.)
std::string CountsSql(const Params& p) {
  return fmt::format(R"(
WITH base AS MATERIALIZED (
  SELECT kind, code, channel, flags, gender, {band} AS band, unit,
         CASE WHEN kind = 0 AND end_day <> {no_day} AND end_day >= {year_before} THEN 1 ELSE 0 END AS rep,
         count(*) AS facts, sum(people) AS people
  FROM facts WHERE day BETWEEN {from} AND {to}
  GROUP BY kind, code, channel, flags, gender, band, unit, rep),
e AS (
  SELECT base.*, c.text AS code_text, ch.text AS channel_text, i.item, i.basis, i.cost,
         CASE WHEN kind = 2 THEN people ELSE facts END AS n
  FROM base JOIN codes c ON c.id = base.code JOIN codes ch ON ch.id = base.channel
       LEFT JOIN items i ON i.code = base.code),
slots (slot, measure) AS (VALUES
  (1, 'inflow_by_category'), (2, 'inflow_by_channel'), (3, 'inflow_initiative'), (4, 'funnel'),
  (5, 'deadline_compliance'), (6, 'deadline_compliance'), (7, 'deadline_compliance'), (8, 'repeat_reports'),
  (9, 'repeat_reports'), (10, 'first_line_by_item'), (11, 'interventions_by_knowledge_basis'),
  (12, 'volumes_by_item'), (13, 'costs_by_item')),
measured AS MATERIALIZED (
  SELECT * FROM (
    SELECT measure, gender, band, unit, CASE WHEN slot = 13 THEN n * cost ELSE n END AS val,
      CASE slot
        WHEN 1 THEN CASE WHEN kind = 0 AND code <> 0 THEN code_text WHEN kind = 1 THEN 'application'
                         WHEN kind = 2 THEN 'first_line' END
        WHEN 2 THEN CASE WHEN kind IN (0, 1) AND channel <> 0 THEN channel_text END
        WHEN 3 THEN CASE WHEN kind = 0 AND code_text <> 'child' THEN 'reported_by_others'
                         WHEN kind IN (0, 1, 2) THEN 'own_initiative' END
        WHEN 4 THEN CASE kind WHEN 0 THEN 'reports' WHEN 3 THEN 'preliminary_assessments'
                              WHEN 4 THEN 'investigations_started' WHEN 6 THEN 'decisions'
                              WHEN 7 THEN 'interventions_started' END
        WHEN 5 THEN CASE WHEN kind = 3 THEN 'preliminary_assessments'
                         WHEN kind = 5 AND (flags & 32) = 0 THEN 'investigations_completed' END
        WHEN 6 THEN CASE WHEN (flags & 1) = 0 THEN NULL WHEN kind = 3 THEN 'preliminary_within_limit'
                         WHEN kind = 5 AND (flags & 32) = 0 THEN 'investigations_within_limit' END
        WHEN 7 THEN CASE WHEN (flags & 2) = 0 THEN NULL WHEN kind = 3 THEN 'preliminary_extended'
                         WHEN kind = 5 AND (flags & 32) = 0 THEN 'investigations_extended' END
        WHEN 8 THEN CASE WHEN kind = 0 THEN 'reports' END
        WHEN 9 THEN CASE WHEN kind = 0 AND rep = 1 THEN 'repeat_within_12_months' END
        WHEN 10 THEN CASE WHEN kind = 2 THEN item END
        WHEN 11 THEN CASE WHEN kind NOT IN (2, 7) THEN NULL
                          WHEN basis IN ('evidence_based', 'proven_experience', 'local_untested') THEN basis
                          ELSE 'not_in_catalog' END
        ELSE CASE WHEN kind IN (2, 7) THEN item END
      END AS row_code
    FROM e CROSS JOIN slots)
  WHERE row_code IS NOT NULL)
SELECT measure, 'gender' AS split_by, row_code, gender AS col, sum(val) AS val FROM measured
  GROUP BY measure, row_code, gender
UNION ALL SELECT measure, 'age_band', row_code, band, sum(val) FROM measured GROUP BY measure, row_code, band
UNION ALL SELECT measure, 'unit', row_code, unit, sum(val) FROM measured GROUP BY measure, row_code, unit
)",
                     fmt::arg("band", BandSql("age")), fmt::arg("no_day", kNoDay),
                     fmt::arg("year_before", AddMonthsSql("day", -12)), fmt::arg("from", p.from),
                     fmt::arg("to", p.to));
}

// Lead times: n, median (mean of the two middle values when n is even) and the 90th percentile by nearest
// rank (the value at rank ceil(0.9 n)), as measures.cpp's Percentile. The ranks are found on a histogram of
// the day counts per group with running sums.
std::string LeadTimesSql(const Params& p) {
  return fmt::format(R"(
WITH h AS MATERIALIZED (
  SELECT CASE kind WHEN 3 THEN 'report_to_preliminary_decision' WHEN 5 THEN 'investigation'
                   WHEN 6 THEN 'received_to_decision' ELSE 'decision_to_intervention' END AS step,
         gender, {band} AS band, unit, lead_days, count(*) AS n
  FROM facts
  WHERE day BETWEEN {from} AND {to} AND (kind IN (3, 6) OR (kind IN (5, 7) AND lead_days >= 0))
  GROUP BY step, gender, band, unit, lead_days),
g AS (
  SELECT step, 'gender' AS split_by, gender AS col, lead_days, sum(n) AS n FROM h
    GROUP BY step, gender, lead_days
  UNION ALL SELECT step, 'age_band', band, lead_days, sum(n) FROM h GROUP BY step, band, lead_days
  UNION ALL SELECT step, 'unit', unit, lead_days, sum(n) FROM h GROUP BY step, unit, lead_days
  UNION ALL SELECT step, 'all', 0, lead_days, sum(n) FROM h GROUP BY step, lead_days),
c AS (
  SELECT step, split_by, col, lead_days,
         sum(n) OVER (PARTITION BY step, split_by, col ORDER BY lead_days ROWS UNBOUNDED PRECEDING) AS below,
         sum(n) OVER (PARTITION BY step, split_by, col) AS total
  FROM g)
SELECT step, split_by, col, max(total) AS n,
       (min(CASE WHEN below >= (total + 1) / 2 THEN lead_days END) +
        min(CASE WHEN below >= total / 2 + 1 THEN lead_days END)) / 2.0 AS median,
       min(CASE WHEN below >= (9 * total + 9) / 10 THEN lead_days END) AS p90
FROM c GROUP BY step, split_by, col
)",
                     fmt::arg("band", BandSql("age")), fmt::arg("from", p.from), fmt::arg("to", p.to));
}

// The queue on the last day: matters open and not decided on their merits, by days waited, in the unit they
// were in on that day.
std::string QueueSql(const Params& p) {
  return fmt::format(R"(
WITH q AS MATERIALIZED (
  SELECT CASE WHEN waited <= 14 THEN '0-14' WHEN waited <= 30 THEN '15-30' WHEN waited <= 60 THEN '31-60'
              WHEN waited <= 120 THEN '61-120' WHEN waited <= 180 THEN '121-180' ELSE '181+' END AS row_code,
         gender, {band} AS band, CASE WHEN transferred <= {to} THEN unit ELSE unit_before END AS unit
  FROM (SELECT {to} - opened AS waited, * FROM matters
        WHERE opened <= {to} AND closed > {to} AND decided > {to}))
SELECT 'open_queue_by_age' AS measure, 'gender' AS split_by, row_code, gender AS col, count(*) AS val FROM q
  GROUP BY row_code, gender
UNION ALL SELECT 'open_queue_by_age', 'age_band', row_code, band, count(*) FROM q GROUP BY row_code, band
UNION ALL SELECT 'open_queue_by_age', 'unit', row_code, unit, count(*) FROM q GROUP BY row_code, unit
)",
                     fmt::arg("band", BandSql("age")), fmt::arg("to", p.to));
}

// Favourable decisions under 11 kap. 1 § or 12 kap. 1 § (flags 8 | 16) not carried out within three months
// (34 kap. 1 och 3 §§ SoL) and still waiting on the last day, by intervention (the codes in force on that
// day) and by time waited.
std::string NotExecutedSql(const Params& p) {
  return fmt::format(R"(
WITH d AS MATERIALIZED (
  SELECT code, gender, {band} AS band, unit, day FROM facts
  WHERE kind = 6 AND day BETWEEN {rule_from} AND {to} AND (flags & 24) = 24 AND end_day > {to}
    AND {limit} < {to}),
m AS MATERIALIZED (
  SELECT 'not_executed_by_intervention' AS measure, c.text AS row_code, gender, band, unit
    FROM d JOIN interventions i ON i.code = d.code JOIN codes c ON c.id = d.code
  UNION ALL SELECT 'not_executed_by_time',
           CASE WHEN {to} < {six} THEN '3-6_months' WHEN {to} < {twelve} THEN '6-12_months'
                ELSE '12+_months' END,
           gender, band, unit
    FROM d)
SELECT measure, 'gender' AS split_by, row_code, gender AS col, count(*) AS val FROM m
  GROUP BY measure, row_code, gender
UNION ALL SELECT measure, 'age_band', row_code, band, count(*) FROM m GROUP BY measure, row_code, band
UNION ALL SELECT measure, 'unit', row_code, unit, count(*) FROM m GROUP BY measure, row_code, unit
)",
                     fmt::arg("band", BandSql("age")), fmt::arg("rule_from", p.rule_from),
                     fmt::arg("to", p.to), fmt::arg("limit", AddMonthsSql("day", p.rule_months)),
                     fmt::arg("six", AddMonthsSql("day", 6)), fmt::arg("twelve", AddMonthsSql("day", 12)));
}

// Runs every question for one period; the figures in `cells`.
void AskSqlite(store::Db& db, const Params& p, Cells& cells) {
  for (const std::string& sql : {CountsSql(p), QueueSql(p), NotExecutedSql(p)}) {
    auto& st = db.Prepare(sql);
    while (st.Step()) {
      if (st.Int(4) != 0)
        cells[Key(st.Text(0), st.Text(1), st.Text(2), st.Int(3))] = static_cast<double>(st.Int(4));
    }
    st.Reset();
  }
  auto& st = db.Prepare(LeadTimesSql(p));
  while (st.Step()) {
    std::string step = st.Text(0), split = st.Text(1);
    int64_t col = st.Int(2);
    if (split != "all") cells[Key("lead_times", split, step, col)] = static_cast<double>(st.Int(3));
    if (!st.IsNull(4)) cells[Key("lead_times.median", split, step, col)] = st.Real(4);
    if (!st.IsNull(5)) cells[Key("lead_times.p90", split, step, col)] = static_cast<double>(st.Int(5));
  }
  st.Reset();
}

// The 34 kap. limit as the SQL states it: one start date, three calendar months, no move to a working day.
Result<Params> NonExecutionRule(const Rulebook& rulebook) {
  std::vector<PeriodRule> rules;
  for (const auto& rule : rulebook.periods()) {
    if (rule.id == "non-execution-report") rules.push_back(rule);
  }
  std::sort(rules.begin(), rules.end(),
            [](const auto& a, const auto& b) { return a.valid_from < b.valid_from; });
  auto unsupported =
      Error(ErrorCode::kInvalidInput,
            "the rulebook's non-execution-report rule is no longer one run of equal month limits "
            "from one date on: the SQL in bench/followup_bench.cpp and followup_duckdb.mjs must "
            "follow it");
  if (rules.empty()) return unsupported;
  Params params;
  params.rule_from = DayOf(rules.front().valid_from);
  params.rule_months = rules.front().amount;
  for (size_t i = 0; i < rules.size(); ++i) {
    const PeriodRule& rule = rules[i];
    if (rule.unit != PeriodUnit::kMonths || rule.amount != params.rule_months || rule.shift_to_working_day) {
      return unsupported;
    }
    bool last = i + 1 == rules.size();
    if (last ? rule.valid_to.has_value() : rule.valid_to != rules[i + 1].valid_from) return unsupported;
  }
  return params;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

int Run(int argc, char** argv) {
  std::string db_path, out_dir, to_text = "2026-02-28";
  int copies = 5, runs = 5, sqlite_runs = 3;
  CLI::App app{"Follow-up measures: our snapshot against SQLite (and the data for DuckDB)"};
  app.add_option("--db", db_path, "The demo database")->required();
  app.add_option("--copies", copies, "Districts: copies of the demo's facts (default 5)")
      ->check(CLI::Range(1, 50));
  app.add_option("--out", out_dir, "Directory for the CSV files, expected.json and followup.sqlite")
      ->required();
  app.add_option("--to", to_text, "Last day of both periods (default 2026-02-28)");
  app.add_option("--runs", runs, "Timed runs of Measure per period (default 5)")->check(CLI::Range(1, 100));
  app.add_option("--sqlite-runs", sqlite_runs, "Timed SQLite runs per period (default 3)")
      ->check(CLI::Range(1, 100));
  CLI11_PARSE(app, argc, argv);

  const std::string load_at_start = LoadAverage();  // other work on the machine skews every figure; say so
  auto fail = [](const std::string& message) {
    std::cerr << "followup_bench: " << message << "\n";
    return 2;
  };
  auto to = ParseDate(to_text);
  if (!to.ok()) return fail("--to: " + to.status().message());
  if (!std::filesystem::exists(db_path)) return fail("no database at " + db_path);
  auto rulebook = Rulebook::Load(Rulebook::DefaultPath());
  if (!rulebook.ok()) return fail(rulebook.status().message());
  auto catalog = Catalog::Load(Catalog::DefaultPath(), *rulebook);
  if (!catalog.ok()) return fail(catalog.status().message());
  auto rule = NonExecutionRule(*rulebook);
  if (!rule.ok()) return fail(rule.status().message());
  std::filesystem::create_directories(out_dir);
  const std::filesystem::path dir(out_dir);

  // 1. The snapshot from the journal, then the districts.
  auto demo = store::OpenDb(db_path);
  if (!demo.ok()) return fail(demo.status().message());
  std::cerr << "followup_bench: building the snapshot from " << db_path << "\n";
  Snapshot snapshot;
  auto start = Clock::now();
  if (auto status = snapshot.CatchUp(**demo); !status.ok()) return fail(status.message());
  const double build_seconds = Seconds(Clock::now() - start);
  const int64_t events_read = snapshot.events();  // the kinds the snapshot reads
  auto& count = (*demo)->Prepare("SELECT count(*) FROM journal");
  count.Step();
  const int64_t demo_events = count.Int(0);  // every event in the journal
  count.Reset();
  const size_t demo_facts = snapshot.facts().size();
  MeasureContext context{*rulebook, &*catalog, UnitNames(**demo)};
  demo->reset();
  start = Clock::now();
  snapshot.Replicate(copies);
  const double replicate_seconds = Seconds(Clock::now() - start);

  int32_t first_day = kNoDay;
  for (int32_t day : snapshot.facts().day) first_day = std::min(first_day, day);
  if (first_day == kNoDay) return fail("the journal has no facts");
  struct Period {
    const char* name;
    Date from, to;
  };
  const std::vector<Period> periods = {
      {"period", AddDays(AddMonths(*to, -12), 1), *to},
      {"all_years", Date{std::chrono::sys_days(std::chrono::days(first_day))}, *to}};

  // 2. Ours.
  std::cerr << fmt::format("followup_bench: Measure over {} facts ({} events), {} runs per period\n",
                           snapshot.facts().size(), demo_events * copies, runs);
  json ours = {{"threads", 1}, {"runs", runs}};
  std::vector<Cells> expected(periods.size());
  for (size_t i = 0; i < periods.size(); ++i) {
    MeasureRequest request{periods[i].from, periods[i].to, std::nullopt, false};
    Report report;
    ours[std::string(periods[i].name) + "_ms"] =
        MedianMs(runs, [&] { report = Measure(snapshot, request, context); });
    AddReport(report, expected[i]);
  }

  // 3. The same facts for the SQL engines.
  std::cerr << "followup_bench: writing CSV files to " << out_dir << "\n";
  const Lookups lookups = MakeLookups(snapshot, *catalog, *rulebook, *to);
  start = Clock::now();
  WriteCsv(snapshot, lookups, dir);
  const double csv_seconds = Seconds(Clock::now() - start);

  const std::filesystem::path sqlite_path = dir / "followup.sqlite";
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(sqlite_path.string() + suffix);
  auto sqlite = store::OpenDb(sqlite_path.string());
  if (!sqlite.ok()) return fail(sqlite.status().message());
  std::cerr << "followup_bench: loading " << sqlite_path.string() << "\n";
  start = Clock::now();
  LoadSqlite(**sqlite, snapshot, lookups);
  const double sqlite_load_seconds = Seconds(Clock::now() - start);
  // Everything in memory, as ours and DuckDB's are: a page cache as large as the file, and the file mapped.
  (*sqlite)->Exec("PRAGMA cache_size=-4194304");
  (*sqlite)->Exec("PRAGMA mmap_size=4294967296");

  // 4. SQLite.
  std::cerr << fmt::format("followup_bench: SQLite, {} runs per period\n", sqlite_runs);
  json sqlite_json = {{"version", sqlite3_libversion()},
                      {"threads", 1},
                      {"runs", sqlite_runs},
                      {"load_seconds", std::round(sqlite_load_seconds * 100) / 100},
                      {"settings",
                       "journal_mode=OFF, synchronous=OFF for the load; no index; cache_size 4 GiB, "
                       "mmap_size 4 GiB; the SQL as run in DIR/sqlite-*.sql"}};
  bool checks_passed = true;
  json expected_json = {
      {"params",
       {{"no_day", kNoDay}, {"rule_from_day", rule->rule_from}, {"rule_months", rule->rule_months}}},
      {"periods", json::array()}};
  size_t cells_compared = 0;
  for (size_t i = 0; i < periods.size(); ++i) {
    Params params = *rule;
    params.from = DayOf(periods[i].from);
    params.to = DayOf(periods[i].to);
    Cells answers;
    sqlite_json[std::string(periods[i].name) + "_ms"] = MedianMs(sqlite_runs, [&] {
      answers.clear();
      AskSqlite(**sqlite, params, answers);
    });
    checks_passed &= Compare(expected[i], answers, "sqlite", periods[i].name);
    // The SQL as run, for reading and for rerunning in the sqlite3 shell.
    std::ofstream(dir / fmt::format("sqlite-{}.sql", periods[i].name)) << CountsSql(params) << ";\n"
                                                                       << LeadTimesSql(params) << ";\n"
                                                                       << QueueSql(params) << ";\n"
                                                                       << NotExecutedSql(params) << ";\n";
    cells_compared += expected[i].size();
    expected_json["periods"].push_back({{"name", periods[i].name},
                                        {"from", FormatDate(periods[i].from)},
                                        {"to", FormatDate(periods[i].to)},
                                        {"from_day", params.from},
                                        {"to_day", params.to},
                                        {"cells", expected[i]}});
  }
  std::ofstream(dir / "expected.json") << expected_json.dump() << "\n";

  json result = {{"machine",
                  {{"nproc", std::thread::hardware_concurrency()},
                   {"cpu", CpuModel()},
                   {"load_average_at_start", load_at_start},
                   {"load_average_at_end", LoadAverage()}}},
                 {"database", db_path},
                 {"copies", copies},
                 {"demo_events", demo_events},
                 {"demo_events_read", events_read},
                 {"demo_facts", demo_facts},
                 {"events", demo_events * copies},
                 {"facts", snapshot.facts().size()},
                 {"matters", snapshot.matters().size()},
                 {"units", snapshot.units().size()},
                 {"periods", json::object()},
                 {"snapshot_build_seconds", std::round(build_seconds * 100) / 100},
                 {"replicate_seconds", std::round(replicate_seconds * 1000) / 1000},
                 {"csv_write_seconds", std::round(csv_seconds * 100) / 100},
                 {"ours", ours},
                 {"sqlite", sqlite_json},
                 {"cells_compared", cells_compared},
                 {"checks_passed", checks_passed}};
  for (const auto& period : periods) {
    result["periods"][period.name] = {{"from", FormatDate(period.from)}, {"to", FormatDate(period.to)}};
  }
  std::cout << result.dump(2) << "\n";
  if (!checks_passed) {
    std::cerr << "followup_bench: SQLite's figures differ from ours (see above)\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace nysol::followup

int main(int argc, char** argv) { return nysol::followup::Run(argc, argv); }
