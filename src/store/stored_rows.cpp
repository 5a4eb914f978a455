#include "store/stored_rows.h"

#include <fmt/format.h>

namespace nysol::store {

std::optional<Date> OptDate(const Statement& st, int col) {
  auto text = st.OptText(col);
  if (!text) return std::nullopt;
  auto date = ParseDate(*text);
  if (!date.ok()) throw StoreError(fmt::format("stored date '{}' is not a date", *text));
  return *date;
}

Date ReqDate(const Statement& st, int col) {
  auto date = OptDate(st, col);
  if (!date) throw StoreError("a required stored date is NULL");
  return *date;
}

PersonRow ReadPerson(const Statement& st) {
  PersonRow p;
  p.id = st.Int(0);
  p.identity_number = st.OptText(1);
  p.identity_kind = st.Text(2);
  p.name = st.OptText(3);
  p.birth_date = st.OptText(4);
  p.birth_year = st.OptInt(5);
  p.sex = st.OptText(6);
  p.address = st.OptText(7);
  p.protected_identity = st.Int(8) != 0;
  return p;
}

Event ReadEvent(const Statement& st) {
  StoredEvent stored = ReadStoredEvent(st);
  stored.event.payload = nlohmann::json::parse(stored.payload);
  return std::move(stored.event);
}

StoredEvent ReadStoredEvent(const Statement& st) {
  StoredEvent stored;
  Event& e = stored.event;
  e.seq = st.Int(0);
  e.occurred_at = st.Text(1);
  e.recorded_at = st.Text(2);
  e.actor = st.Text(3);
  e.unit = st.Text(4);
  e.matter_id = st.OptInt(5);
  e.person_id = st.OptInt(6);
  e.kind = st.Text(7);
  stored.payload = st.Text(8);
  e.rulebook_version = st.Text(9);
  return stored;
}

}  // namespace nysol::store
