#include "core/matter_commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/identity_number.h"
#include "core/input.h"

namespace nysol {
namespace {

using nlohmann::json;

constexpr size_t kMaxText = 20000;   // a report's free text; longer text belongs in an attached document
constexpr size_t kMaxReason = 4000;
constexpr size_t kMaxChildren = 20;

Event MatterEvent(const CommandContext& ctx, const MatterState& matter, std::string kind, Date occurred_on,
                  json payload) {
  return MakeEvent(ctx, std::move(kind), FormatDate(occurred_on), matter.id, matter.person_id,
                   std::move(payload));
}

Status IllegalStep(const MatterState& matter, std::string_view step, std::string_view needs) {
  return Error(ErrorCode::kIllegalTransition,
               fmt::format("matter {} is in phase '{}'; '{}' needs {}", matter.id, MatterPhaseName(matter.phase),
                           step, needs));
}

Status RequirePhase(const MatterState& matter, MatterPhase phase, std::string_view step) {
  if (matter.phase == phase) return Status::Ok();
  return IllegalStep(matter, step, fmt::format("phase '{}'", MatterPhaseName(phase)));
}

Status RequireChild(const MatterState& matter, std::string_view step) {
  if (matter.kind == MatterKind::kChild) return Status::Ok();
  return Error(ErrorCode::kIllegalTransition,
               fmt::format("'{}' applies to matters about children (20 kap. SoL); matter {} is an adult's", step,
                           matter.id));
}

// A date an action took place: not after today, not before `earliest`.
Status CheckActionDate(const CommandContext& ctx, std::string_view field, Date date, Date earliest,
                       std::string_view earliest_name) {
  if (date > ctx.now.date) {
    return Error(ErrorCode::kInvalidDate, fmt::format("field '{}' ({}) is in the future", field, FormatDate(date)));
  }
  if (date < earliest) {
    return Error(ErrorCode::kInvalidDate, fmt::format("field '{}' ({}) is before {} ({})", field,
                                                      FormatDate(date), earliest_name, FormatDate(earliest)));
  }
  return Status::Ok();
}

// The day of the matter's latest recorded step: nothing can be dated before it, closure included.
Date LastStepOn(const MatterState& m) {
  Date last = m.received_on;
  auto later = [&last](const std::optional<Date>& d) {
    if (d && last < *d) last = *d;
  };
  later(m.preliminary_decided_on);
  later(m.investigation_started_on);
  later(m.investigation_notified_on);
  later(m.investigation_completed_on);
  for (const auto& report : m.reports) later(report.received_at.date);
  for (const auto& d : m.decisions) {
    later(d.decided_on);
    later(d.served_on);
  }
  for (const auto& i : m.interventions) {
    later(i.started_on);
    later(i.ended_on);
  }
  return last;
}

Result<Code> LookupCode(const CommandContext& ctx, std::string_view list, std::string_view field,
                        const std::string& code, Date on) {
  auto found = ctx.rulebook.Lookup(list, code, on);
  if (!found.ok()) {
    return Error(ErrorCode::kUnknownCode, fmt::format("field '{}': {}", field, found.status().message()));
  }
  return found;
}

Result<Date> PeriodEndOn(const CommandContext& ctx, std::string_view rule_id, Date start) {
  auto rule = ctx.rulebook.Period(rule_id, start);
  if (!rule.ok()) return Error(ErrorCode::kInternal, fmt::format("rulebook: {}", rule.status().message()));
  return PeriodEnd(*rule, start);
}

}  // namespace

Result<Subject> ResolveSubject(const json& input, Date received_on, const YearsRule* age_limit,
                               std::string_view field, CommandContext& ctx, Events* events) {
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"identity_number", "name", "birth_year", "address"}));
  NYSOL_ASSIGN_OR_RETURN(auto number_text, in.OptionalString("identity_number", 20));
  NYSOL_ASSIGN_OR_RETURN(auto name, in.OptionalString("name", 200));
  NYSOL_ASSIGN_OR_RETURN(auto address, in.OptionalString("address", 200));
  NYSOL_ASSIGN_OR_RETURN(auto birth_year, in.OptionalInt("birth_year", 1900, static_cast<int>(ctx.now.date.year())));
  json registered = {{"name", name ? json(*name) : json()}};
  Subject subject;
  if (number_text) {
    if (birth_year) {
      return Error(ErrorCode::kInvalidInput,
                   fmt::format("{}: give either identity_number or birth_year, not both", field));
    }
    auto number = ParseIdentityNumber(*number_text, ctx.now.date);
    if (!number.ok()) {
      return Error(ErrorCode::kInvalidIdentityNumber, fmt::format("{}: {}", field, number.status().message()));
    }
    if (age_limit && number->AgeOn(received_on) >= age_limit->years) {
      return Error(ErrorCode::kInvalidInput,
                   fmt::format("{}: {} was {} years old on {}; a report of concern concerns people under {} ({})",
                               field, number->Long(), number->AgeOn(received_on), FormatDate(received_on),
                               age_limit->years, age_limit->law_ref));
    }
    subject.identity_number = number->digits;
    if (auto known = ctx.view.FindPersonByIdentityNumber(number->digits)) {
      subject.person_id = known->id;
      return subject;
    }
    registered["identity_number"] = number->digits;
    registered["identity_kind"] = IdentityKindName(number->kind);
    registered["sex"] = LegalSexName(number->sex);
    registered["birth_date"] = FormatDate(number->birth_date);
  } else {
    if (!name) {
      return Error(ErrorCode::kInvalidInput,
                   fmt::format("{}: give identity_number, or name (and birth_year if known) when the identity "
                               "is unknown",
                               field));
    }
    if (age_limit && birth_year && static_cast<int>(received_on.year()) - *birth_year > age_limit->years) {
      return Error(ErrorCode::kInvalidInput,
                   fmt::format("{}: born {} is too old for a report of concern (under {}, {})", field,
                               *birth_year, age_limit->years, age_limit->law_ref));
    }
    registered["identity_kind"] = "unknown";
    registered["birth_year"] = birth_year ? json(*birth_year) : json();
  }
  subject.person_id = ctx.view.NextId("persons");
  registered["person_id"] = subject.person_id;
  if (address) registered["address"] = *address;  // locating data: hidden for protected persons
  events->push_back(MakeEvent(ctx, "person_registered", FormatLocalDateTime(ctx.now), std::nullopt,
                              subject.person_id, std::move(registered)));
  return subject;
}

