// The removal run (gallring, 16 kap. SoL): evaluates every person on record and removes those due, in one
// transaction that also records the run, appends one `records_removed` event and one access-log row per
// person. The journal refuses DELETE except while a run is active (schema migration 5); a run sets and clears
// that flag inside its own transaction, so no other connection ever sees it set.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/civil_date.h"
#include "core/rulebook.h"
#include "core/status.h"
#include "retention/evaluator.h"
#include "retention/settings.h"
#include "store/db.h"

namespace nysol::retention {

struct DueRecord {
  int64_t person_id = 0;
  Decision decision;  // verdict kRemove
};

// Everyone evaluated on one day.
struct Survey {
  Date on;
  int64_t persons = 0;
  std::vector<DueRecord> due;                   // by person id
  std::map<std::string, int64_t> kept_by_rule;  // rule id -> persons kept by it
};

// What was deleted for one person.
struct RemovalCounts {
  int64_t journal_events = 0;
  int64_t persons = 0;
  int64_t matters = 0;
  int64_t report_subjects = 0;
  int64_t reports = 0;  // a report about several children goes only with its last subject
  int64_t applications = 0;
  int64_t decisions = 0;
  int64_t interventions = 0;
  int64_t notes = 0;
  int64_t drafts = 0;  // unsaved text in the web interface about the person's matters
  int64_t first_line = 0;  // identified first-line participations (11 kap. 5 § SoL)
  nlohmann::json ToJson() const;
};

struct RemovedRecord {
  int64_t person_id = 0;
  Decision decision;
  RemovalCounts counts;
};

struct RunContext {
  std::string actor;  // who runs the removal (recorded with the run, the events and the access log)
  std::string unit;
  LocalDateTime now;  // Stockholm; the run is recorded at this time
  Date on;            // the day the rules are applied for; not after now.date
};

struct RunReport {
  int64_t run_id = 0;
  Survey survey;
  std::vector<RemovedRecord> removed;
  int64_t events_removed = 0;
};

// Evaluates every person on record on `on`. Reads only; for a dry run. Fails like Evaluate (no rule in force
// on `on`); throws store::StoreError for a broken database.
Result<Survey> SurveyPersons(store::Db& db, const Rulebook& rulebook, const Settings& settings,
                             Date on);

// Removes every person due on ctx.on, in one BEGIN IMMEDIATE transaction on `db` (which must not be inside
// one). kInvalidInput when ctx.on is after ctx.now's day (records must not be removed ahead of time) or no
// actor is given. On any failure everything is rolled back: nothing is removed and no run is recorded. A run
// that finds nobody due is recorded too.
Result<RunReport> RunRemoval(store::Db& db, const Rulebook& rulebook, const Settings& settings,
                             const RunContext& ctx);

// The tables a removal deletes a person's rows from, and the tables that hold no record about a person (or
// are kept under other rules: the access log). Every table in the schema must be in one list; a test checks
// it, so that a new table with personal data cannot be forgotten by gallring.
const std::vector<std::string_view>& TablesRemovedPerPerson();
const std::vector<std::string_view>& TablesWithoutPersonRecords();

}  // namespace nysol::retention
