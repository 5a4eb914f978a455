// Where the law leaves a choice, the evaluator keeps: a removal cannot be undone, a record kept too long can
// still be removed by the next run. Each such reading is listed in docs/RETENTION.md.
#include "retention/evaluator.h"

#include <algorithm>

#include <fmt/format.h>

namespace nysol::retention {
namespace {

using std::chrono::sys_days;

bool Before(Date a, Date b) { return sys_days{a} < sys_days{b}; }
Date Later(Date a, Date b) { return Before(a, b) ? b : a; }

Date EndOfFollowingYear(Date day) {
  return Date{day.year() + std::chrono::years{1}, std::chrono::December, std::chrono::day{31}};
}

Decision KeepWithoutEnd(const PersonFacts& person, std::string_view rule, std::string law_ref,
                        std::string reason) {
  Decision d;
  d.verdict = Verdict::kKeep;
  d.rule = std::string(rule);
  d.law_ref = std::move(law_ref);
  d.reason = std::move(reason);
  d.last_entry = person.last_entry;
  return d;
}

// Whether the person may have been a child (under the age limit) on `day`. When the age cannot be known the
// answer is yes for a child matter: the exception is applied rather than risk removing a placed child's file.
bool MayHaveBeenChild(const PersonFacts& person, const MatterFacts* matter, Date day, int age_limit) {
  if (person.birth_date) return AgeOn(*person.birth_date, day) < age_limit;
  if (person.birth_year) return static_cast<int>(day.year()) - *person.birth_year <= age_limit;
  return matter == nullptr || matter->kind == MatterKind::kChild;
}

const MatterFacts* FindMatter(const PersonFacts& person, int64_t id) {
  for (const MatterFacts& m : person.matters) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

// The day the person has certainly turned `years`; none when neither birth date nor year is known.
std::optional<Date> CertainlyTurned(const PersonFacts& person, int years) {
  if (person.birth_date) return BirthdayOfAge(*person.birth_date, years);
  // Only the year: born at the latest on 31 December of it.
  if (person.birth_year) {
    return Date{std::chrono::year{*person.birth_year + years}, std::chrono::December, std::chrono::day{31}};
  }
  return std::nullopt;
}

// A candidate for the first day the records may be removed, with the rule that sets it.
struct Bound {
  std::string rule;
  std::string law_ref;
  std::string reason;
  Date removable_from;
  Date duty_arises;  // the day the duty to remove arises (16 kap. 1 § tredje stycket counts from its year)
};

}  // namespace

std::string_view VerdictName(Verdict verdict) { return verdict == Verdict::kKeep ? "keep" : "remove"; }

Date BirthdayOfAge(Date birth, int years) {
  Date day{birth.year() + std::chrono::years{years}, birth.month(), birth.day()};
  if (day.ok()) return day;
  // 29 February in a common year: the age is reached on 1 March (as AgeOn counts it).
  return Date{day.year(), std::chrono::March, std::chrono::day{1}};
}

Result<Decision> Evaluate(const PersonFacts& person, Date on, const Rulebook& rulebook,
                          const Settings& settings) {
  // 16 kap. 1 § SoL: the rule in force on the day of the run governs the run.
  auto five_years = rulebook.Years("retention-years", on);
  if (!five_years.ok()) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("no retention rule (16 kap. 1 § SoL) is in force on {}: {}", FormatDate(on),
                             five_years.status().message()));
  }
  if (!person.last_entry) {
    return Error(ErrorCode::kInvalidInput, fmt::format("person {} has no journal entry", person.person_id));
  }

  // 16 kap. 4 § första meningen SoL: in a research municipality documents are kept for research.
  if (settings.research_municipality) {
    return KeepWithoutEnd(person, kRuleResearchMunicipality, "16 kap. 4 § SoL",
                          "the municipality is a research municipality (config: research_municipality)");
  }

  // 16 kap. 2 § 1–2 SoL: investigations of paternity or parenthood and of adoption are never removed under 1
  // §.
  if (person.paternity_investigation) {
    return KeepWithoutEnd(person, kRulePaternity, "16 kap. 2 § 1 SoL",
                          "documents from an investigation of paternity or parenthood");
  }
  if (person.adoption_investigation) {
    return KeepWithoutEnd(person, kRuleAdoption, "16 kap. 2 § 2 SoL",
                          "documents from an investigation of adoption");
  }

  // 16 kap. 2 § 3 SoL: a child placed or received in familjehem, stödboende, skyddat boende, HVB or another
  // private home. Which intervention codes are such placements is a rulebook code list.
  auto child_age = rulebook.Years("child-age-limit", on);
  if (!child_age.ok()) return child_age.status();
  for (const InterventionFacts& intervention : person.interventions) {
    auto placement = rulebook.Lookup("retention_placement", intervention.code, on);
    if (!placement.ok()) continue;
    if (!MayHaveBeenChild(person, FindMatter(person, intervention.matter_id), intervention.started_on,
                          child_age->years)) {
      continue;
    }
    return KeepWithoutEnd(person, kRulePlacement, placement->law_ref,
                          fmt::format("placed as a child: intervention {} ({}) started {}", intervention.id,
                                      intervention.code, FormatDate(intervention.started_on)));
  }

