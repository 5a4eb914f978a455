// Rebuilds current state from the journal alone and compares it with the stored current state. This is the
// proof that the journal is the record: whatever the tables say can be derived from it.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "store/db.h"

namespace nysol::store {

struct ReplayReport {
  int64_t events = 0;
  int64_t rows_compared = 0;
};

// Replays every event of `source` into a fresh in-memory database and compares each current-state table
// row by row. kConflict naming the first differing table and row when they differ.
Result<ReplayReport> VerifyReplay(Db& source);

// A canonical text dump of one table (all columns, rows sorted), for comparisons and tests.
std::string DumpTable(Db& db, std::string_view table, int64_t* row_count = nullptr);

}  // namespace nysol::store
