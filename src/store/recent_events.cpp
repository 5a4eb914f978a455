#include "store/recent_events.h"

#include <fmt/format.h>

#include <algorithm>

#include "store/stored_rows.h"

namespace nysol::store {

std::vector<Event> RecentMatterEvents(Db& db, std::string_view since_utc, int scan,
                                      const std::vector<std::string_view>& kinds, std::string_view unit) {
  // Newest first: seq grows with the time of recording.
  auto& st = db.Prepare(fmt::format("SELECT {} FROM journal ORDER BY seq DESC LIMIT ?1", kEventColumns));
  // The limit in SQL, not only in the loop: PostgreSQL's connection reads a result whole.
  st.Bind(1, scan);
  std::vector<Event> events;
  for (int scanned = 0; scanned < scan && st.Step(); ++scanned) {
    // Filtered on the row's columns before its payload is parsed.
    if (st.Text(2) < since_utc) break;
    if (st.IsNull(5) || st.Text(4) != unit) continue;
    if (std::find(kinds.begin(), kinds.end(), st.Text(7)) == kinds.end()) continue;
    events.push_back(ReadEvent(st));
  }
  st.Reset();
  return events;
}

}  // namespace nysol::store
