#include "store/recent_events.h"

#include <algorithm>

namespace nysol::store {

std::vector<Event> RecentMatterEvents(Db& db, std::string_view since_utc, int scan,
                                      const std::vector<std::string_view>& kinds, std::string_view unit) {
  // The columns of CaseStore::RecentEvents, in its order: seq grows with the time of recording.
  auto& st = db.Prepare(
      "SELECT seq, occurred_at, recorded_at, actor, unit, matter_id, person_id, kind, payload, rulebook_version "
      "FROM journal ORDER BY seq DESC LIMIT ?1");
  // The limit in SQL, not only in the loop: PostgreSQL's connection reads a result whole.
  st.Bind(1, scan);
  std::vector<Event> events;
  for (int scanned = 0; scanned < scan && st.Step(); ++scanned) {
    std::string recorded_at = st.Text(2);
    if (recorded_at < since_utc) break;
    if (st.IsNull(5) || st.Text(4) != unit) continue;
    std::string kind = st.Text(7);
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) continue;
    Event e;
    e.seq = st.Int(0);
    e.occurred_at = st.Text(1);
    e.recorded_at = std::move(recorded_at);
    e.actor = st.Text(3);
    e.unit = st.Text(4);
    e.matter_id = st.OptInt(5);
    e.person_id = st.OptInt(6);
    e.kind = std::move(kind);
    e.payload = nlohmann::json::parse(st.Text(8));
    e.rulebook_version = st.Text(9);
    events.push_back(std::move(e));
  }
  st.Reset();
  return events;
}

}  // namespace nysol::store
