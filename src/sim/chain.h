// The chain simulated once: arrivals of reports, applications and first-line contacts; preliminary
// assessment, investigation and first-line work by the units' staff; routing between them. One replication of
// `simulate run` (run.h runs many).
//
// A unit's capacity is its staff hours per calendar day. A case in work takes (direct + admin hours) / mean
// days in work of it per day for as long as it is in work; a case starts when the unit has those hours free,
// otherwise it waits. Waiting cases start in priority order: immediate need of protection first, then the
// earliest statutory deadline, then the earliest arrival.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/model.h"
#include "sim/rng.h"
#include "sim/scenario.h"

namespace nysol::sim {

// The statutory limits by simulated day (day 0 is the first warm-up day): days from that day to the last day
// of the limit. Filled from the rulebook by the caller (run.cpp), so the simulator holds no law itself.
struct Deadlines {
  std::vector<int32_t> preliminary;    // 20 kap. 2 § SoL: the preliminary assessment, from the report's day
  std::vector<int32_t> investigation;  // 20 kap. 3 § SoL: a child's investigation, from the day it started
};

struct StepFigures {
  double completed = 0;     // cases that finished the step in the measured days
  double started = 0;       // cases that started work in the measured days
  double wait_days = 0;     // mean days from arrival at the step to the start of work (cases started)
  double lead_days = 0;     // mean days from arrival at the step to its end (cases completed)
  double queue_length = 0;  // time average of the cases waiting
  double in_work = 0;       // time average of the cases in work
  double waiting_at_end = 0;
};

struct UnitFigures {
  double hours_available = 0;  // staff hours available in the measured days (after absence and vacancies)
  double hours_used = 0;       // staff hours worked on cases in the measured days
  double hours_paid = 0;       // hours paid for the filled posts (absence included)
};

struct ChainFigures {
  std::array<StepFigures, kSteps> steps;
  std::vector<UnitFigures> units;   // in the order of plan.model.units
  double preliminary_within = 0;    // share of preliminary assessments decided within the limit
  double investigation_within = 0;  // share of children's investigations completed within the limit
  double reports = 0, applications = 0, first_line_contacts = 0;  // arrivals in the measured days
  double decisions_child = 0, decisions_adult = 0;
  double moved_to_first_line = 0;  // investigations replaced by first-line contacts (scenario)
  double intervention_cost_sek = 0;
  double staff_cost_sek = 0;  // paid hours × hourly cost
  uint64_t events = 0;
};

// Simulates warmup_days + horizon_days from an empty chain and measures the last horizon_days.
// `deadlines` must cover every simulated day plus one.
ChainFigures SimulateChain(const Plan& plan, const Deadlines& deadlines, Rng& rng);

}  // namespace nysol::sim
