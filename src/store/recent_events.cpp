#include "store/recent_events.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "store/stored_rows.h"

namespace nysol::store {

void ForNewestEvents(Db& db, int scan, const std::function<bool(const Statement&)>& each) {
  // Newest first: seq grows with the time of recording.
  static const std::string kSql =
      fmt::format("SELECT {} FROM journal WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2", kEventColumns);
  int64_t below = std::numeric_limits<int64_t>::max();
  int seen = 0;
  int page = 64;
  while (seen < scan) {
    const int want = std::min(page, scan - seen);
    auto& st = db.Prepare(kSql);
    st.Bind(1, below).Bind(2, want);
    int rows = 0;
    while (st.Step()) {
      ++rows;
      ++seen;
      below = st.Int(0);
      if (!each(st)) {
        st.Reset();
        return;
      }
    }
    st.Reset();
    if (rows < want) return;  // the journal's first event
    page *= 4;
  }
}

std::vector<Event> RecentMatterEvents(Db& db, std::string_view since_utc, int scan,
                                      const std::vector<std::string_view>& kinds, std::string_view unit) {
  std::vector<Event> events;
  ForNewestEvents(db, scan, [&](const Statement& st) {
    // Filtered on the row's columns before its payload is parsed.
    if (st.Text(2) < since_utc) return false;
    if (st.IsNull(5) || st.Text(4) != unit) return true;
    if (std::find(kinds.begin(), kinds.end(), st.Text(7)) == kinds.end()) return true;
    events.push_back(ReadEvent(st));
    return true;
  });
  return events;
}

}  // namespace nysol::store
