#include "web/api_routes.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "core/identity_number.h"
#include "core/input.h"
#include "core/matter_commands.h"
#include "store/matter_batch.h"
#include "web/api_error.h"
#include "web/api_json.h"
#include "web/catalog_routes.h"
#include "web/followup_routes.h"
#include "web/first_line_routes.h"
#include "web/json_body.h"
#include "web/review_routes.h"

namespace nysol::web {
namespace {

using access::Permission;
using nlohmann::json;

Handler RegisterReportHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto body = ParseJsonBody(ctx.request.body);
    if (!body.ok()) return ErrorResponse(body.status());
    auto events = WriteAndLog(ctx, services, [&](CaseView& view) {
      auto command = MakeCommandContext(services, *ctx.principal, view);
      return RegisterReport(*body, command);
    });
    if (!events.ok()) return ErrorResponse(events.status());
    json subjects = json::array();
    int64_t report_id = 0;
    for (const auto& e : *events) {
      if (e.kind != "report_received") continue;
      report_id = e.payload["report_id"].get<int64_t>();
      subjects.push_back({{"person_id", *e.person_id},
                          {"matter_id", *e.matter_id},
                          {"disposition", e.payload["disposition"]}});
    }
    return Json(201, {{"report_id", report_id}, {"subjects", subjects}, {"events", EventRefs(*events)}});
  };
}

Handler RegisterApplicationHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto body = ParseJsonBody(ctx.request.body);
    if (!body.ok()) return ErrorResponse(body.status());
    auto events = WriteAndLog(ctx, services, [&](CaseView& view) {
      auto command = MakeCommandContext(services, *ctx.principal, view);
      return RegisterApplication(*body, command);
    });
    if (!events.ok()) return ErrorResponse(events.status());
    const Event& opened = events->at(events->size() - 2);
    return Json(201, {{"matter_id", *opened.matter_id}, {"person_id", *opened.person_id},
                      {"events", EventRefs(*events)}});
  };
}

// What a route checks beyond core before a command runs (e.g. that an assignee works in the unit).
using StepCheck = Status (*)(const AppServices&, const RequestContext&, const MatterState&, const json& body);

// A step on a matter: load it inside the write transaction, check the unit may be reached, let core decide,
// answer with the updated matter.
Handler MatterStepHandler(const AppServices& services, MatterCommand command, std::string id_param,
                          StepCheck check = nullptr) {
  return [services, command, id_param, check](RequestContext& ctx) {
    auto matter_id = PositiveId(ctx.params.at("id"), "matter id");
    if (!matter_id.ok()) return ErrorResponse(matter_id.status());
    auto body = ParseJsonBody(ctx.request.body);
    if (!body.ok()) return ErrorResponse(body.status());
    if (!id_param.empty()) {
      auto sub_id = PositiveId(ctx.params.at(id_param), id_param);
      if (!sub_id.ok()) return ErrorResponse(sub_id.status());
      if (!body->is_object()) return ErrorResponse(Error(ErrorCode::kMalformedJson, "the body must be a JSON object"));
      if (body->contains(id_param) && (*body)[id_param] != *sub_id) {
        return ErrorResponse(Error(ErrorCode::kInvalidInput, fmt::format("'{}' in the body differs from the path", id_param)));
      }
      (*body)[id_param] = *sub_id;
    }
    access::Reach reach;
    auto events = WriteMatterStep(ctx, services, *matter_id, command, *body, &reach,
                                  [&](const MatterState& matter) {
                                    return check ? check(services, ctx, matter, *body) : Status::Ok();
                                  });
    if (!events.ok()) return ErrorResponse(events.status());
    auto matter = services.store.LoadMatter(*matter_id);
    if (!matter.ok()) return ErrorResponse(matter.status());
    // After a transfer the matter may have left the writer's unit: answer only with what they may still see.
    if (!ctx.ReachUnit(matter->unit).allowed) {
      return Json(200, {{"id", matter->id}, {"unit", matter->unit}, {"events", EventRefs(*events)}});
    }
    MatterView answer(*matter, services, *ctx.principal);
    ctx.Read(matter->person_id, matter->id, reach.outside_unit, answer.protected_person());
    answer.SetEvents(EventRefs(*events));
    return JsonText(200, answer.Text());
  };
}

