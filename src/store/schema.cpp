#include "store/schema.h"

#include <fmt/format.h>

#include <regex>

#include "store/name_fold.h"

namespace nysol::store {

const std::string_view kNextDueSql =
    "(SELECT min(due) FROM ("
    "SELECT min(s.protection_due) AS due FROM report_subjects s "
    "WHERE s.matter_id = matters.id AND s.protection_assessed_at IS NULL "
    "UNION ALL SELECT matters.preliminary_due WHERE matters.preliminary_decided_on IS NULL "
    "UNION ALL SELECT matters.investigation_due WHERE matters.investigation_completed_on IS NULL "
    "UNION ALL SELECT '9999-12-31') AS dues)";

namespace {
const std::string& NextDueMigration() {
  static const std::string sql = std::string(R"sql(
-- The start page's queues (CaseStore::MattersByUrgency): each matter's next statutory due date kept with it
-- (store/schema.h, kNextDueSql), so that a unit's or a case worker's most urgent open matters are read from an
-- index in order instead of computed and sorted for all of them on every page (55 ms for a unit with 9,734
-- open matters in the 100,000-person demo).
ALTER TABLE matters ADD COLUMN next_due TEXT NOT NULL DEFAULT '9999-12-31';
CREATE INDEX matters_unit_urgency ON matters(unit, next_due, id) WHERE phase <> 'closed';
CREATE INDEX matters_unit_assigned_urgency ON matters(unit, assigned_to, next_due, id) WHERE phase <> 'closed';
UPDATE matters SET next_due = )sql") + std::string(kNextDueSql) + ";\n";
  return sql;
}

// A column of persons derived from another by `derive` (SQL that rewrites the column in place).
std::string DerivedNameColumn(std::string_view column, std::string_view from, const std::string& derive) {
  return fmt::format("ALTER TABLE persons ADD COLUMN {0} TEXT;\nUPDATE persons SET {0} = {1};\n", column,
                     from) +
         derive;
}

const std::string& FoldedNameMigration() {
  static const std::string sql =
      DerivedNameColumn("name_folded", "name", FoldNameSql("persons", "name_folded"));
  return sql;
}

const std::string& NameOrderMigration() {
  static const std::string sql =
      DerivedNameColumn("name_order", "name_folded", NameOrderKeySql("persons", "name_order"));
  return sql;
}
}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> migrations = {
      {1, "journal and the chain for children", R"sql(
-- The journal: the legal record. Append-only: corrections are new events (14 kap. 6 § SoL).
CREATE TABLE journal (
  seq INTEGER PRIMARY KEY,
  occurred_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  actor TEXT NOT NULL,
  unit TEXT NOT NULL,
  matter_id INTEGER,
  person_id INTEGER,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  rulebook_version TEXT NOT NULL
);
CREATE INDEX journal_matter ON journal(matter_id, seq);
CREATE INDEX journal_person ON journal(person_id, seq);
CREATE TRIGGER journal_is_append_only BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
-- Gallring (16 kap. SoL) will remove whole persons' records through its own audited migration step.
CREATE TRIGGER journal_rows_are_kept BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;

CREATE TABLE persons (
  id INTEGER PRIMARY KEY,
  identity_number TEXT UNIQUE,          -- 12 digits; NULL when the identity is unknown
  identity_kind TEXT NOT NULL,          -- personnummer | samordningsnummer | unknown
  name TEXT,
  birth_date TEXT,
  birth_year INTEGER,
  sex TEXT,                             -- female | male | NULL when unknown
  registered_seq INTEGER NOT NULL
);

CREATE TABLE matters (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,                   -- child | adult
  person_id INTEGER NOT NULL REFERENCES persons(id),
  unit TEXT NOT NULL,
  phase TEXT NOT NULL,                  -- received | investigating | investigated | closed
  received_on TEXT NOT NULL,
  preliminary_due TEXT,
  preliminary_extended INTEGER NOT NULL DEFAULT 0,
  preliminary_decided_on TEXT,
  preliminary_decision TEXT,            -- open_investigation | no_investigation
  investigation_started_on TEXT,
  investigation_due TEXT,
  investigation_extensions INTEGER NOT NULL DEFAULT 0,
  investigation_notified_on TEXT,
  investigation_completed_on TEXT,
  closed_on TEXT,
  closure_reason TEXT,
  last_seq INTEGER NOT NULL
);
CREATE INDEX matters_person ON matters(person_id);
CREATE INDEX matters_open ON matters(unit, phase);

CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  received_at TEXT NOT NULL,
  reporter_category TEXT NOT NULL,
  channel TEXT NOT NULL,
  reporter_name TEXT,
  text TEXT NOT NULL
);

-- One row per child a report is about; outcome says what came of it (searchable, also without investigation).
CREATE TABLE report_subjects (
  report_id INTEGER NOT NULL REFERENCES reports(id),
  person_id INTEGER NOT NULL REFERENCES persons(id),
  matter_id INTEGER NOT NULL REFERENCES matters(id),
  disposition TEXT NOT NULL,
  protection_due TEXT NOT NULL,
  protection_assessed_at TEXT,
  immediate_need INTEGER,
  outcome TEXT NOT NULL,                -- pending | investigation_opened | no_investigation | attached_to_investigation
  PRIMARY KEY (report_id, person_id)
);
CREATE INDEX report_subjects_person ON report_subjects(person_id);
CREATE INDEX report_subjects_matter ON report_subjects(matter_id);

CREATE TABLE applications (
  matter_id INTEGER PRIMARY KEY REFERENCES matters(id),
  received_at TEXT NOT NULL,
  channel TEXT NOT NULL,
  text TEXT NOT NULL
);

CREATE TABLE decisions (
  id INTEGER PRIMARY KEY,
  matter_id INTEGER NOT NULL REFERENCES matters(id),
  outcome TEXT NOT NULL,
  intervention TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  appealable INTEGER NOT NULL,
  decided_by TEXT NOT NULL,
  decided_on TEXT NOT NULL,
  reasons TEXT NOT NULL,
  served_on TEXT,
  appeal_due TEXT
);
CREATE INDEX decisions_matter ON decisions(matter_id);

CREATE TABLE interventions (
  id INTEGER PRIMARY KEY,
  matter_id INTEGER NOT NULL REFERENCES matters(id),
  decision_id INTEGER NOT NULL REFERENCES decisions(id),
  intervention TEXT NOT NULL,
  started_on TEXT NOT NULL,
  ended_on TEXT,
  end_reason TEXT
);
CREATE INDEX interventions_matter ON interventions(matter_id);
)sql",
       R"sql(
-- One function refuses for every trigger that only refuses; its argument is the message.
CREATE FUNCTION nysol_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$;
CREATE TRIGGER journal_is_append_only BEFORE UPDATE ON journal
FOR EACH ROW EXECUTE FUNCTION nysol_refuse('the journal is append-only');
CREATE TRIGGER journal_rows_are_kept BEFORE DELETE ON journal
FOR EACH ROW EXECUTE FUNCTION nysol_refuse('the journal is append-only');
)sql"},
      {2, "users and the access log", R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  unit TEXT NOT NULL,
  role TEXT NOT NULL,
  token_hash TEXT UNIQUE,               -- BLAKE2b of the API token; the token itself is never stored
  created_at TEXT NOT NULL
);

