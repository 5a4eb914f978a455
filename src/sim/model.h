// The chain's parameters: arrival streams, routing shares, the steps of work and the units that do them. A
// model is written by calibration (calibrate.h) as TOML, read back by `simulate run`, and may be edited by
// hand in between; docs/PLANNING.md describes every field.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace nysol::sim {

// The three arrival streams.
enum class Stream { kReport = 0, kApplication = 1, kFirstLine = 2 };
inline constexpr int kStreams = 3;
const char* StreamName(Stream stream);  // "report", "application", "first_line"

// The steps of work.
enum class Step { kPreliminary = 0, kInvestigationChild = 1, kInvestigationAdult = 2, kFirstLine = 3 };
inline constexpr int kSteps = 4;
const char* StepName(Step step);  // "preliminary_assessment", "investigation_child", …

// How well a fitted figure matches the journal. Written to the TOML as a `fit` table beside the figure;
// informational only (a run never reads it back).
struct Fit {
  std::map<std::string, double> figures;  // e.g. observed_total, fitted_total, month_mape, dispersion
  std::string note;
};

struct ArrivalModel {
  double per_day = 0;  // the level: a day's rate is per_day × month × weekday (about the mean per day)
  std::array<double, 12> month{};   // month-of-year factors, January first; mean 1 over the year
  std::array<double, 7> weekday{};  // weekday factors, Monday first; mean 1 over the week
  double protection_share = 0;      // reports: share with an immediate need of protection (served first)
  Fit fit;
};

struct StepModel {
  std::string unit;         // the unit that does the work
  double elapsed_days = 1;  // mean calendar days a case is in work once started (> 0)
  int shape = 1;            // Erlang shape of the elapsed time (1 = exponential … 50)
  // When not empty: the days in work are drawn from these 21 quantiles (0 %, 5 % … 100 %, non-decreasing),
  // linearly between them, instead of the Erlang distribution; elapsed_days must then be their mean.
  std::vector<double> quantiles;
  double direct_hours = 0;  // staff hours of direct work per case (>= 0)
  double admin_hours = 0;   // staff hours of administration per case (>= 0)
  Fit fit;
};

struct UnitModel {
  double staff = 0;            // posts (full-time equivalents) >= 0
  double vacancies = 0;        // posts unfilled, 0 … staff
  double hours_per_week = 40;  // working hours per post
  double absence_share = 0;    // share of working hours lost to absence, 0 … < 1
  double hourly_cost_sek = 0;  // cost of one paid staff hour
  Fit fit;
};

struct Routing {
  double report_to_assessment = 1;             // reports that start a preliminary assessment (the rest join a
                                               // matter already open)
  double assessment_to_investigation = 0;      // preliminary assessments that open an investigation
  double application_to_investigation = 0;     // applications that are investigated
  double investigation_to_decision_child = 0;  // child investigations ending in a granted intervention
  double investigation_to_decision_adult = 0;
  double re_report_share = 0;      // reports about someone reported within the previous 12 months
  double re_report_mean_days = 1;  // mean days from a report to the next one about the same person
  Fit fit;
};

struct Model {
  std::string source;           // what it was calibrated from (informational)
  std::string calibrated_from;  // the calibration period (informational)
  std::string calibrated_to;
  std::string start = "2026-01-01";  // first simulated day (after the warm-up), YYYY-MM-DD
  int horizon_days = 365;            // measured days
  int warmup_days = 120;             // simulated before the measured days, from an empty chain
  std::array<ArrivalModel, kStreams> arrivals;
  Routing routing;
  std::array<StepModel, kSteps> steps;
  std::map<std::string, UnitModel> units;  // by unit code
  // Granted interventions: catalog item code → share of the decisions, per kind of matter.
  std::map<std::string, double> interventions_child;
  std::map<std::string, double> interventions_adult;
  std::map<std::string, double> intervention_cost_sek;  // item code → cost per decision
};

inline constexpr size_t kQuantiles = 21;
// The mean of the piecewise-linear distribution through the quantiles.
double QuantileMean(const std::vector<double>& quantiles);

// Checks ranges and references (every step's unit exists, shares in [0, 1], factors > 0 …); kInvalidInput
// naming the field.
Status ValidateModel(const Model& model);

// Parses the TOML text; unknown keys, wrong types and invalid values are errors naming the key.
Result<Model> ParseModelToml(const std::string& text, const std::string& origin);
Result<Model> LoadModel(const std::string& path);
// The model as TOML, with the fit figures and comments; ParseModelToml reads it back to an equal model.
std::string ModelToml(const Model& model);

}  // namespace nysol::sim
