// Dates as the store keeps them (ISO text, "YYYY-MM-DD"), read back from a row. A stored value that is not a
// date means a broken database, so it throws StoreError rather than returning a Status.
#pragma once

#include <optional>

#include "core/civil_date.h"
#include "store/db.h"

namespace nysol::store {

// Column `col` of the current row as a date, or nullopt when it is NULL.
std::optional<Date> OptDate(const Statement& st, int col);
// The same for a column that must hold a date.
Date ReqDate(const Statement& st, int col);

}  // namespace nysol::store
