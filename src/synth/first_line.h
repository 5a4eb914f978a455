// The demo's first line: the committee's decisions opening catalog items without individual needs assessment
// (11 kap. 5 § SoL) a year before the demo's end, and a year of first-line registrations under them, written
// through the real commands. Deterministic for a seed and end date.
#pragma once

#include <cstdint>

#include "core/catalog.h"
#include "core/rulebook.h"
#include "store/case_store.h"
#include "synth/municipality.h"

namespace nysol::synth {

struct FirstLineStats {
  int64_t committee_decisions = 0;
  int64_t registrations = 0;  // identified and non-identifying
  int64_t refused = 0;        // a generator bug if non-zero
};

// Writes into `store` (inside the caller's bulk load, if any). About 5 registrations a year per 100 persons.
FirstLineStats GenerateFirstLine(store::CaseStore& store, const Rulebook& rulebook, const Catalog& catalog,
                                 const MunicipalityOptions& options);

}  // namespace nysol::synth