Handler GetMatterHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto matter_id = PositiveId(ctx.params.at("id"), "matter id");
    if (!matter_id.ok()) return ErrorResponse(matter_id.status());
    auto matter = services.store.LoadMatter(*matter_id);
    if (!matter.ok()) return ErrorResponse(matter.status());
    auto reach = ctx.ReachUnit(matter->unit);
    if (!reach.allowed) return ErrorResponse(OutsideUnit(ctx, fmt::format("matter {}", matter->id), matter->unit));
    MatterView answer(*matter, services, *ctx.principal);
    ctx.Read(matter->person_id, matter->id, reach.outside_unit, answer.protected_person());
    return JsonText(200, answer.Text());
  };
}

Handler ListMattersHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    store::MatterFilter filter;
    // Lists are of one's own unit; emergency access is for one matter, never for another unit's queue.
    filter.unit = QueryValue(ctx.request, "unit").value_or(ctx.principal->unit);
    if (*filter.unit != ctx.principal->unit) {
      return ErrorResponse(Error(ErrorCode::kForbidden, fmt::format("you may list matters of your own unit '{}' only",
                                                                    ctx.principal->unit)));
    }
    filter.assigned_to = QueryValue(ctx.request, "assigned_to");
    if (filter.assigned_to == "me") filter.assigned_to = ctx.principal->username;
    if (auto open = QueryValue(ctx.request, "open")) {
      if (*open != "true" && *open != "false") {
        return ErrorResponse(Error(ErrorCode::kInvalidInput, "query 'open' must be 'true' or 'false'"));
      }
      filter.open_only = *open == "true";
    }
    if (auto limit = QueryValue(ctx.request, "limit")) {
      auto parsed = PositiveId(*limit, "limit");
      if (!parsed.ok() || *parsed > kMaxListLimit) {
        return ErrorResponse(Error(ErrorCode::kInvalidInput, fmt::format("query 'limit' must be 1–{}", kMaxListLimit)));
      }
      filter.limit = static_cast<int>(*parsed);
    }
    if (auto after = QueryValue(ctx.request, "after")) {
      auto parsed = PositiveId(*after, "after");
      if (!parsed.ok()) return ErrorResponse(parsed.status());
      filter.after_id = *parsed;
    }
    auto summaries = services.store.ListMatters(filter);
    // The page's matters in a few statements for the whole page, not five per matter.
    std::vector<int64_t> ids;
    for (const auto& summary : summaries) ids.push_back(summary.id);
    std::vector<MatterState> states;
    services.store.Read([&](store::Db& db) { states = store::LoadMatterStates(db, ids); });
    std::map<int64_t, const MatterState*> state_of;
    for (const auto& state : states) state_of.emplace(state.id, &state);
    // Written as text, not built as a tree first: the most frequent list (the members in dump()'s order).
    std::string body;
    JsonWriter w(body);
    w.Object().Key("items").Array();
    size_t items = 0;
    int64_t last_id = 0;
    for (const auto& summary : summaries) {
      auto found = state_of.find(summary.id);
      if (found == state_of.end()) continue;
      const MatterState* matter = found->second;
      ctx.Read(summary.person_id, summary.id, false, summary.person_protected);
      w.Object().Member("assigned_to", summary.assigned_to).Key("clocks");
      WriteClocks(w, *matter, services);
      w.Member("id", summary.id).Member("kind", summary.kind).Key("next_steps").Array();
      for (const auto& step : NextSteps(*matter)) w.String(step);
      w.End()
          .Member("person_id", summary.person_id)
          .Member("person_protected_identity", summary.person_protected)
          .Member("phase", summary.phase)
          .Member("received_on", summary.received_on)
          .Member("unit", summary.unit)
          .End();
      ++items;
      last_id = summary.id;
    }
    w.End().Key("next_after");
    if (items == static_cast<size_t>(filter.limit)) {
      w.Int(last_id);
    } else {
      w.Null();
    }
    w.End();
    return JsonText(200, std::move(body));
  };
}

// 19 kap. SoL with SoLPUL: every report about a child is searchable by identity number, with its outcome,
// whether or not it led to an investigation.
Handler SearchReportsHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto number_text = QueryValue(ctx.request, "identity_number");
    if (!number_text || number_text->empty()) {
      return ErrorResponse(Error(ErrorCode::kInvalidInput, "query 'identity_number' is required"));
    }
    auto number = ParseIdentityNumber(*number_text, ToStockholm(services.clock.Now()).date);
    if (!number.ok()) return ErrorResponse(number.status());
    auto person = services.store.FindPersonByIdentityNumber(number->digits);
    VisibleReports visible;
    if (person)
      visible =
          ReportsVisibleTo(ctx, services, *person, MatterUnits(services.store.MattersOfPerson(person->id)));
    // Written as text (in dump()'s order): a frequent read.
    std::string body;
    JsonWriter w(body);
    w.Object().Member("identity_number", number->digits).Key("other_units").Array();
    for (const auto& unit : visible.other_units) w.String(unit);
    w.End().Key("person");
    if (person) {
      WritePerson(w, *person, *ctx.principal, visible.address_hidden());
    } else {
      w.Null();
    }
    w.Key("reports").Array();
    for (const auto& report : visible.shown) WriteReport(w, report);
    w.End().End();
    return JsonText(200, std::move(body));
  };
}

