#include "synth/first_line.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "core/clock.h"
#include "core/committee_commands.h"
#include "core/first_line_commands.h"
#include "core/identity_number.h"

namespace nysol::synth {
namespace {

using nlohmann::json;

struct Opened {
  const char* item;
  bool identity_exempt;
  std::optional<int> age_min;
};

// What a typical committee opens for its first line (all run by forsta-linjen in config/catalog.json).
constexpr Opened kOpened[] = {
    {"familjerad-forsta-linjen", false, std::nullopt}, {"ungdomsmottagning-samtal", false, std::nullopt},
    {"foraldraskapsstod-abc", false, std::nullopt},    {"alkohol-radgivning", false, 18},
    {"anhorigstod-beroende", false, 18},               {"stodsamtal-vald", true, 18},
};

const char* const kAgeBands[] = {"13-17", "18-29", "30-49", "50-64", "65-79"};
const char* const kGenders[] = {"female", "male"};

}  // namespace

FirstLineStats GenerateFirstLine(store::CaseStore& store, const Rulebook& rulebook, const Catalog& catalog,
                                 const MunicipalityOptions& options) {
  FirstLineStats stats;
  std::mt19937_64 rng(options.seed * 7919 + 11);
  auto between = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  // A year back, but not before the new law (and the catalog's items) came into force.
  Date start = std::max(AddDays(options.end, -365), *ParseDate("2025-07-01"));
  if (start >= options.end) return stats;

  auto run = [&](const char* actor, const char* unit, Date day, int hour,
                 const std::function<Result<Events>(CommandContext&)>& command) -> std::optional<Events> {
    LocalDateTime now{day, hour, between(0, 59), 0};
    auto events = store.Write([&](CaseView& view) {
      CommandContext ctx{rulebook, view, actor, unit, now, FormatUtc(FromStockholm(now))};
      return command(ctx);
    });
    if (!events.ok()) {
      if (++stats.refused <= 5) fmt::print(stderr, "demo: first line refused: {}\n", events.status().message());
      return std::nullopt;
    }
    return *events;
  };

  std::vector<std::pair<int64_t, const Opened*>> decisions;
  int paragraph = 100;
  for (const auto& opened : kOpened) {
    json input = {{"item_code", opened.item},
                  {"decided_on", FormatDate(start)},
                  {"minutes_paragraph", fmt::format("§ {}", paragraph++)},
                  {"dnr", fmt::format("SN {}/{}", static_cast<int>(start.year()), 200 + paragraph)},
                  {"valid_from", FormatDate(start)},
                  {"target_group", "Se insatskatalogen"}};
    if (opened.age_min) input["age_min"] = *opened.age_min;
    if (opened.identity_exempt) {
      input["identity_exempt"] = true;
      input["identity_exempt_reasons"] = "Våldsutsatta avstår från stöd om de måste uppge vem de är.";
    }
    auto events = run("namnd", "socialnamnden", start, 18, [&](CommandContext& ctx) {
      return RecordCommitteeDecision(catalog, input, ctx);
    });
    if (!events) continue;
    ++stats.committee_decisions;
    decisions.emplace_back(events->front().payload["decision_id"].get<int64_t>(), &opened);
  }
  if (decisions.empty()) return stats;

  double per_day = options.persons * 0.05 / 250.0;  // about five per hundred persons a year, on working days
  std::poisson_distribution<int> count_today(per_day);
  for (Date day = AddDays(start, 1); day <= options.end; day = AddDays(day, 1)) {
    unsigned weekday = std::chrono::weekday(std::chrono::sys_days(day)).c_encoding();
    if (weekday == 0 || weekday == 6) continue;
    for (int n = count_today(rng); n > 0; --n) {
      const auto& [decision_id, opened] = decisions[static_cast<size_t>(between(0, static_cast<int>(decisions.size()) - 1))];
      json input = {{"decision_id", decision_id},
                    {"date", FormatDate(day)},
                    {"informed_about_application", between(0, 19) != 0}};  // now and then forgotten, and so recorded
      if (opened->identity_exempt || between(0, 9) < 3) {
        input["mode"] = "non_identifying";
        input["basis"] = opened->identity_exempt ? "identity_exempt" : "advice";
        input["count"] = between(0, 4) == 0 ? between(2, 8) : 1;
        input["age_band"] = kAgeBands[between(opened->age_min ? 1 : 0, 4)];
        input["gender"] = kGenders[between(0, 1)];
      } else {
        // An adult with a synthetic number (birth numbers 980–999): first-line help is mostly for adults here.
        int year = static_cast<int>(day.year()) - between(opened->age_min.value_or(18) + 1, 70);  // never under 18
        std::string nine = fmt::format("{:02}{:02}{:02}{:03}", year % 100, between(1, 12), between(1, 28),
                                       980 + between(0, 19));
        input["mode"] = "identified";
        input["person"] = {{"identity_number", fmt::format("{:02}{}{}", year / 100, nine, LuhnCheckDigit(nine))}};
      }
      if (run("forstalinjen", "forsta-linjen", day, between(8, 19), [&](CommandContext& ctx) {
            return RegisterFirstLineParticipation(catalog, input, ctx);
          })) {
        ++stats.registrations;
      }
    }
  }
  return stats;
}

}  // namespace nysol::synth