  // 16 kap. 4 § andra meningen SoL: a representative sample of persons, chosen by day of birth.
  if (person.birth_date) {
    const int day = static_cast<int>(static_cast<unsigned>(person.birth_date->day()));
    const auto& days = settings.research_sample_birth_days;
    if (std::find(days.begin(), days.end(), day) != days.end()) {
      return KeepWithoutEnd(person, kRuleResearchSample, "16 kap. 4 § SoL",
                            fmt::format("born on day {} of the month: in the research sample of persons "
                                        "(config: research_sample_birth_days)",
                                        day));
    }
  }

  // 16 kap. 1 § första stycket andra meningen och andra stycket SoL: not while the register data about the
  // person remain, and those are removed only five years after the circumstances they concern have ended.
  for (const MatterFacts& matter : person.matters) {
    if (matter.open) {
      return KeepWithoutEnd(
          person, kRuleOngoing, "16 kap. 1 § SoL",
          fmt::format("matter {} is open: five years are counted from when it ends", matter.id));
    }
  }
  for (const InterventionFacts& intervention : person.interventions) {
    if (!intervention.ended_on) {
      return KeepWithoutEnd(
          person, kRuleOngoing, "16 kap. 1 § SoL",
          fmt::format("intervention {} ({}) has not ended: five years are counted from when "
                      "it ends",
                      intervention.id, intervention.code));
    }
  }

  // 16 kap. 1 § första stycket SoL: five years after the last entry. The day of the last entry is not counted
  // and the entry may have been made late on the anniversary, so removal starts the day after it; the duty
  // arises on the anniversary. A matter or intervention that ended after the last entry (a date recorded in
  // advance) counts from its end (andra stycket).
  Date reference = *person.last_entry;
  for (const MatterFacts& matter : person.matters) {
    if (matter.closed_on) reference = Later(reference, *matter.closed_on);
  }
  for (const InterventionFacts& intervention : person.interventions) {
    if (intervention.ended_on) reference = Later(reference, *intervention.ended_on);
  }
  const Date anniversary = AddMonths(reference, 12 * five_years->years);
  Bound bound{std::string(kRuleFiveYears), five_years->law_ref,
              fmt::format("{} years after the last entry ({})", five_years->years, FormatDate(reference)),
              AddDays(anniversary, 1), anniversary};

  // 16 kap. 2 a § SoL (SFS 2025:1501): documents from an investigation of a child's need of protection or
  // support are kept until the person has turned 30. Transitional provision p. 2: not for matters closed
  // before 2026-01-15. A decision not to open an investigation (2 a § andra stycket) leaves the matter under
  // 1 §.
  auto until_30 = rulebook.Years("retention-child-investigation-until-age", on);
  if (until_30.ok()) {
    const MatterFacts* investigated = nullptr;
    for (const MatterFacts& matter : person.matters) {
      if (matter.kind != MatterKind::kChild || !matter.investigation_started_on) continue;
      if (matter.closed_on && Before(*matter.closed_on, kChildInvestigationInForce)) continue;
      investigated = &matter;
      break;
    }
    if (investigated != nullptr) {
      auto turned = CertainlyTurned(person, until_30->years);
      if (!turned) {
        return KeepWithoutEnd(
            person, kRuleChildInvestigation, until_30->law_ref,
            fmt::format("investigation in matter {}; the person's age is unknown, so when they "
                        "turn {} cannot be known",
                        investigated->id, until_30->years));
      }
      if (Before(bound.removable_from, *turned)) {
        bound = Bound{std::string(kRuleChildInvestigation), until_30->law_ref,
                      fmt::format("investigation of a child's need of protection or support in matter {}; "
                                  "kept until the person has turned {} ({})",
                                  investigated->id, until_30->years, FormatDate(*turned)),
                      *turned, *turned};
      }
    }
  }

  // 16 kap. 3 § SoL: an approved agreement on custody, residence or contact is kept until the child is 18.
  if (person.approved_agreement) {
    auto until_18 = rulebook.Years("retention-agreement-until-age", on);
    if (!until_18.ok()) return until_18.status();
    auto turned = CertainlyTurned(person, until_18->years);
    if (!turned) {
      return KeepWithoutEnd(
          person, kRuleAgreement, until_18->law_ref,
          fmt::format("an approved agreement on custody, residence or contact; the child's age "
                      "is unknown, so when they turn {} cannot be known",
                      until_18->years));
    }
    if (Before(bound.removable_from, *turned)) {
      bound =
          Bound{std::string(kRuleAgreement), until_18->law_ref,
                fmt::format("an approved agreement on custody, residence or contact; kept until the child "
                            "has turned {} ({})",
                            until_18->years, FormatDate(*turned)),
                *turned, *turned};
    }
  }

  Decision d;
  d.verdict = Before(on, bound.removable_from) ? Verdict::kKeep : Verdict::kRemove;
  d.rule = std::move(bound.rule);
  d.law_ref = std::move(bound.law_ref);
  d.reason = std::move(bound.reason);
  d.last_entry = person.last_entry;
  d.removable_from = bound.removable_from;
  // 16 kap. 1 § tredje stycket SoL: finished at the latest in the calendar year after the duty arose.
  d.due_by = EndOfFollowingYear(bound.duty_arises);
  return d;
}

}  // namespace nysol::retention
