#include "core/matter.h"

namespace nysol {

std::string_view MatterKindName(MatterKind kind) { return kind == MatterKind::kChild ? "child" : "adult"; }

std::string_view MatterPhaseName(MatterPhase phase) {
  switch (phase) {
    case MatterPhase::kReceived: return "received";
    case MatterPhase::kInvestigating: return "investigating";
    case MatterPhase::kInvestigated: return "investigated";
    case MatterPhase::kClosed: return "closed";
  }
  return "received";
}

bool ParseMatterKind(std::string_view text, MatterKind* kind) {
  if (text == "child") *kind = MatterKind::kChild;
  else if (text == "adult") *kind = MatterKind::kAdult;
  else return false;
  return true;
}

bool ParseMatterPhase(std::string_view text, MatterPhase* phase) {
  for (auto p : {MatterPhase::kReceived, MatterPhase::kInvestigating, MatterPhase::kInvestigated,
                 MatterPhase::kClosed}) {
    if (MatterPhaseName(p) == text) {
      *phase = p;
      return true;
    }
  }
  return false;
}

bool MatterState::HasRunningIntervention() const {
  for (const auto& intervention : interventions) {
    if (!intervention.ended_on) return true;
  }
  return false;
}

const DecisionState* MatterState::FindDecision(int64_t decision_id) const {
  for (const auto& decision : decisions) {
    if (decision.id == decision_id) return &decision;
  }
  return nullptr;
}

const InterventionState* MatterState::FindIntervention(int64_t intervention_id) const {
  for (const auto& intervention : interventions) {
    if (intervention.id == intervention_id) return &intervention;
  }
  return nullptr;
}

}  // namespace nysol
