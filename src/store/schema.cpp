#include "store/schema.h"

namespace nysol::store {

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
)sql"},
  };
  return migrations;
}

const std::vector<std::string_view>& ProjectionTables() {
  static const std::vector<std::string_view> tables = {"persons",   "matters",   "reports",      "report_subjects",
                                                       "applications", "decisions", "interventions"};
  return tables;
}

}  // namespace nysol::store
