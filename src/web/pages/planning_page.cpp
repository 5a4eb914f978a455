// The planning page (övergripande planering, 7 kap. SoL) for heads of units, analysts and the committee: a
// scenario — more or less inflow, posts added or left vacant, less administration, catalog items moved to the
// first line, a digital channel — run through the capacity simulator against today, side by side with 95 %
// intervals and charts (docs/PLANNING.md). Today is the model calibrated from the journal up to yesterday,
// once a day. The form is a GET, so a scenario's address can be saved and sent on.
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <mutex>

#include "followup/measures.h"
#include "sim/calibrate.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "web/api_json.h"
#include "web/pages/case_view.h"
#include "web/pages/page_routes.h"
#include "web/pages/render.h"

namespace nysol::web::pages {
namespace {

using nlohmann::json;

constexpr int kDefaultReplications = 20;
constexpr int kMaxReplications = 200;
constexpr int kCalibrationMonths = 36;  // as `nysol simulate calibrate`
constexpr uint64_t kSeed = 1;           // the same scenario gives the same figures
constexpr int kThreads = 2;

// The model of today, calibrated from the journal up to yesterday and kept until the day changes; and the
// lock that lets one scenario run at a time.
class ModelOfToday {
 public:
  Result<sim::Model> Get(const AppServices& services) {
    Date to = AddDays(Today(services), -1);
    std::lock_guard lock(mutex_);
    if (model_ && to_ == to) return *model_;
    sim::CalibrationOptions options;
    options.to = to;
    options.from = AddDays(AddMonths(to, -kCalibrationMonths), 1);
    options.source = "the server's journal";
    Result<sim::Model> model = Error(ErrorCode::kUnavailable, "the model was not calibrated");
    services.followup.Use([&](const followup::Snapshot& snapshot, store::Db& db) {
      model = sim::Calibrate(snapshot, db, &services.catalog, options);
    });
    if (!model.ok()) return model;
    model_ = std::make_unique<sim::Model>(*model);
    to_ = to;
    return model;
  }

  std::mutex run_mutex;  // held while a scenario runs (Planning)

