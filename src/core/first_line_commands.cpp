#include "core/first_line_commands.h"

#include <fmt/format.h>

#include <cctype>
#include <set>

#include "core/identity_number.h"
#include "core/input.h"

namespace nysol {

using nlohmann::json;

namespace {

constexpr int64_t kMaxGroup = 500;
constexpr size_t kMaxNote = 500;
constexpr size_t kMaxJudgement = 2000;
const std::set<std::string, std::less<>> kAgeBands = {"0-12",  "13-17", "18-29", "30-49",
                                                      "50-64", "65-79", "80+",   "unknown"};
const std::set<std::string, std::less<>> kGenders = {"female", "male", "other", "unknown"};

// Free text of a non-identifying registration must not carry an identity number (ten or more digits in a row,
// allowing one '-' or '+' separator, as people write them).
bool LooksLikeIdentityNumber(std::string_view text) {
  int digits = 0;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (++digits >= 10) return true;
    } else if (!(c == '-' || c == '+') || digits == 0) {
      digits = 0;
    }
  }
  return false;
}

}  // namespace

Result<Events> RegisterFirstLineParticipation(const Catalog& catalog, const json& input, CommandContext& ctx) {
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"decision_id", "date", "mode", "person", "guardian_consent",
                                   "suitability_judgement", "count", "age_band", "gender", "note", "basis",
                                   "informed_about_application"}));
  NYSOL_ASSIGN_OR_RETURN(int64_t decision_id, in.Int("decision_id", 1, INT64_MAX));
  NYSOL_ASSIGN_OR_RETURN(Date date, in.DateField("date"));
  if (date > ctx.now.date) return Error(ErrorCode::kInvalidDate, "field 'date' is in the future");
  NYSOL_ASSIGN_OR_RETURN(auto mode, in.String("mode", 20));
  if (mode != "identified" && mode != "non_identifying") {
    return Error(ErrorCode::kInvalidInput, "field 'mode' must be 'identified' or 'non_identifying'");
  }
  // 11 kap. 6 § SoL: whoever carries out the intervention informs about the right to apply under 11 kap. 1 §.
  NYSOL_ASSIGN_OR_RETURN(bool informed, in.Bool("informed_about_application"));

  auto decision = ctx.view.FindCommitteeDecision(decision_id);
  if (!decision) return Error(ErrorCode::kNotFound, fmt::format("field 'decision_id': there is no decision {}", decision_id));
  if (!decision->AppliesOn(date)) {
    return Error(ErrorCode::kIllegalTransition,
                 fmt::format("committee decision {} does not apply on {}: '{}' is not offered without needs "
                             "assessment that day (11 kap. 5 § SoL)",
                             decision_id, FormatDate(date), decision->item_code));
  }
  const CatalogItem* item = catalog.Find(decision->item_code, date);
  if (!item) {
    return Error(ErrorCode::kIllegalTransition,
                 fmt::format("'{}' is not in the catalog on {}", decision->item_code, FormatDate(date)));
  }
  if (item->responsible_unit != ctx.unit) {
    return Error(ErrorCode::kForbidden, fmt::format("'{}' is run by unit '{}', not by your unit '{}'", item->code,
                                                    item->responsible_unit, ctx.unit));
  }

  json payload = {{"participation_id", ctx.view.NextId("first_line_participations")},
                  {"decision_id", decision_id},
                  {"item_code", item->code},
                  {"date", FormatDate(date)},
                  {"mode", mode},
                  {"informed_about_application", informed}};
  Events events;
  std::optional<int64_t> person_id;
  if (mode == "identified") {
    for (const char* field : {"count", "age_band", "gender", "note", "basis"}) {
      if (input.contains(field)) {
        return Error(ErrorCode::kInvalidInput, fmt::format("field '{}' belongs to a non-identifying registration", field));
      }
    }
    // 14 kap. 5 § SoL: where the committee decided that identity is not documented, it is not.
    if (decision->identity_exempt) {
      return Error(ErrorCode::kIllegalTransition,
                   fmt::format("committee decision {} exempts '{}' from documenting identity (14 kap. 5 § SoL); "
                               "register the participation without identity",
                               decision_id, item->code));
    }
    if (!input.contains("person") || !input["person"].is_object() || !input["person"].contains("identity_number")) {
      return Error(ErrorCode::kInvalidInput, "field 'person': an identified registration needs {identity_number}");
    }
    auto number = ParseIdentityNumber(input["person"].value("identity_number", json("")).is_string()
                                          ? input["person"]["identity_number"].get<std::string>()
                                          : std::string(),
                                      ctx.now.date);
    if (!number.ok()) {
      return Error(ErrorCode::kInvalidIdentityNumber, fmt::format("field 'person': {}", number.status().message()));
    }
    int age = number->AgeOn(date);
    if ((decision->age_min && age < *decision->age_min) || (decision->age_max && age > *decision->age_max)) {
      return Error(ErrorCode::kIllegalTransition,
                   fmt::format("the person is {} years old; committee decision {} covers ages {}–{}", age, decision_id,
                               decision->age_min ? std::to_string(*decision->age_min) : "0",
                               decision->age_max ? std::to_string(*decision->age_max) : ""));
    }
    bool consent = false;
    if (input.contains("guardian_consent")) {
      NYSOL_ASSIGN_OR_RETURN(consent, in.Bool("guardian_consent"));
    }
    NYSOL_ASSIGN_OR_RETURN(auto judgement, in.OptionalString("suitability_judgement", kMaxJudgement));
    auto adult = ctx.rulebook.Years("child-age-limit", date);
    auto alone = ctx.rulebook.Years("first-line-without-guardian-consent-age", date);
    if (!adult.ok() || !alone.ok()) return Error(ErrorCode::kInternal, "rulebook: the age limits are missing");
    if (age < adult->years) {
      // 21 kap. 2 § SoL: a child only with guardian consent; from 15 also without, if it is suitable.
      if (age < alone->years && !consent) {
        return Error(ErrorCode::kIllegalTransition,
                     fmt::format("the child is {} years old: without needs assessment only with the guardians' "
                                 "consent under {} ({})",
                                 age, alone->years, alone->law_ref));
      }
      if (!consent && !judgement) {
        return Error(ErrorCode::kIllegalTransition,
                     fmt::format("the child is {} years old: without the guardians' consent, record the judgement "
                                 "that it is suitable in 'suitability_judgement' ({})",
                                 age, alone->law_ref));
      }
    }
    Events person_events;
    NYSOL_ASSIGN_OR_RETURN(auto subject, ResolveSubject({{"identity_number", number->digits}}, date, nullptr, "person",
                                                        ctx, &person_events));
    events = std::move(person_events);
    person_id = subject.person_id;
    payload["guardian_consent"] = age < adult->years ? json(consent) : json();
    payload["suitability_judgement"] = judgement ? json(*judgement) : json();
    payload["age"] = age;
  } else {
    for (const char* field : {"person", "guardian_consent", "suitability_judgement"}) {
      if (input.contains(field)) {
        return Error(ErrorCode::kInvalidInput, fmt::format("field '{}' would identify the person; a non-identifying "
                                                           "registration has none",
                                                           field));
      }
    }
    NYSOL_ASSIGN_OR_RETURN(auto basis, in.String("basis", 20));
    if (basis == "identity_exempt") {
      if (!decision->identity_exempt) {  // 14 kap. 5 § SoL: only by the committee's decision
        return Error(ErrorCode::kIllegalTransition,
                     fmt::format("committee decision {} does not exempt '{}' from documenting identity "
                                 "(14 kap. 5 § SoL)",
                                 decision_id, item->code));
      }
    } else if (basis != "advice") {  // 14 kap. 4 § SoL: advice is not documented
      return Error(ErrorCode::kInvalidInput, "field 'basis' must be 'identity_exempt' (14 kap. 5 §) or 'advice' (14 kap. 4 §)");
    }
    NYSOL_ASSIGN_OR_RETURN(int64_t count, in.Int("count", 1, kMaxGroup));
    NYSOL_ASSIGN_OR_RETURN(auto age_band, in.String("age_band", 10));
    if (!kAgeBands.count(age_band)) return Error(ErrorCode::kInvalidInput, "field 'age_band' is not a known age band");
    NYSOL_ASSIGN_OR_RETURN(auto gender, in.String("gender", 10));
    if (!kGenders.count(gender)) {
      return Error(ErrorCode::kInvalidInput, "field 'gender' must be female, male, other or unknown");
    }
    NYSOL_ASSIGN_OR_RETURN(auto note, in.OptionalString("note", kMaxNote));
    if (note && LooksLikeIdentityNumber(*note)) {
      return Error(ErrorCode::kInvalidInput, "field 'note' seems to hold an identity number; leave identity out");
    }
    payload["basis"] = basis;
    payload["count"] = count;
    payload["age_band"] = age_band;
    payload["gender"] = gender;
    payload["note"] = note ? json(*note) : json();
  }
  events.push_back(MakeEvent(ctx, "first_line_participation", FormatDate(date), std::nullopt, person_id,
                             std::move(payload)));
  return events;
}

