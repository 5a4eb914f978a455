// Calibration: the chain's parameters fitted from the municipality's own journal (through the follow-up
// snapshot), with how well each fits. `nysol simulate calibrate` writes the result as TOML (model.h).
#pragma once

#include <string>

#include "core/catalog.h"
#include "core/civil_date.h"
#include "core/status.h"
#include "followup/snapshot.h"
#include "sim/model.h"
#include "store/db.h"

namespace nysol::sim {

struct CalibrationOptions {
  Date from;  // first day of the calibration period
  Date to;    // last day, inclusive
  // Not in the journal, so assumed (and written to the model, where they can be edited):
  double utilisation = 0.85;  // the share of staff hours the observed throughput is taken to use
  double admin_share = 0.35;  // the share of a case's hours that is administration
  double hours_per_week = 40;
  double absence_share = 0.12;
  double hourly_cost_sek = 600;
  double first_line_elapsed_days = 1;  // a first-line contact's days in work (no lead time in the journal)
  int horizon_days = 365;
  std::string source;  // written to model.source
};

// Fits the model from the snapshot (arrivals, routing, lead times, intervention mix), the store (staff per
// unit from `users`; the share of reports with an immediate need of protection from the journal) and the
// catalog (unit costs; may be null). kInvalidInput when the period is empty or holds no reports.
Result<Model> Calibrate(const followup::Snapshot& snapshot, store::Db& db, const Catalog* catalog,
                        const CalibrationOptions& options);

// The CDF of the Erlang distribution with `shape` k and mean `mean` at x (used for the fit of elapsed times).
double ErlangCdf(int shape, double mean, double x);

}  // namespace nysol::sim
