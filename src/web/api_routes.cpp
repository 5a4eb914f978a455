#include "web/api_routes.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <set>

#include "core/identity_number.h"
#include "core/legal_clock.h"
#include "core/matter_commands.h"
#include "web/api_error.h"
#include "web/json_body.h"

namespace nysol::web {
namespace {

using access::Permission;
using nlohmann::json;

constexpr int kMaxListLimit = 500;

HttpResponse Json(int status, const json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump();
  return response;
}

Result<int64_t> PositiveId(const std::string& text, std::string_view what) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return Error(ErrorCode::kInvalidInput, fmt::format("{} '{}' is not a positive whole number", what, text));
  }
  return id;
}

std::optional<std::string> QueryValue(const HttpRequest& request, const std::string& key) {
  auto it = request.query.find(key);
  if (it == request.query.end()) return std::nullopt;
  return it->second;
}

json OptJson(const std::optional<std::string>& value) { return value ? json(*value) : json(); }
json OptDateJson(const std::optional<Date>& value) { return value ? json(FormatDate(*value)) : json(); }

json PersonJson(const store::PersonRow& p) {
  return {{"id", p.id},
          {"identity_number", OptJson(p.identity_number)},
          {"identity_kind", p.identity_kind},
          {"name", OptJson(p.name)},
          {"birth_date", OptJson(p.birth_date)},
          {"birth_year", p.birth_year ? json(*p.birth_year) : json()},
          {"sex", OptJson(p.sex)}};
}

json ReportJson(const store::ReportRow& r) {
  return {{"report_id", r.report_id},
          {"matter_id", r.matter_id},
          {"person_id", r.person_id},
          {"received_at", r.received_at},
          {"reporter_category", r.reporter_category},
          {"channel", r.channel},
          {"reporter_name", OptJson(r.reporter_name)},
          {"text", r.text},
          {"disposition", r.disposition},
          {"outcome", r.outcome},
          {"protection_due", r.protection_due},
          {"protection_assessed_at", OptJson(r.protection_assessed_at)},
          {"immediate_need", r.immediate_need ? json(*r.immediate_need) : json()}};
}

json ClockJson(const LegalClock& c) {
  return {{"rule", c.rule},
          {"name_sv", c.name_sv},
          {"law_ref", c.law_ref},
          {"started_on", FormatDate(c.started_on)},
          {"due", FormatDate(c.due)},
          {"stopped_on", OptDateJson(c.stopped_on)},
          {"extended", c.extended},
          {"status", ClockStatusName(c.status)},
          {"days_left", c.days_left},
          {"decision_id", c.decision_id ? json(*c.decision_id) : json()}};
}

json ClocksJson(const MatterState& m, const AppServices& services) {
  json clocks = json::array();
  for (const auto& clock : MatterClocks(m, services.rulebook, ToStockholm(services.clock.Now()).date)) {
    clocks.push_back(ClockJson(clock));
  }
  return clocks;
}

json EventJson(const Event& e) {
  return {{"seq", e.seq},
          {"kind", e.kind},
          {"occurred_at", e.occurred_at},
          {"recorded_at", e.recorded_at},
          {"actor", e.actor},
          {"unit", e.unit},
          {"payload", e.payload},
          {"rulebook_version", e.rulebook_version}};
}

