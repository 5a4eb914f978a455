#include "followup/snapshot.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>

namespace nysol::followup {
namespace {

using nlohmann::json;

// Lower bound of a first-line registration's age band: the registration gives a band, not an age, and the
// follow-up bands (dimensions.h) are the same as the first line's, so the lower bound maps back to its band.
uint8_t AgeOfBand(std::string_view band) {
  if (band == "unknown" || band.empty()) return kAgeUnknown;
  int lower = 0;
  std::from_chars(band.data(), band.data() + band.size(), lower);
  return static_cast<uint8_t>(lower);
}

uint8_t GenderCode(std::string_view text) {
  if (text == "female") return kFemale;
  if (text == "male") return kMale;
  return kGenderUnknown;
}

std::string_view Str(const json& p, const char* key) {
  auto it = p.find(key);
  if (it == p.end() || !it->is_string()) return {};
  return it->get_ref<const std::string&>();
}

int64_t Int(const json& p, const char* key, int64_t otherwise = 0) {
  auto it = p.find(key);
  if (it == p.end() || !it->is_number_integer()) return otherwise;
  return it->get<int64_t>();
}

}  // namespace

int32_t DayNumber(std::string_view iso) {
  if (iso.size() < 10) return kNoDay;
  int y = 0, m = 0, d = 0;
  auto num = [&](size_t at, size_t len, int& out) {
    auto [ptr, ec] = std::from_chars(iso.data() + at, iso.data() + at + len, out);
    return ec == std::errc() && ptr == iso.data() + at + len;
  };
  if (!num(0, 4, y) || iso[4] != '-' || !num(5, 2, m) || iso[7] != '-' || !num(8, 2, d)) return kNoDay;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return kNoDay;
  return static_cast<int32_t>(std::chrono::sys_days(ymd).time_since_epoch().count());
}

std::string DayText(int32_t day) {
  std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(day))};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

uint16_t Dictionary::Id(std::string_view text) {
  auto it = ids_.find(std::string(text));
  if (it != ids_.end()) return it->second;
  auto id = static_cast<uint16_t>(texts_.size());
  texts_.emplace_back(text);
  ids_.emplace(texts_.back(), id);
  return id;
}

Snapshot::Snapshot(int64_t page_rows) : page_rows_(std::max<int64_t>(1, page_rows)) { Reset(); }

void Snapshot::Reset() {
  facts_ = Facts{};
  matters_ = Matters{};
  units_ = Dictionary{};
  codes_ = Dictionary{};
  codes_.Id("");  // code 0: none
  persons_.clear();
  matter_states_.clear();
  decision_facts_.clear();
  last_seq_ = 0;
  events_ = 0;
}

int32_t Snapshot::MatterIndex(int64_t matter_id) const {
  auto it = matter_states_.find(matter_id);
  return it == matter_states_.end() ? -1 : it->second.index;
}

Status Snapshot::CatchUp(store::Db& db) {
  // A gallring run (16 kap. SoL) deletes a person's events and appends records_removed. When one shows up
  // among the new events, what was read before may hold removed people, so the snapshot starts over.
  if (ReadAfter(db, last_seq_, /*stop_at_removal=*/true)) {
    Reset();
    ReadAfter(db, 0, /*stop_at_removal=*/false);
  }
  return Status::Ok();
}

