#include "sim/calibrate.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <vector>

namespace nysol::sim {

namespace {

using followup::FactKind;

int32_t DayOf(Date date) {
  return static_cast<int32_t>(std::chrono::sys_days(date).time_since_epoch().count());
}
Date DateOf(int32_t day) { return Date{std::chrono::sys_days(std::chrono::days(day))}; }
int MonthOf(int32_t day) { return static_cast<int>(static_cast<unsigned>(DateOf(day).month())) - 1; }
int WeekdayOf(int32_t day) {
  return static_cast<int>(
             std::chrono::weekday(std::chrono::sys_days(std::chrono::days(day))).iso_encoding()) -
         1;
}

double Round(double x, int digits) {
  double scale = std::pow(10.0, digits);
  return std::round(x * scale) / scale;
}

// Arrivals per day → per_day, month and weekday factors by iterative proportional fitting (the fitted daily
// rate per_day × month × weekday reproduces the observed totals by month of year and by weekday), and the
// fit: observed against fitted counts per calendar month (MAPE) and the dispersion of the daily counts
// (Pearson χ² / degrees of freedom: about 1 for a Poisson stream, above 1 when arrivals come in bunches).
ArrivalModel FitArrivals(const std::vector<double>& all_days, int32_t period_first_day) {
  ArrivalModel a;
  a.month.fill(1);
  a.weekday.fill(1);
  // A stream that began during the period (the first line came with 2025:400) is fitted from its first
  // arrival: the days before it say nothing about its rate.
  size_t skip = 0;
  while (skip < all_days.size() && all_days[skip] == 0) ++skip;
  if (skip < 60 || skip == all_days.size()) skip = 0;
  std::vector<double> daily(all_days.begin() + static_cast<std::ptrdiff_t>(skip), all_days.end());
  const int32_t first_day = period_first_day + static_cast<int32_t>(skip);
  if (skip > 0) a.fit.figures["fitted_from_day"] = static_cast<double>(skip);
  const size_t days = daily.size();
  double total = 0;
  for (double x : daily) total += x;
  a.per_day = days ? total / static_cast<double>(days) : 0;
  if (total <= 0) {
    a.fit.note = "no arrivals in the period";
    return a;
  }
  std::array<double, 12> month_obs{};
  std::array<double, 7> weekday_obs{};
  for (size_t d = 0; d < days; ++d) {
    month_obs[static_cast<size_t>(MonthOf(first_day + static_cast<int32_t>(d)))] += daily[d];
    weekday_obs[static_cast<size_t>(WeekdayOf(first_day + static_cast<int32_t>(d)))] += daily[d];
  }
  auto fitted = [&](size_t d) {
    int32_t day = first_day + static_cast<int32_t>(d);
    return a.per_day * a.month[static_cast<size_t>(MonthOf(day))] *
           a.weekday[static_cast<size_t>(WeekdayOf(day))];
  };
  for (int iteration = 0; iteration < 50; ++iteration) {
    std::array<double, 12> month_fit{};
    for (size_t d = 0; d < days; ++d)
      month_fit[static_cast<size_t>(MonthOf(first_day + static_cast<int32_t>(d)))] += fitted(d);
    for (size_t m = 0; m < 12; ++m)
      if (month_fit[m] > 0) a.month[m] *= month_obs[m] / month_fit[m];
    std::array<double, 7> weekday_fit{};
    for (size_t d = 0; d < days; ++d)
      weekday_fit[static_cast<size_t>(WeekdayOf(first_day + static_cast<int32_t>(d)))] += fitted(d);
    for (size_t w = 0; w < 7; ++w)
      if (weekday_fit[w] > 0) a.weekday[w] *= weekday_obs[w] / weekday_fit[w];
  }
  // Normalise both factor sets to mean 1; per_day carries the level.
  double month_mean = 0, weekday_mean = 0;
  for (double f : a.month) month_mean += f / 12;
  for (double f : a.weekday) weekday_mean += f / 7;
  for (double& f : a.month) f = Round(f / month_mean, 4);
  for (double& f : a.weekday) f = Round(f / weekday_mean, 4);
  a.per_day = a.per_day * month_mean * weekday_mean;
  // Level again after rounding, so the fitted total equals the observed one.
  double fitted_total = 0;
  for (size_t d = 0; d < days; ++d) fitted_total += fitted(d);
  a.per_day = Round(a.per_day * total / fitted_total, 4);

  std::map<int, std::pair<double, double>> by_month;  // year*12+month → observed, fitted
  double chi2 = 0;
  fitted_total = 0;
  for (size_t d = 0; d < days; ++d) {
    int32_t day = first_day + static_cast<int32_t>(d);
    Date date = DateOf(day);
    int key = static_cast<int>(date.year()) * 12 + MonthOf(day);
    double f = fitted(d);
    by_month[key].first += daily[d];
    by_month[key].second += f;
    fitted_total += f;
    if (f > 0) chi2 += (daily[d] - f) * (daily[d] - f) / f;
  }
  double mape = 0;
  int months = 0;
  for (const auto& [key, of] : by_month) {
    if (of.first > 0) {
      mape += std::abs(of.first - of.second) / of.first;
      ++months;
    }
  }
  double df = std::max(1.0, static_cast<double>(days) - 1 - 11 - 6);
  a.fit.figures["days"] = static_cast<double>(days);
  a.fit.figures["observed_total"] = total;
  a.fit.figures["fitted_total"] = Round(fitted_total, 1);
  a.fit.figures["calendar_months"] = months;
  a.fit.figures["month_mape"] = months ? Round(mape / months, 4) : 0;
  a.fit.figures["daily_dispersion"] = Round(chi2 / df, 3);
  a.fit.note =
      "month_mape: mean absolute percentage error of the fitted against the observed count per calendar "
      "month; "
      "daily_dispersion: Pearson chi-square of the daily counts / degrees of freedom (1 = Poisson)";
  if (skip > 0)
    a.fit.note += "; fitted from " + FormatDate(DateOf(first_day)) + ", the first arrival in the period";
  return a;
}

// The days in work from the lead times (whole days between two dates, so a lead of d days is a duration of
// about d): their mean, an Erlang shape, and 21 quantiles to draw from, with the Kolmogorov–Smirnov distance
// of each against the observed distribution.
void FitElapsed(const std::vector<int32_t>& leads, StepModel* step, double fallback_days) {
  if (leads.empty()) {
    step->elapsed_days = fallback_days;
    step->shape = 1;
    step->fit.note = "no lead times in the period: assumed";
    return;
  }
  std::vector<int32_t> sorted = leads;
  std::sort(sorted.begin(), sorted.end());
  const double n = static_cast<double>(sorted.size());
  double sum = 0, squares = 0;
  for (int32_t l : sorted) sum += l;
  double mean = std::max(sum / n, 0.01);
  for (int32_t l : sorted) squares += (l - mean) * (l - mean);
  double variance = sorted.size() > 1 ? squares / (n - 1) : mean * mean;
  int shape = variance > 0 ? static_cast<int>(std::lround(mean * mean / variance)) : 50;
  shape = std::clamp(shape, 1, 50);
  // Quantiles 0 %, 5 % … 100 % of the leads, each lead spread over (d − 0.5, d + 0.5) so that a day's mass is
  // not a point; the lowest at least 0.
  std::vector<double> q(kQuantiles);
  for (size_t i = 0; i < kQuantiles; ++i) {
    double p = static_cast<double>(i) / (kQuantiles - 1);
    double position = p * n;  // in the spread distribution: the day holding the position, and where in it
    size_t index = std::min(static_cast<size_t>(position), sorted.size() - 1);
    double within = std::clamp(position - static_cast<double>(index), 0.0, 1.0);
    q[i] = std::max(0.0, sorted[index] - 0.5 + within);
  }
  for (size_t i = 1; i < kQuantiles; ++i) q[i] = std::max(q[i], q[i - 1]);
  for (double& x : q) x = Round(x, 3);
  auto quantile_cdf = [&q](double x) {
    if (x <= q.front()) return 0.0;
    if (x >= q.back()) return 1.0;
    for (size_t i = 0; i + 1 < q.size(); ++i) {
      if (x < q[i + 1]) {
        double width = q[i + 1] - q[i];
        double inside = width > 0 ? (x - q[i]) / width : 1.0;
        return (static_cast<double>(i) + inside) / static_cast<double>(q.size() - 1);
      }
    }
    return 1.0;
  };
  std::map<int32_t, double> counts;
  for (int32_t l : sorted) ++counts[l];
  double cumulative = 0, ks_erlang = 0, ks_quantiles = 0;
  for (const auto& [lead, count] : counts) {
    // P(lead <= d) observed against P(duration < d + 0.5) fitted, either side of each step.
    double before = cumulative / n;
    cumulative += count;
    double after = cumulative / n;
    ks_erlang = std::max({ks_erlang, std::abs(after - ErlangCdf(shape, mean, lead + 0.5)),
                          std::abs(before - ErlangCdf(shape, mean, lead - 0.5))});
    ks_quantiles = std::max({ks_quantiles, std::abs(after - quantile_cdf(lead + 0.5)),
                             std::abs(before - quantile_cdf(lead - 0.5))});
  }
  step->quantiles = q;
  step->elapsed_days = Round(QuantileMean(q), 3);
  step->shape = shape;
  step->fit.figures["cases"] = n;
  step->fit.figures["observed_mean_days"] = Round(sum / n, 3);
  step->fit.figures["observed_cv"] = Round(std::sqrt(variance) / mean, 3);
  step->fit.figures["ks_distance_erlang"] = Round(ks_erlang, 4);
  step->fit.figures["ks_distance_quantiles"] = Round(ks_quantiles, 4);
  step->fit.note =
      "days in work from the observed lead times (which include any waiting); ks_distance_*: largest gap "
      "between the observed distribution and the Erlang shape or the quantiles; hours: utilisation × the "
      "unit's hours / the observed cases (assumed, not in the journal)";
}

std::string MostCommon(const std::map<std::string, int64_t>& counts, const std::string& fallback) {
  std::string best = fallback;
  int64_t best_count = 0;
  for (const auto& [unit, n] : counts)
    if (n > best_count) best = unit, best_count = n;
  return best;
}

}  // namespace

double ErlangCdf(int shape, double mean, double x) {
  if (x <= 0) return 0;
  double lx = shape / mean * x, term = 1, sum = 1;
  for (int n = 1; n < shape; ++n) {
    term *= lx / n;
    sum += term;
  }
  return 1 - std::exp(-lx) * sum;
}

Result<Model> Calibrate(const followup::Snapshot& snapshot, store::Db& db, const Catalog* catalog,
                        const CalibrationOptions& o) {
  if (o.to < o.from) return Error(ErrorCode::kInvalidInput, "the calibration period ends before it starts");
  if (!(o.utilisation > 0 && o.utilisation <= 1))
    return Error(ErrorCode::kInvalidInput, "--utilisation must be greater than 0 and at most 1");
  if (!(o.admin_share >= 0 && o.admin_share < 1))
    return Error(ErrorCode::kInvalidInput, "--admin-share must be 0 … < 1");
  const int32_t first = DayOf(o.from), last = DayOf(o.to);
  const size_t days = static_cast<size_t>(last - first + 1);
  const followup::Facts& f = snapshot.facts();
  const auto& codes = snapshot.codes();
  const auto& unit_names = snapshot.units();

  std::array<std::vector<double>, kStreams> daily;
  for (auto& d : daily) d.assign(days, 0);
  int64_t reports = 0, re_reports = 0, preliminary = 0, opened = 0, applications = 0;
  int64_t adult_started = 0, completed_child = 0, completed_adult = 0, decisions_child = 0,
          decisions_adult = 0;
  double re_report_gap = 0;
  std::array<int64_t, 2>
      within{};  // preliminary assessments and children's investigations within their limit
  std::array<std::vector<int32_t>, kSteps> leads;
  std::array<std::map<std::string, int64_t>, kSteps> step_units;
  std::map<std::string, int64_t> items_child, items_adult;
  for (size_t i = 0; i < f.size(); ++i) {
    int32_t day = f.day[i];
    if (day < first || day > last) continue;
    size_t d = static_cast<size_t>(day - first);
    bool child = f.flags[i] & followup::kChildMatter;
    const std::string& unit = unit_names.Text(f.unit[i]);
    switch (f.kind[i]) {
      case FactKind::kReport:
        ++reports;
        daily[0][d] += 1;
        if (f.end_day[i] != followup::kNoDay && day - f.end_day[i] <= 365) {
          ++re_reports;
          re_report_gap += day - f.end_day[i];
        }
        break;
      case FactKind::kApplication:
        ++applications;
        daily[1][d] += 1;
        break;
      case FactKind::kFirstLine:
        daily[2][d] += f.count[i];
        ++step_units[3][unit];
        break;
      case FactKind::kPreliminaryDecided:
        ++preliminary;
        if (f.flags[i] & followup::kWithinTime) ++within[0];
        if (codes.Text(f.code[i]) == "open_investigation") ++opened;
        if (f.lead[i] >= 0) leads[0].push_back(f.lead[i]);
        ++step_units[0][unit];
        break;
      case FactKind::kInvestigationStarted:
        if (!child) ++adult_started;
        break;
      case FactKind::kInvestigationCompleted: {
        size_t s = child ? 1 : 2;
        ++(child ? completed_child : completed_adult);
        if (child && (f.flags[i] & followup::kWithinTime)) ++within[1];
        if (f.lead[i] >= 0) leads[s].push_back(f.lead[i]);
        ++step_units[s][unit];
        break;
      }
      case FactKind::kDecision:
        if (f.flags[i] & followup::kFavourable) {
          ++(child ? decisions_child : decisions_adult);
          ++(child ? items_child : items_adult)[codes.Text(f.code[i])];
        }
        break;
      default:
        break;
    }
  }
  if (reports == 0)
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("no reports of concern in the journal from {} to {}: nothing to calibrate from",
                             FormatDate(o.from), FormatDate(o.to)));

