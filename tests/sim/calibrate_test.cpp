// Calibration from a journal whose events the test states itself: every fitted share, rate and lead time is
// the ratio or mean of counts the test knows.
#include "sim/calibrate.h"

#include <gtest/gtest.h>

#include "../followup/journal_fixture.h"
#include "core/civil_date.h"

namespace nysol::sim {
namespace {

class CalibrateTest : public followup::JournalTest {
 protected:
  std::string Day(int offset) { return FormatDate(AddDays(ParseDate("2025-01-06").value(), offset)); }

  void AddUser(const std::string& name, const std::string& unit, const std::string& role) {
    db_->Prepare(
           "INSERT INTO users (username, display_name, unit, role, created_at) VALUES (?1, ?1, ?2, ?3, "
           "'2025-01-01T00:00:00Z')")
        .Bind(1, name)
        .Bind(2, unit)
        .Bind(3, role)
        .Run();
  }

  // 20 children reported, the first 5 again 30 days later (25 reports); 16 preliminary assessments with
  // leads 0 … 4 days, 8 of which open an investigation of 60 days; 6 granted decisions (4 kontaktperson,
  // 2 familjehem); 3 applications, all investigated; 4 protection assessments, 1 with an immediate need.
  void WriteJournal() {
    for (int p = 1; p <= 20; ++p) {
      int day = p * 3;
      Add("person_registered", p, {{"sex", p % 2 ? "female" : "male"}, {"birth_date", "2015-05-05"}},
          Day(day), "mottagning-barn");
      Add("matter_opened", p, {{"kind", "child"}, {"received_on", Day(day)}}, Day(day), "mottagning-barn");
      Add("report_received", p,
          {{"received_at", Day(day) + "T09:00"}, {"reporter_category", "school"}, {"channel", "phone"}},
          Day(day), "mottagning-barn");
      if (p <= 5)
        Add("report_received", p,
            {{"received_at", Day(day + 30) + "T09:00"},
             {"reporter_category", "police"},
             {"channel", "phone"}},
            Day(day + 30), "mottagning-barn");
      if (p > 16) continue;
      int lead = p % 5;
      bool open = p <= 8;
      Add("preliminary_decided", p,
          {{"decision", open ? "open_investigation" : "no_investigation"},
           {"decided_on", Day(day + lead)},
           {"within_time", true}},
          Day(day + lead), "mottagning-barn");
      if (!open) continue;
      Add("investigation_started", p, {{"started_on", Day(day + lead)}}, Day(day + lead), "utredning-barn");
      Add("investigation_completed", p, {{"completed_on", Day(day + lead + 60)}, {"within_time", true}},
          Day(day + lead + 60), "utredning-barn");
      if (p <= 6)
        Add("decision_made", p,
            {{"decision_id", p},
             {"outcome", "granted"},
             {"intervention", p <= 4 ? "kontaktperson" : "familjehem"},
             {"legal_basis", "sol-11-1"},
             {"decided_on", Day(day + lead + 61)}},
            Day(day + lead + 61), "utredning-barn");
    }
    for (int p = 101; p <= 103; ++p) {
      Add("person_registered", p, {{"sex", "female"}, {"birth_date", "1980-01-01"}}, Day(p - 90), "vuxen");
      Add("matter_opened", p, {{"kind", "adult"}, {"received_on", Day(p - 90)}}, Day(p - 90), "vuxen");
      Add("application_received", p, {{"received_at", Day(p - 90) + "T10:00"}, {"channel", "e-service"}},
          Day(p - 90), "vuxen");
      Add("investigation_started", p, {{"started_on", Day(p - 89)}}, Day(p - 89), "vuxen");
    }
    for (int p = 1; p <= 4; ++p)
      Add("protection_assessed", p, {{"immediate_need", p == 1}, {"assessed_at", Day(p * 3) + "T10:00"}},
          Day(p * 3), "mottagning-barn");
    AddUser("a", "mottagning-barn", "case_worker");
    AddUser("b", "mottagning-barn", "team_lead");
    AddUser("c", "utredning-barn", "case_worker");
    AddUser("d", "utredning-barn", "case_worker");
    AddUser("e", "utredning-barn", "case_worker");
    AddUser("f", "utredning-barn", "analyst");  // not staff who work cases
  }
};

TEST_F(CalibrateTest, FitsTheCountsOfTheJournal) {
  WriteJournal();
  followup::Snapshot snapshot;
  ASSERT_TRUE(snapshot.CatchUp(*db_).ok());
  CalibrationOptions options;
  options.from = ParseDate("2025-01-01").value();
  options.to = ParseDate("2025-12-31").value();
  auto model = Calibrate(snapshot, *db_, nullptr, options);
  ASSERT_TRUE(model.ok()) << model.status().message();
  const Model& m = *model;
  // per_day is the level under the month and weekday factors: with every report in four months it is only
  // near the plain mean; the fitted total is the observed one.
  EXPECT_NEAR(m.arrivals[0].per_day, 25.0 / 365, 0.1 * 25.0 / 365);
  EXPECT_EQ(m.arrivals[0].fit.figures.at("observed_total"), 25);
  EXPECT_NEAR(m.arrivals[0].fit.figures.at("fitted_total"), 25, 0.5);
  EXPECT_DOUBLE_EQ(m.arrivals[0].protection_share, 0.25);
  EXPECT_DOUBLE_EQ(m.routing.report_to_assessment, 16.0 / 25);
  EXPECT_DOUBLE_EQ(m.routing.assessment_to_investigation, 0.5);
  EXPECT_DOUBLE_EQ(m.routing.application_to_investigation, 1.0);
  EXPECT_DOUBLE_EQ(m.routing.investigation_to_decision_child, 0.75);
  EXPECT_DOUBLE_EQ(m.routing.re_report_share, 0.2);
  EXPECT_DOUBLE_EQ(m.routing.re_report_mean_days, 30);
  EXPECT_NEAR(m.interventions_child.at("kontaktperson"), 4.0 / 6, 1e-4);
  // Leads 1, 2, 3, 4, 0 … for p = 1 … 16: 31 days in all; investigations exactly 60 days.
  const StepModel& preliminary = m.steps[0];
  EXPECT_EQ(preliminary.unit, "mottagning-barn");
  EXPECT_EQ(preliminary.fit.figures.at("cases"), 16);
  EXPECT_DOUBLE_EQ(preliminary.fit.figures.at("observed_mean_days"), 1.938);  // 31 / 16, rounded
  EXPECT_NEAR(preliminary.elapsed_days, 31.0 / 16, 0.3);
  EXPECT_EQ(preliminary.quantiles.size(), kQuantiles);
  EXPECT_EQ(m.steps[1].unit, "utredning-barn");
  EXPECT_NEAR(m.steps[1].elapsed_days, 60, 0.5);
  EXPECT_EQ(m.units.at("mottagning-barn").staff, 2);
  EXPECT_EQ(m.units.at("utredning-barn").staff, 3);
  // The hours: the unit's hours at the assumed utilisation over its cases, split by the administrative share.
  const UnitModel& intake = m.units.at("mottagning-barn");
  double hours_year = intake.staff * intake.hours_per_week * (1 - intake.absence_share) * 365.25 / 7;
  double cases_year = 16 / (365.0 / 365.25);
  EXPECT_NEAR(preliminary.direct_hours + preliminary.admin_hours, 0.85 * hours_year / cases_year, 0.01);
  EXPECT_NEAR(preliminary.admin_hours / (preliminary.direct_hours + preliminary.admin_hours), 0.35, 0.001);
  EXPECT_TRUE(ValidateModel(m).ok());
  EXPECT_TRUE(ParseModelToml(ModelToml(m), "model.toml").ok());
}

TEST_F(CalibrateTest, RefusesAPeriodWithoutReports) {
  WriteJournal();
  followup::Snapshot snapshot;
  ASSERT_TRUE(snapshot.CatchUp(*db_).ok());
  CalibrationOptions options;
  options.from = ParseDate("2024-01-01").value();
  options.to = ParseDate("2024-12-31").value();
  auto model = Calibrate(snapshot, *db_, nullptr, options);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("no reports of concern"), std::string::npos);
  options.to = ParseDate("2023-12-31").value();
  EXPECT_FALSE(Calibrate(snapshot, *db_, nullptr, options).ok());
}

}  // namespace
}  // namespace nysol::sim
