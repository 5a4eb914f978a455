// Replications of a scenario against its calibrated model: the library entry point that `nysol simulate run`
// and (later) the planning page call. Each replication simulates the baseline (the model as calibrated) and
// the scenario on the same random stream, so their difference is measured pairwise.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/rulebook.h"
#include "core/status.h"
#include "sim/model.h"
#include "sim/scenario.h"
#include "sim/statistics.h"

namespace nysol::sim {

// One figure: its mean with a 95 % confidence interval in the baseline, in the scenario, and of the
// scenario's difference from the baseline (per replication, then summarised).
struct Metric {
  std::string key;   // dotted path, e.g. "steps.investigation_child.mean_wait_days"
  std::string unit;  // "cases", "days", "share", "hours", "SEK" …
  Estimate baseline, scenario, change;
};

struct Limit {
  std::string id;       // rulebook id: "preliminary-assessment", "investigation"
  std::string text;     // "14 days", "4 months"
  std::string law_ref;  // "20 kap. 2 § SoL"
};

struct RunResult {
  std::string scenario_name;
  std::string scenario_description;
  int replications = 0;
  uint64_t seed = 0;
  std::string start;  // first measured day
  int horizon_days = 0;
  int warmup_days = 0;
  std::string rulebook_version;
  std::vector<Limit> limits;  // the statutory limits used, as in force on the start day
  std::vector<Metric> metrics;
  uint64_t events = 0;  // engine events, all replications, baseline and scenario
  double seconds = 0;   // wall time
  const Metric* Find(const std::string& key) const;
};

// Runs `replications` (1 … 100,000) replications on `threads` (1 … 256) threads; replication k uses
// Rng::Stream(seed, k), so the result is the same for the same inputs, whatever the number of threads.
// kInvalidInput for a bad count or a model that does not validate; kNotFound when the rulebook lacks a limit
// for a simulated day. The inputs are only read (several runs may share them).
Result<RunResult> RunScenario(const Model& model, const Scenario& scenario, const Rulebook& rulebook,
                              int replications, uint64_t seed, int threads = 1);

// The result as one JSON object: metrics nested by their dotted keys, each {baseline, scenario, change}
// with {mean, ci_low, ci_high, stddev, n}.
std::string RunResultJson(const RunResult& result);
// The result as a plain-text table, one metric per line.
std::string RunResultTable(const RunResult& result);

}  // namespace nysol::sim
