// Generates a synthetic municipality's case history through the real write path. Deterministic: the same
// options and seed give the same journal on the same build. Identity numbers are synthetic: Luhn-valid
// numbers with birth numbers 980–999, made up by the generator and taken from no register.
#pragma once

#include <vector>

#include <cstdint>
#include <functional>

#include "core/civil_date.h"
#include "core/rulebook.h"
#include "access/user_directory.h"
#include "store/case_store.h"

namespace nysol {
class Catalog;
}

namespace nysol::synth {

struct MunicipalityOptions {
  int persons = 20000;  // persons on record at the end (children reported and adults who applied), roughly
  int years = 5;        // history length, ending on `end`
  uint64_t seed = 1;
  Date end;             // the last simulated day ("today" of the demo)
};

struct MunicipalityStats {
  int64_t persons = 0;
  int64_t child_reports = 0;
  int64_t applications = 0;
  int64_t commands = 0;
  int64_t refused_commands = 0;  // a generator bug if non-zero: every generated step should be legal
  int64_t events = 0;
  int64_t implied_children = 0;  // the child population the report rate implies (≈190 reports / 1,000 / year)
};

// Writes the history into `store` (expected empty). `progress` is called now and then with the day reached.
// The demo's users: whose names appear in its journal, and who can log in to look at it.
struct DemoUser {
  const char* username;
  const char* name;
  const char* unit;
  access::Role role;
  bool protected_data_access = false;
};
const std::vector<DemoUser>& DemoUsers();

// With `first_line`, also writes the committee's decisions and a year of first-line registrations
// (synth/first_line.h) in the same bulk load; its stats go to `*first_line_stats`.
struct FirstLineStats;
MunicipalityStats GenerateMunicipality(store::CaseStore& store, const Rulebook& rulebook,
                                       const MunicipalityOptions& options,
                                       const std::function<void(Date)>& progress = {},
                                       const Catalog* first_line = nullptr,
                                       FirstLineStats* first_line_stats = nullptr);

}  // namespace nysol::synth