Result<Events> RegisterReport(const json& input, CommandContext& ctx) {
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"received_at", "reporter_category", "channel", "reporter_name", "text", "children"}));
  NYSOL_ASSIGN_OR_RETURN(auto received_at, in.DateTime("received_at"));
  if (received_at.date > ctx.now.date) {
    return Error(ErrorCode::kInvalidDate, "field 'received_at' is in the future");
  }
  Date received_on = received_at.date;
  NYSOL_ASSIGN_OR_RETURN(auto category, in.String("reporter_category", 40));
  NYSOL_ASSIGN_OR_RETURN(auto category_code, LookupCode(ctx, "reporter_category", "reporter_category", category, received_on));
  NYSOL_ASSIGN_OR_RETURN(auto channel, in.String("channel", 40));
  NYSOL_ASSIGN_OR_RETURN(auto channel_code, LookupCode(ctx, "channel", "channel", channel, received_on));
  NYSOL_ASSIGN_OR_RETURN(auto reporter_name, in.OptionalString("reporter_name", 200));
  NYSOL_ASSIGN_OR_RETURN(auto text, in.String("text", kMaxText));
  const json* children = input.contains("children") ? &input["children"] : nullptr;
  if (!children || !children->is_array() || children->empty()) {
    return Error(ErrorCode::kInvalidInput, "field 'children' must be a list of at least one child");
  }
  if (children->size() > kMaxChildren) {
    return Error(ErrorCode::kInvalidInput, fmt::format("field 'children' has more than {} children", kMaxChildren));
  }
  // 20 kap. 1–2 §§ SoL: reports about children and young people (unga, 18–20 years).
  auto young_limit = ctx.rulebook.Years("young-person-age-limit", received_on);
  if (!young_limit.ok()) return Error(ErrorCode::kInternal, young_limit.status().message());

  Events events;
  int64_t report_id = ctx.view.NextId("reports");
  std::set<int64_t> seen_people;
  std::set<std::string> seen_numbers;  // a child named twice is not yet in the view when first registered
  for (size_t i = 0; i < children->size(); ++i) {
    std::string field = fmt::format("children[{}]", i);
    NYSOL_ASSIGN_OR_RETURN(auto subject, ResolveSubject((*children)[i], received_on, &*young_limit, field,
                                                        ctx, &events));
    if (!seen_people.insert(subject.person_id).second ||
        (subject.identity_number && !seen_numbers.insert(*subject.identity_number).second)) {
      return Error(ErrorCode::kInvalidInput, fmt::format("{}: the same child is named twice", field));
    }
    // 20 kap. 2 §: no preliminary assessment when an investigation about the child is already running.
    std::optional<OpenMatter> running, pending;
    for (const auto& matter : ctx.view.OpenMattersOf(subject.person_id)) {
      if (matter.kind != MatterKind::kChild) continue;
      if (matter.phase == MatterPhase::kInvestigating && !running) running = matter;
      if (matter.phase == MatterPhase::kReceived && !pending) pending = matter;
    }
    std::string disposition;
    int64_t matter_id = 0;
    if (running) {
      disposition = "attached_to_investigation";
      matter_id = running->id;
    } else if (pending) {
      disposition = "attached_to_pending_assessment";
      matter_id = pending->id;
    } else {
      disposition = "new_matter";
      matter_id = ctx.view.NextId("matters");
      NYSOL_ASSIGN_OR_RETURN(auto preliminary_due, PeriodEndOn(ctx, "preliminary-assessment", received_on));
      events.push_back(MakeEvent(ctx, "matter_opened", FormatLocalDateTime(received_at), matter_id,
                                 subject.person_id,
                                 {{"kind", "child"},
                                  {"unit", ctx.unit},
                                  {"received_on", FormatDate(received_on)},
                                  {"preliminary_due", FormatDate(preliminary_due)}}));
    }
    NYSOL_ASSIGN_OR_RETURN(auto protection_due, PeriodEndOn(ctx, "protection-assessment", received_on));
    events.push_back(MakeEvent(ctx, "report_received", FormatLocalDateTime(received_at), matter_id,
                               subject.person_id,
                               {{"report_id", report_id},
                                {"received_at", FormatLocalDateTime(received_at)},
                                {"reporter_category", category_code.code},
                                {"channel", channel_code.code},
                                {"reporter_name", reporter_name ? json(*reporter_name) : json()},
                                {"text", text},
                                {"disposition", disposition},
                                {"protection_due", FormatDate(protection_due)}}));
  }
  return events;
}