-- Who read or changed which person's data, when, from where (SoLPUL; OSL 26 kap.). Append-only.
CREATE TABLE access_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  username TEXT NOT NULL,
  unit TEXT NOT NULL,
  action TEXT NOT NULL,                 -- read | write
  route TEXT NOT NULL,
  person_id INTEGER,
  matter_id INTEGER,
  remote_address TEXT NOT NULL
);
CREATE INDEX access_log_person ON access_log(person_id, at);
CREATE INDEX access_log_user ON access_log(username, at);
CREATE TRIGGER access_log_is_append_only BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_rows_are_kept BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
)sql",
       R"sql(
CREATE TRIGGER access_log_is_append_only BEFORE UPDATE ON access_log
FOR EACH ROW EXECUTE FUNCTION nysol_refuse('the access log is append-only');
CREATE TRIGGER access_log_rows_are_kept BEFORE DELETE ON access_log
FOR EACH ROW EXECUTE FUNCTION nysol_refuse('the access log is append-only');
)sql"},
      {3, "units, assignment, protected identity, emergency access", R"sql(
-- The municipality's units. A matter belongs to one; users work in one (inner confidentiality, OSL 26 kap.).
CREATE TABLE units (
  code TEXT PRIMARY KEY,
  name_sv TEXT NOT NULL
);
INSERT INTO units (code, name_sv) VALUES
  ('mottagning-barn', 'Mottagning barn och unga'),
  ('utredning-barn', 'Utredning barn och unga'),
  ('vuxen', 'Vuxenenheten'),
  ('forsta-linjen', 'Första linjen'),
  ('ekonomiskt-bistand', 'Ekonomiskt bistånd'),
  ('stab', 'Stab och analys'),
  ('socialnamnden', 'Socialnämnden'),
  ('it', 'IT och systemförvaltning');

ALTER TABLE matters ADD COLUMN assigned_to TEXT;  -- username of the case worker handling the matter
CREATE INDEX matters_assigned ON matters(assigned_to, phase);

-- Skyddade personuppgifter: address and other locating data only for users explicitly authorised.
ALTER TABLE persons ADD COLUMN address TEXT;
ALTER TABLE persons ADD COLUMN protected_identity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN protected_data_access INTEGER NOT NULL DEFAULT 0;

-- What the review of the access log looks for.
ALTER TABLE access_log ADD COLUMN emergency INTEGER NOT NULL DEFAULT 0;  -- nödåtkomst outside one's unit
ALTER TABLE access_log ADD COLUMN reason TEXT;                          -- the stated reason for emergency access
ALTER TABLE access_log ADD COLUMN outside_unit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE access_log ADD COLUMN protected_person INTEGER NOT NULL DEFAULT 0;
CREATE INDEX access_log_at ON access_log(at);
)sql"},
      {4, "passwords, login lockout and sessions", R"sql(
-- Passwords for logging in from a browser, beside the API tokens: Argon2id in libsodium's string form (it
-- carries its own salt and cost). NULL: the user has no password and can only use an API token.
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN password_changed_at TEXT;

