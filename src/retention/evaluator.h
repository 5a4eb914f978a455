// Gallring (16 kap. SoL): given what is on record about one person and a day, whether the person's records
// must be kept (by which rule, and until when) or removed (by which rule, and by when the removal must be
// finished). Pure: no I/O, no clock; the rulebook and the municipality's settings are passed in.
//
// The unit of removal is the whole person: every journal event and current-state row about them. Where an
// exception of 16 kap. 2–4 §§ covers some of the person's documents, the whole record is kept (see
// docs/RETENTION.md for why, and for every reading of the law made here).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.h"
#include "core/matter.h"
#include "core/rulebook.h"
#include "core/status.h"
#include "retention/settings.h"

namespace nysol::retention {

struct MatterFacts {
  int64_t id = 0;
  MatterKind kind = MatterKind::kChild;
  bool open = false;  // not closed
  std::optional<Date> closed_on;
  std::optional<Date> investigation_started_on;  // for a child matter: an investigation under 20 kap. 3 § SoL
};

struct InterventionFacts {
  int64_t id = 0;
  int64_t matter_id = 0;
  std::string code;  // rulebook "intervention" code, e.g. "hvb"
  Date started_on;
  std::optional<Date> ended_on;
};

// What the rules need to know about one person's records.
struct PersonFacts {
  int64_t person_id = 0;
  std::optional<Date> birth_date;
  std::optional<int> birth_year;   // when only the year is known (unknown identity)
  std::optional<Date> last_entry;  // the day (Stockholm) the last journal entry about the person was made
  std::vector<MatterFacts> matters;
  std::vector<InterventionFacts> interventions;
  // NySoL does not record these yet; the rules are applied as soon as the data is.
  bool paternity_investigation = false;  // 16 kap. 2 § 1 SoL: utredning om faderskap eller föräldraskap
  bool adoption_investigation = false;   // 16 kap. 2 § 2 SoL: utredning om adoption
  bool approved_agreement = false;  // 16 kap. 3 § SoL: avtal om vårdnad, boende eller umgänge (the child's)
};

enum class Verdict { kKeep, kRemove };
std::string_view VerdictName(Verdict verdict);  // "keep" | "remove"

// Stable rule ids (CLI output, journal payloads, golden files).
inline constexpr std::string_view kRuleFiveYears = "five-years";  // 16 kap. 1 § första stycket
inline constexpr std::string_view kRuleOngoing = "ongoing";       // 16 kap. 1 §
inline constexpr std::string_view kRulePaternity = "paternity";   // 16 kap. 2 § 1
inline constexpr std::string_view kRuleAdoption = "adoption";     // 16 kap. 2 § 2
inline constexpr std::string_view kRulePlacement = "placement";   // 16 kap. 2 § 3
inline constexpr std::string_view kRuleChildInvestigation = "child-investigation";      // 16 kap. 2 a §
inline constexpr std::string_view kRuleAgreement = "agreement";                         // 16 kap. 3 §
inline constexpr std::string_view kRuleResearchMunicipality = "research-municipality";  // 16 kap. 4 §
inline constexpr std::string_view kRuleResearchSample = "research-sample";              // 16 kap. 4 §

// 16 kap. 2 a § SoL entered into force on this day (SFS 2025:1501), and by its transitional provision p. 2 it
// does not apply to matters closed before it.
inline constexpr Date kChildInvestigationInForce{std::chrono::year{2026}, std::chrono::January,
                                                 std::chrono::day{15}};

struct Decision {
  Verdict verdict = Verdict::kKeep;
  std::string rule;     // one of the kRule ids: the rule that decides (for keep: the one that keeps longest)
  std::string law_ref;  // e.g. "16 kap. 1 § SoL"
  std::string reason;   // one English sentence, no personal data beyond ids and dates
  std::optional<Date> last_entry;
  // The first day the records may be removed. None: kept with no end date under `rule` (an exception of
  // 16 kap. 2 or 4 §, an open matter, or an age that cannot be known).
  std::optional<Date> removable_from;
  // 16 kap. 1 § tredje stycket SoL: the removal must be finished by 31 December of the calendar year after
  // the duty to remove arose. Set whenever removable_from is.
  std::optional<Date> due_by;
};

// The decision for `person` on `on` under the rules in force on `on`. Fails with kNotFound when no version of
// 16 kap. 1 § is in force on `on` (before 2025-07-01), kInvalidInput when the person has no journal entry.
Result<Decision> Evaluate(const PersonFacts& person, Date on, const Rulebook& rulebook,
                          const Settings& settings);

// The day someone born on `birth` has turned `years` (29 February: 1 March in a common year, like AgeOn).
Date BirthdayOfAge(Date birth, int years);

}  // namespace nysol::retention