  Model m;
  m.source = o.source;
  m.calibrated_from = FormatDate(o.from);
  m.calibrated_to = FormatDate(o.to);
  m.start = FormatDate(AddDays(o.to, 1));
  m.horizon_days = o.horizon_days;
  for (int s = 0; s < kStreams; ++s)
    m.arrivals[static_cast<size_t>(s)] = FitArrivals(daily[static_cast<size_t>(s)], first);

  // The share of reports with an immediate need of protection (20 kap. 1 § SoL), from the journal itself: the
  // snapshot does not keep protection assessments.
  {
    auto& st = db.Prepare(fmt::format(
        "SELECT count(*), coalesce(sum(CASE WHEN {} THEN 1 ELSE 0 END), 0) FROM journal "
        "WHERE kind = 'protection_assessed' AND substr(occurred_at, 1, 10) BETWEEN ?1 AND ?2",
        db.PayloadIsTrue("immediate_need")));
    st.Bind(1, FormatDate(o.from)).Bind(2, FormatDate(o.to));
    double assessed = 0, immediate = 0;
    if (st.Step()) {
      assessed = static_cast<double>(st.Int(0));
      immediate = static_cast<double>(st.Int(1));
    }
    st.Reset();
    ArrivalModel& r = m.arrivals[0];
    r.protection_share = assessed > 0 ? Round(immediate / assessed, 4) : 0;
    r.fit.figures["protection_assessments"] = assessed;
    r.fit.figures["immediate_need"] = immediate;
  }

