// The follow-up measures (docs/FOLLOW-UP.md): inflow, the funnel, lead times, deadline compliance, the open
// queue, repeat reports, the first line, knowledge basis, costs, and decisions not carried out (34 kap.).
// Each is counted from the snapshot for one period, split by gender, by age band and by unit.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/catalog.h"
#include "core/rulebook.h"
#include "followup/report.h"
#include "followup/snapshot.h"

namespace nysol::followup {

struct MeasureRequest {
  Date from;  // inclusive
  Date to;    // inclusive; the queue and the decisions not carried out are counted as of this day
  std::optional<std::string> unit;    // only this unit's facts
  bool include_not_executed = false;  // the individual-level list for IVO (34 kap. 1 §)
};

// What the measures need besides the facts: the rulebook (code names, the 34 kap. limit), the catalog
// (items, knowledge basis, unit costs; may be null) and the units' Swedish names.
struct MeasureContext {
  const Rulebook& rulebook;
  const Catalog* catalog = nullptr;
  std::map<std::string, std::string> unit_names;
};

// Every measure, unsuppressed. Callers that publish suppress it first (suppression.h: SuppressReport).
Report Measure(const Snapshot& snapshot, const MeasureRequest& request, const MeasureContext& context);

// The units' Swedish names from the store's `units` table.
std::map<std::string, std::string> UnitNames(store::Db& db);

}  // namespace nysol::followup
