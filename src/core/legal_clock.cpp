#include "core/legal_clock.h"

#include <algorithm>

namespace nysol {
namespace {

LegalClock MakeClock(const Rulebook& rulebook, std::string rule, Date started_on, Date due,
                     std::optional<Date> stopped_on, Date today) {
  LegalClock clock;
  clock.rule = std::move(rule);
  if (auto period = rulebook.Period(clock.rule, started_on); period.ok()) {
    clock.name_sv = period->name_sv;
    clock.law_ref = period->law_ref;
  }
  clock.started_on = started_on;
  clock.due = due;
  clock.stopped_on = stopped_on;
  if (stopped_on) {
    clock.status = *stopped_on <= due ? ClockStatus::kMet : ClockStatus::kLate;
  } else {
    clock.days_left = DaysBetween(today, due);
    clock.status = clock.days_left < 0 ? ClockStatus::kOverdue : ClockStatus::kRunning;
  }
  return clock;
}

int Urgency(const LegalClock& clock) {
  switch (clock.status) {
    case ClockStatus::kOverdue: return 0;
    case ClockStatus::kRunning: return 1;
    default: return 2;
  }
}

}  // namespace

std::string_view ClockStatusName(ClockStatus status) {
  switch (status) {
    case ClockStatus::kRunning: return "running";
    case ClockStatus::kOverdue: return "overdue";
    case ClockStatus::kMet: return "met";
    case ClockStatus::kLate: return "late";
    case ClockStatus::kExpired: return "expired";
  }
  return "running";
}

std::vector<LegalClock> MatterClocks(const MatterState& matter, const Rulebook& rulebook, Date today) {
  std::vector<LegalClock> clocks;
  if (matter.kind == MatterKind::kChild) {
    // 20 kap. 1 §: one protection assessment per report; the earliest unassessed report sets the clock.
    std::optional<Date> oldest_open;
    for (const auto& report : matter.reports) {
      if (!report.protection_assessed && (!oldest_open || report.received_at.date < *oldest_open)) {
        oldest_open = report.received_at.date;
      }
    }
    if (oldest_open && matter.phase != MatterPhase::kClosed) {
      auto rule = rulebook.Period("protection-assessment", *oldest_open);
      Date due = rule.ok() ? PeriodEnd(*rule, *oldest_open) : *oldest_open;
      clocks.push_back(MakeClock(rulebook, "protection-assessment", *oldest_open, due, std::nullopt, today));
    }
    // 20 kap. 2 §: fourteen days from arrival, unless extended for synnerliga skäl.
    if (matter.preliminary_due) {
      auto clock = MakeClock(rulebook, "preliminary-assessment", matter.received_on, *matter.preliminary_due,
                             matter.preliminary_decided_on, today);
      clock.extended = matter.preliminary_extended;
      clocks.push_back(clock);
    }
    // 20 kap. 3 §: four months from the start, unless extended for särskilda skäl.
    if (matter.investigation_started_on && matter.investigation_due) {
      auto clock = MakeClock(rulebook, "investigation", *matter.investigation_started_on, *matter.investigation_due,
                             matter.investigation_completed_on, today);
      clock.extended = matter.investigation_extensions > 0;
      clocks.push_back(clock);
    }
  }
  // 44 § FL: three weeks from receipt for an appealable decision; the clock runs for the individual.
  for (const auto& decision : matter.decisions) {
    if (!decision.served_on || !decision.appeal_due) continue;
    auto clock = MakeClock(rulebook, "appeal", *decision.served_on, *decision.appeal_due, std::nullopt, today);
    if (clock.status == ClockStatus::kOverdue) {  // nobody is late: the window for an appeal has closed
      clock.status = ClockStatus::kExpired;
      clock.days_left = 0;
    }
    clock.decision_id = decision.id;
    clocks.push_back(clock);
  }
  std::stable_sort(clocks.begin(), clocks.end(), [](const LegalClock& a, const LegalClock& b) {
    if (Urgency(a) != Urgency(b)) return Urgency(a) < Urgency(b);
    return a.due < b.due;
  });
  return clocks;
}

}  // namespace nysol
