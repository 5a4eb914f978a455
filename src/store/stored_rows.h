// Rows as the store keeps them, read back from a statement: dates (ISO text, "YYYY-MM-DD"), persons, journal
// events. A stored value that cannot be read means a broken database, so these throw StoreError rather than
// return a Status.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "core/civil_date.h"
#include "core/event.h"
#include "store/case_store.h"
#include "store/db.h"

namespace nysol::store {

// Column `col` of the current row as a date, or nullopt when it is NULL.
std::optional<Date> OptDate(const Statement& st, int col);
// The same for a column that must hold a date.
Date ReqDate(const Statement& st, int col);

// The columns of persons as ReadPerson reads them, in its order.
inline constexpr const char* kPersonColumns =
    "id, identity_number, identity_kind, name, birth_date, birth_year, sex, address, protected_identity";
PersonRow ReadPerson(const Statement& st);

// The columns of the journal as ReadEvent reads them, in its order.
inline constexpr const char* kEventColumns =
    "seq, occurred_at, recorded_at, actor, unit, matter_id, person_id, kind, payload, rulebook_version";
Event ReadEvent(const Statement& st);
// The same with the payload left unparsed.
StoredEvent ReadStoredEvent(const Statement& st);

}  // namespace nysol::store
