// The legal clocks of a matter, as a case worker sees them: what is due when, by which law, how many days are
// left, and whether it was met, is overdue or was extended.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/matter.h"
#include "core/rulebook.h"

namespace nysol {

enum class ClockStatus {
  kRunning,  // due date ahead or today
  kOverdue,  // due date passed and the step not taken
  kMet,      // step taken on or before the due date
  kLate,     // step taken after the due date
  kExpired,  // a period for the individual (appeal) that has run out
};
std::string_view ClockStatusName(ClockStatus status);  // running | overdue | met | late | expired

struct LegalClock {
  std::string rule;     // rulebook period id: "preliminary-assessment", "investigation", "appeal", …
  std::string name_sv;  // "Förhandsbedömning"
  std::string law_ref;  // "20 kap. 2 § SoL"
  Date started_on;
  Date due;
  std::optional<Date> stopped_on;  // when the step was taken
  bool extended = false;
  ClockStatus status = ClockStatus::kRunning;
  int days_left = 0;  // due - today while running (negative when overdue); 0 once stopped
  std::optional<int64_t> decision_id;  // for appeal clocks
};

// All clocks of `matter` on `today`, most urgent first (overdue, then fewest days left, then stopped ones).
std::vector<LegalClock> MatterClocks(const MatterState& matter, const Rulebook& rulebook, Date today);

}  // namespace nysol
