// Several matters at once, for the lists that show many (the API's pages, the start page's queues): the same
// states LoadMatterState builds, in a handful of statements for the whole list instead of five per matter.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "core/matter.h"
#include "store/case_store.h"
#include "store/db.h"

namespace nysol::store {

// The rule-relevant state of each matter in `ids` that exists, in the order of `ids` (duplicates once).
std::vector<MatterState> LoadMatterStates(Db& db, const std::vector<int64_t>& ids);
// The persons of `ids` that exist, by id.
std::map<int64_t, PersonRow> LoadPersons(Db& db, const std::vector<int64_t>& ids);

}  // namespace nysol::store