Result<Events> RegisterApplication(const json& input, CommandContext& ctx) {
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"received_at", "channel", "applicant", "text"}));
  NYSOL_ASSIGN_OR_RETURN(auto received_at, in.DateTime("received_at"));
  if (received_at.date > ctx.now.date) {
    return Error(ErrorCode::kInvalidDate, "field 'received_at' is in the future");
  }
  NYSOL_ASSIGN_OR_RETURN(auto channel, in.String("channel", 40));
  NYSOL_ASSIGN_OR_RETURN(auto channel_code, LookupCode(ctx, "channel", "channel", channel, received_at.date));
  NYSOL_ASSIGN_OR_RETURN(auto text, in.String("text", kMaxText));
  if (!input.contains("applicant") || !input["applicant"].is_object()) {
    return Error(ErrorCode::kInvalidInput, "field 'applicant' must be an object with identity_number or name");
  }
  Events events;
  NYSOL_ASSIGN_OR_RETURN(auto subject,
                         ResolveSubject(input["applicant"], received_at.date, nullptr, "applicant", ctx, &events));
  int64_t matter_id = ctx.view.NextId("matters");
  events.push_back(MakeEvent(ctx, "matter_opened", FormatLocalDateTime(received_at), matter_id, subject.person_id,
                             {{"kind", "adult"},
                              {"unit", ctx.unit},
                              {"received_on", FormatDate(received_at.date)},
                              {"preliminary_due", json()}}));
  events.push_back(MakeEvent(ctx, "application_received", FormatLocalDateTime(received_at), matter_id,
                             subject.person_id,
                             {{"received_at", FormatLocalDateTime(received_at)},
                              {"channel", channel_code.code},
                              {"text", text}}));
  return events;
}

// 20 kap. 1 § SoL: an immediate protection assessment, documented, for every report about a child.
Result<Events> RecordProtectionAssessment(const MatterState& matter, const json& input, CommandContext& ctx) {
  NYSOL_RETURN_IF_ERROR(RequireChild(matter, "protection assessment"));
  if (matter.phase == MatterPhase::kClosed) return IllegalStep(matter, "protection assessment", "an open matter");
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"assessed_at", "immediate_need", "reasons"}));
  NYSOL_ASSIGN_OR_RETURN(auto assessed_at, in.DateTime("assessed_at"));
  NYSOL_ASSIGN_OR_RETURN(bool immediate_need, in.Bool("immediate_need"));
  NYSOL_ASSIGN_OR_RETURN(auto reasons, in.String("reasons", kMaxReason));
  // The assessment covers every report not yet assessed, so it cannot predate the latest of them.
  std::vector<int64_t> report_ids;
  std::optional<LocalDateTime> latest;
  for (const auto& report : matter.reports) {
    if (!report.protection_assessed) {
      report_ids.push_back(report.report_id);
      if (!latest || *latest < report.received_at) latest = report.received_at;
    }
  }
  if (report_ids.empty()) {
    return Error(ErrorCode::kIllegalTransition,
                 fmt::format("every report in matter {} already has its protection assessment", matter.id));
  }
  if (ctx.now < assessed_at) {
    return Error(ErrorCode::kInvalidDate,
                 fmt::format("field 'assessed_at' ({}) is in the future", FormatLocalDateTime(assessed_at)));
  }
  if (assessed_at < *latest) {
    return Error(ErrorCode::kInvalidDate,
                 fmt::format("field 'assessed_at' ({}) is before the report it covers arrived ({})",
                             FormatLocalDateTime(assessed_at), FormatLocalDateTime(*latest)));
  }
  return Events{MakeEvent(ctx, "protection_assessed", FormatLocalDateTime(assessed_at), matter.id,
                          matter.person_id,
                          {{"report_ids", report_ids},
                           {"assessed_at", FormatLocalDateTime(assessed_at)},
                           {"immediate_need", immediate_need},
                           {"reasons", reasons}})};
}

