// The engine against exact queueing results: M/M/c mean wait and probability of waiting (Erlang C), and
// Little's law, within 1 %, with fixed seeds.
#include "sim/mmc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/engine.h"
#include "sim/erlang.h"
#include "sim/rng.h"
#include "sim/statistics.h"

namespace nysol::sim {
namespace {

TEST(ErlangC, KnownValues) {
  // c = 3, a = 2: Erlang C = 4/9 (Erlang B(3, 2) = 4/19), Wq = C / (cμ − λ) = 4/9.
  MmcExact e = ErlangC(2.0, 1.0, 3);
  EXPECT_NEAR(e.p_wait, 4.0 / 9.0, 1e-12);
  EXPECT_NEAR(e.mean_wait, 4.0 / 9.0, 1e-12);
  EXPECT_NEAR(e.mean_in_system, 2.0 * (4.0 / 9.0 + 1.0), 1e-12);
  // M/M/1: C = ρ, Wq = ρ / (μ − λ).
  MmcExact one = ErlangC(0.5, 1.0, 1);
  EXPECT_NEAR(one.p_wait, 0.5, 1e-12);
  EXPECT_NEAR(one.mean_wait, 1.0, 1e-12);
}

// Mean over replications of the per-run figure, each run a different stream of the seed.
struct Pooled {
  double mean_wait = 0, p_wait = 0, utilisation = 0, in_system = 0, little = 0;
};
Pooled RunReplications(double lambda, double mu, int c, int64_t customers, int replications, uint64_t seed) {
  Pooled pooled;
  for (int k = 0; k < replications; ++k) {
    MmcParams p{lambda, mu, c, customers, seed * 1000 + static_cast<uint64_t>(k)};
    MmcResult r = SimulateMmc(p);
    pooled.mean_wait += r.mean_wait / replications;
    pooled.p_wait += r.p_wait / replications;
    pooled.utilisation += r.utilisation / replications;
    pooled.in_system += r.mean_in_system / replications;
    pooled.little += r.throughput * r.mean_sojourn / replications;
  }
  return pooled;
}

TEST(Mmc, MatchesErlangCWithinOnePercent) {
  struct Case {
    double lambda, mu;
    int c;
    int64_t customers;  // per replication, 8 replications; enough for a standard error of about 0.3 %
  };
  // Moderate to heavy load (about two seconds in all): the heavier the load and the more servers, the slower
  // the mean wait settles, so M/M/10 at ρ = 0.8 gets the most customers.
  for (Case k : {Case{2.0, 1.0, 3, 1000000}, Case{8.0, 1.0, 10, 3000000}, Case{0.5, 1.0, 1, 500000}}) {
    SCOPED_TRACE(::testing::Message() << "lambda=" << k.lambda << " mu=" << k.mu << " c=" << k.c);
    MmcExact exact = ErlangC(k.lambda, k.mu, k.c);
    Pooled sim = RunReplications(k.lambda, k.mu, k.c, k.customers, 8, 42);
    EXPECT_NEAR(sim.mean_wait / exact.mean_wait, 1.0, 0.01);
    EXPECT_NEAR(sim.p_wait / exact.p_wait, 1.0, 0.01);
    EXPECT_NEAR(sim.utilisation / exact.utilisation, 1.0, 0.01);
    EXPECT_NEAR(sim.in_system / exact.mean_in_system, 1.0, 0.01);
    // Little's law within the simulation: time-average number in system = throughput × mean time in system.
    EXPECT_NEAR(sim.little / sim.in_system, 1.0, 0.01);
  }
}

TEST(Mmc, SameSeedSameOutput) {
  MmcParams p{2.0, 1.0, 3, 100000, 7};
  MmcResult a = SimulateMmc(p), b = SimulateMmc(p);
  EXPECT_EQ(a.mean_wait, b.mean_wait);
  EXPECT_EQ(a.p_wait, b.p_wait);
  EXPECT_EQ(a.utilisation, b.utilisation);
  EXPECT_EQ(a.simulated_time, b.simulated_time);
  EXPECT_EQ(a.events, 200000u);  // one arrival and one departure per customer
  p.seed = 8;
  EXPECT_NE(SimulateMmc(p).mean_wait, a.mean_wait);
}

TEST(Mmc, RejectsBadParameters) {
  EXPECT_TRUE(ValidateMmc({1.0, 1.0, 2, 10, 1}).ok());
  EXPECT_FALSE(ValidateMmc({0.0, 1.0, 2, 10, 1}).ok());
  EXPECT_FALSE(ValidateMmc({-1.0, 1.0, 2, 10, 1}).ok());
  EXPECT_FALSE(ValidateMmc({1.0, 0.0, 2, 10, 1}).ok());
  EXPECT_FALSE(ValidateMmc({1.0, 1.0, 0, 10, 1}).ok());
  EXPECT_FALSE(ValidateMmc({1.0, 1.0, 2000000, 10, 1}).ok());  // would reserve an event per server
  EXPECT_FALSE(ValidateMmc({1.0, 1.0, 2, 0, 1}).ok());
  Status unstable = ValidateMmc({2.0, 1.0, 2, 10, 1});  // λ = cμ
  EXPECT_FALSE(unstable.ok());
  EXPECT_NE(unstable.message().find("not stable"), std::string::npos);
}

TEST(Engine, EarliestFirstTiesInSchedulingOrder) {
  Engine engine;
  engine.Schedule(2.0, 0, 1);
  engine.Schedule(1.0, 0, 2);
  engine.Schedule(2.0, 0, 3);
  engine.Schedule(0.5, 0, 4);
  std::vector<uint32_t> ids;
  Event e;
  while (engine.Next(&e)) ids.push_back(e.id);
  EXPECT_EQ(ids, (std::vector<uint32_t>{4, 2, 1, 3}));
  EXPECT_EQ(engine.processed(), 4u);
  EXPECT_EQ(engine.now(), 2.0);
}

TEST(Rng, ExponentialMeanAndDeterminism) {
  Rng a(123), b(123);
  double sum = 0;
  const int n = 1000000;
  for (int i = 0; i < n; ++i) {
    double x = a.Exponential(2.0);
    ASSERT_EQ(x, b.Exponential(2.0));
    ASSERT_GT(x, 0.0);
    sum += x;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);
  EXPECT_NE(Rng::Stream(1, 0).Next(), Rng::Stream(1, 1).Next());
}

TEST(Rng, ZigguratIsExponential) {
  // Kolmogorov–Smirnov against 1 − exp(−x), the tail beyond the last layer (r ≈ 7.7) and the variance.
  Rng rng(99);
  const int n = 1000000;
  std::vector<double> x(n);
  double sum = 0, squares = 0;
  int beyond_8 = 0;
  for (double& v : x) {
    v = rng.StandardExponential();
    sum += v;
    squares += v * v;
    if (v > 8) ++beyond_8;
  }
  std::sort(x.begin(), x.end());
  double ks = 0;
  for (int i = 0; i < n; ++i) {
    double cdf = 1 - std::exp(-x[static_cast<size_t>(i)]);
    ks = std::max(
        {ks, std::abs(cdf - static_cast<double>(i) / n), std::abs(cdf - static_cast<double>(i + 1) / n)});
  }
  EXPECT_LT(ks, 1.63 / std::sqrt(static_cast<double>(n)));  // the 1 % critical value
  EXPECT_NEAR(sum / n, 1.0, 0.005);
  EXPECT_NEAR(squares / n - (sum / n) * (sum / n), 1.0, 0.01);
  EXPECT_NEAR(beyond_8, n * std::exp(-8.0), 4 * std::sqrt(n * std::exp(-8.0)));  // P(X > 8) = e^−8
}

TEST(Statistics, StudentTAndInterval) {
  EXPECT_NEAR(StudentT975(1), 12.7062, 1e-4);
  EXPECT_NEAR(StudentT975(30), 2.0423, 1e-4);
  EXPECT_NEAR(StudentT975(60), 2.0003, 1e-3);
  EXPECT_NEAR(StudentT975(1000), 1.9623, 1e-3);
  Estimate e = Summarise({1.0, 2.0, 3.0, 4.0});
  EXPECT_DOUBLE_EQ(e.mean, 2.5);
  EXPECT_NEAR(e.stddev, 1.2909944, 1e-6);
  EXPECT_NEAR(e.ci_high - e.mean, 3.1824 * 1.2909944 / 2.0, 1e-4);
  Estimate single = Summarise({5.0});
  EXPECT_EQ(single.ci_low, 5.0);
  EXPECT_EQ(single.ci_high, 5.0);
}

}  // namespace
}  // namespace nysol::sim