  auto share = [](int64_t part, int64_t whole) {
    return whole > 0 ? Round(std::min(1.0, static_cast<double>(part) / static_cast<double>(whole)), 4) : 0.0;
  };
  Routing& r = m.routing;
  r.report_to_assessment = share(preliminary, reports);
  r.assessment_to_investigation = share(opened, preliminary);
  r.application_to_investigation = share(adult_started, applications);
  r.investigation_to_decision_child = share(decisions_child, completed_child);
  r.investigation_to_decision_adult = share(decisions_adult, completed_adult);
  r.re_report_share = std::min(0.95, share(re_reports, reports));
  r.re_report_mean_days = re_reports > 0 ? Round(re_report_gap / static_cast<double>(re_reports), 2) : 30;
  r.fit.figures["reports"] = static_cast<double>(reports);
  r.fit.figures["preliminary_assessments"] = static_cast<double>(preliminary);
  r.fit.figures["investigations_opened"] = static_cast<double>(opened);
  r.fit.figures["applications"] = static_cast<double>(applications);
  r.fit.figures["adult_investigations_started"] = static_cast<double>(adult_started);
  r.fit.figures["child_investigations_completed"] = static_cast<double>(completed_child);
  r.fit.figures["adult_investigations_completed"] = static_cast<double>(completed_adult);
  r.fit.figures["granted_decisions_child"] = static_cast<double>(decisions_child);
  r.fit.figures["granted_decisions_adult"] = static_cast<double>(decisions_adult);
  r.fit.figures["re_reports_within_12_months"] = static_cast<double>(re_reports);
  r.fit.note =
      "each share is the ratio of the two counts above it in the period (observed, so it fits exactly)";