// 20 kap. 2 § SoL: the time may be extended only if there are synnerliga skäl.
Result<Events> ExtendPreliminaryAssessment(const MatterState& matter, const json& input, CommandContext& ctx) {
  NYSOL_RETURN_IF_ERROR(RequireChild(matter, "extend preliminary assessment"));
  NYSOL_RETURN_IF_ERROR(RequirePhase(matter, MatterPhase::kReceived, "extend preliminary assessment"));
  if (!matter.preliminary_due) {
    return Error(ErrorCode::kIllegalTransition, fmt::format("matter {} has no preliminary assessment clock", matter.id));
  }
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"new_due", "exceptional_reasons", "decided_on"}));
  NYSOL_ASSIGN_OR_RETURN(Date new_due, in.DateField("new_due"));
  NYSOL_ASSIGN_OR_RETURN(auto reasons, in.String("exceptional_reasons", kMaxReason));
  NYSOL_ASSIGN_OR_RETURN(Date decided_on, in.DateField("decided_on"));
  NYSOL_RETURN_IF_ERROR(CheckActionDate(ctx, "decided_on", decided_on, matter.received_on, "the report's arrival"));
  if (new_due <= *matter.preliminary_due) {
    return Error(ErrorCode::kInvalidInput, fmt::format("field 'new_due' ({}) must be after the current due date ({})",
                                                       FormatDate(new_due), FormatDate(*matter.preliminary_due)));
  }
  return Events{MatterEvent(ctx, matter, "preliminary_extended", decided_on,
                            {{"previous_due", FormatDate(*matter.preliminary_due)},
                             {"new_due", FormatDate(new_due)},
                             {"exceptional_reasons", reasons}})};
}

// 20 kap. 2 § SoL: decide to open or not to open an investigation; 20 kap. 3 §: the four months start.
Result<Events> DecidePreliminaryAssessment(const MatterState& matter, const json& input, CommandContext& ctx) {
  NYSOL_RETURN_IF_ERROR(RequireChild(matter, "preliminary assessment"));
  NYSOL_RETURN_IF_ERROR(RequirePhase(matter, MatterPhase::kReceived, "preliminary assessment"));
  for (const auto& report : matter.reports) {
    if (!report.protection_assessed) {
      return Error(ErrorCode::kIllegalTransition,
                   fmt::format("report {} has no immediate protection assessment yet (20 kap. 1 § SoL); record it "
                               "before the preliminary assessment",
                               report.report_id));
    }
  }
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"decision", "decided_on", "reasons", "decided_by"}));
  NYSOL_ASSIGN_OR_RETURN(auto decision, in.String("decision", 40));
  if (decision != "open_investigation" && decision != "no_investigation") {
    return Error(ErrorCode::kUnknownCode,
                 "field 'decision' must be 'open_investigation' or 'no_investigation'");
  }
  NYSOL_ASSIGN_OR_RETURN(Date decided_on, in.DateField("decided_on"));
  NYSOL_RETURN_IF_ERROR(CheckActionDate(ctx, "decided_on", decided_on, matter.received_on, "the report's arrival"));
  NYSOL_ASSIGN_OR_RETURN(auto reasons, in.String("reasons", kMaxReason));
  NYSOL_ASSIGN_OR_RETURN(auto decided_by, in.String("decided_by", 200));
  Events events{MatterEvent(ctx, matter, "preliminary_decided", decided_on,
                            {{"decision", decision},
                             {"decided_on", FormatDate(decided_on)},
                             {"reasons", reasons},
                             {"decided_by", decided_by},
                             {"within_time", matter.preliminary_due ? json(decided_on <= *matter.preliminary_due)
                                                                    : json()}})};
  if (decision == "open_investigation") {
    NYSOL_ASSIGN_OR_RETURN(auto due, PeriodEndOn(ctx, "investigation", decided_on));
    events.push_back(MatterEvent(ctx, matter, "investigation_started", decided_on,
                                 {{"started_on", FormatDate(decided_on)}, {"due", FormatDate(due)}}));
  } else {
    events.push_back(MatterEvent(ctx, matter, "matter_closed", decided_on,
                                 {{"closed_on", FormatDate(decided_on)}, {"reason", "no_investigation"}}));
  }
  return events;
}