void Snapshot::Replicate(int copies) {
  if (copies <= 1) return;
  const size_t n_facts = facts_.size(), n_matters = matters_.size(), n_units = units_.size();
  uint32_t person_span = 1;
  for (uint32_t person : facts_.person) person_span = std::max(person_span, person + 1);
  // Appends the first n values of each column to itself copies - 1 times; reserved first, so that no
  // reallocation happens under column[i].
  auto repeat = [copies](size_t n, auto&... columns) {
    auto one = [&](auto& column) {
      column.reserve(n * static_cast<size_t>(copies));
      for (int k = 1; k < copies; ++k) {
        for (size_t i = 0; i < n; ++i) column.push_back(column[i]);
      }
    };
    (one(columns), ...);
  };
  repeat(n_facts, facts_.day, facts_.kind, facts_.gender, facts_.age, facts_.code, facts_.channel,
         facts_.lead, facts_.end_day, facts_.flags, facts_.count);
  repeat(n_matters, matters_.opened, matters_.closed, matters_.decided, matters_.transferred, matters_.gender,
         matters_.age, matters_.child);
  // Units and persons differ per copy.
  facts_.unit.reserve(n_facts * static_cast<size_t>(copies));
  facts_.person.reserve(n_facts * static_cast<size_t>(copies));
  matters_.unit.reserve(n_matters * static_cast<size_t>(copies));
  matters_.unit_before.reserve(n_matters * static_cast<size_t>(copies));
  for (int k = 2; k <= copies; ++k) {
    std::vector<uint16_t> unit_of(n_units);
    for (size_t u = 0; u < n_units; ++u) {
      unit_of[u] = units_.Id(units_.Text(static_cast<uint16_t>(u)) + "~" + std::to_string(k));
    }
    const uint32_t shift = person_span * static_cast<uint32_t>(k - 1);
    for (size_t f = 0; f < n_facts; ++f) {
      facts_.unit.push_back(unit_of[facts_.unit[f]]);
      facts_.person.push_back(facts_.person[f] == 0 ? 0 : facts_.person[f] + shift);
    }
    for (size_t m = 0; m < n_matters; ++m) {
      matters_.unit.push_back(unit_of[matters_.unit[m]]);
      matters_.unit_before.push_back(unit_of[matters_.unit_before[m]]);
    }
  }
  events_ *= copies;
}

bool Snapshot::ReadAfter(store::Db& db, int64_t seq, bool stop_at_removal) {
  // Only the kinds Apply reads; the payload of the others is never parsed. In pages of `page_rows_` by seq:
  // PostgreSQL's connection holds a result whole, and the whole journal of a large municipality in one result
  // was 500 MB at start-up.
  auto& st = db.Prepare(
      "SELECT seq, kind, occurred_at, unit, matter_id, person_id, payload FROM journal WHERE seq > ?1 AND "
      "kind IN "
      "('person_registered', 'matter_opened', 'report_received', 'application_received', "
      "'first_line_participation', 'preliminary_extended', 'preliminary_decided', 'investigation_started', "
      "'investigation_extended', 'investigation_completed', 'decision_made', 'intervention_started', "
      "'matter_transferred', 'matter_closed', 'records_removed') ORDER BY seq LIMIT ?2");
  for (int64_t after = seq;;) {
    st.Bind(1, after).Bind(2, page_rows_);
    int64_t rows = 0;
    while (st.Step()) {
      ++rows;
      after = st.Int(0);
      std::string kind = st.Text(1);
      if (kind == "records_removed" && stop_at_removal && events_ > 0) {
        st.Reset();
        return true;
      }
      std::string occurred = st.Text(2), unit = st.Text(3), payload = st.Text(6);
      Apply(after, kind, occurred, unit, st.IsNull(4) ? 0 : st.Int(4), st.IsNull(5) ? 0 : st.Int(5), payload);
    }
    st.Reset();
    if (rows < page_rows_) return false;
  }
}

uint8_t Snapshot::GenderOf(int64_t person_id) const {
  auto it = persons_.find(person_id);
  return it == persons_.end() ? static_cast<uint8_t>(kGenderUnknown) : it->second.gender;
}

std::optional<int> Snapshot::BirthYear(int64_t person_id) const {
  auto it = persons_.find(person_id);
  if (it == persons_.end() || it->second.birth_day == kNoDay) return std::nullopt;
  return static_cast<int>(
      std::chrono::year_month_day{std::chrono::sys_days(std::chrono::days(it->second.birth_day))}.year());
}

uint8_t Snapshot::AgeOf(int64_t person_id, int32_t day) const {
  auto it = persons_.find(person_id);
  if (it == persons_.end() || it->second.birth_day == kNoDay || day < it->second.birth_day)
    return kAgeUnknown;
  std::chrono::year_month_day birth{std::chrono::sys_days(std::chrono::days(it->second.birth_day))};
  std::chrono::year_month_day on{std::chrono::sys_days(std::chrono::days(day))};
  int years = static_cast<int>(on.year()) - static_cast<int>(birth.year());
  if (on.month() < birth.month() || (on.month() == birth.month() && on.day() < birth.day())) --years;
  return static_cast<uint8_t>(std::min(years, 254));
}

