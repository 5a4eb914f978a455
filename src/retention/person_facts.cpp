#include "retention/person_facts.h"

#include <fmt/format.h>

#include <map>
#include <string>

#include "core/clock.h"

namespace nysol::retention {
namespace {

std::optional<Date> OptDate(const store::Statement& st, int col) {
  auto text = st.OptText(col);
  if (!text) return std::nullopt;
  auto date = ParseDate(*text);
  if (!date.ok()) throw store::StoreError(fmt::format("stored date '{}' is not a date", *text));
  return *date;
}

}  // namespace

std::optional<Date> StockholmDayOfUtc(std::string_view utc) {
  if (utc.empty() || utc.back() != 'Z') return std::nullopt;
  auto wall = ParseLocalDateTime(utc.substr(0, utc.size() - 1));
  if (!wall.ok()) return std::nullopt;
  auto instant = std::chrono::system_clock::time_point{std::chrono::sys_days{wall->date}} +
                 std::chrono::hours{wall->hour} + std::chrono::minutes{wall->minute} +
                 std::chrono::seconds{wall->second};
  return ToStockholm(instant).date;
}

std::vector<PersonFacts> LoadAllPersonFacts(store::Db& db) {
  std::vector<PersonFacts> persons;
  std::map<int64_t, size_t> index;
  auto& people = db.Prepare("SELECT id, birth_date, birth_year FROM persons ORDER BY id");
  while (people.Step()) {
    PersonFacts p;
    p.person_id = people.Int(0);
    p.birth_date = OptDate(people, 1);
    if (auto year = people.OptInt(2)) p.birth_year = static_cast<int>(*year);
    index.emplace(p.person_id, persons.size());
    persons.push_back(std::move(p));
  }

  // 16 kap. 1 § SoL counts from when the last entry was made: the time it was written (recorded_at, UTC), as
  // a Stockholm day. ISO times in UTC sort as text, so max() is the latest.
  auto& entries = db.Prepare(
      "SELECT person_id, max(recorded_at) FROM journal WHERE person_id IS NOT NULL GROUP BY person_id");
  while (entries.Step()) {
    auto it = index.find(entries.Int(0));
    if (it == index.end()) continue;  // a removed person's records_removed event
    auto day = StockholmDayOfUtc(entries.Text(1));
    if (!day)
      throw store::StoreError(fmt::format("stored journal time '{}' is not a UTC time", entries.Text(1)));
    persons[it->second].last_entry = *day;
  }

  std::map<int64_t, int64_t> matter_owner;
  auto& matters = db.Prepare(
      "SELECT id, person_id, kind, phase, closed_on, investigation_started_on FROM matters ORDER BY id");
  while (matters.Step()) {
    auto it = index.find(matters.Int(1));
    if (it == index.end()) throw store::StoreError(fmt::format("matter {} has no person", matters.Int(0)));
    MatterFacts m;
    m.id = matters.Int(0);
    if (!ParseMatterKind(matters.Text(2), &m.kind)) throw store::StoreError("stored matter kind is unknown");
    m.open = matters.Text(3) != "closed";
    m.closed_on = OptDate(matters, 4);
    m.investigation_started_on = OptDate(matters, 5);
    matter_owner.emplace(m.id, it->second);
    persons[it->second].matters.push_back(std::move(m));
  }

  auto& interventions =
      db.Prepare("SELECT id, matter_id, intervention, started_on, ended_on FROM interventions ORDER BY id");
  while (interventions.Step()) {
    auto owner = matter_owner.find(interventions.Int(1));
    if (owner == matter_owner.end()) {
      throw store::StoreError(fmt::format("intervention {} has no matter", interventions.Int(0)));
    }
    InterventionFacts i;
    i.id = interventions.Int(0);
    i.matter_id = interventions.Int(1);
    i.code = interventions.Text(2);
    auto started = OptDate(interventions, 3);
    if (!started) throw store::StoreError(fmt::format("intervention {} has no start date", i.id));
    i.started_on = *started;
    i.ended_on = OptDate(interventions, 4);
    persons[owner->second].interventions.push_back(std::move(i));
  }
  db.ResetStatements();
  return persons;
}

}  // namespace nysol::retention
