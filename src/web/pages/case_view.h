// What the case pages share: clocks in words and colour, code names in Swedish, queue rows sorted by risk,
// the matter's drafts.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/matter.h"
#include "store/case_store.h"
#include "web/pipeline.h"

namespace nysol::web::pages {

// Today in Stockholm.
Date Today(const AppServices& services);
// The Swedish name of `code` in the rulebook's list `list` on `on`, or the code itself.
std::string CodeNameSv(const AppServices& services, std::string_view list, std::string_view code);
// A clock from ClocksJson as the pages show it: {name_sv, law_ref, due, text, tone}; tone is one of overdue,
// today, soon (3 days or fewer), running, done.
nlohmann::json ClockView(const nlohmann::json& clock);
// Queue rows for `matters`, most at risk first: overdue, then due soonest; matters without a running clock last.
// Logs a read of each matter on `ctx`.
nlohmann::json QueueRows(RequestContext& ctx, const AppServices& services,
                         const std::vector<store::MatterSummary>& matters);
// Reports as the API gives them (ReportJson) as the pages list them: when, who reported, the outcome, the matter.
nlohmann::json ReportRowsSv(const AppServices& services, const nlohmann::json& reports);
// "2026-11-23T10:15:00" or "2026-11-23T09:15:00Z" → "2026-11-23 10:15" (the journal's own time, as recorded).
std::string ShortTime(std::string_view iso);

}  // namespace nysol::web::pages
