#include "sim/statistics.h"

#include <cmath>

namespace nysol::sim {

double StudentT975(int df) {
  // t(0.975, df) for df = 1 … 30 (standard tables).
  static const double kTable[] = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060,
                                  2.2622,  2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199,
                                  2.1098,  2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639,
                                  2.0595,  2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
  if (df < 1) df = 1;
  if (df <= 30) return kTable[df - 1];
  const double z = 1.959963984540054;  // the normal 0.975 quantile
  const double n = df, z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n);
}

Estimate Summarise(const std::vector<double>& values) {
  Estimate e;
  e.n = static_cast<int>(values.size());
  if (e.n == 0) return e;
  double sum = 0;
  for (double v : values) sum += v;
  e.mean = sum / e.n;
  if (e.n == 1) {
    e.ci_low = e.ci_high = e.mean;
    return e;
  }
  double squares = 0;
  for (double v : values) squares += (v - e.mean) * (v - e.mean);
  e.stddev = std::sqrt(squares / (e.n - 1));
  const double half = StudentT975(e.n - 1) * e.stddev / std::sqrt(static_cast<double>(e.n));
  e.ci_low = e.mean - half;
  e.ci_high = e.mean + half;
  return e;
}

}  // namespace nysol::sim