Handler GetPersonHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto person_id = PositiveId(ctx.params.at("id"), "person id");
    if (!person_id.ok()) return ErrorResponse(person_id.status());
    auto person = services.store.GetPerson(*person_id);
    if (!person) return ErrorResponse(Error(ErrorCode::kNotFound, fmt::format("there is no person {}", *person_id)));
    auto matters = services.store.MattersOfPerson(person->id);
    // A person page is for those whose unit handles the person: ids must not open everyone in every unit.
    if (std::none_of(matters.begin(), matters.end(), [&](const auto& m) { return ctx.InOwnUnit(m.unit); })) {
      return ErrorResponse(Error(ErrorCode::kForbidden,
                                 fmt::format("person {} has no matter in your unit '{}'", *person_id,
                                             ctx.principal->unit)));
    }
    json answer = PersonJson(*person, *ctx.principal);
    answer["matters"] = json::array();
    for (const auto& m : matters) {
      if (!ctx.InOwnUnit(m.unit)) continue;
      answer["matters"].push_back({{"id", m.id}, {"kind", m.kind}, {"phase", m.phase}, {"unit", m.unit},
                                   {"assigned_to", OptJson(m.assigned_to)}, {"received_on", m.received_on}});
    }
    AddVisibleReports(ReportsVisibleTo(ctx, services, *person, MatterUnits(matters)), &answer);
    return Json(200, answer);
  };
}

Handler RulebookHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto date = DateQuery(services, ctx.request);
    if (!date.ok()) return ErrorResponse(date.status());
    Date on = *date;
    json periods = json::array();
    for (const auto& rule : services.rulebook.periods()) {
      auto in_force = services.rulebook.Period(rule.id, on);
      if (!in_force.ok() || in_force->valid_from != rule.valid_from) continue;
      static constexpr const char* kUnits[] = {"days", "weeks", "months"};
      periods.push_back({{"id", rule.id}, {"name_sv", rule.name_sv}, {"amount", rule.amount},
                         {"unit", kUnits[static_cast<int>(rule.unit)]}, {"law_ref", rule.law_ref},
                         {"shift_to_working_day", rule.shift_to_working_day},
                         {"valid_from", FormatDate(rule.valid_from)}});
    }
    json years = json::array();
    for (const auto& rule : services.rulebook.years()) {
      auto in_force = services.rulebook.Years(rule.id, on);
      if (!in_force.ok() || in_force->valid_from != rule.valid_from) continue;
      years.push_back({{"id", rule.id}, {"name_sv", rule.name_sv}, {"years", rule.years}, {"law_ref", rule.law_ref},
                       {"valid_from", FormatDate(rule.valid_from)}});
    }
    json codes = json::object();
    for (const char* list : {"reporter_category", "channel", "decision_outcome", "legal_basis", "intervention",
                             "matter_kind"}) {
      json values = json::array();
      for (const auto& code : services.rulebook.Codes(list, on)) {
        values.push_back({{"code", code.code}, {"name_sv", code.name_sv}, {"law_ref", code.law_ref},
                          {"appealable", code.appealable}});
      }
      codes[list] = values;
    }
    return Json(200, {{"version", services.rulebook.version()}, {"date", FormatDate(on)}, {"periods", periods},
                      {"years", years}, {"codes", codes}});
  };
}

Status CheckTransfer(const AppServices& services, const RequestContext& ctx, const MatterState& matter,
                     const json& body) {
  NYSOL_RETURN_IF_ERROR(CheckLeadsUnit(ctx, matter));
  auto to_unit = body.is_object() ? body.find("to_unit") : body.end();
  if (to_unit == body.end() || !to_unit->is_string()) return Status::Ok();  // core reports it
  if (!services.users.UnitExists(to_unit->get<std::string>())) {
    return Error(ErrorCode::kUnknownCode, fmt::format("field 'to_unit': there is no unit '{}'",
                                                      to_unit->get<std::string>()));
  }
  return CheckAssignee(services, body, to_unit->get<std::string>());
}