size_t Snapshot::AddFact(FactKind kind, int32_t day, std::string_view unit, int64_t person_id) {
  facts_.day.push_back(day);
  facts_.kind.push_back(kind);
  facts_.unit.push_back(units_.Id(unit));
  facts_.gender.push_back(GenderOf(person_id));
  facts_.age.push_back(AgeOf(person_id, day));
  facts_.code.push_back(0);
  facts_.channel.push_back(0);
  facts_.lead.push_back(-1);
  facts_.end_day.push_back(kNoDay);
  facts_.flags.push_back(0);
  facts_.person.push_back(static_cast<uint32_t>(person_id));
  facts_.count.push_back(1);
  return facts_.size() - 1;
}

void Snapshot::Apply(int64_t seq, std::string_view kind, std::string_view occurred_at, std::string_view unit,
                     int64_t matter_id, int64_t person_id, std::string_view payload_text) {
  last_seq_ = seq;
  ++events_;
  json p = json::parse(payload_text, nullptr, /*allow_exceptions=*/false);
  if (p.is_discarded()) return;  // the store wrote it from a json object; cannot happen short of corruption
  MatterState* matter = nullptr;
  if (matter_id != 0) {
    auto it = matter_states_.find(matter_id);
    if (it != matter_states_.end()) matter = &it->second;
  }
  auto matter_fact = [&](FactKind fact_kind, int32_t day) {
    size_t f = AddFact(fact_kind, day, unit, matter ? matter->person_id : person_id);
    if (matter && matters_.child[matter->index]) facts_.flags[f] |= kChildMatter;
    return f;
  };

  if (kind == "person_registered") {
    Person& person = persons_[person_id];
    person.gender = GenderCode(Str(p, "sex"));
    person.birth_day = DayNumber(Str(p, "birth_date"));
    if (person.birth_day == kNoDay && Int(p, "birth_year") > 0) {
      person.birth_day = DayNumber(std::to_string(Int(p, "birth_year")) + "-07-01");
    }
  } else if (kind == "matter_opened") {
    MatterState& state = matter_states_[matter_id];
    state.index = static_cast<int32_t>(matters_.size());
    state.person_id = person_id;
    int32_t opened = DayNumber(Str(p, "received_on"));
    matters_.opened.push_back(opened);
    matters_.closed.push_back(kNoDay);
    matters_.decided.push_back(kNoDay);
    matters_.unit.push_back(units_.Id(unit));
    matters_.unit_before.push_back(units_.Id(unit));
    matters_.transferred.push_back(kNoDay);
    matters_.gender.push_back(GenderOf(person_id));
    matters_.age.push_back(AgeOf(person_id, opened));
    matters_.child.push_back(Str(p, "kind") == "child");
  } else if (kind == "report_received") {
    size_t f = matter_fact(FactKind::kReport, DayNumber(Str(p, "received_at")));
    facts_.code[f] = codes_.Id(Str(p, "reporter_category"));
    facts_.channel[f] = codes_.Id(Str(p, "channel"));
    Person& person = persons_[person_id];
    facts_.end_day[f] = person.last_report;  // repeat reports within 12 months
    person.last_report = facts_.day[f];
  } else if (kind == "application_received") {
    size_t f = matter_fact(FactKind::kApplication, DayNumber(Str(p, "received_at")));
    facts_.channel[f] = codes_.Id(Str(p, "channel"));
  } else if (kind == "first_line_participation") {
    size_t f = AddFact(FactKind::kFirstLine, DayNumber(Str(p, "date")), unit, person_id);
    facts_.code[f] = codes_.Id(Str(p, "item_code"));
    if (Str(p, "mode") == "non_identifying") {
      facts_.gender[f] = GenderCode(Str(p, "gender"));
      facts_.age[f] = AgeOfBand(Str(p, "age_band"));
      facts_.count[f] = static_cast<uint32_t>(std::max<int64_t>(1, Int(p, "count", 1)));
    } else if (Int(p, "age", -1) >= 0) {
      facts_.age[f] = static_cast<uint8_t>(std::min<int64_t>(Int(p, "age"), 254));
    }
  } else if (!matter) {
    return;  // every other counted event belongs to a matter opened earlier
  } else if (kind == "preliminary_extended") {
    matter->preliminary_extended = true;
  } else if (kind == "preliminary_decided") {
    int32_t day = DayNumber(Str(p, "decided_on"));
    size_t f = matter_fact(FactKind::kPreliminaryDecided, day);
    facts_.code[f] = codes_.Id(Str(p, "decision"));
    facts_.lead[f] = day - matters_.opened[matter->index];
    auto within = p.find("within_time");
    if (within != p.end() && within->is_boolean() && within->get<bool>()) facts_.flags[f] |= kWithinTime;
    if (matter->preliminary_extended) facts_.flags[f] |= kExtended;
  } else if (kind == "investigation_started") {
    int32_t day = DayNumber(Str(p, "started_on"));
    matter->investigation_started = day;
    size_t f = matter_fact(FactKind::kInvestigationStarted, day);
    facts_.lead[f] = day - matters_.opened[matter->index];
  } else if (kind == "investigation_extended") {
    matter->investigation_extended = true;
  } else if (kind == "investigation_completed") {
    int32_t day = DayNumber(Str(p, "completed_on"));
    size_t f = matter_fact(FactKind::kInvestigationCompleted, day);
    if (matter->investigation_started != kNoDay) facts_.lead[f] = day - matter->investigation_started;
    auto within = p.find("within_time");
    if (within == p.end() || !within->is_boolean()) {
      facts_.flags[f] |= kTimeNotCounted;  // adults: no statutory limit on the investigation
    } else if (within->get<bool>()) {
      facts_.flags[f] |= kWithinTime;
    }
    if (matter->investigation_extended) facts_.flags[f] |= kExtended;
  } else if (kind == "decision_made") {
    int32_t day = DayNumber(Str(p, "decided_on"));
    size_t f = matter_fact(FactKind::kDecision, day);
    facts_.code[f] = codes_.Id(Str(p, "intervention"));
    facts_.channel[f] = codes_.Id(Str(p, "legal_basis"));
    facts_.lead[f] = day - matters_.opened[matter->index];
    std::string_view outcome = Str(p, "outcome"), basis = Str(p, "legal_basis");
    if (outcome == "granted" || outcome == "partly_refused") facts_.flags[f] |= kFavourable;
    // 34 kap. 1 § SoL: only decisions under 11 kap. 1 § and 12 kap. 1 § are reported when not carried out.
    if (basis == "sol-11-1" || basis == "sol-12-1") facts_.flags[f] |= kReportable;
    decision_facts_[Int(p, "decision_id")] = f;
    int32_t& decided = matters_.decided[static_cast<size_t>(matter->index)];
    decided = std::min(decided, day);
  } else if (kind == "intervention_started") {
    int32_t day = DayNumber(Str(p, "started_on"));
    size_t f = matter_fact(FactKind::kInterventionStarted, day);
    facts_.code[f] = codes_.Id(Str(p, "intervention"));
    auto decision = decision_facts_.find(Int(p, "decision_id"));
    if (decision != decision_facts_.end()) {
      facts_.lead[f] = day - facts_.day[decision->second];
      int32_t& carried_out = facts_.end_day[decision->second];
      carried_out = std::min(carried_out, day);
    }
  } else if (kind == "matter_transferred") {
    size_t i = static_cast<size_t>(matter->index);
    matters_.unit_before[i] = matters_.unit[i];
    matters_.unit[i] = units_.Id(Str(p, "to_unit"));
    matters_.transferred[i] = DayNumber(occurred_at);
  } else if (kind == "matter_closed") {
    matters_.closed[static_cast<size_t>(matter->index)] = DayNumber(Str(p, "closed_on"));
  }
}

}  // namespace nysol::followup
