// Matters (ärenden) and the state they are in: the chain for children from report of concern to closure
// (19–20 kap. SoL) and the same steps for adults' applications without the child-specific clocks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.h"

namespace nysol {

enum class MatterKind { kChild, kAdult };
// The phases of the chain. Each command is legal in some phases only (see matter_commands.h).
enum class MatterPhase {
  kReceived,       // inkommen: report or application registered, awaiting assessment / investigation
  kInvestigating,  // utredning pågår
  kInvestigated,   // utredning avslutad: decisions and interventions follow
  kClosed,         // avslutat
};

std::string_view MatterKindName(MatterKind kind);    // "child" | "adult"
std::string_view MatterPhaseName(MatterPhase phase);  // "received" | "investigating" | "investigated" | "closed"
bool ParseMatterKind(std::string_view text, MatterKind* kind);
bool ParseMatterPhase(std::string_view text, MatterPhase* phase);

struct ReportSubject {  // one report about this matter's child
  int64_t report_id = 0;
  LocalDateTime received_at;
  std::string disposition;  // "new_matter" | "attached_to_pending_assessment" | "attached_to_investigation"
  bool protection_assessed = false;
};

struct DecisionState {
  int64_t id = 0;
  std::string outcome;       // granted | partly_refused | refused
  std::string intervention;  // code
  bool appealable = false;
  Date decided_on;
  std::optional<Date> served_on;
  std::optional<Date> appeal_due;
};

struct InterventionState {
  int64_t id = 0;
  int64_t decision_id = 0;
  std::string intervention;
  Date started_on;
  std::optional<Date> ended_on;
};

// What the rules need to know about a matter. Loaded by the store from current state.
struct MatterState {
  int64_t id = 0;
  MatterKind kind = MatterKind::kChild;
  int64_t person_id = 0;
  std::string unit;
  std::optional<std::string> assigned_to;  // username of the case worker handling it
  MatterPhase phase = MatterPhase::kReceived;
  Date received_on;
  std::optional<Date> preliminary_due;  // 20 kap. 2 §; none when attached to a running investigation
  bool preliminary_extended = false;
  std::optional<Date> preliminary_decided_on;
  std::optional<Date> investigation_started_on;
  std::optional<Date> investigation_due;  // 20 kap. 3 §; children only
  int investigation_extensions = 0;
  std::optional<Date> investigation_notified_on;
  std::optional<Date> investigation_completed_on;
  std::optional<Date> closed_on;
  std::vector<ReportSubject> reports;
  std::vector<DecisionState> decisions;
  std::vector<InterventionState> interventions;
  std::vector<int64_t> note_ids;  // journal notes, oldest first

  bool HasRunningIntervention() const;
  const DecisionState* FindDecision(int64_t decision_id) const;
  const InterventionState* FindIntervention(int64_t intervention_id) const;
};

}  // namespace nysol