// Marks or unmarks protected identity. Any team lead may mark: the mark protects, and a person may have matters
// in several units. Lifting it shows the address to everyone, so only a lead authorised for protected persons
// may.
Handler ProtectedIdentityHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto person_id = PositiveId(ctx.params.at("id"), "person id");
    if (!person_id.ok()) return ErrorResponse(person_id.status());
    auto body = ParseJsonBody(ctx.request.body);
    if (!body.ok()) return ErrorResponse(body.status());
    bool lifting = body->is_object() && body->contains("protected") && (*body)["protected"] == false;
    if (lifting && !ctx.principal->protected_data_access) {
      return ErrorResponse(Error(ErrorCode::kForbidden, "only users authorised for protected persons may lift the mark"));
    }
    auto events = WriteAndLog(ctx, services, [&](CaseView& view) {
      auto command = MakeCommandContext(services, *ctx.principal, view);
      return SetProtectedIdentity(*person_id, *body, command);
    }, [&](const Events&) { return std::vector<access::AccessRecord>{{"write", *person_id, std::nullopt, false, true}}; });
    if (!events.ok()) return ErrorResponse(events.status());
    return Json(200, {{"person_id", *person_id},
                      {"protected_identity", events->front().payload["protected"]},
                      {"events", EventRefs(*events)}});
  };
}

json UserJson(const access::Principal& user) {
  return {{"username", user.username},
          {"display_name", user.display_name},
          {"unit", user.unit},
          {"role", access::RoleName(user.role)},
          {"protected_data_access", user.protected_data_access}};
}

// Administrators manage users; they see no case content.
Handler ListUsersHandler(const AppServices& services) {
  return [services](RequestContext&) {
    json users = json::array();
    for (const auto& user : services.users.Users()) users.push_back(UserJson(user));
    return Json(200, {{"users", users}});
  };
}

// Creates a user; the API token is in this answer only (it is stored as a hash).
Handler AddUserHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto body = ParseJsonBody(ctx.request.body);
    if (!body.ok()) return ErrorResponse(body.status());
    Input in(*body);
    if (auto expected = in.Expect({"username", "display_name", "unit", "role", "protected_data_access"});
        !expected.ok()) {
      return ErrorResponse(expected);
    }
    auto username = in.String("username", 64);
    auto display_name = in.String("display_name", 200);
    auto unit = in.String("unit", 64);
    auto role_text = in.String("role", 40);
    for (const Status& field : {username.status(), display_name.status(), unit.status(), role_text.status()}) {
      if (!field.ok()) return ErrorResponse(field);
    }
    bool protected_access = false;
    if (body->contains("protected_data_access")) {
      auto flag = in.Bool("protected_data_access");
      if (!flag.ok()) return ErrorResponse(flag.status());
      protected_access = *flag;
    }
    access::Role role;
    if (!access::ParseRole(*role_text, &role)) {
      return ErrorResponse(Error(ErrorCode::kUnknownCode, fmt::format("field 'role': there is no role '{}'", *role_text)));
    }
    auto token = services.users.AddUser(*username, *display_name, *unit, role, FormatUtc(services.clock.Now()));
    if (!token.ok()) return ErrorResponse(token.status());
    if (protected_access) {
      if (Status set = services.users.SetProtectedDataAccess(*username, true); !set.ok()) return ErrorResponse(set);
    }
    auto user = services.users.FindUser(*username);
    if (!user) return ErrorResponse(Error(ErrorCode::kInternal, "the new user cannot be read back"));
    return Json(201, {{"user", UserJson(*user)}, {"token", *token}});
  };
}

Handler UnitsHandler(const AppServices& services) {
  return [services](RequestContext&) {
    json units = json::array();
    for (const auto& unit : services.users.Units()) units.push_back({{"code", unit.code}, {"name_sv", unit.name_sv}});
    return Json(200, {{"units", units}});
  };
}

struct StepRoute {
  const char* suffix;
  const char* summary;
  MatterCommand command;
  const char* id_param;
};

