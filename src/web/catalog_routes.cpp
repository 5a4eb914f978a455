#include "web/catalog_routes.h"

#include <fmt/format.h>

#include "core/committee_commands.h"
#include "web/api_error.h"
#include "web/api_json.h"
#include "web/json_body.h"

namespace nysol::web {

using access::Permission;
using nlohmann::json;

json CommitteeDecisionJson(const store::CommitteeDecisionRow& d) {
  auto opt_date = [](const std::optional<Date>& date) { return date ? json(FormatDate(*date)) : json(); };
  auto opt = [](const auto& value) { return value ? json(*value) : json(); };
  return {{"id", d.rule.id},
          {"item_code", d.rule.item_code},
          {"item_name_sv", d.item_name_sv},
          {"catalog_version", d.catalog_version},
          {"decided_on", d.decided_on},
          {"minutes_paragraph", d.minutes_paragraph},
          {"dnr", d.dnr},
          {"valid_from", FormatDate(d.rule.valid_from)},
          {"valid_to", opt_date(d.rule.valid_to)},
          {"ended_from", opt_date(d.rule.ended_from)},
          {"ended_by", opt(d.ended_by)},
          {"target_group", opt(d.target_group)},
          {"age_min", opt(d.rule.age_min)},
          {"age_max", opt(d.rule.age_max)},
          {"max_sessions", opt(d.max_sessions)},
          {"conditions", opt(d.conditions)},
          {"identity_exempt", d.rule.identity_exempt},
          {"identity_exempt_reasons", opt(d.identity_exempt_reasons)},
          {"recorded_by", d.recorded_by}};
}

json CatalogEntries(const Catalog& catalog, const std::vector<store::CommitteeDecisionRow>& applying, Date on,
                    bool first_line_only) {
  json items = json::array();
  for (const auto& item : catalog.items()) {
    if (catalog.Find(item.code, on) != &item) continue;  // not in the catalog on that day
    const store::CommitteeDecisionRow* decision = nullptr;
    for (const auto& d : applying) {
      if (d.rule.item_code == item.code && d.rule.AppliesOn(on)) decision = &d;  // the latest applying one
    }
    std::string mode = item.assessment_required ? "assessment_required" : decision ? "first_line" : "individual";
    if (first_line_only && mode != "first_line") continue;
    json entry = item.fields;
    entry["mode"] = mode;
    entry["decision"] = decision && mode == "first_line" ? CommitteeDecisionJson(*decision) : json();
    items.push_back(entry);
  }
  return items;
}

namespace {

Handler CatalogHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto on = DateQuery(services, ctx.request);
    if (!on.ok()) return ErrorResponse(on.status());
    std::string mode = QueryValue(ctx.request, "mode").value_or("all");
    if (mode != "all" && mode != "first-line") {
      return ErrorResponse(Error(ErrorCode::kInvalidInput, "query 'mode' must be 'first-line' or 'all'"));
    }
    json items = CatalogEntries(services.catalog, services.store.CommitteeDecisions(*on), *on, mode == "first-line");
    return Json(200, {{"catalog_version", services.catalog.version()}, {"date", FormatDate(*on)}, {"mode", mode},
                      {"items", items}});
  };
}

Handler ListDecisionsHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    std::optional<Date> on;
    if (QueryValue(ctx.request, "date")) {
      auto parsed = DateQuery(services, ctx.request);
      if (!parsed.ok()) return ErrorResponse(parsed.status());
      on = *parsed;
    }
    json decisions = json::array();
    for (const auto& d : services.store.CommitteeDecisions(on)) decisions.push_back(CommitteeDecisionJson(d));
    return Json(200, {{"date", on ? json(FormatDate(*on)) : json()}, {"decisions", decisions}});
  };
}

Handler RecordDecisionHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto body = ParseJsonBody(ctx.request.body);
    if (!body.ok()) return ErrorResponse(body.status());
    // No personal data: the decision is about a service, so it is journaled but not access-logged.
    auto events = services.store.Write([&](CaseView& view) {
      auto command = MakeCommandContext(services, *ctx.principal, view);
      return RecordCommitteeDecision(services.catalog, *body, command);
    });
    if (!events.ok()) return ErrorResponse(events.status());
    int64_t id = events->front().payload["decision_id"].get<int64_t>();
    for (const auto& d : services.store.CommitteeDecisions()) {
      if (d.rule.id == id) return Json(201, {{"decision", CommitteeDecisionJson(d)}, {"events", EventRefs(*events)}});
    }
    return ErrorResponse(Error(ErrorCode::kInternal, "the decision cannot be read back"));
  };
}

}  // namespace

void RegisterCatalogRoutes(Router& router, const AppServices& services) {
  router.Add({"GET", "/api/v1/catalog", "The intervention catalog on a date, each item with its mode and decision",
              Permission::kReadRules, false, CatalogHandler(services)});
  router.Add({"GET", "/api/v1/committee-decisions",
              "The committee's decisions on interventions without needs assessment (11 kap. 5 § SoL)",
              Permission::kReadRules, false, ListDecisionsHandler(services)});
  router.Add({"POST", "/api/v1/committee-decisions",
              "Record a committee decision offering a catalog item without needs assessment (11 kap. 5 § SoL)",
              Permission::kRecordCommitteeDecisions, false, RecordDecisionHandler(services)});
}

}  // namespace nysol::web