Result<Events> ReferFirstLineToApplication(int64_t participation_id, const json& input, CommandContext& ctx) {
  auto participation = ctx.view.FindFirstLineParticipation(participation_id);
  if (!participation) {
    return Error(ErrorCode::kNotFound, fmt::format("there is no first-line participation {}", participation_id));
  }
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"to_unit", "text", "channel"}));
  NYSOL_ASSIGN_OR_RETURN(auto to_unit, in.String("to_unit", 64));
  NYSOL_ASSIGN_OR_RETURN(auto text, in.String("text", 20000));
  NYSOL_ASSIGN_OR_RETURN(auto channel, in.OptionalString("channel", 40));
  if (participation->unit != ctx.unit) {
    return Error(ErrorCode::kForbidden, fmt::format("participation {} was registered by unit '{}'", participation_id,
                                                    participation->unit));
  }
  if (!participation->person_id) {
    return Error(ErrorCode::kIllegalTransition,
                 "a participation registered without identity cannot become an application; register the person");
  }
  if (participation->referred_matter_id) {
    return Error(ErrorCode::kConflict, fmt::format("participation {} already became matter {}", participation_id,
                                                   *participation->referred_matter_id));
  }
  auto adult = ctx.rulebook.Years("child-age-limit", ctx.now.date);
  if (!adult.ok()) return Error(ErrorCode::kInternal, "rulebook: the child age limit is missing");
  if (participation->age && *participation->age < adult->years) {
    return Error(ErrorCode::kIllegalTransition,
                 "for a child, the first line turns to the intake unit (a report of concern or the guardians' "
                 "application), not to an application of its own here");
  }
  auto person = ctx.view.FindPerson(*participation->person_id);
  if (!person || !person->identity_number) return Error(ErrorCode::kInternal, "the participant's record is missing");
  CommandContext in_unit = ctx;  // the application is the receiving unit's matter
  in_unit.unit = to_unit;
  NYSOL_ASSIGN_OR_RETURN(
      auto events,
      RegisterApplication({{"received_at", FormatLocalDateTime(ctx.now).substr(0, 16)},
                           {"channel", channel.value_or("in_person")},
                           {"applicant", {{"identity_number", *person->identity_number}}},
                           {"text", text}},
                          in_unit));
  int64_t matter_id = *events.front().matter_id;
  events.push_back(MakeEvent(ctx, "first_line_referred", FormatLocalDateTime(ctx.now), matter_id,
                             participation->person_id,
                             {{"participation_id", participation_id}, {"to_unit", to_unit}}));
  return events;
}

}  // namespace nysol