constexpr StepRoute kSteps[] = {
    {"/protection-assessment", "Record the immediate protection assessment (20 kap. 1 § SoL)",
     RecordProtectionAssessment, ""},
    {"/preliminary-assessment", "Decide to open or not to open an investigation (20 kap. 2 § SoL)",
     DecidePreliminaryAssessment, ""},
    {"/preliminary-assessment/extension", "Extend the preliminary assessment for exceptional reasons (20 kap. 2 § SoL)",
     ExtendPreliminaryAssessment, ""},
    {"/investigation", "Start the investigation of an adult's application", StartInvestigation, ""},
    {"/investigation/notification", "Record that those concerned were told of the investigation (20 kap. 4 § SoL)",
     NotifyInvestigation, ""},
    {"/investigation/extension", "Extend the investigation for special reasons (20 kap. 3 § SoL)",
     ExtendInvestigation, ""},
    {"/investigation/completion", "Complete the investigation", CompleteInvestigation, ""},
    {"/decisions", "Record a decision on an intervention", RecordDecision, ""},
    {"/decisions/{decision_id}/service", "Record the day the person received the decision; starts the appeal period",
     RecordDecisionServed, "decision_id"},
    {"/interventions", "Start an intervention from a decision", StartIntervention, ""},
    {"/interventions/{intervention_id}/end", "End an intervention", EndIntervention, "intervention_id"},
    {"/closure", "Close the matter", CloseMatter, ""},
    {"/notes", "Add a journal note (14 kap. SoL); a correction names the note it corrects, an objection records "
     "the individual's view (14 kap. 6 § SoL)", AddNote, ""},
};

}  // namespace

void RegisterApiRoutes(Router& router, const AppServices& services) {
  router.Add({"GET", "/api/v1/health", "Liveness", std::nullopt, false,
              [](RequestContext&) { return Json(200, {{"status", "ok"}}); }});
  router.Add({"GET", "/api/v1/openapi.json", "This API's OpenAPI document", std::nullopt, false,
              [](RequestContext&) {
                HttpResponse response;
                response.body = std::string(OpenApiDocument());
                return response;
              }});
  router.Add({"GET", "/api/v1/rulebook", "Time limits, ages and code lists in force", Permission::kReadRules, false,
              RulebookHandler(services)});
  router.Add({"POST", "/api/v1/reports", "Register a report of concern (19 kap. SoL)", Permission::kWriteCases, true,
              RegisterReportHandler(services)});
  router.Add({"GET", "/api/v1/reports", "All reports about a child, by identity number", Permission::kReadCases, true,
              SearchReportsHandler(services)});
  router.Add({"POST", "/api/v1/applications", "Register an adult's application", Permission::kWriteCases, true,
              RegisterApplicationHandler(services)});
  router.Add({"GET", "/api/v1/persons/{id}", "A person with their matters and reports", Permission::kReadCases, true,
              GetPersonHandler(services)});
  router.Add({"GET", "/api/v1/matters", "Matters with their legal clocks", Permission::kReadCases, true,
              ListMattersHandler(services)});
  router.Add({"GET", "/api/v1/matters/{id}", "A matter: state, clocks, reports, decisions, timeline",
              Permission::kReadCases, true, GetMatterHandler(services)});
  for (const auto& step : kSteps) {
    router.Add({"POST", std::string("/api/v1/matters/{id}") + step.suffix, step.summary, Permission::kWriteCases, true,
                MatterStepHandler(services, step.command, step.id_param)});
  }
  router.Add({"POST", "/api/v1/matters/{id}/assignment", "Assign the matter to a case worker of its unit",
              Permission::kLeadCases, true, MatterStepHandler(services, AssignMatter, "", CheckAssignment)});
  router.Add({"POST", "/api/v1/matters/{id}/transfer", "Transfer the matter to another unit",
              Permission::kLeadCases, true, MatterStepHandler(services, TransferMatter, "", CheckTransfer)});
  router.Add({"POST", "/api/v1/persons/{id}/protected-identity",
              "Mark or unmark protected identity (skyddade personuppgifter)", Permission::kLeadCases, true,
              ProtectedIdentityHandler(services)});
  router.Add({"GET", "/api/v1/units", "The municipality's units", Permission::kReadRules, false, UnitsHandler(services)});
  router.Add({"GET", "/api/v1/users", "Users (administrators)", Permission::kManageUsers, false,
              ListUsersHandler(services)});
  router.Add({"POST", "/api/v1/users", "Create a user; answers with its API token, once (administrators)",
              Permission::kManageUsers, false, AddUserHandler(services)});
  RegisterReviewRoutes(router, services);
  RegisterCatalogRoutes(router, services);
  RegisterFirstLineRoutes(router, services);
  RegisterFollowUpRoutes(router, services);
}

}  // namespace nysol::web
