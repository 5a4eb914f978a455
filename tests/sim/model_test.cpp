// The model's and the scenario's TOML: written and read back unchanged; every bad key or value refused with a
// message naming it.
#include "sim/model.h"

#include <gtest/gtest.h>

#include "sim/scenario.h"
#include "sim_fixture.h"

namespace nysol::sim {
namespace {

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ModelToml, RoundTrip) {
  Model m = SmallChain();
  m.steps[1].quantiles = {10,  20,  30,  40,  50,  60,  70,  80,  90,  100, 110,
                          120, 130, 140, 150, 160, 170, 180, 190, 200, 210};
  m.steps[1].elapsed_days = QuantileMean(m.steps[1].quantiles);
  m.arrivals[0].fit.figures["month_mape"] = 0.05;
  m.arrivals[0].fit.note = "a \"quoted\" note";
  std::string text = ModelToml(m);
  auto back = ParseModelToml(text, "model.toml");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(ModelToml(*back), text);
  EXPECT_EQ(back->arrivals[0].per_day, m.arrivals[0].per_day);
  EXPECT_EQ(back->arrivals[0].month, m.arrivals[0].month);
  EXPECT_EQ(back->steps[1].quantiles, m.steps[1].quantiles);
  EXPECT_EQ(back->units.at("utredning-barn").staff, 20.0);
  EXPECT_EQ(back->interventions_child.at("kontaktperson"), 0.5);
  EXPECT_EQ(back->arrivals[0].fit.note, "a \"quoted\" note");
}

TEST(ModelToml, RefusesBadInput) {
  const std::string good = ModelToml(SmallChain());
  struct Bad {
    std::string from, to, message;
  };
  for (const Bad& bad : std::vector<Bad>{
           {"[units.vuxen]\nstaff", "[units.vuxen]\nstaf = 1\nstaff", "unknown key units.vuxen.staf"},
           {"[arrivals.report]\nper_day = 10.0", "[arrivals.report]\nper_day = -2.0",
            "arrivals.report.per_day"},
           {"[arrivals.report]\nper_day = 10.0", "[arrivals.report]\nper_day = \"many\"", "must be a number"},
           // So large a rate would never finish a run.
           {"[arrivals.report]\nper_day = 10.0", "[arrivals.report]\nper_day = 1e9", "per_day must be 0 … 100000"},
           {"unit = \"vuxen\"", "unit = \"nowhere\"", "no unit 'nowhere'"},
           {"assessment_to_investigation = 0.5", "assessment_to_investigation = 1.5",
            "assessment_to_investigation"},
           {"shape = 2", "shape = 2.5", "shape must be an integer"},
           {"horizon_days = 365", "", "model.horizon_days is missing"},
           {"[model]", "[modell]\nx = 1\n[model]", "unknown key modell"},
           {"[routing]", "[routing\n", "model.toml:"},
       }) {
    SCOPED_TRACE(bad.to);
    auto parsed = ParseModelToml(Replace(good, bad.from, bad.to), "model.toml");
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.status().message().find(bad.message), std::string::npos) << parsed.status().message();
  }
  EXPECT_FALSE(LoadModel("/nonexistent/model.toml").ok());
}

TEST(ScenarioToml, ReadsEveryChange) {
  Model m = SmallChain();
  auto sc = ParseScenarioToml(R"(
[scenario]
name = "test"
[inflow]
report = 1.1
[units.utredning-barn]
vacancies = 2
staff_delta = 1
[administration]
factor = 0.8
[administration.steps]
first_line = 0.5
[first_line]
move_items = ["kontaktperson"]
[digital_channel]
stream = "application"
share = 0.4
admin_factor = 0.5
)",
                              "s.toml", m);
  ASSERT_TRUE(sc.ok()) << sc.status().message();
  EXPECT_EQ(sc->name, "test");
  EXPECT_DOUBLE_EQ(sc->inflow[0], 1.1);
  EXPECT_EQ(*sc->units.at("utredning-barn").vacancies, 2.0);
  Plan plan = ApplyScenario(m, *sc);
  EXPECT_DOUBLE_EQ(plan.model.arrivals[0].per_day, 11.0);
  EXPECT_EQ(plan.model.units.at("utredning-barn").staff, 21.0);
  EXPECT_DOUBLE_EQ(plan.model.steps[3].admin_hours, m.steps[3].admin_hours * 0.8 * 0.5);
  // Half the child decisions are kontaktperson: that share of the investigations that end in a decision
  // moves.
  EXPECT_DOUBLE_EQ(plan.moved_child, m.routing.investigation_to_decision_child * 0.5);
  EXPECT_EQ(plan.digital_stream, 1);
}

TEST(ScenarioToml, RefusesBadInput) {
  Model m = SmallChain();
  struct Bad {
    std::string text, message;
  };
  for (const Bad& bad : std::vector<Bad>{
           {"[inflow]\nreports = 1.1", "unknown key inflow.reports"},
           {"[inflow]\nreport = -1", "inflow.report must be a factor"},
           {"[units.nowhere]\nvacancies = 1", "the model has no unit 'nowhere'"},
           {"[units.vuxen]\nvacancies = 10", "more vacancies than"},
           {"[units.vuxen]\nstaff_delta = -10", "would leave"},
           {"[first_line]\nmove_items = [\"unknown-item\"]", "no decisions on catalog item 'unknown-item'"},
           {"[digital_channel]\nstream = \"fax\"\nshare = 0.1", "digital_channel.stream"},
           {"[extra]\nx = 1", "unknown key extra"},
           {"[inflow\n", "s.toml:"},
       }) {
    SCOPED_TRACE(bad.text);
    auto sc = ParseScenarioToml(bad.text, "s.toml", m);
    ASSERT_FALSE(sc.ok());
    EXPECT_NE(sc.status().message().find(bad.message), std::string::npos) << sc.status().message();
  }
}

}  // namespace
}  // namespace nysol::sim
