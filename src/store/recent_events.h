// The journal's tail filtered before the payloads are parsed: the start page lists today's registrations
// among all of today's events, and parsing every payload to find them was a fifth of its time.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "store/db.h"

namespace nysol::store {

// Calls `each` with the journal's rows (kEventColumns), newest first, at most `scan` of them, until it
// returns false. Read in growing pages (64, 256, …), not in one statement for `scan` rows: PostgreSQL's
// connection reads a result whole, and the start page, which stops at the first event before today, carried
// 5,000 payloads from the server on every request.
void ForNewestEvents(Db& db, int scan, const std::function<bool(const Statement&)>& each);

// What CaseStore::RecentEvents(since_utc, scan) returns, less the events that are not about a matter, not
// recorded in `unit` or of none of `kinds`: newest first. Only the payloads of the events kept are parsed.
std::vector<Event> RecentMatterEvents(Db& db, std::string_view since_utc, int scan,
                                      const std::vector<std::string_view>& kinds, std::string_view unit);

}  // namespace nysol::store