-- Consecutive failed logins per username tried, whether or not such a user exists, so that the lockout
-- itself cannot tell an attacker which usernames are real. A successful login or a new password deletes the row.
CREATE TABLE login_failures (
  username TEXT PRIMARY KEY,
  consecutive INTEGER NOT NULL,
  last_failed_at TEXT NOT NULL,
  locked_until TEXT                     -- UTC; logins for this name are refused until then
);

-- Browser sessions. Only the BLAKE2b hash of the session token is stored: the database alone is no key.
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,             -- sent back in X-CSRF-Token with every change made through the session
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,           -- the idle timeout counts from here
  expires_at TEXT NOT NULL,             -- the absolute limit, fixed at login
  ended_at TEXT,                        -- logout, new password, or found expired
  end_reason TEXT                       -- logout | password_changed | idle | expired
);
CREATE INDEX sessions_user ON sessions(user_id, ended_at);
)sql"},
      {5, "gallring: audited removal runs", R"sql(
-- Gallring (16 kap. SoL, src/retention/, docs/RETENTION.md). Every removal run is recorded here: when, by
-- whom, for which day, under which rulebook and research settings, how many persons and events it removed.
CREATE TABLE retention_runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,             -- UTC
  finished_at TEXT,                     -- UTC; set by the run's own transaction, so NULL is never committed
  actor TEXT NOT NULL,
  unit TEXT NOT NULL,
  evaluated_on TEXT NOT NULL,           -- the day the rules were applied for (YYYY-MM-DD)
  rulebook_version TEXT NOT NULL,
  research_municipality INTEGER NOT NULL,  -- 16 kap. 4 § SoL, from config/retention.json
  research_sample_days TEXT NOT NULL,   -- e.g. "5,15,25"
  persons_removed INTEGER NOT NULL DEFAULT 0,
  events_removed INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER retention_runs_rows_are_kept BEFORE DELETE ON retention_runs
BEGIN SELECT RAISE(ABORT, 'removal runs are kept'); END;
CREATE TRIGGER retention_runs_finished_are_final BEFORE UPDATE ON retention_runs
WHEN OLD.finished_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a finished removal run cannot be changed'); END;

-- One row: the run that is active, set and cleared inside that run's transaction. Only an unfinished run
-- can be made active.
CREATE TABLE retention_active (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  run_id INTEGER REFERENCES retention_runs(id)
);
INSERT INTO retention_active (id, run_id) VALUES (1, NULL);
CREATE TRIGGER retention_active_is_one_row BEFORE DELETE ON retention_active
BEGIN SELECT RAISE(ABORT, 'retention_active has exactly one row'); END;
CREATE TRIGGER retention_active_needs_an_open_run BEFORE UPDATE OF run_id ON retention_active
WHEN NEW.run_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM retention_runs WHERE id = NEW.run_id AND finished_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'only an unfinished removal run can be made active'); END;

