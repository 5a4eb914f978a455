#include "sim/erlang.h"

namespace nysol::sim {

MmcExact ErlangC(double arrival_rate, double service_rate, int servers) {
  MmcExact exact;
  const double a = arrival_rate / service_rate;
  const double rho = a / servers;
  // Erlang B by recursion: B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)); then C = B / (1 − ρ(1 − B)).
  double b = 1.0;
  for (int k = 1; k <= servers; ++k) b = a * b / (k + a * b);
  const double c = b / (1.0 - rho * (1.0 - b));
  exact.offered_load = a;
  exact.utilisation = rho;
  exact.p_wait = c;
  exact.mean_wait = c / (servers * service_rate - arrival_rate);
  exact.mean_sojourn = exact.mean_wait + 1.0 / service_rate;
  exact.mean_in_queue = arrival_rate * exact.mean_wait;
  exact.mean_in_system = arrival_rate * exact.mean_sojourn;
  return exact;
}

}  // namespace nysol::sim
