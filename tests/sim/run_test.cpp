// Replications of the chain: the chain reduced to one queue agrees with Erlang C; runs are reproducible; the
// scenarios move the figures the way they must; the statutory limits come from the rulebook.
#include "sim/run.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/calibrate.h"
#include "sim/erlang.h"
#include "sim_fixture.h"

namespace nysol::sim {
namespace {

Rulebook LoadRulebook() {
  auto rulebook = Rulebook::Load(Rulebook::DefaultPath());
  EXPECT_TRUE(rulebook.ok()) << rulebook.status().message();
  return *rulebook;
}

const Metric& Get(const RunResult& r, const std::string& key) {
  const Metric* m = r.Find(key);
  EXPECT_NE(m, nullptr) << key;
  static Metric none;
  return m ? *m : none;
}

TEST(Chain, OneQueueAgreesWithErlangC) {
  // Only first-line contacts, at a constant 8 a day; each takes Exp(mean 1 day) in work and 1 staff hour a
  // day, and the unit has 10 hours a day: an M/M/10 queue with λ = 8, μ = 1.
  Model m = SmallChain();
  m.arrivals[0].per_day = 0;
  m.arrivals[1].per_day = 0;
  m.arrivals[2].per_day = 8;
  m.warmup_days = 50;
  m.horizon_days = 3650;
  StepModel& step = m.steps[3];
  step.elapsed_days = 1;
  step.shape = 1;
  step.direct_hours = 1;
  step.admin_hours = 0;
  UnitModel& unit = m.units.at("forsta-linjen");
  unit.staff = 1;
  unit.hours_per_week = 70;
  unit.absence_share = 0;
  auto result = RunScenario(m, Scenario{}, LoadRulebook(), 40, 5);
  ASSERT_TRUE(result.ok()) << result.status().message();
  MmcExact exact = ErlangC(8, 1, 10);
  const Estimate& wait = Get(*result, "steps.first_line.mean_wait_days").baseline;
  // 40 years of about 2,900 customers each: the interval is about ±4 % wide, so the mean is held to 3 % and
  // the interval must hold the exact value (tests/sim/mmc_test.cpp holds the engine itself to 1 %).
  EXPECT_NEAR(wait.mean / exact.mean_wait, 1.0, 0.03) << wait.mean << " vs " << exact.mean_wait;
  EXPECT_LE(wait.ci_low, exact.mean_wait);
  EXPECT_GE(wait.ci_high, exact.mean_wait);
  EXPECT_NEAR(Get(*result, "units.forsta-linjen.utilisation").baseline.mean, exact.utilisation, 0.005);
  // Little's law: mean number waiting = λ × mean wait.
  EXPECT_NEAR(Get(*result, "steps.first_line.mean_queue_length").baseline.mean / (8 * wait.mean), 1.0, 0.01);
  EXPECT_NEAR(Get(*result, "steps.first_line.mean_in_work").baseline.mean, exact.offered_load, 0.05);
}

TEST(Run, SameSeedSameOutput) {
  Model m = SmallChain();
  Scenario sc;
  sc.inflow[0] = 1.1;
  Rulebook rulebook = LoadRulebook();
  auto a = RunScenario(m, sc, rulebook, 5, 11), b = RunScenario(m, sc, rulebook, 5, 11);
  auto c = RunScenario(m, sc, rulebook, 5, 12);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ASSERT_EQ(a->metrics.size(), b->metrics.size());
  bool any_differs = false;
  for (size_t i = 0; i < a->metrics.size(); ++i) {
    EXPECT_EQ(a->metrics[i].key, b->metrics[i].key);
    EXPECT_EQ(a->metrics[i].scenario.mean, b->metrics[i].scenario.mean) << a->metrics[i].key;
    EXPECT_EQ(a->metrics[i].change.ci_high, b->metrics[i].change.ci_high) << a->metrics[i].key;
    if (a->metrics[i].scenario.mean != c->metrics[i].scenario.mean) any_differs = true;
  }
  EXPECT_TRUE(any_differs);
  EXPECT_EQ(a->events, b->events);
  // The number of threads does not change the result.
  auto threaded = RunScenario(m, sc, rulebook, 5, 11, 3);
  ASSERT_TRUE(threaded.ok());
  EXPECT_EQ(RunResultTable(*threaded).substr(0, RunResultTable(*threaded).rfind("\n\n")),
            RunResultTable(*a).substr(0, RunResultTable(*a).rfind("\n\n")));
  EXPECT_FALSE(RunScenario(m, sc, rulebook, 5, 11, 0).ok());
}

TEST(Run, ScenariosMoveTheFigures) {
  Model m = SmallChain();
  Rulebook rulebook = LoadRulebook();
  Scenario more;
  more.inflow[0] = 1.1;
  auto r = RunScenario(m, more, rulebook, 10, 3);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Metric& reports = Get(*r, "arrivals.reports");
  EXPECT_NEAR(reports.scenario.mean / reports.baseline.mean, 1.1, 0.02);
  EXPECT_GT(reports.change.ci_low, 0);
  EXPECT_GT(Get(*r, "units.mottagning-barn.utilisation").change.ci_low, 0);

  Scenario vacant;
  vacant.units["utredning-barn"].vacancies = 7;  // 20 posts, 13 filled: a fifth more work than hours
  auto v = RunScenario(m, vacant, rulebook, 10, 3);
  ASSERT_TRUE(v.ok());
  EXPECT_GT(Get(*v, "steps.investigation_child.mean_wait_days").change.ci_low, 0);
  EXPECT_LT(Get(*v, "compliance.investigation_child_within_4_months").change.ci_high, 0);
  EXPECT_LT(Get(*v, "costs.staff_sek").change.mean, 0);

  Scenario less_admin;
  less_admin.admin_factor = 0.5;
  auto l = RunScenario(m, less_admin, rulebook, 10, 3);
  ASSERT_TRUE(l.ok());
  EXPECT_GT(Get(*l, "freed_hours.all").scenario.ci_low, 0);
  EXPECT_LT(Get(*l, "units.all.utilisation").change.ci_high, 0);

  Scenario moved;
  moved.move_to_first_line = {"kontaktperson"};
  auto mv = RunScenario(m, moved, rulebook, 10, 3);
  ASSERT_TRUE(mv.ok());
  EXPECT_GT(Get(*mv, "decisions.moved_to_first_line").scenario.mean, 0);
  EXPECT_LT(Get(*mv, "steps.investigation_child.completed").change.ci_high, 0);
  EXPECT_GT(Get(*mv, "steps.first_line.completed").change.ci_low, 0);
}

TEST(Run, LimitsComeFromTheRulebook) {
  // The same model under a rulebook whose preliminary assessment is 7 days instead of 14: fewer within it.
  std::ifstream in(Rulebook::DefaultPath());
  std::stringstream text;
  text << in.rdbuf();
  std::string json = text.str();
  const std::string from =
      "\"amount\": 14,\n      \"shift_to_working_day\": false,\n      \"law_ref\": \"20 kap. 2 § SoL\"";
  size_t at = json.find(from);
  ASSERT_NE(at, std::string::npos);
  json.replace(
      at, from.size(),
      "\"amount\": 7,\n      \"shift_to_working_day\": false,\n      \"law_ref\": \"20 kap. 2 § SoL\"");
  auto seven = Rulebook::Parse(json);
  ASSERT_TRUE(seven.ok()) << seven.status().message();
  Model m = SmallChain();
  auto r14 = RunScenario(m, Scenario{}, LoadRulebook(), 3, 1);
  auto r7 = RunScenario(m, Scenario{}, *seven, 3, 1);
  ASSERT_TRUE(r14.ok() && r7.ok());
  const Metric* within14 = r14->Find("compliance.preliminary_assessment_within_14_days");
  const Metric* within7 = r7->Find("compliance.preliminary_assessment_within_7_days");
  ASSERT_NE(within14, nullptr);
  ASSERT_NE(within7, nullptr);
  EXPECT_LT(within7->baseline.mean, within14->baseline.mean - 0.1);
  EXPECT_EQ(r14->limits[0].law_ref, "20 kap. 2 § SoL");
  EXPECT_EQ(r14->limits[1].text, "4 months");
}

TEST(Run, RefusesBadInput) {
  Model m = SmallChain();
  Rulebook rulebook = LoadRulebook();
  EXPECT_FALSE(RunScenario(m, Scenario{}, rulebook, 0, 1).ok());
  m.arrivals[0].per_day = -1;
  auto bad = RunScenario(m, Scenario{}, rulebook, 1, 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("arrivals.report.per_day"), std::string::npos);
}

TEST(Run, JsonHasEveryFigureWithItsInterval) {
  auto r = RunScenario(SmallChain(), Scenario{}, LoadRulebook(), 3, 1);
  ASSERT_TRUE(r.ok());
  auto j = nlohmann::json::parse(RunResultJson(*r));
  for (const char* path : {"/metrics/steps/investigation_child/mean_queue_length",
                           "/metrics/compliance/investigation_child_within_4_months",
                           "/metrics/units/utredning-barn/utilisation", "/metrics/freed_hours/all",
                           "/metrics/costs/total_sek"}) {
    SCOPED_TRACE(path);
    auto node = j.at(nlohmann::json::json_pointer(path));
    EXPECT_TRUE(node.at("scenario").at("ci_low").is_number());
    EXPECT_EQ(node.at("baseline").at("n"), 3);
  }
  EXPECT_NE(RunResultTable(*r).find("compliance.preliminary_assessment_within_14_days"), std::string::npos);
}

TEST(Calibrate, ErlangCdf) {
  EXPECT_NEAR(ErlangCdf(1, 2.0, 2.0), 1 - std::exp(-1.0), 1e-12);
  EXPECT_NEAR(ErlangCdf(2, 1.0, 1.0), 1 - std::exp(-2.0) * 3, 1e-12);
  EXPECT_EQ(ErlangCdf(3, 1.0, 0.0), 0.0);
}

}  // namespace
}  // namespace nysol::sim
