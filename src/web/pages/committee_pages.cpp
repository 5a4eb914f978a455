// The committee's decisions on interventions without individual needs assessment (11 kap. 5 § SoL): the list
// with its history, printable for the minutes, and for the committee the form that records a new decision.
#include <fmt/format.h>

#include "core/committee_commands.h"
#include "web/api_error.h"
#include "web/api_json.h"
#include "web/pages/case_view.h"
#include "web/pages/page_routes.h"
#include "web/pages/render.h"
#include "web/url.h"

namespace nysol::web::pages {
namespace {

using access::Permission;
using nlohmann::json;
using Form = std::multimap<std::string, std::string>;

HttpResponse DecisionsPage(RequestContext& ctx, const AppServices& services, int status, const Form* posted,
                           json error) {
  Date today = Today(services);
  json rows = json::array();
  for (const auto& d : services.store.CommitteeDecisions()) {
    std::string validity = FormatDate(d.rule.valid_from) + " – " + (d.rule.valid_to ? FormatDate(*d.rule.valid_to) : "");
    rows.push_back({{"id", d.rule.id},
                    {"item", d.item_name_sv},
                    {"decided_on", d.decided_on},
                    {"paragraph", d.minutes_paragraph},
                    {"dnr", d.dnr},
                    {"validity", validity},
                    {"ended", d.rule.ended_from ? json(fmt::format("upphört {} (beslut {})", FormatDate(*d.rule.ended_from),
                                                                   d.ended_by.value_or(0)))
                                                : json()},
                    {"applies_today", d.rule.AppliesOn(today)},
                    {"ages", d.rule.age_min || d.rule.age_max
                                 ? json(fmt::format("{}–{} år", d.rule.age_min.value_or(0),
                                                    d.rule.age_max ? std::to_string(*d.rule.age_max) : ""))
                                 : json()},
                    {"identity_exempt", d.rule.identity_exempt}});
  }
  json items = json::array();
  for (const auto& item : services.catalog.items()) {
    if (item.assessment_required || services.catalog.Find(item.code, today) != &item) continue;
    items.push_back({{"value", item.code}, {"label", item.name_sv},
                     {"selected", posted && FormValue(*posted, "item_code") == item.code}});
  }
  auto value = [&](const char* key, std::string fallback = "") {
    return posted ? FormValue(*posted, key) : fallback;
  };
  json view = {{"decisions", rows},
               {"has_decisions", !rows.empty()},
               {"may_record", access::Allows(ctx.principal->role, Permission::kRecordCommitteeDecisions)},
               {"csrf", CsrfToken(ctx)},
               {"items", items},
               {"decided_on", value("decided_on", FormatDate(today))},
               {"valid_from", value("valid_from", FormatDate(today))},
               {"valid_to", value("valid_to")},
               {"paragraph", value("minutes_paragraph")},
               {"dnr", value("dnr")},
               {"target_group", value("target_group")},
               {"exempt", posted && !FormValue(*posted, "identity_exempt").empty()},
               {"reasons", value("identity_exempt_reasons")},
               {"error", std::move(error)},
               {"done", ctx.request.query.count("done") > 0}};
  return Page(ctx, status, "Nämndbeslut", "committee_decisions", view);
}

Handler ShowDecisions(const AppServices& services) {
  return [services](RequestContext& ctx) { return DecisionsPage(ctx, services, 200, nullptr, nullptr); };
}

Handler SubmitDecision(const AppServices& services) {
  return [services](RequestContext& ctx) {
    Form form;
    if (!ParseForm(ctx.request.body, &form)) {
      return ErrorPage(ctx.request, Error(ErrorCode::kInvalidInput, "the form cannot be read"));
    }
    json body = json::object();
    for (const char* key : {"item_code", "decided_on", "minutes_paragraph", "dnr", "valid_from", "valid_to",
                            "target_group", "identity_exempt_reasons"}) {
      if (!FormValue(form, key).empty()) body[key] = FormValue(form, key);
    }
    if (!FormValue(form, "identity_exempt").empty()) body["identity_exempt"] = true;
    auto events = services.store.Write([&](CaseView& view) {
      auto command = MakeCommandContext(services, *ctx.principal, view);
      return RecordCommitteeDecision(services.catalog, body, command);
    });
    if (!events.ok()) {
      return DecisionsPage(ctx, services, ErrorResponse(events.status()).status, &form,
                           ErrorView(events.status(), false));
    }
    return SeeOther("/committee/decisions?done=1");
  };
}

}  // namespace

void RegisterCommitteePages(Router& router, const AppServices& services) {
  router.Add(PageRoute("GET", "/committee/decisions",
                       "The committee's decisions on interventions without needs assessment, printable for the minutes",
                       Permission::kReadRules, false, ShowDecisions(services)));
  router.Add(PageRoute("POST", "/committee/decisions", "Record a committee decision from the form",
                       Permission::kRecordCommitteeDecisions, false, SubmitDecision(services)));
}

}  // namespace nysol::web::pages