// Adults: an application is investigated (11 kap. 1 §); there is no statutory four-month limit.
Result<Events> StartInvestigation(const MatterState& matter, const json& input, CommandContext& ctx) {
  if (matter.kind == MatterKind::kChild) {
    return Error(ErrorCode::kIllegalTransition,
                 fmt::format("matter {} is about a child: an investigation starts with the preliminary assessment "
                             "decision (20 kap. 2 § SoL)",
                             matter.id));
  }
  NYSOL_RETURN_IF_ERROR(RequirePhase(matter, MatterPhase::kReceived, "start investigation"));
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"started_on"}));
  NYSOL_ASSIGN_OR_RETURN(Date started_on, in.DateField("started_on"));
  NYSOL_RETURN_IF_ERROR(CheckActionDate(ctx, "started_on", started_on, matter.received_on, "the application's arrival"));
  return Events{MatterEvent(ctx, matter, "investigation_started", started_on,
                            {{"started_on", FormatDate(started_on)}, {"due", json()}})};
}

// 20 kap. 4 § SoL: those concerned are told at once that an investigation has started.
Result<Events> NotifyInvestigation(const MatterState& matter, const json& input, CommandContext& ctx) {
  NYSOL_RETURN_IF_ERROR(RequirePhase(matter, MatterPhase::kInvestigating, "notify about investigation"));
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"notified_on", "notified", "reasons_not_notified"}));
  NYSOL_ASSIGN_OR_RETURN(Date notified_on, in.DateField("notified_on"));
  NYSOL_RETURN_IF_ERROR(CheckActionDate(ctx, "notified_on", notified_on, *matter.investigation_started_on,
                                        "the investigation's start"));
  NYSOL_ASSIGN_OR_RETURN(auto notified, in.String("notified", 1000));
  // 20 kap. 4 §: someone concerned may be left out; the reasons must then be on record.
  NYSOL_ASSIGN_OR_RETURN(auto reasons_not_notified, in.OptionalString("reasons_not_notified", kMaxReason));
  json payload = {{"notified_on", FormatDate(notified_on)}, {"notified", notified}};
  if (reasons_not_notified) payload["reasons_not_notified"] = *reasons_not_notified;
  return Events{MatterEvent(ctx, matter, "investigation_notified", notified_on, std::move(payload))};
}

// 20 kap. 3 § SoL: extension for a set time, by decision, when there are särskilda skäl.
Result<Events> ExtendInvestigation(const MatterState& matter, const json& input, CommandContext& ctx) {
  NYSOL_RETURN_IF_ERROR(RequireChild(matter, "extend investigation"));
  NYSOL_RETURN_IF_ERROR(RequirePhase(matter, MatterPhase::kInvestigating, "extend investigation"));
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"new_due", "special_reasons", "decided_on", "decided_by"}));
  NYSOL_ASSIGN_OR_RETURN(Date new_due, in.DateField("new_due"));
  NYSOL_ASSIGN_OR_RETURN(auto reasons, in.String("special_reasons", kMaxReason));
  NYSOL_ASSIGN_OR_RETURN(Date decided_on, in.DateField("decided_on"));
  NYSOL_ASSIGN_OR_RETURN(auto decided_by, in.String("decided_by", 200));
  NYSOL_RETURN_IF_ERROR(CheckActionDate(ctx, "decided_on", decided_on, *matter.investigation_started_on,
                                        "the investigation's start"));
  if (new_due <= *matter.investigation_due) {
    return Error(ErrorCode::kInvalidInput, fmt::format("field 'new_due' ({}) must be after the current due date ({})",
                                                       FormatDate(new_due), FormatDate(*matter.investigation_due)));
  }
  return Events{MatterEvent(ctx, matter, "investigation_extended", decided_on,
                            {{"previous_due", FormatDate(*matter.investigation_due)},
                             {"new_due", FormatDate(new_due)},
                             {"special_reasons", reasons},
                             {"decided_by", decided_by}})};
}

Result<Events> CompleteInvestigation(const MatterState& matter, const json& input, CommandContext& ctx) {
  NYSOL_RETURN_IF_ERROR(RequirePhase(matter, MatterPhase::kInvestigating, "complete investigation"));
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"completed_on", "conclusion"}));
  NYSOL_ASSIGN_OR_RETURN(Date completed_on, in.DateField("completed_on"));
  NYSOL_RETURN_IF_ERROR(CheckActionDate(ctx, "completed_on", completed_on, *matter.investigation_started_on,
                                        "the investigation's start"));
  NYSOL_ASSIGN_OR_RETURN(auto conclusion, in.String("conclusion", kMaxText));
  json within = matter.investigation_due ? json(completed_on <= *matter.investigation_due) : json();
  return Events{MatterEvent(ctx, matter, "investigation_completed", completed_on,
                            {{"completed_on", FormatDate(completed_on)}, {"conclusion", conclusion},
                             {"within_time", within}})};
}

