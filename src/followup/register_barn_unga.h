// Socialstyrelsen's register of interventions for children and young people (HSLF-FS 2016:22, yearly): every
// child or young person who during the year was placed in a familjehem, jourhem, HVB or stödboende, one
// record per placement, read from the journal. The published description gives the content but not the file
// layout, so the layout here is NySoL's and documented with its open points in docs/NATIONAL-REPORTING.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace nysol::followup {

struct PlacementRecord {
  int64_t person_id = 0;
  std::string identity;      // 12 digits (personnummer or samordningsnummer), or the municipality's temporary
                             // id "T" + person id for a child without one (allowed since 2017)
  std::string sex;           // "1" man/pojke, "2" kvinna/flicka, "" unknown (SCB's coding)
  std::string intervention;  // familjehem | jourhem | hvb | stodboende
  std::string legal_basis;   // the decision's code, e.g. sol-11-1
  std::string decided_on;    // ISO dates
  std::string started_on;
  std::string ended_on;  // "" while the placement goes on
  std::string end_reason;
};

// Placements that ran on some day of `year` for persons under 21 when they began (barn och unga, 3 kap. 1 §
// and 11 kap. 5 § 5 SoL), ordered by identity and start.
std::vector<PlacementRecord> PlacementsInYear(store::Db& db, int year);

// The file: a header line, then one line per record, fields separated by ';' with no ';' at the end of a line
// (Filip's rule for semicolon files), CRLF, UTF-8.
std::string PlacementFile(const std::vector<PlacementRecord>& records, const std::string& municipality_code,
                          int year);

}  // namespace nysol::followup
