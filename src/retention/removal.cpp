#include "retention/removal.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "core/clock.h"
#include "core/event.h"
#include "retention/person_facts.h"
#include "store/case_store.h"
#include "store/projection.h"

namespace nysol::retention {
namespace {

using nlohmann::json;

// Every statement below takes the person's id as ?1; the matters subquery finds the rows hanging off them.
constexpr const char* kPersonMatters = "(SELECT id FROM matters WHERE person_id = ?1)";

int64_t Changes(store::Db& db) { return db.Changes(); }

std::optional<int64_t> MaxId(store::Db& db, const std::string& sql, int64_t person_id) {
  auto& st = db.Prepare(sql);
  st.Bind(1, person_id);
  if (!st.Step() || st.IsNull(0)) return std::nullopt;
  return st.Int(0);
}

int64_t Delete(store::Db& db, const std::string& sql, int64_t person_id) {
  db.Prepare(sql).Bind(1, person_id).Run();
  return Changes(db);
}

// Deletes every row about `person_id`. `id_floor` gets the highest id removed per table, so that ids are
// never handed out again (a reused id would tie the access log of the removed person to someone else).
RemovalCounts RemovePersonRows(store::Db& db, int64_t person_id, json* id_floor) {
  const std::string matters = kPersonMatters;
  (*id_floor)["persons"] = person_id;
  if (auto id = MaxId(db, "SELECT max(id) FROM matters WHERE person_id = ?1", person_id))
    (*id_floor)["matters"] = *id;
  if (auto id = MaxId(db, "SELECT max(id) FROM decisions WHERE matter_id IN " + matters, person_id)) {
    (*id_floor)["decisions"] = *id;
  }
  if (auto id = MaxId(db, "SELECT max(id) FROM interventions WHERE matter_id IN " + matters, person_id)) {
    (*id_floor)["interventions"] = *id;
  }
  if (auto id = MaxId(db, "SELECT max(id) FROM notes WHERE matter_id IN " + matters, person_id)) {
    (*id_floor)["notes"] = *id;
  }
  if (auto id = MaxId(db, "SELECT max(id) FROM first_line_participations WHERE person_id = ?1", person_id)) {
    (*id_floor)["first_line_participations"] = *id;
  }
  std::vector<int64_t> report_ids;
  auto& reports =
      db.Prepare("SELECT DISTINCT report_id FROM report_subjects WHERE person_id = ?1 OR matter_id IN " +
                 matters + " ORDER BY report_id");
  reports.Bind(1, person_id);
  while (reports.Step()) report_ids.push_back(reports.Int(0));

  RemovalCounts c;
  // Allowed only because the run is active (migration 5's trigger); every other DELETE on the journal aborts.
  c.journal_events =
      Delete(db, "DELETE FROM journal WHERE person_id = ?1 OR matter_id IN " + matters, person_id);
  c.notes = Delete(db, "DELETE FROM notes WHERE matter_id IN " + matters, person_id);
  c.first_line = Delete(db, "DELETE FROM first_line_participations WHERE person_id = ?1", person_id);
  // Unsaved drafts about the matters go with them: working material is not kept longer than the record.
  c.drafts = Delete(db, "DELETE FROM drafts WHERE matter_id IN " + matters, person_id);
  c.interventions = Delete(db, "DELETE FROM interventions WHERE matter_id IN " + matters, person_id);
  c.decisions = Delete(db, "DELETE FROM decisions WHERE matter_id IN " + matters, person_id);
  c.applications = Delete(db, "DELETE FROM applications WHERE matter_id IN " + matters, person_id);
  c.report_subjects =
      Delete(db, "DELETE FROM report_subjects WHERE person_id = ?1 OR matter_id IN " + matters, person_id);
  // A report about several children stays while another child it names is still on record.
  for (int64_t report_id : report_ids) {
    c.reports += Delete(db,
                        "DELETE FROM reports WHERE id = ?1 AND NOT EXISTS "
                        "(SELECT 1 FROM report_subjects WHERE report_id = ?1)",
                        report_id);
    if (Changes(db) > 0)
      (*id_floor)["reports"] = std::max<int64_t>(id_floor->value("reports", int64_t{0}), report_id);
  }
  c.matters = Delete(db, "DELETE FROM matters WHERE person_id = ?1", person_id);
  // Last: a table added later that still references the person makes this fail (foreign keys are on), and the
  // whole run rolls back rather than leave part of a record behind.
  c.persons = Delete(db, "DELETE FROM persons WHERE id = ?1", person_id);
  if (c.persons != 1) throw store::StoreError(fmt::format("person {} could not be removed", person_id));
  return c;
}

std::string AccessLogRoute(const RemovedRecord& r, int64_t run_id) {
  // What was removed and why, never what it said.
  const RemovalCounts& c = r.counts;
  return fmt::format(
      "gallra run {}: {} ({}); removed {} journal events, {} matters, {} report subjects, {} reports, "
      "{} applications, {} decisions, {} interventions, {} notes, {} drafts, {} first-line participations",
      run_id, r.decision.law_ref, r.decision.rule, c.journal_events, c.matters, c.report_subjects, c.reports,
      c.applications, c.decisions, c.interventions, c.notes, c.drafts, c.first_line);
}

}  // namespace

json RemovalCounts::ToJson() const {
  return json{{"journal_events", journal_events},
              {"persons", persons},
              {"matters", matters},
              {"report_subjects", report_subjects},
              {"reports", reports},
              {"applications", applications},
              {"decisions", decisions},
              {"interventions", interventions},
              {"notes", notes},
              {"drafts", drafts},
              {"first_line_participations", first_line}};
}

const std::vector<std::string_view>& TablesRemovedPerPerson() {
  static const std::vector<std::string_view> tables = {"journal",   "persons",         "matters",
                                                       "reports",   "report_subjects", "applications",
                                                       "decisions", "interventions",
                                                       "notes",     "drafts", "first_line_participations"};
  return tables;
}

const std::vector<std::string_view>& TablesWithoutPersonRecords() {
  static const std::vector<std::string_view> tables = {
      "schema_migrations",  // the schema's own bookkeeping
      "users",              // staff, not clients
      "units",              // the municipality's organisation
      "login_failures",     // staff logins
      "sessions",           // staff browser sessions
      "access_log",      // who touched which person id: kept under its own rules, and gets a row per removal
      "retention_runs",  // the record of the removal runs themselves (no personal data)
      "retention_active",    // the one-row flag
      "retention_id_floor",  // highest removed ids, so that they are never reused
      "committee_decisions",  // the committee's decisions about services (11 kap. 5 § SoL), not about persons
      "sqlite_stat1",        // planner statistics (ANALYZE)
      "sqlite_sequence",
  };
  return tables;
}

Result<Survey> SurveyPersons(store::Db& db, const Rulebook& rulebook, const Settings& settings,
                             Date on) {
  // Checked before anyone is evaluated, so that an empty register gives the same answer.
  if (auto rule = rulebook.Years("retention-years", on); !rule.ok()) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("no retention rule (16 kap. 1 § SoL) is in force on {}: {}", FormatDate(on),
                             rule.status().message()));
  }
  Survey survey;
  survey.on = on;
  for (const PersonFacts& person : LoadAllPersonFacts(db)) {
    auto decision = Evaluate(person, on, rulebook, settings);
    if (!decision.ok()) return decision.status();
    ++survey.persons;
    if (decision->verdict == Verdict::kRemove) {
      survey.due.push_back({person.person_id, std::move(*decision)});
    } else {
      ++survey.kept_by_rule[decision->rule];
    }
  }
  return survey;
}