-- The highest id removed per table, kept so that a removed person's ids are never handed out again. A
-- projection of the records_removed events, so replay rebuilds it.
CREATE TABLE retention_id_floor (
  name TEXT PRIMARY KEY,                -- persons | matters | reports | decisions | interventions
  max_id INTEGER NOT NULL
);

-- Replaces migration 1's trigger: the journal stays append-only, except while a removal run is active.
DROP TRIGGER journal_rows_are_kept;
CREATE TRIGGER journal_rows_are_kept BEFORE DELETE ON journal
WHEN (SELECT run_id FROM retention_active WHERE id = 1) IS NULL
BEGIN SELECT RAISE(ABORT, 'the journal is append-only; only a gallring run (16 kap. SoL) removes rows'); END;
)sql",
       R"sql(
CREATE TRIGGER retention_runs_rows_are_kept BEFORE DELETE ON retention_runs
FOR EACH ROW EXECUTE FUNCTION nysol_refuse('removal runs are kept');
CREATE TRIGGER retention_runs_finished_are_final BEFORE UPDATE ON retention_runs
FOR EACH ROW WHEN (OLD.finished_at IS NOT NULL)
EXECUTE FUNCTION nysol_refuse('a finished removal run cannot be changed');
CREATE TRIGGER retention_active_is_one_row BEFORE DELETE ON retention_active
FOR EACH ROW EXECUTE FUNCTION nysol_refuse('retention_active has exactly one row');
-- A trigger's WHEN cannot hold a subquery in PostgreSQL: the checks that read other tables are functions.
CREATE FUNCTION nysol_retention_active_needs_an_open_run() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.run_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM retention_runs WHERE id = NEW.run_id AND finished_at IS NULL) THEN
    RAISE EXCEPTION 'only an unfinished removal run can be made active';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER retention_active_needs_an_open_run BEFORE UPDATE OF run_id ON retention_active
FOR EACH ROW EXECUTE FUNCTION nysol_retention_active_needs_an_open_run();
DROP TRIGGER journal_rows_are_kept ON journal;
CREATE FUNCTION nysol_journal_rows_are_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT run_id FROM retention_active WHERE id = 1) IS NULL THEN
    RAISE EXCEPTION 'the journal is append-only; only a gallring run (16 kap. SoL) removes rows';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER journal_rows_are_kept BEFORE DELETE ON journal
FOR EACH ROW EXECUTE FUNCTION nysol_journal_rows_are_kept();
)sql"},
      {6, "journal notes and drafts", R"sql(
-- Journal notes (journalanteckningar, 14 kap. SoL): append-only like the journal they are projected from. A
-- correction is a new note that names the note it corrects; the individual's view that something recorded is
-- wrong is a note of kind 'objection' (14 kap. 6 § SoL).
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  matter_id INTEGER NOT NULL REFERENCES matters(id),
  kind TEXT NOT NULL CHECK (kind IN ('note', 'objection')),
  text TEXT NOT NULL,
  corrects INTEGER REFERENCES notes(id),
  author TEXT NOT NULL,
  written_at TEXT NOT NULL,             -- UTC
  seq INTEGER NOT NULL                  -- the journal event that wrote it
);
CREATE INDEX notes_matter ON notes(matter_id, id);

