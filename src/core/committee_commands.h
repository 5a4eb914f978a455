// The committee's decisions on interventions without individual needs assessment (11 kap. 5 § SoL): which
// catalog items are offered that way, from when, to whom, and whether identity is left undocumented
// (14 kap. 5 §). Pure, like the chain's commands: validates and returns the events.
#pragma once

#include <nlohmann/json.hpp>

#include "core/catalog.h"
#include "core/matter_commands.h"

namespace nysol {

// Input: item_code, decided_on, minutes_paragraph, dnr, valid_from, valid_to?, target_group?, age_min?,
// age_max?, max_sessions?, conditions?, identity_exempt?, identity_exempt_reasons?, ends? (an earlier decision
// on the same item that this one ends from its valid_from). Refused for items of a kind the law always requires
// an individual assessment for (11 kap. 5 § p. 1–7).
Result<Events> RecordCommitteeDecision(const Catalog& catalog, const nlohmann::json& input, CommandContext& ctx);

}  // namespace nysol
