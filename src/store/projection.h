// Applies one journal event to the current-state tables. The same function serves the live write path and
// a replay of the whole journal, which is why current state can always be rebuilt from the journal.
#pragma once

#include "core/event.h"
#include "store/db.h"

namespace nysol::store {

// Updates current state for `event` (its seq already assigned). Throws StoreError for an unknown kind.
// With `keep_next_due` false, matters.next_due is left as it is: a bulk load sets it for every matter at its
// end (CaseStore::EndBulk), one UPDATE instead of one per event.
void Project(Db& db, const Event& event, bool keep_next_due = true);

}  // namespace nysol::store
