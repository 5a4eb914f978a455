#include "sim/scenario.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/toml_text.h"

namespace nysol::sim {

namespace {

Status Invalid(std::string message) { return Error(ErrorCode::kInvalidInput, std::move(message)); }

Result<double> NumberOf(const toml::node& node, const std::string& key) {
  if (auto f = node.as_floating_point()) {
    if (!std::isfinite(f->get())) return Invalid(key + " must be a finite number");
    return f->get();
  }
  if (auto i = node.as_integer()) return static_cast<double>(i->get());
  return Invalid(key + " must be a number");
}

Result<const toml::table*> TableOf(const toml::node& node, const std::string& key) {
  auto t = node.as_table();
  if (!t) return Invalid(key + " must be a table");
  return static_cast<const toml::table*>(t);
}

Status UnknownKey(const std::string& key) {
  return Invalid(fmt::format("unknown key {} (docs/PLANNING.md lists a scenario's keys)", key));
}

int StreamIndex(std::string_view name) {
  for (int s = 0; s < kStreams; ++s)
    if (name == StreamName(static_cast<Stream>(s))) return s;
  return -1;
}
int StepIndex(std::string_view name) {
  for (int s = 0; s < kSteps; ++s)
    if (name == StepName(static_cast<Step>(s))) return s;
  return -1;
}

Status ParseUnits(const toml::table& units, const Model& model, Scenario* sc) {
  for (const auto& [code_key, node] : units) {
    std::string code(code_key.str());
    std::string path = "units." + code;
    if (!model.units.count(code)) return Invalid(fmt::format("{}: the model has no unit '{}'", path, code));
    auto table = TableOf(node, path);
    if (!table.ok()) return table.status();
    UnitChange change;
    for (const auto& [k, v] : **table) {
      std::string key = path + "." + std::string(k.str());
      auto x = NumberOf(v, key);
      if (!x.ok()) return x.status();
      if (k.str() == "staff_delta") {
        change.staff_delta = *x;
      } else if (k.str() == "vacancies") {
        if (*x < 0) return Invalid(key + " must be >= 0");
        change.vacancies = *x;
      } else if (k.str() == "absence_share") {
        if (!(*x >= 0 && *x < 1)) return Invalid(key + " must be 0 … < 1");
        change.absence_share = *x;
      } else if (k.str() == "hours_per_week") {
        if (!(*x > 0 && *x <= 168)) return Invalid(key + " must be > 0 … 168");
        change.hours_per_week = *x;
      } else {
        return UnknownKey(key);
      }
    }
    const UnitModel& u = model.units.at(code);
    double staff = u.staff + change.staff_delta.value_or(0);
    if (staff < 0) return Invalid(fmt::format("{}.staff_delta would leave {} posts", path, staff));
    if (change.vacancies.value_or(u.vacancies) > staff)
      return Invalid(fmt::format("{}: more vacancies than the {} posts", path, staff));
    sc->units[code] = change;
  }
  return Status::Ok();
}

}  // namespace

Result<Scenario> ParseScenarioToml(const std::string& text, const std::string& origin, const Model& model) {
  auto parsed = ParseTomlText(text, origin);
  if (!parsed.ok()) return parsed.status();
  toml::table& root = *parsed;
  Scenario sc;
  sc.name = "scenario";
  std::set<std::string> known_items;
  for (const auto* shares : {&model.interventions_child, &model.interventions_adult})
    for (const auto& [code, share] : *shares) known_items.insert(code);
  for (const auto& [code, cost] : model.intervention_cost_sek) known_items.insert(code);

  for (const auto& [section_key, section] : root) {
    std::string name(section_key.str());
    auto table = TableOf(section, name);
    if (!table.ok()) return table.status();
    if (name == "scenario") {
      for (const auto& [k, v] : **table) {
        std::string key = "scenario." + std::string(k.str());
        auto s = v.as_string();
        if (k.str() != "name" && k.str() != "description") return UnknownKey(key);
        if (!s) return Invalid(key + " must be a string");
        (k.str() == "name" ? sc.name : sc.description) = s->get();
      }
    } else if (name == "inflow") {
      for (const auto& [k, v] : **table) {
        std::string key = "inflow." + std::string(k.str());
        int stream = StreamIndex(k.str());
        if (stream < 0) return UnknownKey(key + " (streams: report, application, first_line)");
        auto x = NumberOf(v, key);
        if (!x.ok()) return x.status();
        if (*x < 0 || *x > 100) return Invalid(key + " must be a factor 0 … 100 (1.10 is 10 % more)");
        sc.inflow[static_cast<size_t>(stream)] = *x;
      }
    } else if (name == "units") {
      NYSOL_RETURN_IF_ERROR(ParseUnits(**table, model, &sc));
    } else if (name == "administration") {
      for (const auto& [k, v] : **table) {
        std::string key = "administration." + std::string(k.str());
        if (k.str() == "factor") {
          auto x = NumberOf(v, key);
          if (!x.ok()) return x.status();
          if (*x < 0 || *x > 10) return Invalid(key + " must be a factor 0 … 10 (0.8 cuts it by 20 %)");
          sc.admin_factor = *x;
        } else if (k.str() == "steps") {
          auto steps = TableOf(v, key);
          if (!steps.ok()) return steps.status();
          for (const auto& [sk, sv] : **steps) {
            std::string step_key = key + "." + std::string(sk.str());
            int step = StepIndex(sk.str());
            if (step < 0) return UnknownKey(step_key);
            auto x = NumberOf(sv, step_key);
            if (!x.ok()) return x.status();
            if (*x < 0 || *x > 10) return Invalid(step_key + " must be a factor 0 … 10");
            sc.step_admin_factor[static_cast<size_t>(step)] = *x;
          }
        } else {
          return UnknownKey(key);
        }
      }
    } else if (name == "first_line") {
      for (const auto& [k, v] : **table) {
        std::string key = "first_line." + std::string(k.str());
        if (k.str() != "move_items") return UnknownKey(key);
        auto array = v.as_array();
        if (!array) return Invalid(key + " must be an array of catalog item codes");
        for (const auto& item : *array) {
          auto s = item.as_string();
          if (!s) return Invalid(key + " must be an array of catalog item codes");
          if (!known_items.count(s->get()))
            return Invalid(fmt::format("{}: the model has no decisions on catalog item '{}'", key, s->get()));
          sc.move_to_first_line.push_back(s->get());
        }
      }
    } else if (name == "digital_channel") {
      bool has_stream = false, has_share = false;
      for (const auto& [k, v] : **table) {
        std::string key = "digital_channel." + std::string(k.str());
        if (k.str() == "stream") {
          auto s = v.as_string();
          int stream = s ? StreamIndex(s->get()) : -1;
          if (stream < 0) return Invalid(key + " must be one of report, application, first_line");
          sc.digital_stream = static_cast<Stream>(stream);
          has_stream = true;
        } else if (k.str() == "share" || k.str() == "admin_factor") {
          auto x = NumberOf(v, key);
          if (!x.ok()) return x.status();
          if (k.str() == "share") {
            if (*x < 0 || *x > 1) return Invalid(key + " must be a share 0 … 1");
            sc.digital_share = *x;
            has_share = true;
          } else {
            if (*x < 0 || *x > 10) return Invalid(key + " must be a factor 0 … 10");
            sc.digital_admin_factor = *x;
          }
        } else {
          return UnknownKey(key);
        }
      }
      if (!has_stream || !has_share) return Invalid("digital_channel needs stream and share");
    } else {
      return UnknownKey(name);
    }
  }
  return sc;
}

Result<Scenario> LoadScenario(const std::string& path, const Model& model) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, fmt::format("cannot read the scenario file {}", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseScenarioToml(text.str(), path, model);
}

namespace {

// Mean cost of the decisions on `items` (all when `moved` is null), weighted by their shares.
double MeanCost(const std::map<std::string, double>& shares, const std::map<std::string, double>& costs,
                const std::set<std::string>& moved, bool of_moved, double* share_out) {
  double share = 0, cost = 0;
  for (const auto& [code, s] : shares) {
    if (moved.count(code) != static_cast<size_t>(of_moved)) continue;
    share += s;
    auto c = costs.find(code);
    if (c != costs.end()) cost += s * c->second;
  }
  *share_out = share;
  return share > 0 ? cost / share : 0;
}

}  // namespace

std::vector<const CatalogItem*> MovableItems(const Model& model, const Catalog& catalog, Date on) {
  std::vector<const CatalogItem*> items;
  for (const CatalogItem& item : catalog.items()) {
    if (catalog.Find(item.code, on) != &item || item.assessment_required) continue;
    if (model.interventions_child.count(item.code) || model.interventions_adult.count(item.code))
      items.push_back(&item);
  }
  return items;
}

Status CheckFirstLineMoves(const Scenario& scenario, const Catalog& catalog, const Rulebook& rulebook,
                           Date on) {
  for (const std::string& code : scenario.move_to_first_line) {
    const CatalogItem* item = catalog.Find(code, on);
    if (!item) {
      return Error(ErrorCode::kInvalidInput,
                   fmt::format("first_line.move_items: '{}' is not in the intervention catalog on {}; only a "
                               "catalog item can be opened for the first line (11 kap. 5 § SoL)",
                               code, FormatDate(on)));
    }
    if (item->assessment_required) {
      // 11 kap. 5 § p. 1–7 SoL: never without an individual needs assessment.
      auto kind = rulebook.Lookup("assessment_required", *item->assessment_required, on);
      return Error(ErrorCode::kIllegalTransition,
                   fmt::format("first_line.move_items: '{}' is {}, which always needs an individual needs "
                               "assessment ({}); it cannot be moved to the first line",
                               code, kind.ok() ? kind->name_sv : *item->assessment_required,
                               kind.ok() ? kind->law_ref : "11 kap. 5 § SoL"));
    }
  }
  return Status::Ok();
}

Plan ApplyScenario(const Model& model, const Scenario& sc) {
  Plan plan;
  plan.model = model;
  Model& m = plan.model;
  for (int s = 0; s < kStreams; ++s)
    m.arrivals[static_cast<size_t>(s)].per_day *= sc.inflow[static_cast<size_t>(s)];
  for (const auto& [code, change] : sc.units) {
    UnitModel& u = m.units.at(code);
    if (change.staff_delta) u.staff = std::max(0.0, u.staff + *change.staff_delta);
    if (change.vacancies) u.vacancies = *change.vacancies;
    if (change.absence_share) u.absence_share = *change.absence_share;
    if (change.hours_per_week) u.hours_per_week = *change.hours_per_week;
    u.vacancies = std::min(u.vacancies, u.staff);
  }
  for (int s = 0; s < kSteps; ++s)
    m.steps[static_cast<size_t>(s)].admin_hours *=
        sc.admin_factor * sc.step_admin_factor[static_cast<size_t>(s)];

  std::set<std::string> moved(sc.move_to_first_line.begin(), sc.move_to_first_line.end());
  struct Kind {
    const std::map<std::string, double>* shares;
    double to_decision;
    double *moved, *decision, *cost, *cost_moved;
  };
  for (Kind k : {Kind{&m.interventions_child, m.routing.investigation_to_decision_child, &plan.moved_child,
                      &plan.decision_child, &plan.cost_child, &plan.cost_moved_child},
                 Kind{&m.interventions_adult, m.routing.investigation_to_decision_adult, &plan.moved_adult,
                      &plan.decision_adult, &plan.cost_adult, &plan.cost_moved_adult}}) {
    double moved_share = 0, kept_share = 0;
    *k.cost_moved = MeanCost(*k.shares, m.intervention_cost_sek, moved, true, &moved_share);
    *k.cost = MeanCost(*k.shares, m.intervention_cost_sek, moved, false, &kept_share);
    // The shares are of all granted decisions (items the model does not list make up the rest).
    double moved_of_decisions = std::min(1.0, moved_share);
    // Investigations that would end in a moved item are not started; the rest keep their decision rate.
    *k.moved = k.to_decision * moved_of_decisions;
    *k.decision = *k.moved < 1 ? k.to_decision * (1 - moved_of_decisions) / (1 - *k.moved) : 0;
  }
  if (sc.digital_stream) {
    plan.digital_stream = static_cast<int>(*sc.digital_stream);
    plan.digital_share = sc.digital_share;
    plan.digital_admin_factor = sc.digital_admin_factor;
  }
  return plan;
}

}  // namespace nysol::sim