// A decision (beslut) on an intervention. Appealable decisions (35 kap. 1 § SoL) get an appeal deadline when
// the person has received them.
Result<Events> RecordDecision(const MatterState& matter, const json& input, CommandContext& ctx) {
  if (matter.phase != MatterPhase::kInvestigating && matter.phase != MatterPhase::kInvestigated) {
    return IllegalStep(matter, "decision", "an investigation (phase 'investigating' or 'investigated')");
  }
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"outcome", "intervention", "legal_basis", "decided_by", "decided_on", "reasons",
                                   "served_on"}));
  NYSOL_ASSIGN_OR_RETURN(Date decided_on, in.DateField("decided_on"));
  NYSOL_RETURN_IF_ERROR(CheckActionDate(ctx, "decided_on", decided_on, *matter.investigation_started_on,
                                        "the investigation's start"));
  NYSOL_ASSIGN_OR_RETURN(auto outcome, in.String("outcome", 40));
  NYSOL_ASSIGN_OR_RETURN(auto outcome_code, LookupCode(ctx, "decision_outcome", "outcome", outcome, decided_on));
  NYSOL_ASSIGN_OR_RETURN(auto intervention, in.String("intervention", 60));
  NYSOL_ASSIGN_OR_RETURN(auto intervention_code, LookupCode(ctx, "intervention", "intervention", intervention, decided_on));
  NYSOL_ASSIGN_OR_RETURN(auto basis, in.String("legal_basis", 40));
  NYSOL_ASSIGN_OR_RETURN(auto basis_code, LookupCode(ctx, "legal_basis", "legal_basis", basis, decided_on));
  NYSOL_ASSIGN_OR_RETURN(auto decided_by, in.String("decided_by", 200));
  NYSOL_ASSIGN_OR_RETURN(auto reasons, in.String("reasons", kMaxText));
  NYSOL_ASSIGN_OR_RETURN(auto served_on, in.OptionalDate("served_on"));
  int64_t decision_id = ctx.view.NextId("decisions");
  Events events{MatterEvent(ctx, matter, "decision_made", decided_on,
                            {{"decision_id", decision_id},
                             {"outcome", outcome_code.code},
                             {"intervention", intervention_code.code},
                             {"legal_basis", basis_code.code},
                             {"appealable", basis_code.appealable},
                             {"decided_by", decided_by},
                             {"decided_on", FormatDate(decided_on)},
                             {"reasons", reasons}})};
  if (served_on) {
    DecisionState decision;
    decision.id = decision_id;
    decision.appealable = basis_code.appealable;
    decision.decided_on = decided_on;
    MatterState with_decision = matter;
    with_decision.decisions.push_back(decision);
    NYSOL_ASSIGN_OR_RETURN(auto served, RecordDecisionServed(with_decision,
                                                             {{"decision_id", decision_id},
                                                              {"served_on", FormatDate(*served_on)}},
                                                             ctx));
    events.insert(events.end(), served.begin(), served.end());
  }
  return events;
}

// The day the person received the decision starts the appeal period: three weeks (44 § FL), moved to the
// next working day by lag (1930:173) when the last day is a Saturday, Sunday or holiday.
Result<Events> RecordDecisionServed(const MatterState& matter, const json& input, CommandContext& ctx) {
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"decision_id", "served_on"}));
  NYSOL_ASSIGN_OR_RETURN(int64_t decision_id, in.Int("decision_id", 1, INT64_MAX));
  const DecisionState* decision = matter.FindDecision(decision_id);
  if (!decision) {
    return Error(ErrorCode::kNotFound, fmt::format("matter {} has no decision {}", matter.id, decision_id));
  }
  if (decision->served_on) {
    return Error(ErrorCode::kConflict, fmt::format("decision {} was already received on {}", decision_id,
                                                   FormatDate(*decision->served_on)));
  }
  NYSOL_ASSIGN_OR_RETURN(Date served_on, in.DateField("served_on"));
  NYSOL_RETURN_IF_ERROR(CheckActionDate(ctx, "served_on", served_on, decision->decided_on, "the decision date"));
  json appeal_due;
  if (decision->appealable) {
    NYSOL_ASSIGN_OR_RETURN(auto due, PeriodEndOn(ctx, "appeal", served_on));
    appeal_due = FormatDate(due);
  }
  return Events{MatterEvent(ctx, matter, "decision_served", served_on,
                            {{"decision_id", decision_id}, {"served_on", FormatDate(served_on)},
                             {"appeal_due", appeal_due}})};
}

Result<Events> StartIntervention(const MatterState& matter, const json& input, CommandContext& ctx) {
  if (matter.phase == MatterPhase::kClosed) return IllegalStep(matter, "start intervention", "an open matter");
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"decision_id", "started_on"}));
  NYSOL_ASSIGN_OR_RETURN(int64_t decision_id, in.Int("decision_id", 1, INT64_MAX));
  const DecisionState* decision = matter.FindDecision(decision_id);
  if (!decision) return Error(ErrorCode::kNotFound, fmt::format("matter {} has no decision {}", matter.id, decision_id));
  if (decision->outcome == "refused") {
    return Error(ErrorCode::kIllegalTransition,
                 fmt::format("decision {} refused the intervention; nothing can be started from it", decision_id));
  }
  for (const auto& running : matter.interventions) {
    if (running.decision_id == decision_id && !running.ended_on) {
      return Error(ErrorCode::kConflict,
                   fmt::format("intervention {} from decision {} is already running", running.id, decision_id));
    }
  }
  NYSOL_ASSIGN_OR_RETURN(Date started_on, in.DateField("started_on"));
  NYSOL_RETURN_IF_ERROR(CheckActionDate(ctx, "started_on", started_on, decision->decided_on, "the decision date"));
  int64_t intervention_id = ctx.view.NextId("interventions");
  return Events{MatterEvent(ctx, matter, "intervention_started", started_on,
                            {{"intervention_id", intervention_id},
                             {"decision_id", decision_id},
                             {"intervention", decision->intervention},
                             {"started_on", FormatDate(started_on)}})};
}

