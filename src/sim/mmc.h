// The M/M/c queue simulated on the engine: Poisson arrivals, exponential service, c servers, first come first
// served, infinite waiting room. It validates the engine against Erlang C (erlang.h) and is the model the
// benchmark runs in our engine and in SimPy (bench/sim_mmc.py).
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace nysol::sim {

struct MmcParams {
  double arrival_rate = 0;  // λ > 0
  double service_rate = 0;  // μ > 0 (per server)
  int servers = 0;          // c >= 1
  int64_t customers = 0;    // N >= 1 arrivals
  uint64_t seed = 1;
};

// kInvalidInput naming the first option that is wrong, including an unstable queue (λ >= c·μ).
Status ValidateMmc(const MmcParams& params);

struct MmcResult {
  int64_t customers = 0;
  double mean_wait = 0;       // mean time in queue over the N customers
  double p_wait = 0;          // share of customers who had to wait (found every server busy)
  double mean_sojourn = 0;    // mean time in system
  double utilisation = 0;     // busy server time / (c × simulated time)
  double mean_in_system = 0;  // time average of the number in system
  double mean_in_queue = 0;   // time average of the number waiting
  double throughput = 0;      // N / simulated time (λ as observed)
  double simulated_time = 0;  // time of the last departure
  uint64_t events = 0;        // engine events: one arrival and one departure per customer (2N)
  double seconds = 0;         // wall time of the simulation loop
  double events_per_second = 0;
};

// Simulates N customers from an empty system until the last one leaves. Deterministic for a seed (apart from
// seconds and events_per_second). Params must be valid (ValidateMmc).
MmcResult SimulateMmc(const MmcParams& params);

// The result, with the exact Erlang C figures and Little's law beside it, as one JSON object.
std::string MmcJson(const MmcParams& params, const MmcResult& result);

}  // namespace nysol::sim