// The whole matter as the case worker sees it: state, person, clocks, reports, decisions, timeline, next steps.
json MatterJson(const MatterState& m, const AppServices& services) {
  auto events = services.store.MatterJournal(m.id);
  json decisions = json::array();
  json interventions = json::array();
  std::optional<std::string> preliminary_decision, closure_reason;
  for (const auto& e : events) {
    if (e.kind == "decision_made") {
      json d = e.payload;
      d["id"] = d["decision_id"];
      d.erase("decision_id");
      if (const auto* state = m.FindDecision(d["id"].get<int64_t>())) {
        d["served_on"] = OptDateJson(state->served_on);
        d["appeal_due"] = OptDateJson(state->appeal_due);
      }
      decisions.push_back(d);
    } else if (e.kind == "preliminary_decided") {
      preliminary_decision = e.payload["decision"].get<std::string>();
    } else if (e.kind == "matter_closed") {
      closure_reason = e.payload["reason"].get<std::string>();
    }
  }
  for (const auto& i : m.interventions) {
    interventions.push_back({{"id", i.id},
                             {"decision_id", i.decision_id},
                             {"intervention", i.intervention},
                             {"started_on", FormatDate(i.started_on)},
                             {"ended_on", OptDateJson(i.ended_on)}});
  }
  json reports = json::array();
  for (const auto& r : services.store.ReportsInMatter(m.id)) reports.push_back(ReportJson(r));
  json timeline = json::array();
  for (const auto& e : events) timeline.push_back(EventJson(e));
  auto person = services.store.GetPerson(m.person_id);
  return {{"id", m.id},
          {"kind", MatterKindName(m.kind)},
          {"phase", MatterPhaseName(m.phase)},
          {"unit", m.unit},
          {"received_on", FormatDate(m.received_on)},
          {"person", person ? PersonJson(*person) : json()},
          {"preliminary_assessment",
           {{"due", OptDateJson(m.preliminary_due)},
            {"extended", m.preliminary_extended},
            {"decided_on", OptDateJson(m.preliminary_decided_on)},
            {"decision", OptJson(preliminary_decision)}}},
          {"investigation",
           {{"started_on", OptDateJson(m.investigation_started_on)},
            {"due", OptDateJson(m.investigation_due)},
            {"extensions", m.investigation_extensions},
            {"notified_on", OptDateJson(m.investigation_notified_on)},
            {"completed_on", OptDateJson(m.investigation_completed_on)}}},
          {"closed_on", OptDateJson(m.closed_on)},
          {"closure_reason", OptJson(closure_reason)},
          {"clocks", ClocksJson(m, services)},
          {"next_steps", NextSteps(m)},
          {"reports", reports},
          {"decisions", decisions},
          {"interventions", interventions},
          {"timeline", timeline}};
}

CommandContext MakeCommandContext(const AppServices& services, const access::Principal& principal, CaseView& view) {
  auto now = services.clock.Now();
  return CommandContext{services.rulebook, view, principal.username, principal.unit, ToStockholm(now),
                        FormatUtc(now)};
}

// Records in the access log what a write touched.
void NoteWrites(RequestContext& ctx, const Events& events) {
  std::set<std::pair<int64_t, int64_t>> seen;
  for (const auto& e : events) {
    if (!e.person_id) continue;
    if (seen.insert({*e.person_id, e.matter_id.value_or(0)}).second) ctx.Wrote(e.person_id, e.matter_id);
  }
}

json EventRefs(const Events& events) {
  json refs = json::array();
  for (const auto& e : events) refs.push_back({{"seq", e.seq}, {"kind", e.kind}});
  return refs;
}

Handler RegisterReportHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto body = ParseJsonBody(ctx.request.body);
    if (!body.ok()) return ErrorResponse(body.status());
    auto events = services.store.Write([&](CaseView& view) {
      auto command = MakeCommandContext(services, *ctx.principal, view);
      return RegisterReport(*body, command);
    });
    if (!events.ok()) return ErrorResponse(events.status());
    NoteWrites(ctx, *events);
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
    auto events = services.store.Write([&](CaseView& view) {
      auto command = MakeCommandContext(services, *ctx.principal, view);
      return RegisterApplication(*body, command);
    });
    if (!events.ok()) return ErrorResponse(events.status());
    NoteWrites(ctx, *events);
    const Event& opened = events->at(events->size() - 2);
    return Json(201, {{"matter_id", *opened.matter_id}, {"person_id", *opened.person_id},
                      {"events", EventRefs(*events)}});
  };
}