Result<Events> EndIntervention(const MatterState& matter, const json& input, CommandContext& ctx) {
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"intervention_id", "ended_on", "reason"}));
  NYSOL_ASSIGN_OR_RETURN(int64_t intervention_id, in.Int("intervention_id", 1, INT64_MAX));
  const InterventionState* intervention = matter.FindIntervention(intervention_id);
  if (!intervention) {
    return Error(ErrorCode::kNotFound, fmt::format("matter {} has no intervention {}", matter.id, intervention_id));
  }
  if (intervention->ended_on) {
    return Error(ErrorCode::kIllegalTransition, fmt::format("intervention {} already ended on {}", intervention_id,
                                                            FormatDate(*intervention->ended_on)));
  }
  NYSOL_ASSIGN_OR_RETURN(Date ended_on, in.DateField("ended_on"));
  NYSOL_RETURN_IF_ERROR(CheckActionDate(ctx, "ended_on", ended_on, intervention->started_on, "its start"));
  NYSOL_ASSIGN_OR_RETURN(auto reason, in.String("reason", kMaxReason));
  return Events{MatterEvent(ctx, matter, "intervention_ended", ended_on,
                            {{"intervention_id", intervention_id}, {"ended_on", FormatDate(ended_on)},
                             {"reason", reason}})};
}

Result<Events> CloseMatter(const MatterState& matter, const json& input, CommandContext& ctx) {
  switch (matter.phase) {
    case MatterPhase::kClosed:
      return IllegalStep(matter, "close", "an open matter");
    case MatterPhase::kInvestigating:
      return IllegalStep(matter, "close", "a completed investigation first");
    case MatterPhase::kReceived:
      if (matter.kind == MatterKind::kChild) {
        return IllegalStep(matter, "close",
                           "a preliminary assessment decision (20 kap. 2 § SoL); a 'no_investigation' decision "
                           "closes the matter");
      }
      break;
    case MatterPhase::kInvestigated:
      break;
  }
  if (matter.HasRunningIntervention()) {
    return Error(ErrorCode::kIllegalTransition,
                 fmt::format("matter {} has running interventions; end them before closing", matter.id));
  }
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"closed_on", "reason"}));
  NYSOL_ASSIGN_OR_RETURN(Date closed_on, in.DateField("closed_on"));
  NYSOL_RETURN_IF_ERROR(CheckActionDate(ctx, "closed_on", closed_on, LastStepOn(matter), "the matter's last step"));
  NYSOL_ASSIGN_OR_RETURN(auto reason, in.String("reason", kMaxReason));
  return Events{MatterEvent(ctx, matter, "matter_closed", closed_on,
                            {{"closed_on", FormatDate(closed_on)}, {"reason", reason}})};
}

Result<Events> AssignMatter(const MatterState& matter, const json& input, CommandContext& ctx) {
  if (matter.phase == MatterPhase::kClosed) return IllegalStep(matter, "assign", "an open matter");
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"assigned_to"}));
  NYSOL_ASSIGN_OR_RETURN(auto assignee, in.String("assigned_to", 64));
  if (matter.assigned_to == assignee) {
    return Error(ErrorCode::kConflict, fmt::format("matter {} is already assigned to '{}'", matter.id, assignee));
  }
  return Events{MatterEvent(ctx, matter, "matter_assigned", ctx.now.date,
                            {{"assigned_to", assignee},
                             {"previously", matter.assigned_to ? json(*matter.assigned_to) : json()}})};
}

Result<Events> TransferMatter(const MatterState& matter, const json& input, CommandContext& ctx) {
  if (matter.phase == MatterPhase::kClosed) return IllegalStep(matter, "transfer", "an open matter");
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"to_unit", "assigned_to", "reason"}));
  NYSOL_ASSIGN_OR_RETURN(auto to_unit, in.String("to_unit", 64));
  NYSOL_ASSIGN_OR_RETURN(auto assignee, in.OptionalString("assigned_to", 64));
  NYSOL_ASSIGN_OR_RETURN(auto reason, in.OptionalString("reason", kMaxReason));
  if (to_unit == matter.unit) {
    return Error(ErrorCode::kConflict, fmt::format("matter {} already belongs to unit '{}'", matter.id, to_unit));
  }
  // A transfer leaves no assignee from the old unit behind: they lose access with the matter.
  return Events{MatterEvent(ctx, matter, "matter_transferred", ctx.now.date,
                            {{"from_unit", matter.unit},
                             {"to_unit", to_unit},
                             {"assigned_to", assignee ? json(*assignee) : json()},
                             {"reason", reason ? json(*reason) : json()}})};
}

