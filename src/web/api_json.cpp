#include "web/api_json.h"

#include <fmt/format.h>

#include <charconv>
#include <set>

#include "core/legal_clock.h"
#include "web/json_text.h"

namespace nysol::web {

using nlohmann::json;

HttpResponse Json(int status, const json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump();
  return response;
}

HttpResponse JsonText(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
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

Result<Date> DateQuery(const AppServices& services, const HttpRequest& request) {
  auto date = QueryValue(request, "date");
  if (!date) return ToStockholm(services.clock.Now()).date;
  auto parsed = ParseDate(*date);
  if (!parsed.ok()) return Error(ErrorCode::kInvalidDate, fmt::format("query 'date': {}", parsed.status().message()));
  return *parsed;
}

json OptJson(const std::optional<std::string>& value) { return value ? json(*value) : json(); }
json OptDateJson(const std::optional<Date>& value) { return value ? json(FormatDate(*value)) : json(); }
std::optional<std::string> OptDateText(const std::optional<Date>& value) {
  return value ? std::optional<std::string>(FormatDate(*value)) : std::nullopt;
}

json PersonJson(const store::PersonRow& p, const access::Principal& viewer) {
  json person = {{"id", p.id},
                 {"identity_number", OptJson(p.identity_number)},
                 {"identity_kind", p.identity_kind},
                 {"name", OptJson(p.name)},
                 {"birth_date", OptJson(p.birth_date)},
                 {"birth_year", p.birth_year ? json(*p.birth_year) : json()},
                 {"sex", OptJson(p.sex)},
                 {"protected_identity", p.protected_identity},
                 {"address", json()},
                 {"address_hidden", false}};
  if (access::MaySeeLocatingData(viewer, p.protected_identity)) {
    person["address"] = OptJson(p.address);
  } else {
    person["address_hidden"] = true;
  }
  return person;
}

void WritePerson(JsonWriter& w, const store::PersonRow& p, const access::Principal& viewer,
                 bool hide_address) {
  bool may_see = !hide_address && access::MaySeeLocatingData(viewer, p.protected_identity);
  // PersonJson's members in dump()'s order.
  w.Object()
      .Member("address", may_see ? p.address : std::nullopt)
      .Member("address_hidden", !may_see)
      .Member("birth_date", p.birth_date)
      .Member("birth_year", p.birth_year)
      .Member("id", p.id)
      .Member("identity_kind", p.identity_kind)
      .Member("identity_number", p.identity_number)
      .Member("name", p.name)
      .Member("protected_identity", p.protected_identity)
      .Member("sex", p.sex)
      .End();
}

void WriteReport(JsonWriter& w, const store::ReportRow& r) {
  // ReportJson's members in dump()'s order.
  w.Object().Member("channel", r.channel).Member("disposition", r.disposition).Key("immediate_need");
  if (r.immediate_need) {
    w.Bool(*r.immediate_need);
  } else {
    w.Null();
  }
  w.Member("matter_id", r.matter_id)
      .Member("outcome", r.outcome)
      .Member("person_id", r.person_id)
      .Member("protection_assessed_at", r.protection_assessed_at)
      .Member("protection_due", r.protection_due)
      .Member("received_at", r.received_at)
      .Member("report_id", r.report_id)
      .Member("reporter_category", r.reporter_category)
      .Member("reporter_name", r.reporter_name)
      .Member("text", r.text)
      .End();
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

namespace {

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

}  // namespace

json ClocksJson(const MatterState& m, const AppServices& services) {
  json clocks = json::array();
  for (const auto& clock : MatterClocks(m, services.rulebook, ToStockholm(services.clock.Now()).date)) {
    clocks.push_back(ClockJson(clock));
  }
  return clocks;
}

void WriteClocks(JsonWriter& w, const MatterState& m, const AppServices& services) {
  w.Array();
  for (const auto& c : MatterClocks(m, services.rulebook, ToStockholm(services.clock.Now()).date)) {
    // ClockJson's members in dump()'s order.
    w.Object()
        .Member("days_left", c.days_left)
        .Member("decision_id", c.decision_id)
        .Member("due", FormatDate(c.due))
        .Member("extended", c.extended)
        .Member("law_ref", c.law_ref)
        .Member("name_sv", c.name_sv)
        .Member("rule", c.rule)
        .Member("started_on", FormatDate(c.started_on))
        .Member("status", ClockStatusName(c.status))
        .Member("stopped_on", OptDateText(c.stopped_on))
        .End();
  }
  w.End();
}

namespace {

// EventJson of an event no longer needed: its payload and texts are moved, not copied.
json MovedEventJson(Event&& e, bool hide_locating_data) {
  if (hide_locating_data) e.payload.erase("address");
  return {{"seq", e.seq},
          {"kind", std::move(e.kind)},
          {"occurred_at", std::move(e.occurred_at)},
          {"recorded_at", std::move(e.recorded_at)},
          {"actor", std::move(e.actor)},
          {"unit", std::move(e.unit)},
          {"payload", std::move(e.payload)},
          {"rulebook_version", std::move(e.rulebook_version)}};
}

// EventJson of a stored event, written as text: the members in dump()'s (sorted) order, the payload copied as
// the journal holds it unless locating data must come out of it.
void AppendEventText(std::string& out, const store::StoredEvent& stored, bool hide_locating_data) {
  const Event& e = stored.event;
  out += "{\"actor\":";
  AppendJsonString(out, e.actor);
  out += ",\"kind\":";
  AppendJsonString(out, e.kind);
  out += ",\"occurred_at\":";
  AppendJsonString(out, e.occurred_at);
  out += ",\"payload\":";
  if (hide_locating_data) {
    json payload = json::parse(stored.payload);
    payload.erase("address");
    out += payload.dump();
  } else {
    out += stored.payload;
  }
  out += ",\"recorded_at\":";
  AppendJsonString(out, e.recorded_at);
  out += ",\"rulebook_version\":";
  AppendJsonString(out, e.rulebook_version);
  out += ",\"seq\":";
  out += std::to_string(e.seq);
  out += ",\"unit\":";
  AppendJsonString(out, e.unit);
  out += '}';
}

}  // namespace

json EventJson(const Event& e, bool hide_locating_data) { return MovedEventJson(Event(e), hide_locating_data); }

MatterView::MatterView(const MatterState& m, const AppServices& services, const access::Principal& viewer)
    : m_(m),
      services_(services),
      viewer_(viewer),
      details_(services.store.LoadMatterDetails(m.id, m.person_id)) {
  // Only these kinds' payloads are read here; the timeline copies every payload as text.
  for (const auto& stored : details_.journal) {
    const Event& e = stored.event;
    if (e.kind == "decision_made") {
      json d = json::parse(stored.payload);
      d["id"] = d["decision_id"];
      d.erase("decision_id");
      if (const auto* state = m.FindDecision(d["id"].get<int64_t>())) {
        d["served_on"] = OptDateJson(state->served_on);
        d["appeal_due"] = OptDateJson(state->appeal_due);
      }
      decisions_.push_back(std::move(d));
    } else if (e.kind == "preliminary_decided") {
      preliminary_decision_ = json::parse(stored.payload)["decision"].get<std::string>();
    } else if (e.kind == "matter_closed") {
      closure_reason_ = json::parse(stored.payload)["reason"].get<std::string>();
    } else if (e.kind == "note_added") {
      json payload = json::parse(stored.payload);
      notes_.push_back({{"id", payload["note_id"]},
                        {"kind", payload["kind"]},
                        {"text", payload["text"]},
                        {"corrects", payload.value("corrects", json())},
                        {"corrected_by", json::array()},
                        {"author", e.actor},
                        {"written_at", e.recorded_at}});
    }
  }
  // A note stays as written; the notes that correct it are named beside it.
  for (const auto& note : notes_) {
    if (note["corrects"].is_null()) continue;
    for (auto& earlier : notes_) {
      if (earlier["id"] == note["corrects"]) earlier["corrected_by"].push_back(note["id"]);
    }
  }
  const auto& person = details_.person;
  protected_person_ = person && person->protected_identity;
  hide_locating_data_ = person && !access::MaySeeLocatingData(viewer, person->protected_identity);
}

json MatterView::Json() && {
  const MatterState& m = m_;
  json interventions = json::array();
  for (const auto& i : m.interventions) {
    interventions.push_back({{"id", i.id},
                             {"decision_id", i.decision_id},
                             {"intervention", i.intervention},
                             {"started_on", FormatDate(i.started_on)},
                             {"ended_on", OptDateJson(i.ended_on)}});
  }
  json reports = json::array();
  for (const auto& r : details_.reports) reports.push_back(ReportJson(r));
  const auto& person = details_.person;
  json timeline = json::array();
  for (auto& stored : details_.journal) {
    stored.event.payload = json::parse(stored.payload);
    timeline.push_back(MovedEventJson(std::move(stored.event), hide_locating_data_));
  }
  json fields = {{"id", m.id},
                 {"kind", MatterKindName(m.kind)},
                 {"phase", MatterPhaseName(m.phase)},
                 {"unit", m.unit},
                 {"received_on", FormatDate(m.received_on)},
                 {"assigned_to", OptJson(m.assigned_to)},
                 {"person", person ? PersonJson(*person, viewer_) : json()},
                 {"preliminary_assessment",
                  {{"due", OptDateJson(m.preliminary_due)},
                   {"extended", m.preliminary_extended},
                   {"decided_on", OptDateJson(m.preliminary_decided_on)},
                   {"decision", OptJson(preliminary_decision_)}}},
                 {"investigation",
                  {{"started_on", OptDateJson(m.investigation_started_on)},
                   {"due", OptDateJson(m.investigation_due)},
                   {"extensions", m.investigation_extensions},
                   {"notified_on", OptDateJson(m.investigation_notified_on)},
                   {"completed_on", OptDateJson(m.investigation_completed_on)}}},
                 {"closed_on", OptDateJson(m.closed_on)},
                 {"closure_reason", OptJson(closure_reason_)},
                 {"clocks", ClocksJson(m, services_)},
                 {"next_steps", NextSteps(m)},
                 // Moved, not copied: an lvalue in these braces is copied whole.
                 {"reports", std::move(reports)},
                 {"decisions", std::move(decisions_)},
                 {"interventions", std::move(interventions)},
                 {"notes", std::move(notes_)},
                 {"timeline", std::move(timeline)}};
  if (events_) fields["events"] = std::move(*events_);
  return fields;
}

std::string MatterView::Text() const {
  const MatterState& m = m_;
  std::string out;
  JsonWriter w(out);
  w.Object().Member("assigned_to", m.assigned_to).Key("clocks");
  WriteClocks(w, m, services_);
  w.Member("closed_on", OptDateText(m.closed_on))
      .Member("closure_reason", closure_reason_)
      .Key("decisions")
      .Raw(decisions_.dump());
  if (events_) w.Key("events").Raw(events_->dump());
  w.Member("id", m.id).Key("interventions").Array();
  for (const auto& i : m.interventions) {
    w.Object()
        .Member("decision_id", i.decision_id)
        .Member("ended_on", OptDateText(i.ended_on))
        .Member("id", i.id)
        .Member("intervention", i.intervention)
        .Member("started_on", FormatDate(i.started_on))
        .End();
  }
  w.End()
      .Key("investigation")
      .Object()
      .Member("completed_on", OptDateText(m.investigation_completed_on))
      .Member("due", OptDateText(m.investigation_due))
      .Member("extensions", m.investigation_extensions)
      .Member("notified_on", OptDateText(m.investigation_notified_on))
      .Member("started_on", OptDateText(m.investigation_started_on))
      .End()
      .Member("kind", MatterKindName(m.kind))
      .Key("next_steps")
      .Array();
  for (const auto& step : NextSteps(m)) w.String(step);
  w.End().Key("notes").Raw(notes_.dump()).Key("person");
  if (details_.person) {
    WritePerson(w, *details_.person, viewer_);
  } else {
    w.Null();
  }
  w.Member("phase", MatterPhaseName(m.phase))
      .Key("preliminary_assessment")
      .Object()
      .Member("decided_on", OptDateText(m.preliminary_decided_on))
      .Member("decision", preliminary_decision_)
      .Member("due", OptDateText(m.preliminary_due))
      .Member("extended", m.preliminary_extended)
      .End()
      .Member("received_on", FormatDate(m.received_on))
      .Key("reports")
      .Array();
  for (const auto& r : details_.reports) WriteReport(w, r);
  w.End().Member("unit", m.unit).Key("timeline").Array();
  std::string event;
  for (const auto& stored : details_.journal) {
    event.clear();
    AppendEventText(event, stored, hide_locating_data_);
    w.Raw(event);
  }
  w.End().End();
  return out;
}

json MatterJson(const MatterState& m, const AppServices& services, const access::Principal& viewer) {
  return MatterView(m, services, viewer).Json();
}

CommandContext MakeCommandContext(const AppServices& services, const access::Principal& principal, CaseView& view) {
  auto now = services.clock.Now();
  return CommandContext{services.rulebook, view, principal.username, principal.unit, ToStockholm(now),
                        FormatUtc(now)};
}

// Records in the access log what a write touched.
std::vector<access::AccessRecord> WriteRecords(const Events& events, bool outside_unit) {
  std::vector<access::AccessRecord> records;
  std::set<std::pair<int64_t, int64_t>> seen;
  for (const auto& e : events) {
    if (!e.person_id) continue;
    if (seen.insert({*e.person_id, e.matter_id.value_or(0)}).second) {
      records.push_back({"write", e.person_id, e.matter_id, outside_unit, false});
    }
  }
  return records;
}

Result<Events> WriteAndLog(RequestContext& ctx, const AppServices& services, const store::CaseStore::Decider& decide,
                           const RecordsOf& records) {
  bool log_failed = false;
  try {
    return services.store.Write(decide, [&](store::Db& db, const Events& events) {
      try {
        auto rows = records ? records(events) : WriteRecords(events);
        if (!records) {
          // A report attached to a matter another unit handles is a write outside one's unit: flag it.
          for (auto& row : rows) {
            if (!row.matter_id) continue;
            auto& unit = db.Prepare("SELECT unit FROM matters WHERE id = ?1");
            unit.Bind(1, *row.matter_id);
            row.outside_unit = unit.Step() && unit.Text(0) != ctx.principal->unit;
            unit.Reset();
          }
        }
        access::AccessLog::AppendRows(db, *ctx.principal, FormatUtc(services.clock.Now()), ctx.route_label,
                                      ctx.request.remote_address, rows, ctx.emergency_reason);
      } catch (const store::StoreError&) {
        log_failed = true;
        throw;  // rolls the write back with it
      }
    });
  } catch (const store::StoreError& e) {
    if (!log_failed) throw;
    fmt::print(stderr, "{{\"level\":\"error\",\"access_log\":{}}}\n", json(e.what()).dump());
    return Error(ErrorCode::kUnavailable, "the access log cannot be written, so nothing was saved; try again");
  }
}

Status OutsideUnit(const RequestContext& ctx, std::string_view what, std::string_view unit) {
  return Error(ErrorCode::kForbidden,
               fmt::format("{} belongs to unit '{}' and you work in '{}' (inner confidentiality, 26 kap. OSL); "
                           "if the situation requires it, use emergency access by stating the reason in query "
                           "'emergency_reason'",
                           what, unit, ctx.principal->unit));
}

Result<Events> WriteMatterStep(RequestContext& ctx, const AppServices& services, int64_t matter_id,
                               MatterCommand command, const json& body, access::Reach* reach,
                               const std::function<Status(const MatterState&)>& check) {
  return WriteAndLog(ctx, services, [&](CaseView& view) -> Result<Events> {
    auto matter = view.LoadMatter(matter_id);
    if (!matter) return Error(ErrorCode::kNotFound, fmt::format("there is no matter {}", matter_id));
    *reach = ctx.ReachUnit(matter->unit);
    if (!reach->allowed) return OutsideUnit(ctx, fmt::format("matter {}", matter->id), matter->unit);
    if (check) NYSOL_RETURN_IF_ERROR(check(*matter));
    auto context = MakeCommandContext(services, *ctx.principal, view);
    return command(*matter, body, context);
  }, [&](const Events& written) { return WriteRecords(written, reach->outside_unit); });
}

std::map<int64_t, std::string> MatterUnits(const std::vector<store::MatterSummary>& matters) {
  std::map<int64_t, std::string> units;
  for (const auto& m : matters) units[m.id] = m.unit;
  return units;
}

// The reports about a person that the request may see, in answer["reports"]; the units whose reports it may
// not see are named in answer["other_units"], so that a case worker knows to ask (or use emergency access).
// Logs one read for the person, and one per matter reached outside the unit.
VisibleReports ReportsVisibleTo(RequestContext& ctx, const AppServices& services,
                                const store::PersonRow& person,
                                const std::map<int64_t, std::string>& matter_units) {
  VisibleReports visible;
  for (auto& report : services.store.ReportsAboutPerson(person.id)) {
    const std::string& unit = matter_units.at(report.matter_id);
    if (ctx.InOwnUnit(unit)) {
      visible.shown.push_back(std::move(report));
    } else {
      visible.other_units.insert(unit);
    }
  }
  ctx.Read(person.id, std::nullopt, false, person.protected_identity);
  return visible;
}

void AddVisibleReports(const VisibleReports& visible, json* answer) {
  (*answer)["reports"] = json::array();
  for (const auto& report : visible.shown) (*answer)["reports"].push_back(ReportJson(report));
  (*answer)["other_units"] = visible.other_units;
  json& shown = answer->contains("person") ? (*answer)["person"] : *answer;
  if (visible.address_hidden()) {
    shown["address"] = nullptr;
    shown["address_hidden"] = true;
  }
}

// Team leads distribute the work of their own unit, never of a unit reached by emergency access.
Status CheckLeadsUnit(const RequestContext& ctx, const MatterState& matter) {
  if (ctx.principal->unit != matter.unit) {
    return Error(ErrorCode::kForbidden, fmt::format("matter {} belongs to unit '{}'; team leads assign and transfer "
                                                    "matters of their own unit '{}' only",
                                                    matter.id, matter.unit, ctx.principal->unit));
  }
  return Status::Ok();
}

// An assignee handles cases in the unit the matter belongs to (or is transferred to).
Status CheckAssignee(const AppServices& services, const json& body, std::string_view unit) {
  auto field = body.is_object() ? body.find("assigned_to") : body.end();
  if (field == body.end() || !field->is_string()) return Status::Ok();  // core reports a missing or bad field
  std::string username = field->get<std::string>();
  auto user = services.users.FindUser(username);
  if (!user) return Error(ErrorCode::kInvalidInput, fmt::format("field 'assigned_to': there is no user '{}'", username));
  if (user->unit != unit || !access::Allows(user->role, access::Permission::kWriteCases)) {
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("field 'assigned_to': '{}' does not handle cases in unit '{}'", username, unit));
  }
  return Status::Ok();
}

Status CheckAssignment(const AppServices& services, const RequestContext& ctx, const MatterState& matter,
                       const json& body) {
  NYSOL_RETURN_IF_ERROR(CheckLeadsUnit(ctx, matter));
  return CheckAssignee(services, body, matter.unit);
}

json EventRefs(const Events& events) {
  json refs = json::array();
  for (const auto& e : events) refs.push_back({{"seq", e.seq}, {"kind", e.kind}});
  return refs;
}

}  // namespace nysol::web