// A step on a matter: load it inside the write transaction, let core decide, answer with the updated matter.
Handler MatterStepHandler(const AppServices& services, MatterCommand command, std::string id_param) {
  return [services, command, id_param](RequestContext& ctx) {
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
    auto events = services.store.Write([&](CaseView& view) -> Result<Events> {
      auto matter = view.LoadMatter(*matter_id);
      if (!matter) return Error(ErrorCode::kNotFound, fmt::format("there is no matter {}", *matter_id));
      auto context = MakeCommandContext(services, *ctx.principal, view);
      return command(*matter, *body, context);
    });
    if (!events.ok()) return ErrorResponse(events.status());
    NoteWrites(ctx, *events);
    auto matter = services.store.LoadMatter(*matter_id);
    if (!matter.ok()) return ErrorResponse(matter.status());
    json answer = MatterJson(*matter, services);
    answer["events"] = EventRefs(*events);
    return Json(200, answer);
  };
}

Handler GetMatterHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto matter_id = PositiveId(ctx.params.at("id"), "matter id");
    if (!matter_id.ok()) return ErrorResponse(matter_id.status());
    auto matter = services.store.LoadMatter(*matter_id);
    if (!matter.ok()) return ErrorResponse(matter.status());
    ctx.Read(matter->person_id, matter->id);
    return Json(200, MatterJson(*matter, services));
  };
}

Handler ListMattersHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    store::MatterFilter filter;
    filter.unit = QueryValue(ctx.request, "unit");
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
    json items = json::array();
    for (const auto& summary : services.store.ListMatters(filter)) {
      auto matter = services.store.LoadMatter(summary.id);
      if (!matter.ok()) continue;
      ctx.Read(summary.person_id, summary.id);
      items.push_back({{"id", summary.id},
                       {"kind", summary.kind},
                       {"phase", summary.phase},
                       {"unit", summary.unit},
                       {"person_id", summary.person_id},
                       {"received_on", summary.received_on},
                       {"clocks", ClocksJson(*matter, services)},
                       {"next_steps", NextSteps(*matter)}});
    }
    json answer = {{"items", items}};
    answer["next_after"] = items.size() == static_cast<size_t>(filter.limit) ? json(items.back()["id"]) : json();
    return Json(200, answer);
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
    json answer = {{"identity_number", number->digits}, {"person", json()}, {"reports", json::array()}};
    auto person = services.store.FindPersonByIdentityNumber(number->digits);
    if (!person) return Json(200, answer);
    ctx.Read(person->id, std::nullopt);
    answer["person"] = PersonJson(*person);
    for (const auto& report : services.store.ReportsAboutPerson(person->id)) {
      answer["reports"].push_back(ReportJson(report));
    }
    return Json(200, answer);
  };
}

Handler GetPersonHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto person_id = PositiveId(ctx.params.at("id"), "person id");
    if (!person_id.ok()) return ErrorResponse(person_id.status());
    auto person = services.store.GetPerson(*person_id);
    if (!person) return ErrorResponse(Error(ErrorCode::kNotFound, fmt::format("there is no person {}", *person_id)));
    ctx.Read(person->id, std::nullopt);
    json matters = json::array();
    for (const auto& m : services.store.MattersOfPerson(person->id)) {
      matters.push_back({{"id", m.id}, {"kind", m.kind}, {"phase", m.phase}, {"unit", m.unit},
                         {"received_on", m.received_on}});
    }
    json reports = json::array();
    for (const auto& r : services.store.ReportsAboutPerson(person->id)) reports.push_back(ReportJson(r));
    json answer = PersonJson(*person);
    answer["matters"] = matters;
    answer["reports"] = reports;
    return Json(200, answer);
  };
}

Handler RulebookHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    Date on = ToStockholm(services.clock.Now()).date;
    if (auto date = QueryValue(ctx.request, "date")) {
      auto parsed = ParseDate(*date);
      if (!parsed.ok()) return ErrorResponse(parsed.status());
      on = *parsed;
    }
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
}

}  // namespace nysol::web
