// The chain as commands: each validates its input against the matter's state and the rulebook and returns the
// events to append, or a Status saying precisely why not. Pure: all reads go through CaseView, nothing is
// written here, so a refused command changes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/civil_date.h"
#include "core/event.h"
#include "core/matter.h"
#include "core/rulebook.h"
#include "core/status.h"

namespace nysol {

struct PersonRecord {
  int64_t id = 0;
  std::optional<std::string> identity_number;  // 12 digits
  bool protected_identity = false;
};

// A committee decision that opens a catalog item without individual needs assessment (11 kap. 5 § SoL), as a
// command needs to know it.
struct CommitteeDecisionRecord {
  int64_t id = 0;
  std::string item_code;
  Date valid_from;
  std::optional<Date> valid_to;    // the last day it applies
  std::optional<Date> ended_from;  // a later decision ended it from this day
  bool identity_exempt = false;    // 14 kap. 5 §: data that may reveal identity is not documented
  std::optional<int> age_min;
  std::optional<int> age_max;

  bool AppliesOn(Date on) const {
    return valid_from <= on && (!valid_to || on <= *valid_to) && (!ended_from || on < *ended_from);
  }
};

// A first-line participation, as a command needs to know it.
struct FirstLineRecord {
  int64_t id = 0;
  std::string unit;
  std::optional<int64_t> person_id;  // identified only
  std::optional<int> age;
  std::optional<int64_t> referred_matter_id;  // already turned into an application
};

// What a command needs to know of a person's other open matters.
struct OpenMatter {
  int64_t id = 0;
  MatterKind kind = MatterKind::kChild;
  MatterPhase phase = MatterPhase::kReceived;
};

// The reads a command may make. The store implements it inside the write transaction.
class CaseView {
 public:
  virtual ~CaseView() = default;
  virtual std::optional<PersonRecord> FindPersonByIdentityNumber(const std::string& digits) = 0;
  virtual std::optional<PersonRecord> FindPerson(int64_t person_id) = 0;
  virtual std::optional<MatterState> LoadMatter(int64_t matter_id) = 0;
  // The person's matters that are not closed, oldest first.
  virtual std::vector<OpenMatter> OpenMattersOf(int64_t person_id) = 0;
  virtual std::optional<CommitteeDecisionRecord> FindCommitteeDecision(int64_t decision_id) = 0;
  virtual std::optional<FirstLineRecord> FindFirstLineParticipation(int64_t participation_id) = 0;
  // The next free id in "persons", "matters", "reports", "decisions", "interventions", "notes",
  // "committee_decisions" or "first_line_participations".
  virtual int64_t NextId(std::string_view table) = 0;
};

struct CommandContext {
  const Rulebook& rulebook;
  CaseView& view;
  std::string actor;
  std::string unit;
  LocalDateTime now;        // local Stockholm time of the command
  std::string recorded_at;  // the same instant in UTC, for the journal
};

using Events = std::vector<Event>;

// An event of kind `kind` written by the command's user now, under the rulebook in force.
Event MakeEvent(const CommandContext& ctx, std::string kind, std::string occurred_at,
                std::optional<int64_t> matter_id, std::optional<int64_t> person_id, nlohmann::json payload);

// Who a report, an application or a first-line contact is about: an identified person (found, or registered
// now by a person_registered event appended to `events`) or, with a name and no number, someone whose identity
// is unknown (always a new person). Input: {identity_number} | {name, birth_year?}, address?. With `age_limit`,
// a person at or over it on `on` is refused. `field` names the input in messages.
struct Subject {
  int64_t person_id = 0;
  std::optional<std::string> identity_number;
};
Result<Subject> ResolveSubject(const nlohmann::json& input, Date on, const YearsRule* age_limit,
                               std::string_view field, CommandContext& ctx, Events* events);

// Registers a report of concern (orosanmälan, 19 kap.) about one or more children. Input: received_at,
// reporter_category, channel, reporter_name?, text, children: [{identity_number} | {name, birth_year?}].
// Per child: attached to a running investigation (20 kap. 2 §: no preliminary assessment needed), attached to
// a matter still awaiting its preliminary assessment, or a new matter with its 14-day clock.
Result<Events> RegisterReport(const nlohmann::json& input, CommandContext& ctx);

// Registers an adult's application (ansökan): received_at, channel, identity_number | {name, birth_year?}, text.
Result<Events> RegisterApplication(const nlohmann::json& input, CommandContext& ctx);

// A step on an existing matter.
using MatterCommand = Result<Events> (*)(const MatterState&, const nlohmann::json&, CommandContext&);

Result<Events> RecordProtectionAssessment(const MatterState&, const nlohmann::json&, CommandContext&);
Result<Events> ExtendPreliminaryAssessment(const MatterState&, const nlohmann::json&, CommandContext&);
Result<Events> DecidePreliminaryAssessment(const MatterState&, const nlohmann::json&, CommandContext&);
Result<Events> StartInvestigation(const MatterState&, const nlohmann::json&, CommandContext&);
Result<Events> NotifyInvestigation(const MatterState&, const nlohmann::json&, CommandContext&);
Result<Events> ExtendInvestigation(const MatterState&, const nlohmann::json&, CommandContext&);
Result<Events> CompleteInvestigation(const MatterState&, const nlohmann::json&, CommandContext&);
Result<Events> RecordDecision(const MatterState&, const nlohmann::json&, CommandContext&);
Result<Events> RecordDecisionServed(const MatterState&, const nlohmann::json&, CommandContext&);
Result<Events> StartIntervention(const MatterState&, const nlohmann::json&, CommandContext&);
Result<Events> EndIntervention(const MatterState&, const nlohmann::json&, CommandContext&);
Result<Events> CloseMatter(const MatterState&, const nlohmann::json&, CommandContext&);

// Work distribution (not steps of the chain). The web layer checks that the unit exists and that the assignee
// works there; core records it. Assign: {assigned_to}. Transfer to another unit: {to_unit, assigned_to?, reason?}.
Result<Events> AssignMatter(const MatterState&, const nlohmann::json&, CommandContext&);
Result<Events> TransferMatter(const MatterState&, const nlohmann::json&, CommandContext&);

// A journal note (journalanteckning, 14 kap. SoL): {text, kind?: "note" | "objection", corrects?: note id}.
// An objection records that the individual considers something in the documentation wrong (14 kap. 6 §).
Result<Events> AddNote(const MatterState&, const nlohmann::json&, CommandContext&);

// Marks a person as having protected personal data (skyddade personuppgifter), or lifts it: {protected, reason}.
// Their address and other locating data are then shown only to users explicitly authorised.
Result<Events> SetProtectedIdentity(int64_t person_id, const nlohmann::json& input, CommandContext& ctx);

// The steps the chain allows next, named as in the API ("protection-assessment", "preliminary-assessment",
// "investigation/completion", …), most natural first. Used to show the next legal step as the obvious button.
std::vector<std::string> NextSteps(const MatterState& matter);

}  // namespace nysol
