#include "web/pages/case_view.h"

#include <algorithm>
#include <climits>
#include <map>

#include "store/matter_batch.h"
#include "web/api_json.h"
#include "web/pages/swedish.h"

namespace nysol::web::pages {

using nlohmann::json;

Date Today(const AppServices& services) { return ToStockholm(services.clock.Now()).date; }

std::string CodeNameSv(const AppServices& services, std::string_view list, std::string_view code) {
  for (const auto& c : services.rulebook.Codes(list, Today(services))) {
    if (c.code == code) return c.name_sv;
  }
  return std::string(code);
}

json ClockView(const json& clock) {
  std::string status = clock["status"].get<std::string>();
  int days_left = clock["days_left"].get<int>();
  std::string tone = "done";
  if (status == "overdue" || status == "late") {
    tone = "overdue";
  } else if (status == "running") {
    tone = days_left == 0 ? "today" : days_left <= 3 ? "soon" : "running";
  }
  return {{"name_sv", clock["name_sv"]},
          {"law_ref", clock["law_ref"]},
          {"due", clock["due"]},
          {"started_on", clock["started_on"]},
          {"text", ClockTextSv(status, days_left, clock["extended"].get<bool>())},
          {"tone", tone}};
}

std::string ShortTime(std::string_view iso) {
  std::string text(iso.substr(0, 16));
  if (text.size() > 10 && text[10] == 'T') text[10] = ' ';
  if (iso.size() > 16 && iso.back() == 'Z') text += " UTC";
  return text;
}

json ReportRowsSv(const AppServices& services, const json& reports) {
  json rows = json::array();
  for (const auto& r : reports) {
    rows.push_back({{"received_at", ShortTime(r["received_at"].get<std::string>())},
                    {"category", CodeNameSv(services, "reporter_category", r["reporter_category"].get<std::string>())},
                    {"outcome", DispositionSv(r["outcome"].get<std::string>())},
                    {"matter_id", r["matter_id"]}});
  }
  return rows;
}

json QueueRows(RequestContext& ctx, const AppServices& services, const std::vector<store::MatterSummary>& matters) {
  struct Row {
    int risk;
    int64_t id;
    json view;
  };
  std::vector<Row> rows;
  // The shown matters and their persons in a few statements for the whole queue, not six per row.
  std::vector<int64_t> matter_ids, person_ids;
  for (const auto& summary : matters) {
    matter_ids.push_back(summary.id);
    person_ids.push_back(summary.person_id);
  }
  std::vector<MatterState> states;
  std::map<int64_t, store::PersonRow> persons;
  services.store.Read([&](store::Db& db) {
    states = store::LoadMatterStates(db, matter_ids);
    persons = store::LoadPersons(db, person_ids);
  });
  std::map<int64_t, const MatterState*> state_of;
  for (const auto& state : states) state_of.emplace(state.id, &state);
  for (const auto& summary : matters) {
    auto found = state_of.find(summary.id);
    if (found == state_of.end()) continue;
    const MatterState* matter = found->second;
    ctx.Read(summary.person_id, summary.id, false, summary.person_protected);
    json clocks = ClocksJson(*matter, services);
    int risk = INT_MAX;
    json urgent = nullptr;
    for (const auto& clock : clocks) {
      std::string status = clock["status"].get<std::string>();
      if (status != "running" && status != "overdue") continue;
      // The appeal period runs for the individual, not for the unit: it says nothing of the unit's backlog.
      if (clock["rule"] == "appeal") continue;
      // Clocks come most urgent first; the first running one sets the matter's place in the queue.
      risk = clock["days_left"].get<int>();
      urgent = ClockView(clock);
      break;
    }
    auto found_person = persons.find(summary.person_id);
    const store::PersonRow* person = found_person == persons.end() ? nullptr : &found_person->second;
    json who = person && person->name ? json(*person->name) : json("Namn saknas");
    auto steps = NextSteps(*matter);
    rows.push_back({risk, summary.id,
                    {{"id", summary.id},
                     {"kind", summary.kind == "child" ? "Barn" : "Vuxen"},
                     {"person", who},
                     {"identity_number", person && person->identity_number ? json(*person->identity_number) : json("")},
                     {"protected", summary.person_protected},
                     {"phase", PhaseSv(summary.phase)},
                     {"received_on", summary.received_on},
                     {"assigned_to", summary.assigned_to ? json(*summary.assigned_to) : json()},
                     {"clock", urgent},
                     {"next_step", steps.empty() ? json() : json(StepSv(steps.front()))}}});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.risk != b.risk ? a.risk < b.risk : a.id < b.id;
  });
  json out = json::array();
  for (auto& row : rows) out.push_back(std::move(row.view));
  return out;
}

}  // namespace nysol::web::pages