-- Drafts: text being written in the web interface, saved as it is typed so that a closed tab or a crash loses
-- nothing. Working material of one user, not part of the record: never in the journal, removed when the text
-- is saved as what it was drafted for, and with the matter's records by gallring.
CREATE TABLE drafts (
  user_id INTEGER NOT NULL REFERENCES users(id),
  key TEXT NOT NULL,                    -- which text: "matter/17/note", "report/new", …
  matter_id INTEGER REFERENCES matters(id),
  text TEXT NOT NULL,
  saved_at TEXT NOT NULL,               -- UTC
  PRIMARY KEY (user_id, key)
);
CREATE INDEX drafts_matter ON drafts(matter_id);
)sql"},
      {7, "committee decisions on interventions without needs assessment", R"sql(
-- The committee's decisions that open catalog items (config/catalog.json) without individual needs assessment
-- (11 kap. 5 § SoL): a projection of committee_decision_recorded events. History is kept: a later decision ends
-- an earlier one from its own first day (ended_from) and nothing is overwritten, so what applied on any day
-- can be read back.
CREATE TABLE committee_decisions (
  id INTEGER PRIMARY KEY,
  item_code TEXT NOT NULL,
  item_name_sv TEXT NOT NULL,
  catalog_version TEXT NOT NULL,
  decided_on TEXT NOT NULL,
  minutes_paragraph TEXT NOT NULL,      -- protokollsparagraf, "§ 45"
  dnr TEXT NOT NULL,                    -- diarienummer
  valid_from TEXT NOT NULL,
  valid_to TEXT,                        -- last day; NULL: until further notice
  ended_from TEXT,                      -- set when a later decision ends this one
  ended_by INTEGER REFERENCES committee_decisions(id),
  target_group TEXT,
  age_min INTEGER,
  age_max INTEGER,
  max_sessions INTEGER,
  conditions TEXT,
  identity_exempt INTEGER NOT NULL,     -- 14 kap. 5 §: identity not documented
  identity_exempt_reasons TEXT,         -- the särskilda skäl
  recorded_by TEXT NOT NULL,
  seq INTEGER NOT NULL
);
CREATE INDEX committee_decisions_item ON committee_decisions(item_code, valid_from);
)sql"},
      {8, "first-line participation", R"sql(
-- Participation in interventions without needs assessment (11 kap. 5 § SoL), projected from
-- first_line_participation events. Identified: person_id is set (and gallring removes the row with the person).
-- Non-identifying (14 kap. 4 § advice, or a 14 kap. 5 § exemption): no person, only count, age band and gender.
CREATE TABLE first_line_participations (
  id INTEGER PRIMARY KEY,
  decision_id INTEGER NOT NULL REFERENCES committee_decisions(id),
  item_code TEXT NOT NULL,
  unit TEXT NOT NULL,
  date TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('identified', 'non_identifying')),
  person_id INTEGER REFERENCES persons(id),
  age INTEGER,
  guardian_consent INTEGER,
  suitability_judgement TEXT,
  basis TEXT,                           -- identity_exempt | advice (non-identifying only)
  count INTEGER NOT NULL,
  age_band TEXT,
  gender TEXT,
  note TEXT,
  informed_about_application INTEGER NOT NULL,  -- 11 kap. 6 §
  recorded_by TEXT NOT NULL,
  seq INTEGER NOT NULL,
  CHECK ((mode = 'identified') = (person_id IS NOT NULL))
);
CREATE INDEX first_line_date ON first_line_participations(unit, date);
CREATE INDEX first_line_person ON first_line_participations(person_id);
)sql"},
      {9, "first-line participations that became applications", R"sql(
ALTER TABLE first_line_participations ADD COLUMN referred_matter_id INTEGER REFERENCES matters(id);
)sql"},
      {10, "matters without last_seq", R"sql(
-- The seq of a matter's latest event was kept in a second UPDATE per event and read by nothing: the journal
-- (journal_matter index) answers it.
ALTER TABLE matters DROP COLUMN last_seq;
)sql"},
      {11, "indexes for the open matters of a unit", R"sql(
-- The lists of open matters (CaseStore::ListMatters, MattersByUrgency, CountOpenMatters): a unit's open matters
-- in id order (the API's pages), and those of one case worker or of nobody (the start page's queues). Partial:
-- closed matters, most of the table, are in neither.
CREATE INDEX IF NOT EXISTS matters_unit_open ON matters(unit, id) WHERE phase <> 'closed';
CREATE INDEX IF NOT EXISTS matters_unit_open_assigned ON matters(unit, assigned_to, id) WHERE phase <> 'closed';
)sql"},
      {12, "the next due date kept with each matter", NextDueMigration()},
      {13, "an index for the queue of matters nobody has", R"sql(
-- The start page's queue of a unit's unassigned matters (assigned_to IS NULL): PostgreSQL does not take the
-- order (next_due, id) from migration 12's (unit, assigned_to, next_due, id) after an IS NULL, so it walked the
-- unit's whole queue in order and filtered (5 ms for 9,734 open matters and none unassigned). A partial index of
-- just those matters gives the order at once on both engines.
CREATE INDEX matters_unit_unassigned_urgency ON matters(unit, next_due, id)
  WHERE phase <> 'closed' AND assigned_to IS NULL;
)sql"},
      // A search by name ignores case, also for å, ä, ö and the other letters FoldName folds
      // (store/name_fold.h). On PostgreSQL a trigram index answers `name_folded LIKE '%…%'` (a sequential
      // scan took 11–39 ms in the 100,000-person demo); pg_trgm comes with PostgreSQL and is a trusted
      // extension, so the database's owner may create it. Its operator class is named with the schema it is
      // in, which need not be on the path.
      {14, "names folded for search", FoldedNameMigration(), R"sql(
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
DO $$ BEGIN
  EXECUTE format('CREATE INDEX persons_name_folded_trgm ON persons USING gin (name_folded %s.gin_trgm_ops)',
                 (SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'pg_trgm'));
END $$;
)sql"},
      {15, "the persons with a matter in a unit", R"sql(
-- A search by name looks only among the persons with a matter in the user's unit (CaseStore::FindPersonsByName):
-- this index lists them without reading the matters themselves. With only matters_open(unit, phase), SQLite read
-- each of the unit's matters for its person (42–61 ms for 39,115 matters of `vuxen` in the 100,000-person demo;
-- 18–20 ms with it, whatever the name).
CREATE INDEX matters_unit_person ON matters(unit, person_id);
)sql"},
      {16, "the sessions past their limit", R"sql(
-- A login removes the sessions whose absolute limit is more than SessionSettings::kept_for ago
-- (access/session_manager.h), inside its write transaction: an index range, not a scan of the login history.
CREATE INDEX sessions_expires ON sessions(expires_at);
)sql"},
      // The names a search finds come in Swedish alphabetical order, Å, Ä, Ö last, whatever the case of their
      // letters (store/name_fold.h, NameOrderKey); the byte order of the names themselves put Ä before Å and
      // a name written in small letters after Z. No index: a search sorts only the persons it found.
      {17, "names in Swedish alphabetical order", NameOrderMigration()},
      {18, "indexes for all of a unit's matters in id order", R"sql(
-- The API's pages of a unit's matters of every phase, closed ones included (GET /api/v1/matters?open=false;
-- CaseStore::ListMatters), of the whole unit or of one case worker, in id order. Migration 11's indexes hold
-- only the open matters; without these, a page of 20 read and sorted all of the unit's matters: for the 86,869
-- of `utredning-barn` in the 100,000-person demo, 90-460 ms a page through the API on either engine.
CREATE INDEX matters_unit_id ON matters(unit, id);
CREATE INDEX matters_unit_assigned_id ON matters(unit, assigned_to, id);
)sql"},
  };
  return migrations;
}