Result<RunReport> RunRemoval(store::Db& db, const Rulebook& rulebook, const Settings& settings,
                             const RunContext& ctx) {
  if (ctx.actor.empty())
    return Error(ErrorCode::kInvalidInput, "a removal run needs the name of who runs it");
  if (std::chrono::sys_days{ctx.on} > std::chrono::sys_days{ctx.now.date}) {
    // 16 kap. SoL: records are removed when the duty has arisen, not before; a later day is for --dry-run
    // only.
    return Error(
        ErrorCode::kInvalidInput,
        fmt::format("records cannot be removed as of {}, a day after today ({}); use a dry run to see "
                    "what a later day would remove",
                    FormatDate(ctx.on), FormatDate(ctx.now.date)));
  }
  const std::string at = FormatUtc(FromStockholm(ctx.now));
  RunReport report;
  db.BeginWrite();
  try {
    // Evaluated inside the transaction: nobody can add an entry between the decision and the removal.
    auto survey = SurveyPersons(db, rulebook, settings, ctx.on);
    if (!survey.ok()) {
      db.ResetStatements();
      db.Exec("ROLLBACK");
      return survey.status();
    }
    report.survey = std::move(*survey);

    auto& insert = db.Prepare(
        "INSERT INTO retention_runs (started_at, actor, unit, evaluated_on, rulebook_version, "
        "research_municipality, research_sample_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
    insert.Bind(1, at)
        .Bind(2, ctx.actor)
        .Bind(3, ctx.unit)
        .Bind(4, FormatDate(ctx.on))
        .Bind(5, rulebook.version())
        .Bind(6, settings.research_municipality)
        .Bind(7, settings.SampleDaysText());
    if (!insert.Step()) throw store::StoreError("INSERT … RETURNING gave no row");
    report.run_id = insert.Int(0);
    insert.Reset();
    db.Prepare("UPDATE retention_active SET run_id = ?1 WHERE id = 1").Bind(1, report.run_id).Run();

    for (const DueRecord& due : report.survey.due) {
      RemovedRecord removed{due.person_id, due.decision, {}};
      json id_floor = json::object();
      removed.counts = RemovePersonRows(db, due.person_id, &id_floor);
      report.events_removed += removed.counts.journal_events;

      // The journal keeps that a record was removed, by which rule and run: no content (docs/EVENTS.md).
      Event event;
      event.kind = "records_removed";
      event.occurred_at = FormatLocalDateTime(ctx.now);
      event.recorded_at = at;
      event.actor = ctx.actor;
      event.unit = ctx.unit;
      event.person_id = due.person_id;
      event.payload = json{{"run_id", report.run_id},
                           {"rule", due.decision.rule},
                           {"law_ref", due.decision.law_ref},
                           {"evaluated_on", FormatDate(ctx.on)},
                           {"removed", removed.counts.ToJson()},
                           {"id_floor", id_floor}};
      event.rulebook_version = rulebook.version();
      store::AppendEvent(db, event);
      store::Project(db, event);

      db.Prepare(
            "INSERT INTO access_log (at, username, unit, action, route, person_id, matter_id, "
            "remote_address) "
            "VALUES (?1, ?2, ?3, 'remove', ?4, ?5, NULL, 'local')")
          .Bind(1, at)
          .Bind(2, ctx.actor)
          .Bind(3, ctx.unit)
          .Bind(4, AccessLogRoute(removed, report.run_id))
          .Bind(5, due.person_id)
          .Run();
      report.removed.push_back(std::move(removed));
    }

    db.Prepare(
          "UPDATE retention_runs SET finished_at = ?1, persons_removed = ?2, events_removed = ?3 WHERE id = "
          "?4")
        .Bind(1, FormatUtc(FromStockholm(ctx.now)))
        .Bind(2, static_cast<int64_t>(report.removed.size()))
        .Bind(3, report.events_removed)
        .Bind(4, report.run_id)
        .Run();
    db.Prepare("UPDATE retention_active SET run_id = NULL WHERE id = 1").Run();
    db.ResetStatements();
    db.Exec("COMMIT");
  } catch (...) {
    db.ResetStatements();
    db.Exec("ROLLBACK");
    throw;
  }
  return report;
}

}  // namespace nysol::retention
