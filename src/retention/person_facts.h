// Reads what the retention rules need about each person from the store: birth date, the day of the last
// journal entry about them, their matters and interventions. Read-only; the caller chooses the transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/civil_date.h"
#include "retention/evaluator.h"
#include "store/db.h"

namespace nysol::retention {

// Every person on record, ordered by id. Throws store::StoreError when a stored date is broken.
std::vector<PersonFacts> LoadAllPersonFacts(store::Db& db);

// The Stockholm calendar day of a journal `recorded_at` value ("2026-03-15T13:30:00Z", UTC). None when the
// text is not such a time.
std::optional<Date> StockholmDayOfUtc(std::string_view utc);

}  // namespace nysol::retention