std::string MigrationSql(std::string_view sqlite_sql, std::string_view postgres_only, Engine engine) {
  if (engine == Engine::kSqlite) return std::string(sqlite_sql);
  // Triggers are written in each engine's language; everything else is translated: 64-bit integers, ids that
  // number themselves like SQLite's rowid, and text that compares and sorts byte by byte as in SQLite,
  // whatever the server's locale.
  static const std::regex trigger(R"(CREATE TRIGGER[\s\S]*?\bEND;|DROP TRIGGER \w+;)");
  static const std::regex rowid(R"(\bINTEGER PRIMARY KEY\b)");
  static const std::regex integer(R"(\bINTEGER\b)");
  static const std::regex text(R"(\bTEXT\b)");
  static const std::regex real(R"(\bREAL\b)");
  std::string sql = std::regex_replace(std::string(sqlite_sql), trigger, "");
  sql = std::regex_replace(sql, rowid, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  sql = std::regex_replace(sql, integer, "BIGINT");
  sql = std::regex_replace(sql, text, "TEXT COLLATE \"C\"");
  sql = std::regex_replace(sql, real, "DOUBLE PRECISION");
  return sql + std::string(postgres_only);
}

const std::vector<std::string_view>& ProjectionTables() {
  static const std::vector<std::string_view> tables = {"persons",         "matters",           "reports",
                                                       "report_subjects", "applications",      "decisions",
                                                       "interventions",   "notes",
                                                       "committee_decisions", "first_line_participations",
                                                       "retention_id_floor"};
  return tables;
}

}  // namespace nysol::store
