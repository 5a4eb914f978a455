// The journal's tail filtered before the payloads are parsed: the start page lists today's registrations
// among all of today's events, and parsing every payload to find them was a fifth of its time.
#pragma once

#include <string_view>
#include <vector>

#include "core/event.h"
#include "store/db.h"

namespace nysol::store {

// What CaseStore::RecentEvents(since_utc, scan) returns, less the events that are not about a matter, not
// recorded in `unit` or of none of `kinds`: newest first. Only the payloads of the events kept are parsed.
std::vector<Event> RecentMatterEvents(Db& db, std::string_view since_utc, int scan,
                                      const std::vector<std::string_view>& kinds, std::string_view unit);

}  // namespace nysol::store
