// Figures over replications: the mean and its 95 % confidence interval by Student's t (independent
// replications, each one observation).
#pragma once

#include <vector>

namespace nysol::sim {

struct Estimate {
  double mean = 0;
  double stddev = 0;  // sample standard deviation over the replications (n − 1)
  double ci_low = 0;  // mean ± t(0.975, n − 1) · stddev / √n; equal to the mean when n = 1
  double ci_high = 0;
  int n = 0;
};

// The two-sided 95 % quantile of Student's t with `df` >= 1 degrees of freedom: t(0.975, df). Exact table
// values to df 30, then the Cornish–Fisher expansion around the normal quantile (error < 1e-4).
double StudentT975(int df);

// Mean and 95 % confidence interval of `values` (empty: all zero, n = 0).
Estimate Summarise(const std::vector<double>& values);

}  // namespace nysol::sim
