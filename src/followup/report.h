// A follow-up report: every measure for one period (and optionally one unit), as the tables that leave the
// system. Built by Measure (measures.h) from the snapshot, suppressed by Suppress (suppression.h), written by
// the exports (export.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "followup/table.h"

namespace nysol::followup {

// A favourable decision not carried out within three months (34 kap. 1 § SoL): one row of the quarterly
// report to the inspectorate (IVO) and the auditors. Individual-level, so it is never part of a public
// export; the report to the council (34 kap. 3 §) is the aggregate `not_executed_by_intervention` table.
struct NotExecutedDecision {
  std::string decision_id;
  int64_t person_id = 0;  // for the access log of whoever makes the list; not part of any export
  std::string unit;
  std::string gender;  // "female", "male", "unknown"
  std::optional<int> birth_year;
  std::string decided_on;    // ISO date
  std::string intervention;  // code from the rulebook's code list
  std::string intervention_sv;
  std::string legal_basis;  // "sol-11-1" or "sol-12-1"
  int64_t days_waited = 0;  // from the decision to the end of the quarter, or to when it was carried out
  std::optional<std::string> executed_on;  // carried out after the limit: reported under 34 kap. 2 §
};

struct Report {
  std::string from;  // ISO date, inclusive
  std::string to;    // ISO date, inclusive
  std::optional<std::string> unit;
  int suppression_threshold = 3;  // cells below it are withheld; 0 only for internal use (no suppression)
  int64_t events = 0;             // journal events read into the snapshot (the kinds follow-up counts)
  int64_t last_seq = 0;           // the last journal event included
  std::string rulebook_version;

  std::vector<CountTable> counts;
  std::vector<DurationTable> durations;
  std::vector<NotExecutedDecision> not_executed;  // only when asked for (it names individual decisions)
};

}  // namespace nysol::followup