  const char* fallback_units[kSteps] = {"mottagning-barn", "utredning-barn", "vuxen", "forsta-linjen"};
  for (int s = 0; s < kSteps; ++s) {
    StepModel& step = m.steps[static_cast<size_t>(s)];
    step.unit = MostCommon(step_units[static_cast<size_t>(s)], fallback_units[s]);
    if (s == static_cast<int>(Step::kFirstLine)) {
      step.elapsed_days = o.first_line_elapsed_days;
      step.shape = 1;
      step.fit.note = "a first-line contact's days in work are not in the journal: assumed";
    } else {
      FitElapsed(leads[static_cast<size_t>(s)], &step, 30);
      // The journal's own share within the statutory limit, to compare with the run's compliance figures.
      if (s == 0 && preliminary > 0)
        step.fit.figures["observed_within_limit"] = Round(static_cast<double>(within[0]) / preliminary, 4);
      if (s == 1 && completed_child > 0)
        step.fit.figures["observed_within_limit"] =
            Round(static_cast<double>(within[1]) / completed_child, 4);
    }
  }

  // Staff per unit: the users who work cases there (case workers, team leads, first-line staff).
  std::map<std::string, double> staff;
  {
    auto& st = db.Prepare(
        "SELECT unit, count(*) FROM users WHERE role IN ('case_worker', 'team_lead', 'first_line') GROUP BY "
        "unit");
    while (st.Step()) staff[st.Text(0)] = static_cast<double>(st.Int(1));
    st.Reset();
  }
  const double years = static_cast<double>(days) / 365.25;
  // Observed cases a year per step, and per unit in all.
  std::array<double, kSteps> per_year{};
  per_year[0] = static_cast<double>(preliminary) / years;
  per_year[1] = static_cast<double>(completed_child) / years;
  per_year[2] = static_cast<double>(completed_adult) / years;
  // The first line's rate is fitted from its first arrival (FitArrivals), so its cases a year come from the
  // fit.
  per_year[3] = m.arrivals[2].per_day * 365.25;
  std::map<std::string, double> unit_cases;
  for (int s = 0; s < kSteps; ++s)
    unit_cases[m.steps[static_cast<size_t>(s)].unit] += per_year[static_cast<size_t>(s)];
  for (const auto& [code, cases] : unit_cases) {
    UnitModel u;
    u.staff = staff.count(code) ? staff[code] : 0;
    if (u.staff == 0) {
      u.staff = 1;
      u.fit.note = "no users who work cases in this unit: one post assumed";
    } else {
      u.fit.note = "staff: users with the role case_worker, team_lead or first_line in the unit";
    }
    u.hours_per_week = o.hours_per_week;
    u.absence_share = o.absence_share;
    u.hourly_cost_sek = o.hourly_cost_sek;
    u.fit.figures["cases_per_year"] = Round(cases, 1);
    m.units[code] = u;
  }
  // Hours per case: the unit's working hours at the assumed utilisation spread over its observed cases (the
  // same hours for every case of a unit), split into direct work and administration.
  for (int s = 0; s < kSteps; ++s) {
    StepModel& step = m.steps[static_cast<size_t>(s)];
    const UnitModel& u = m.units[step.unit];
    double hours_year = u.staff * u.hours_per_week * (1 - u.absence_share) * 365.25 / 7;
    double cases = unit_cases[step.unit];
    double hours = cases > 0 ? o.utilisation * hours_year / cases : 1;
    step.direct_hours = Round(hours * (1 - o.admin_share), 3);
    step.admin_hours = Round(hours * o.admin_share, 3);
    step.fit.figures["cases_per_year"] = Round(per_year[static_cast<size_t>(s)], 1);
    step.fit.figures["assumed_utilisation"] = o.utilisation;
    step.fit.figures["assumed_admin_share"] = o.admin_share;
  }

