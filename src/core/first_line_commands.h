// The first line: registering that someone took part in an intervention offered without individual needs
// assessment (11 kap. 5 § SoL), in a few seconds, under the rules of 14 kap. 4–5 §§, 11 kap. 6 § and
// 21 kap. 2 § SoL.
#pragma once

#include <nlohmann/json.hpp>

#include "core/catalog.h"
#include "core/matter_commands.h"

namespace nysol {

// Input: decision_id (the committee decision that opened the item; it must apply on `date`), date, mode, and
//   identified:       person {identity_number}, guardian_consent?, suitability_judgement?
//   non_identifying:  count, age_band, gender, note?, basis ("identity_exempt" | "advice")
// and informed_about_application (11 kap. 6 §: told of the right to apply for an assessed intervention).
// Refused: an item of another unit than the user's; identity where the decision exempts it (14 kap. 5 §); no
// identity where neither the decision's exemption nor advice (14 kap. 4 §) allows it; a child under 15 without
// guardian consent, and 15–17 without consent and without a recorded judgement that it is suitable (21 kap. 2 §);
// an age outside the decision's range.
Result<Events> RegisterFirstLineParticipation(const Catalog& catalog, const nlohmann::json& input,
                                              CommandContext& ctx);

// One step from the first line to the second: the person wants their needs assessed, so an application
// (11 kap. 1 § SoL) is registered for them in `to_unit`, and the participation records it. Input: to_unit,
// text, channel? (default in_person). Identified adults only; the web layer checks that the unit exists.
Result<Events> ReferFirstLineToApplication(int64_t participation_id, const nlohmann::json& input,
                                           CommandContext& ctx);

}  // namespace nysol
