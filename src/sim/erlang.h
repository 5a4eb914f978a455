// Exact results for the M/M/c queue (Erlang C), against which the simulator is validated.
#pragma once

namespace nysol::sim {

struct MmcExact {
  double offered_load = 0;    // a = λ/μ
  double utilisation = 0;     // ρ = a/c
  double p_wait = 0;          // Erlang C: the probability that an arriving customer waits
  double mean_wait = 0;       // Wq = C / (cμ − λ)
  double mean_sojourn = 0;    // W = Wq + 1/μ
  double mean_in_queue = 0;   // Lq = λ·Wq (Little)
  double mean_in_system = 0;  // L = λ·W (Little)
};

// Requires λ, μ > 0, c >= 1 and λ < c·μ (the caller validates). Uses the Erlang B recursion, stable for large
// c.
MmcExact ErlangC(double arrival_rate, double service_rate, int servers);

}  // namespace nysol::sim
