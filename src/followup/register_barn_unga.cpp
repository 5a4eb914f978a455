#include "followup/register_barn_unga.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "store/case_store.h"

namespace nysol::followup {
namespace {

// Placements outside the child's home that the register covers (HSLF-FS 2016:22).
const std::set<std::string, std::less<>> kPlacements = {"familjehem", "jourhem", "hvb", "stodboende"};
constexpr int kYoungPersonAgeLimit = 21;  // barn och unga: under 21 (11 kap. 5 § 5, 20 kap. 1–2 §§ SoL)

std::string Text(const nlohmann::json& p, const char* key) {
  auto it = p.find(key);
  return it != p.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::vector<PlacementRecord> PlacementsInYear(store::Db& db, int year) {
  struct Person {
    std::string identity, sex, birth_date;
  };
  struct Decision {
    std::string decided_on, legal_basis;
  };
  std::map<int64_t, Person> persons;
  std::map<int64_t, Decision> decisions;
  std::map<int64_t, PlacementRecord> placements;  // by intervention id
  store::ForEachEvent(db, [&](const Event& e) {
    const auto& p = e.payload;
    if (e.kind == "person_registered" && e.person_id) {
      Person& person = persons[*e.person_id];
      std::string kind = Text(p, "identity_kind");
      person.identity = kind == "personnummer" || kind == "samordningsnummer"
                            ? Text(p, "identity_number")
                            : fmt::format("T{}", *e.person_id);
      std::string sex = Text(p, "sex");
      char code = sex == "male" ? '1' : sex == "female" ? '2' : '\0';  // SCB: 1 man, 2 kvinna
      person.sex = code ? std::string(1, code) : std::string();
      person.birth_date = Text(p, "birth_date");
      if (person.birth_date.empty() && p.contains("birth_year") && p["birth_year"].is_number_integer()) {
        person.birth_date = fmt::format("{}-07-01", p["birth_year"].get<int>());
      }
    } else if (e.kind == "decision_made") {
      decisions[p.value("decision_id", int64_t{0})] = {Text(p, "decided_on"), Text(p, "legal_basis")};
    } else if (e.kind == "intervention_started" && kPlacements.count(Text(p, "intervention")) &&
               e.person_id) {
      PlacementRecord record;
      record.person_id = *e.person_id;
      record.intervention = Text(p, "intervention");
      record.started_on = Text(p, "started_on");
      const Decision& decision = decisions[p.value("decision_id", int64_t{0})];
      record.decided_on = decision.decided_on;
      record.legal_basis = decision.legal_basis;
      placements[p.value("intervention_id", int64_t{0})] = record;
    } else if (e.kind == "intervention_ended") {
      auto it = placements.find(p.value("intervention_id", int64_t{0}));
      if (it != placements.end()) {
        it->second.ended_on = Text(p, "ended_on");
        it->second.end_reason = Text(p, "reason");
      }
    }
  });

  const std::string first = fmt::format("{:04}-01-01", year), last = fmt::format("{:04}-12-31", year);
  std::vector<PlacementRecord> records;
  for (auto& [id, record] : placements) {
    // ISO dates compare as text.
    if (record.started_on > last || (!record.ended_on.empty() && record.ended_on < first)) continue;
    const Person& person = persons[record.person_id];
    if (person.birth_date.size() < 10) continue;  // no age: cannot tell whether the register covers them
    auto birth = ParseDate(person.birth_date), start = ParseDate(record.started_on);
    if (!birth.ok() || !start.ok() || AgeOn(*birth, *start) >= kYoungPersonAgeLimit) continue;
    record.identity = person.identity;
    record.sex = person.sex;
    records.push_back(std::move(record));
  }
  std::sort(records.begin(), records.end(), [](const PlacementRecord& a, const PlacementRecord& b) {
    return std::tie(a.identity, a.started_on) < std::tie(b.identity, b.started_on);
  });
  return records;
}

std::string PlacementFile(const std::vector<PlacementRecord>& records, const std::string& municipality_code,
                          int year) {
  std::string out =
      "kommun;statistikar;id;kon;insats;lagrum;beslutsdatum;placeringsdatum;slutdatum;avslutsorsak\r\n";
  for (const auto& r : records) {
    // Identity numbers, codes and ISO dates hold no ';' or line break; the end reason is free text, so those
    // become spaces. An empty last field leaves a ';' at the end, which Filip allows for optional fields.
    std::string reason = r.end_reason;
    std::replace_if(
        reason.begin(), reason.end(), [](char c) { return c == ';' || c == '\r' || c == '\n'; }, ' ');
    out += fmt::format("{};{};{};{};{};{};{};{};{};{}\r\n", municipality_code, year, r.identity, r.sex,
                       r.intervention, r.legal_basis, r.decided_on, r.started_on, r.ended_on, reason);
  }
  return out;
}

}  // namespace nysol::followup