Result<Events> SetProtectedIdentity(int64_t person_id, const json& input, CommandContext& ctx) {
  auto person = ctx.view.FindPerson(person_id);
  if (!person) return Error(ErrorCode::kNotFound, fmt::format("there is no person {}", person_id));
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"protected", "reason"}));
  NYSOL_ASSIGN_OR_RETURN(bool is_protected, in.Bool("protected"));
  NYSOL_ASSIGN_OR_RETURN(auto reason, in.String("reason", kMaxReason));
  if (person->protected_identity == is_protected) {
    return Error(ErrorCode::kConflict, fmt::format("person {} is already {}", person_id,
                                                   person->protected_identity ? "protected" : "not protected"));
  }
  return Events{MakeEvent(ctx, "protected_identity_set", FormatLocalDateTime(ctx.now), std::nullopt, person_id,
                          {{"protected", is_protected}, {"reason", reason}})};
}

// Journal notes may be written in every phase, also after closure: an objection can come later. Nothing is
// ever edited; a correction is a new note naming the one it corrects.
Result<Events> AddNote(const MatterState& matter, const json& input, CommandContext& ctx) {
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"text", "kind", "corrects"}));
  NYSOL_ASSIGN_OR_RETURN(auto text, in.String("text", kMaxText));
  NYSOL_ASSIGN_OR_RETURN(auto kind, in.OptionalString("kind", 20));
  if (kind && *kind != "note" && *kind != "objection") {
    return Error(ErrorCode::kInvalidInput, "field 'kind' must be 'note' or 'objection' (14 kap. 6 § SoL)");
  }
  NYSOL_ASSIGN_OR_RETURN(auto corrects, in.OptionalInt("corrects", 1, INT64_MAX));
  if (corrects && std::find(matter.note_ids.begin(), matter.note_ids.end(), *corrects) == matter.note_ids.end()) {
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("field 'corrects': matter {} has no note {}", matter.id, *corrects));
  }
  return Events{MakeEvent(ctx, "note_added", FormatLocalDateTime(ctx.now), matter.id, matter.person_id,
                          {{"note_id", ctx.view.NextId("notes")},
                           {"kind", kind.value_or("note")},
                           {"text", text},
                           {"corrects", corrects ? json(*corrects) : json()}})};
}

Event MakeEvent(const CommandContext& ctx, std::string kind, std::string occurred_at,
                std::optional<int64_t> matter_id, std::optional<int64_t> person_id, json payload) {
  Event event;
  event.kind = std::move(kind);
  event.occurred_at = std::move(occurred_at);
  event.recorded_at = ctx.recorded_at;
  event.actor = ctx.actor;
  event.unit = ctx.unit;
  event.matter_id = matter_id;
  event.person_id = person_id;
  event.payload = std::move(payload);
  event.rulebook_version = ctx.rulebook.version();
  return event;
}

std::vector<std::string> NextSteps(const MatterState& matter) {
  std::vector<std::string> steps;
  bool unassessed = false;
  for (const auto& report : matter.reports) unassessed = unassessed || !report.protection_assessed;
  if (matter.kind == MatterKind::kChild && unassessed && matter.phase != MatterPhase::kClosed) {
    steps.push_back("protection-assessment");
  }
  switch (matter.phase) {
    case MatterPhase::kReceived:
      if (matter.kind == MatterKind::kChild) {
        if (!unassessed) steps.push_back("preliminary-assessment");
        if (matter.preliminary_due) steps.push_back("preliminary-assessment/extension");
      } else {
        steps.push_back("investigation");
        steps.push_back("closure");
      }
      break;
    case MatterPhase::kInvestigating:
      if (!matter.investigation_notified_on) steps.push_back("investigation/notification");
      steps.push_back("investigation/completion");
      if (matter.kind == MatterKind::kChild) steps.push_back("investigation/extension");
      steps.push_back("decisions");
      break;
    case MatterPhase::kInvestigated: {
      steps.push_back("decisions");
      bool startable = false;
      for (const auto& decision : matter.decisions) {
        if (decision.outcome == "refused") continue;
        bool running = false;
        for (const auto& i : matter.interventions) running = running || (i.decision_id == decision.id && !i.ended_on);
        startable = startable || !running;
      }
      if (startable) steps.push_back("interventions");
      if (!matter.HasRunningIntervention()) steps.push_back("closure");
      break;
    }
    case MatterPhase::kClosed:
      break;
  }
  return steps;
}

}  // namespace nysol
