#include "sim/run.h"

#include <fmt/format.h>

#include <chrono>
#include <exception>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/civil_date.h"
#include "sim/chain.h"
#include "sim/rng.h"

namespace nysol::sim {

namespace {

std::string LimitText(const PeriodRule& rule) {
  const char* unit = rule.unit == PeriodUnit::kDays    ? "days"
                     : rule.unit == PeriodUnit::kWeeks ? "weeks"
                                                       : "months";
  return fmt::format("{} {}", rule.amount, unit);
}
std::string LimitKey(const PeriodRule& rule) {
  const char* unit = rule.unit == PeriodUnit::kDays    ? "days"
                     : rule.unit == PeriodUnit::kWeeks ? "weeks"
                                                       : "months";
  return fmt::format("{}_{}", rule.amount, unit);
}

// The statutory limits for every simulated day, from the rulebook in force on that day.
Result<Deadlines> LimitsByDay(const Model& model, const Rulebook& rulebook) {
  Deadlines d;
  Date start = ParseDate(model.start).value();
  Date first = AddDays(start, -model.warmup_days);
  int days = model.warmup_days + model.horizon_days + 1;
  for (int i = 0; i < days; ++i) {
    Date day = AddDays(first, i);
    // 20 kap. 2 § SoL: the preliminary assessment within 14 days of the report.
    auto preliminary = rulebook.Period("preliminary-assessment", day);
    if (!preliminary.ok()) return preliminary.status();
    // 20 kap. 3 § SoL: a child's investigation completed within four months of its start.
    auto investigation = rulebook.Period("investigation", day);
    if (!investigation.ok()) return investigation.status();
    d.preliminary.push_back(DaysBetween(day, PeriodEnd(*preliminary, day)));
    d.investigation.push_back(DaysBetween(day, PeriodEnd(*investigation, day)));
  }
  return d;
}

// One replication's figures, flattened in a fixed order of keys.
void Flatten(const ChainFigures& f, const Model& m, const std::string& preliminary_key,
             const std::string& investigation_key, std::vector<std::pair<std::string, std::string>>* keys,
             std::vector<double>* values) {
  keys->clear();
  values->clear();
  auto add = [&](std::string key, std::string unit, double value) {
    keys->emplace_back(std::move(key), std::move(unit));
    values->push_back(value);
  };
  add("arrivals.reports", "cases", f.reports);
  add("arrivals.applications", "cases", f.applications);
  add("arrivals.first_line_contacts", "cases", f.first_line_contacts);
  for (int s = 0; s < kSteps; ++s) {
    const StepFigures& st = f.steps[static_cast<size_t>(s)];
    std::string p = fmt::format("steps.{}.", StepName(static_cast<Step>(s)));
    add(p + "completed", "cases", st.completed);
    add(p + "mean_wait_days", "days", st.wait_days);
    add(p + "mean_lead_days", "days", st.lead_days);
    add(p + "mean_queue_length", "cases", st.queue_length);
    add(p + "mean_in_work", "cases", st.in_work);
    add(p + "waiting_at_end", "cases", st.waiting_at_end);
  }
  add("compliance.preliminary_assessment_within_" + preliminary_key, "share", f.preliminary_within);
  add("compliance.investigation_child_within_" + investigation_key, "share", f.investigation_within);
  double used = 0, available = 0;
  size_t u = 0;
  for (const auto& [code, unit] : m.units) {
    const UnitFigures& uf = f.units[u++];
    std::string p = "units." + code + ".";
    add(p + "utilisation", "share", uf.hours_available > 0 ? uf.hours_used / uf.hours_available : 0);
    add(p + "hours_used", "hours", uf.hours_used);
    add(p + "hours_available", "hours", uf.hours_available);
    add(p + "idle_hours", "hours", uf.hours_available - uf.hours_used);
    used += uf.hours_used;
    available += uf.hours_available;
  }
  add("units.all.utilisation", "share", available > 0 ? used / available : 0);
  add("units.all.hours_used", "hours", used);
  add("units.all.hours_available", "hours", available);
  add("units.all.idle_hours", "hours", available - used);
  add("decisions.child", "cases", f.decisions_child);
  add("decisions.adult", "cases", f.decisions_adult);
  add("decisions.moved_to_first_line", "cases", f.moved_to_first_line);
  add("costs.staff_sek", "SEK", f.staff_cost_sek);
  add("costs.interventions_sek", "SEK", f.intervention_cost_sek);
  add("costs.total_sek", "SEK", f.staff_cost_sek + f.intervention_cost_sek);
}

}  // namespace

const Metric* RunResult::Find(const std::string& key) const {
  for (const Metric& m : metrics)
    if (m.key == key) return &m;
  return nullptr;
}

Result<RunResult> RunScenario(const Model& model, const Scenario& scenario, const Rulebook& rulebook,
                              int replications, uint64_t seed, int threads) {
  if (replications < 1 || replications > 100000)
    return Error(ErrorCode::kInvalidInput, "the number of replications must be 1 … 100000");
  if (threads < 1 || threads > 256)
    return Error(ErrorCode::kInvalidInput, "the number of threads must be 1 … 256");
  NYSOL_RETURN_IF_ERROR(ValidateModel(model));
  auto deadlines = LimitsByDay(model, rulebook);
  if (!deadlines.ok()) return deadlines.status();

  RunResult result;
  result.scenario_name = scenario.name;
  result.scenario_description = scenario.description;
  result.replications = replications;
  result.seed = seed;
  result.start = model.start;
  result.horizon_days = model.horizon_days;
  result.warmup_days = model.warmup_days;
  result.rulebook_version = rulebook.version();
  Date start = ParseDate(model.start).value();
  auto preliminary = rulebook.Period("preliminary-assessment", start);
  auto investigation = rulebook.Period("investigation", start);
  if (!preliminary.ok()) return preliminary.status();
  if (!investigation.ok()) return investigation.status();
  for (const PeriodRule* rule : {&*preliminary, &*investigation})
    result.limits.push_back({rule->id, LimitText(*rule), rule->law_ref});

  const Plan baseline = ApplyScenario(model, Scenario{});
  const Plan plan = ApplyScenario(model, scenario);
  NYSOL_RETURN_IF_ERROR(ValidateModel(plan.model));

  std::vector<std::pair<std::string, std::string>> keys, all_keys;
  std::vector<std::vector<double>> base_values, scen_values, change_values;
  std::vector<double> base_flat, scen_flat;
  auto clock_start = std::chrono::steady_clock::now();
  // The replications, on `threads` threads: replication k always uses stream k, so the result does not
  // depend on the number of threads. The inputs are shared read-only; each replication writes its own slot.
  std::vector<std::pair<ChainFigures, ChainFigures>> figures(static_cast<size_t>(replications));
  auto simulate = [&](int first) {
    for (int k = first; k < replications; k += threads) {
      // Common random numbers: the baseline and the scenario draw from the same stream.
      Rng base_rng = Rng::Stream(seed, static_cast<uint64_t>(k));
      Rng scen_rng = Rng::Stream(seed, static_cast<uint64_t>(k));
      figures[static_cast<size_t>(k)].first = SimulateChain(baseline, *deadlines, base_rng);
      figures[static_cast<size_t>(k)].second = SimulateChain(plan, *deadlines, scen_rng);
    }
  };
  {
    // An exception on a worker (out of memory) must not end the process, which may be the server: each thread
    // keeps its own, and the first is thrown here once every thread has been joined.
    std::vector<std::exception_ptr> failures(static_cast<size_t>(threads));
    auto guarded = [&](int first) {
      try {
        simulate(first);
      } catch (...) {
        failures[static_cast<size_t>(first)] = std::current_exception();
      }
    };
    std::vector<std::thread> workers;
    try {
      for (int t = 1; t < threads; ++t) workers.emplace_back(guarded, t);
    } catch (...) {
      failures[0] = std::current_exception();  // a thread that would not start: run nothing more
    }
    if (!failures[0]) guarded(0);
    for (std::thread& w : workers) w.join();
    for (const auto& failure : failures)
      if (failure) std::rethrow_exception(failure);
  }
  for (int k = 0; k < replications; ++k) {
    const ChainFigures& b = figures[static_cast<size_t>(k)].first;
    const ChainFigures& s = figures[static_cast<size_t>(k)].second;
    result.events += b.events + s.events;
    Flatten(b, baseline.model, LimitKey(*preliminary), LimitKey(*investigation), &keys, &base_flat);
    Flatten(s, plan.model, LimitKey(*preliminary), LimitKey(*investigation), &keys, &scen_flat);
    // Freed hours: the staff hours the scenario needs less than the baseline, per unit and in all.
    double freed_all = 0;
    std::vector<double> freed;
    for (size_t u = 0; u < model.units.size(); ++u) {
      double f = b.units[u].hours_used - s.units[u].hours_used;
      freed.push_back(f);
      freed_all += f;
    }
    freed.push_back(freed_all);
    if (k == 0) {
      base_values.assign(keys.size() + freed.size(), {});
      scen_values.assign(keys.size() + freed.size(), {});
      change_values.assign(keys.size() + freed.size(), {});
      all_keys = keys;
      for (const auto& entry : model.units) all_keys.emplace_back("freed_hours." + entry.first, "hours");
      all_keys.emplace_back("freed_hours.all", "hours");
    }
    for (size_t i = 0; i < base_flat.size(); ++i) {
      base_values[i].push_back(base_flat[i]);
      scen_values[i].push_back(scen_flat[i]);
      change_values[i].push_back(scen_flat[i] - base_flat[i]);
    }
    for (size_t i = 0; i < freed.size(); ++i) {
      size_t at = base_flat.size() + i;
      base_values[at].push_back(0);
      scen_values[at].push_back(freed[i]);
      change_values[at].push_back(freed[i]);
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  for (size_t i = 0; i < base_values.size(); ++i) {
    result.metrics.push_back({all_keys[i].first, all_keys[i].second, Summarise(base_values[i]),
                              Summarise(scen_values[i]), Summarise(change_values[i])});
  }
  return result;
}

namespace {

nlohmann::ordered_json EstimateJson(const Estimate& e) {
  return {{"mean", e.mean}, {"ci_low", e.ci_low}, {"ci_high", e.ci_high}, {"stddev", e.stddev}, {"n", e.n}};
}

}  // namespace

std::string RunResultJson(const RunResult& r) {
  nlohmann::ordered_json j;
  j["scenario"] = {{"name", r.scenario_name}, {"description", r.scenario_description}};
  j["replications"] = r.replications;
  j["seed"] = r.seed;
  j["start"] = r.start;
  j["horizon_days"] = r.horizon_days;
  j["warmup_days"] = r.warmup_days;
  j["rulebook_version"] = r.rulebook_version;
  j["limits"] = nlohmann::ordered_json::array();
  for (const Limit& l : r.limits)
    j["limits"].push_back({{"id", l.id}, {"limit", l.text}, {"law_ref", l.law_ref}});
  j["confidence"] =
      "95 % confidence intervals over the replications (Student t); change is scenario − baseline "
      "per replication; freed_hours is baseline − scenario hours used";
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  for (const Metric& m : r.metrics) {
    nlohmann::ordered_json* node = &metrics;
    size_t begin = 0;
    for (;;) {
      size_t dot = m.key.find('.', begin);
      std::string part = m.key.substr(begin, dot == std::string::npos ? std::string::npos : dot - begin);
      node = &(*node)[part];
      if (dot == std::string::npos) break;
      begin = dot + 1;
    }
    *node = {{"unit", m.unit},
             {"baseline", EstimateJson(m.baseline)},
             {"scenario", EstimateJson(m.scenario)},
             {"change", EstimateJson(m.change)}};
  }
  j["metrics"] = std::move(metrics);
  j["events"] = r.events;
  j["seconds"] = r.seconds;
  j["events_per_second"] = r.seconds > 0 ? static_cast<double>(r.events) / r.seconds : 0;
  return j.dump(2) + "\n";
}

std::string RunResultTable(const RunResult& r) {
  auto cell = [](const Estimate& e, const std::string& unit) {
    int digits = unit == "share" ? 3 : (unit == "days" || unit == "cases") ? 1 : 0;
    return fmt::format("{:.{}f} [{:.{}f}, {:.{}f}]", e.mean, digits, e.ci_low, digits, e.ci_high, digits);
  };
  std::string out = fmt::format("Scenario: {}{}\n", r.scenario_name,
                                r.scenario_description.empty() ? "" : " — " + r.scenario_description);
  out += fmt::format("{} replications, seed {}, {} days from {} after {} days of warm-up; rulebook {}\n",
                     r.replications, r.seed, r.horizon_days, r.start, r.warmup_days, r.rulebook_version);
  for (const Limit& l : r.limits) out += fmt::format("Limit {}: {} ({})\n", l.id, l.text, l.law_ref);
  out += "Means with 95 % confidence intervals; change = scenario − baseline.\n\n";
  size_t key_width = 10;
  for (const Metric& m : r.metrics) key_width = std::max(key_width, m.key.size());
  out += fmt::format("{:<{}}  {:<6}  {:<34}  {:<34}  {}\n", "metric", key_width, "unit", "baseline",
                     "scenario", "change");
  for (const Metric& m : r.metrics) {
    out += fmt::format("{:<{}}  {:<6}  {:<34}  {:<34}  {}\n", m.key, key_width, m.unit,
                       cell(m.baseline, m.unit), cell(m.scenario, m.unit), cell(m.change, m.unit));
  }
  out += fmt::format("\n{} events in {:.2f} s\n", r.events, r.seconds);
  return out;
}

}  // namespace nysol::sim