 private:
  std::mutex mutex_;
  std::unique_ptr<sim::Model> model_;  // guarded by mutex_
  Date to_;                            // guarded by mutex_
};

// The form's fields as typed; shown again as they were when the page answers.
struct PlanningForm {
  std::string reports = "0", applications = "0", first_line = "0", admin = "0";
  std::string unit, posts = "0", vacancies;
  std::string digital = "0", digital_admin = "-50";
  std::string replications = std::to_string(kDefaultReplications);
  std::vector<std::string> moves;
  bool run = false;
};

PlanningForm ReadForm(const HttpRequest& request) {
  PlanningForm f;
  auto take = [&](const char* key, std::string* field) {
    if (auto value = QueryValue(request, key)) *field = *value;
  };
  take("reports", &f.reports);
  take("applications", &f.applications);
  take("first_line", &f.first_line);
  take("admin", &f.admin);
  take("unit", &f.unit);
  take("posts", &f.posts);
  take("vacancies", &f.vacancies);
  take("digital", &f.digital);
  take("digital_admin", &f.digital_admin);
  take("replications", &f.replications);
  auto [first, last] = request.query.equal_range("move");
  for (auto it = first; it != last; ++it) f.moves.push_back(it->second);
  f.run = request.query.count("run") > 0;
  return f;
}

// A number as a Swedish user types it: an optional sign ("-", "+" or "−"), digits, and decimals after a comma
// or a point; nothing else (no exponent, no spaces).
std::optional<double> Number(std::string text) {
  if (text.starts_with("\u2212")) text.replace(0, std::string("\u2212").size(), "-");
  for (char& c : text) c = c == ',' ? '.' : c;
  size_t digits = text[0] == '-' || text[0] == '+' ? 1 : 0;
  if (text.size() > 12 || text.size() == digits) return std::nullopt;
  bool point = false;
  for (size_t i = digits; i < text.size(); ++i) {
    if (text[i] == '.' && !point && i > digits && i + 1 < text.size()) {
      point = true;
    } else if (text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
  }
  return std::stod(text);
}

Status Refused(std::string message_sv) { return Error(ErrorCode::kInvalidInput, std::move(message_sv)); }

// A field in percent within [low, high], as a factor (1 + percent / 100).
Result<double> Percent(const std::string& text, const char* what, double low, double high) {
  auto value = Number(text);
  if (!value || *value < low || *value > high) {
    return Refused(fmt::format("{} ska vara ett tal mellan {} och {} procent.", what, low, high));
  }
  return 1 + *value / 100;
}

// The scenario the form describes, checked against the model and the law; errors in Swedish.
Result<sim::Scenario> ScenarioOf(const PlanningForm& f, const sim::Model& model, const AppServices& services,
                                 Date on, int* replications) {
  sim::Scenario sc;
  sc.name = "Scenario";
  const std::pair<const std::string*, const char*> inflows[] = {
      {&f.reports, "Ändringen av orosanmälningar"},
      {&f.applications, "Ändringen av ansökningar"},
      {&f.first_line, "Ändringen av kontakter i första linjen"}};
  for (int s = 0; s < sim::kStreams; ++s) {
    auto factor = Percent(*inflows[s].first, inflows[s].second, -90, 200);
    if (!factor.ok()) return factor.status();
    sc.inflow[static_cast<size_t>(s)] = *factor;
  }
  auto admin = Percent(f.admin, "Ändringen av administrationen", -90, 100);
  if (!admin.ok()) return admin.status();
  sc.admin_factor = *admin;
  if (f.unit.empty() && ((!f.posts.empty() && f.posts != "0") || !f.vacancies.empty()))
    return Refused("Välj enheten som tjänsterna gäller.");
  if (!f.unit.empty()) {
    auto unit = model.units.find(f.unit);
    if (unit == model.units.end()) return Refused("Enheten finns inte i modellen.");
    sim::UnitChange change;
    auto posts = Number(f.posts);
    if (!posts || *posts < -100 || *posts > 100)
      return Refused("Tjänster som läggs till eller tas bort ska vara ett tal mellan −100 och 100.");
    double staff = unit->second.staff + *posts;
    if (staff < 0)
      return Refused(fmt::format("Enheten har {} tjänster; så många kan inte tas bort.", unit->second.staff));
    change.staff_delta = *posts;
    if (!f.vacancies.empty()) {
      auto vacancies = Number(f.vacancies);
      if (!vacancies || *vacancies < 0) return Refused("Vakanta tjänster ska vara ett tal, 0 eller fler.");
      if (*vacancies > staff)
        return Refused(fmt::format("Enheten har {} tjänster; fler kan inte stå vakanta.", staff));
      change.vacancies = *vacancies;
    }
    sc.units[f.unit] = change;
  }
  sc.move_to_first_line = f.moves;
  // 11 kap. 5 § SoL: only catalog items the law allows without a needs assessment.
  if (auto moves = sim::CheckFirstLineMoves(sc, services.catalog, services.rulebook, on); !moves.ok()) {
    if (moves.code() == ErrorCode::kIllegalTransition) return moves;  // in Swedish by its kind, the law below
    return Refused(
        "Insatsen finns inte i insatskatalogen; bara katalogens insatser kan ges i första linjen.");
  }
  for (const auto& code : f.moves) {
    if (!model.interventions_child.count(code) && !model.interventions_adult.count(code))
      return Refused("Insatsen har inte beviljats under perioden som modellen bygger på.");
  }
  auto digital = Number(f.digital);
  if (!digital || *digital < 0 || *digital > 100)
    return Refused("Andelen ansökningar i digital kanal ska vara mellan 0 och 100 procent.");
  if (*digital > 0) {
    auto digital_admin = Percent(f.digital_admin, "Administrationen i den digitala kanalen", -90, 100);
    if (!digital_admin.ok()) return digital_admin.status();
    sc.digital_stream = sim::Stream::kApplication;
    sc.digital_share = *digital / 100;
    sc.digital_admin_factor = *digital_admin;
  }
  auto count = Number(f.replications);
  if (!count || *count != std::floor(*count) || *count < 2 || *count > kMaxReplications)
    return Refused(fmt::format("Antalet körningar ska vara ett heltal mellan 2 och {}.", kMaxReplications));
  *replications = static_cast<int>(*count);
  return sc;
}

std::string Decimal(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  bool negative = text[0] == '-';
  if (negative) text.erase(0, 1);
  if (text.find_first_not_of("0.") == std::string::npos) negative = false;  // no "−0,0"
  for (char& c : text) c = c == '.' ? ',' : c;
  // Thousands with a space and the minus sign, as Swedish writes them.
  size_t end = text.find(',');
  for (size_t i = end == std::string::npos ? text.size() : end; i > 3; i -= 3) text.insert(i - 3, " ");
  return negative ? "−" + text : text;
}

// A mean with its 95 % interval, in the metric's unit: "88,0 (87,0 – 89,0) %". A change of a share is in
// percentage points.
std::string WithInterval(const sim::Estimate& e, const std::string& unit, bool change) {
  double scale = unit == "share" ? 100 : 1;
  int decimals = unit == "SEK" || unit == "hours" ? 0 : 1;
  std::string suffix = unit == "share"   ? (change ? " procentenheter" : " %")
                       : unit == "SEK"   ? " kr"
                       : unit == "hours" ? " timmar"
                                         : "";
  return fmt::format("{} ({} – {}){}", Decimal(scale * e.mean, decimals), Decimal(scale * e.ci_low, decimals),
                     Decimal(scale * e.ci_high, decimals), suffix);
}

std::string SwedishLimit(std::string text) {  // "14 days" → "14 dagar", "4 months" → "4 månader"
  for (auto [en, sv] :
       {std::pair{"months", "månader"}, {"month", "månad"}, {"days", "dagar"}, {"day", "dag"}}) {
    if (auto at = text.find(en); at != std::string::npos) return text.replace(at, std::string(en).size(), sv);
  }
  return text;
}

const char* StepSv(sim::Step step) {
  switch (step) {
    case sim::Step::kPreliminary:
      return "Förhandsbedömning";
    case sim::Step::kInvestigationChild:
      return "Utredning om barn och unga";
    case sim::Step::kInvestigationAdult:
      return "Utredning om vuxna";
    case sim::Step::kFirstLine:
      return "Första linjen";
  }
  return "";
}

// The result as the template shows it: groups of rows (today, scenario, change), and the two charts' tables.
json ResultView(const sim::RunResult& r, const std::map<std::string, std::string>& unit_names) {
  json groups = json::array();
  auto row = [&](json& rows, const std::string& name, const std::string& key) {
    const sim::Metric* m = r.Find(key);
    if (!m) return;
    rows.push_back({{"name", name},
                    {"today", WithInterval(m->baseline, m->unit, false)},
                    {"scenario", WithInterval(m->scenario, m->unit, false)},
                    {"change", WithInterval(m->change, m->unit, true)}});
  };
  auto chart_row = [&](json& rows, const std::string& name, const std::string& key) {
    const sim::Metric* m = r.Find(key);
    if (!m) return;
    double scale = m->unit == "share" ? 100 : 1;
    rows.push_back({{"name", name},
                    {"cells", {Decimal(scale * m->baseline.mean, 1), Decimal(scale * m->scenario.mean, 1)}}});
  };
  json inflow = json::array();
  row(inflow, "Orosanmälningar", "arrivals.reports");
  row(inflow, "Ansökningar", "arrivals.applications");
  row(inflow, "Kontakter i första linjen", "arrivals.first_line_contacts");
  groups.push_back({{"title", "Inflöde under året"}, {"rows", inflow}});
  json compliance = json::array(), compliance_chart = json::array();
  for (const sim::Limit& limit : r.limits) {
    std::string prefix = limit.id == "preliminary-assessment" ? "compliance.preliminary_assessment_within_"
                                                              : "compliance.investigation_child_within_";
    for (const sim::Metric& m : r.metrics) {
      if (!m.key.starts_with(prefix)) continue;
      std::string what =
          limit.id == "preliminary-assessment" ? "Förhandsbedömningar" : "Utredningar om barn och unga";
      row(compliance, fmt::format("{} inom {} ({})", what, SwedishLimit(limit.text), limit.law_ref), m.key);
      chart_row(compliance_chart, fmt::format("{}, {}", what, SwedishLimit(limit.text)), m.key);
    }
  }
  groups.push_back({{"title", "Tidsfristerna"}, {"rows", compliance}});
  json waiting = json::array(), queue_chart = json::array();
  for (int s = 0; s < sim::kSteps; ++s) {
    auto step = static_cast<sim::Step>(s);
    std::string p = fmt::format("steps.{}.", sim::StepName(step));
    std::string name = StepSv(step);
    row(waiting, fmt::format("{}: väntetid innan arbetet börjar (dagar)", name), p + "mean_wait_days");
    row(waiting, fmt::format("{}: i kö (ärenden, medel)", name), p + "mean_queue_length");
    row(waiting, fmt::format("{}: klara under året", name), p + "completed");
    chart_row(queue_chart, name, p + "mean_queue_length");
  }
  groups.push_back({{"title", "Köer och väntetider"}, {"rows", waiting}});
  json staff = json::array(), utilisation_chart = json::array();
  for (const sim::Metric& m : r.metrics) {
    if (!m.key.starts_with("units.") || !m.key.ends_with(".utilisation")) continue;
    std::string code = m.key.substr(6, m.key.size() - 6 - 12);
    auto named = unit_names.find(code);
    std::string name = code == "all" ? "Alla enheter" : named != unit_names.end() ? named->second : code;
    row(staff, "Beläggning, " + name, m.key);
    chart_row(utilisation_chart, name, m.key);
  }
  row(staff, "Frigjorda timmar, alla enheter", "freed_hours.all");
  groups.push_back({{"title", "Personalen"}, {"rows", staff}});
  json costs = json::array();
  row(costs, "Beviljade insatser, barn och unga", "decisions.child");
  row(costs, "Beviljade insatser, vuxna", "decisions.adult");
  row(costs, "Ges i stället i första linjen", "decisions.moved_to_first_line");
  row(costs, "Personalkostnad", "costs.staff_sek");
  row(costs, "Kostnad för insatser", "costs.interventions_sek");
  row(costs, "Kostnad totalt", "costs.total_sek");
  groups.push_back({{"title", "Insatser och kostnader"}, {"rows", costs}});
  auto chart = [](std::string id, std::string title, std::string unit, json rows) {
    return json{
        {"id", std::move(id)}, {"title", std::move(title)}, {"unit", std::move(unit)}, {"rows", rows}};
  };
  return {{"groups", groups},
          {"charts",
           {chart("plan-compliance", "Andel inom tidsfristen (%)", "%", compliance_chart),
            chart("plan-queue", "I kö, medel under året (ärenden)", "ärenden", queue_chart),
            chart("plan-utilisation", "Beläggning (%)", "%", utilisation_chart)}},
          {"replications", r.replications},
          {"start", r.start},
          {"end", FormatDate(AddDays(*ParseDate(r.start), r.horizon_days - 1))},
          {"seconds", Decimal(r.seconds, 1)}};
}

json FormView(const PlanningForm& f, const sim::Model& model, const std::vector<const CatalogItem*>& movable,
              const std::map<std::string, std::string>& unit_names) {
  json units = json::array();
  for (const auto& [code, unit] : model.units) {
    auto named = unit_names.find(code);
    units.push_back({{"code", code},
                     {"name", named != unit_names.end() ? named->second : code},
                     {"staff", Decimal(unit.staff - unit.vacancies, 1)},
                     {"selected", f.unit == code}});
  }
  json items = json::array();
  for (const CatalogItem* item : movable) {
    bool checked = std::find(f.moves.begin(), f.moves.end(), item->code) != f.moves.end();
    items.push_back({{"code", item->code}, {"name", item->name_sv}, {"checked", checked}});
  }
  json presets = json::array();
  presets.push_back({{"name", "Inflödet av orosanmälningar ökar med 10 %"}, {"query", "reports=10&run=1"}});
  if (model.units.count("utredning-barn"))
    presets.push_back({{"name", "Två tjänster står vakanta i utredning-barn"},
                       {"query", "unit=utredning-barn&vacancies=2&run=1"}});
  if (!movable.empty() && model.units.count("forsta-linjen"))
    presets.push_back({{"name", fmt::format("Administrationen −20 %, {} i första linjen med en tjänst till, "
                                            "40 % av ansökningarna digitalt",
                                            movable.front()->name_sv)},
                       {"query", fmt::format("admin=-20&move={}&unit=forsta-linjen&posts=1&digital=40"
                                             "&digital_admin=-50&run=1",
                                             movable.front()->code)}});
  return {{"reports", f.reports},
          {"applications", f.applications},
          {"first_line", f.first_line},
          {"admin", f.admin},
          {"units", units},
          {"posts", f.posts},
          {"vacancies", f.vacancies},
          {"items", items},
          {"has_items", !items.empty()},
          {"digital", f.digital},
          {"digital_admin", f.digital_admin},
          {"replications", f.replications},
          {"max_replications", kMaxReplications},
          {"presets", presets},
          {"calibrated_from", model.calibrated_from},
          {"calibrated_to", model.calibrated_to}};
}

HttpResponse Planning(RequestContext& ctx, const AppServices& services, ModelOfToday& today) {
  auto model = today.Get(services);
  if (!model.ok() && model.status().code() == ErrorCode::kInvalidInput) {
    // A new installation: nothing in the journal yet to calibrate from.
    json view = {{"no_model", ErrorView(model.status(), false)}};
    return Page(ctx, 200, "Planering", "planning", view);
  }
  if (!model.ok()) return ErrorPage(ctx.request, model.status());
  PlanningForm form = ReadForm(ctx.request);
  std::map<std::string, std::string> unit_names;
  services.store.Read([&](store::Db& db) { unit_names = followup::UnitNames(db); });
  Date on = *ParseDate(model->start);
  json view = FormView(form, *model, sim::MovableItems(*model, services.catalog, on), unit_names);
  int status = 200;
  if (form.run) {
    int replications = 0;
    auto scenario = ScenarioOf(form, *model, services, on, &replications);
    if (!scenario.ok()) {
      status = scenario.status().code() == ErrorCode::kIllegalTransition ? 409 : 422;
      view["error"] = ErrorView(scenario.status(), scenario.status().code() == ErrorCode::kInvalidInput);
    } else {
      // One run at a time on the server: a run takes both cores for a moment, and case work comes first.
      std::unique_lock running(today.run_mutex, std::try_to_lock);
      if (!running.owns_lock()) {
        return ErrorPage(ctx.request, Error(ErrorCode::kUnavailable,
                                            "another planning run is under way; try again in a moment"));
      }
      auto result = sim::RunScenario(*model, *scenario, services.rulebook, replications, kSeed, kThreads);
      if (!result.ok()) return ErrorPage(ctx.request, result.status());
      view["result"] = ResultView(*result, unit_names);
    }
  }
  return Page(ctx, status, "Planering", "planning", view);
}

}  // namespace

void RegisterPlanningPage(Router& router, const AppServices& services) {
  auto today = std::make_shared<ModelOfToday>();
  router.Add(
      PageRoute("GET", "/planning",
                "Planning: a scenario run through the capacity simulator against today, with 95 % intervals",
                access::Permission::kReadFollowUp, false,
                [services, today](RequestContext& ctx) { return Planning(ctx, services, *today); }));
}

}  // namespace nysol::web::pages
