// A small hand-made chain for the simulator's tests.
#pragma once

#include "sim/model.h"

namespace nysol::sim {

inline Model SmallChain() {
  Model m;
  m.source = "test";
  m.start = "2026-03-01";
  m.horizon_days = 365;
  m.warmup_days = 200;
  for (auto& a : m.arrivals) {
    a.month.fill(1);
    a.weekday.fill(1);
  }
  m.arrivals[0].per_day = 10;
  m.arrivals[0].protection_share = 0.05;
  m.arrivals[1].per_day = 4;
  m.arrivals[2].per_day = 3;
  m.routing.report_to_assessment = 0.8;
  m.routing.assessment_to_investigation = 0.5;
  m.routing.application_to_investigation = 0.9;
  m.routing.investigation_to_decision_child = 0.6;
  m.routing.investigation_to_decision_adult = 0.8;
  m.routing.re_report_share = 0.3;
  m.routing.re_report_mean_days = 100;
  const char* units[] = {"mottagning-barn", "utredning-barn", "vuxen", "forsta-linjen"};
  const double elapsed[] = {8, 100, 50, 1};
  const int shape[] = {2, 2, 2, 1};
  const double hours[] = {3, 20, 10, 2};
  for (size_t s = 0; s < kSteps; ++s) {
    m.steps[s].unit = units[s];
    m.steps[s].elapsed_days = elapsed[s];
    m.steps[s].shape = shape[s];
    m.steps[s].direct_hours = hours[s] * 0.65;
    m.steps[s].admin_hours = hours[s] * 0.35;
  }
  // Staff for about 80 % utilisation: cases a year × hours / (hours a year per post).
  const double staff[] = {6, 20, 9, 3};
  for (size_t s = 0; s < kSteps; ++s) {
    UnitModel u;
    u.staff = staff[s];
    u.hours_per_week = 40;
    u.absence_share = 0.1;
    u.hourly_cost_sek = 600;
    m.units[units[s]] = u;
  }
  m.interventions_child = {{"kontaktperson", 0.5}, {"familjehem", 0.25}};
  m.interventions_adult = {{"boendestod", 0.7}};
  m.intervention_cost_sek = {{"kontaktperson", 3500}, {"familjehem", 45000}, {"boendestod", 0}};
  return m;
}

}  // namespace nysol::sim
