// The decision letter (beslutsbrev): a printable page with the decision, its reasons and legal basis, and the
// appeal instructions with the last day computed from the rulebook when the person has received the decision.
// Print to PDF from the browser; the page's print style leaves the navigation out.
#include <fmt/format.h>

#include "web/api_json.h"
#include "web/pages/case_view.h"
#include "web/pages/page_routes.h"
#include "web/pages/render.h"

namespace nysol::web::pages {
namespace {

using access::Permission;
using nlohmann::json;

Handler Letter(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto matter_id = PositiveId(ctx.params.at("id"), "matter id");
    if (!matter_id.ok()) return ErrorPage(ctx.request, matter_id.status());
    auto decision_id = PositiveId(ctx.params.at("decision_id"), "decision id");
    if (!decision_id.ok()) return ErrorPage(ctx.request, decision_id.status());
    auto matter = services.store.LoadMatter(*matter_id);
    if (!matter.ok()) return ErrorPage(ctx.request, matter.status());
    auto reach = ctx.ReachUnit(matter->unit);
    if (!reach.allowed) {
      return ErrorPage(ctx.request, OutsideUnit(ctx, fmt::format("matter {}", matter->id), matter->unit));
    }
    json m = MatterJson(*matter, services, *ctx.principal);
    const json* decision = nullptr;
    for (const auto& d : m["decisions"]) {
      if (d["id"] == *decision_id) decision = &d;
    }
    if (!decision) {
      return ErrorPage(ctx.request, Error(ErrorCode::kNotFound, fmt::format("matter {} has no decision {}",
                                                                            *matter_id, *decision_id)));
    }
    ctx.Read(matter->person_id, matter->id, reach.outside_unit, m["person"]["protected_identity"].get<bool>());
    const json& d = *decision;
    auto appeal = services.rulebook.Period("appeal", Today(services));
    json view = {{"matter_id", matter->id},
                 {"decision_id", *decision_id},
                 {"person", m["person"]},
                 {"outcome", CodeNameSv(services, "decision_outcome", d["outcome"].get<std::string>())},
                 {"intervention", CodeNameSv(services, "intervention", d["intervention"].get<std::string>())},
                 {"legal_basis", CodeNameSv(services, "legal_basis", d["legal_basis"].get<std::string>())},
                 {"decided_on", d["decided_on"]},
                 {"decided_by", d["decided_by"]},
                 {"reasons", d["reasons"]},
                 {"appealable", d.value("appealable", false)},
                 {"served_on", d.value("served_on", json())},
                 {"appeal_due", d.value("appeal_due", json())},
                 {"appeal_weeks", appeal.ok() ? json(appeal->amount) : json(3)},
                 {"appeal_law", appeal.ok() ? json(appeal->law_ref) : json()},
                 {"back", fmt::format("/matters/{}", matter->id)}};
    return Page(ctx, 200, fmt::format("Beslut {}", *decision_id), "letter", view);
  };
}

}  // namespace

void RegisterLetterPage(Router& router, const AppServices& services) {
  router.Add(PageRoute("GET", "/matters/{id}/decisions/{decision_id}/letter",
                       "The decision letter with appeal instructions, for printing", Permission::kReadCases, true,
                       Letter(services)));
}

}  // namespace nysol::web::pages
