#include "web/first_line_routes.h"

#include <fmt/format.h>

#include "core/first_line_commands.h"
#include "web/api_error.h"
#include "web/api_json.h"
#include "web/json_body.h"

namespace nysol::web {
namespace {

using access::Permission;
using nlohmann::json;

Handler RegisterHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto body = ParseJsonBody(ctx.request.body);
    if (!body.ok()) return ErrorResponse(body.status());
    // An identified participation writes about a person: logged with the write. A non-identifying one names
    // nobody, and WriteRecords finds no person to log.
    auto events = WriteAndLog(ctx, services, [&](CaseView& view) {
      auto command = MakeCommandContext(services, *ctx.principal, view);
      return RegisterFirstLineParticipation(services.catalog, *body, command);
    });
    if (!events.ok()) return ErrorResponse(events.status());
    const Event& e = events->back();
    json answer = e.payload;
    answer["id"] = answer["participation_id"];
    answer.erase("participation_id");
    answer["person_id"] = e.person_id ? json(*e.person_id) : json();
    return Json(201, {{"participation", answer}, {"events", EventRefs(*events)}});
  };
}

Handler ListHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto date = DateQuery(services, ctx.request);
    if (!date.ok()) return ErrorResponse(date.status());
    Date on = *date;
    json rows = json::array();
    for (const auto& p : services.store.FirstLineParticipations(ctx.principal->unit, on)) {
      if (p.value("person_id", json()).is_number()) ctx.Read(p["person_id"].get<int64_t>(), std::nullopt);
      rows.push_back(p);
    }
    return Json(200, {{"date", FormatDate(on)}, {"unit", ctx.principal->unit}, {"participations", rows}});
  };
}

Handler ReferHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto id = PositiveId(ctx.params.at("id"), "participation id");
    if (!id.ok()) return ErrorResponse(id.status());
    auto body = ParseJsonBody(ctx.request.body);
    if (!body.ok()) return ErrorResponse(body.status());
    if (body->is_object() && body->contains("to_unit") && (*body)["to_unit"].is_string() &&
        !services.users.UnitExists((*body)["to_unit"].get<std::string>())) {
      return ErrorResponse(Error(ErrorCode::kUnknownCode, fmt::format("field 'to_unit': there is no unit '{}'",
                                                                      (*body)["to_unit"].get<std::string>())));
    }
    auto events = WriteAndLog(ctx, services, [&](CaseView& view) {
      auto command = MakeCommandContext(services, *ctx.principal, view);
      return ReferFirstLineToApplication(*id, *body, command);
    });
    if (!events.ok()) return ErrorResponse(events.status());
    return Json(201, {{"participation_id", *id}, {"matter_id", *events->back().matter_id},
                      {"events", EventRefs(*events)}});
  };
}

}  // namespace

void RegisterFirstLineRoutes(Router& router, const AppServices& services) {
  router.Add({"POST", "/api/v1/first-line/participations",
              "Register participation in an intervention without needs assessment (11 kap. 5 § SoL)",
              Permission::kRecordFirstLine, true, RegisterHandler(services)});
  router.Add({"GET", "/api/v1/first-line/participations", "The unit's first-line registrations of a day",
              Permission::kRecordFirstLine, true, ListHandler(services)});
  router.Add({"POST", "/api/v1/first-line/participations/{id}/application",
              "Turn an identified adult's participation into an application (11 kap. 1 § SoL) in another unit",
              Permission::kRecordFirstLine, true, ReferHandler(services)});
}

}  // namespace nysol::web