  auto mix = [&](const std::map<std::string, int64_t>& items, int64_t total,
                 std::map<std::string, double>* out) {
    for (const auto& [code, n] : items) {
      if (code.empty()) continue;
      (*out)[code] = Round(static_cast<double>(n) / static_cast<double>(total), 4);
    }
    double sum = 0;
    for (const auto& [code, s] : *out) sum += s;
    if (sum > 1) {
      for (auto& [code, s] : *out) s = std::floor(s / sum * 1e4) / 1e4;
    }
  };
  mix(items_child, decisions_child, &m.interventions_child);
  mix(items_adult, decisions_adult, &m.interventions_adult);
  if (catalog) {
    for (const CatalogItem& item : catalog->items()) {
      if (!m.interventions_child.count(item.code) && !m.interventions_adult.count(item.code)) continue;
      auto cost = item.fields.find("unit_cost_sek");
      if (cost != item.fields.end() && cost->is_number())
        m.intervention_cost_sek[item.code] = cost->get<double>();
    }
  }
  // Warm-up: three times the longest mean days in work, so that the measured year starts from a full chain.
  double longest = 0;
  for (const StepModel& step : m.steps) longest = std::max(longest, step.elapsed_days);
  m.warmup_days = std::clamp(static_cast<int>(std::ceil(3 * longest)), 30, 730);
  NYSOL_RETURN_IF_ERROR(ValidateModel(m));
  return m;
}

}  // namespace nysol::sim
