// A scenario: what a head of unit wants to try against the calibrated model — more or less inflow, staff
// added, removed or left vacant, less administration, catalog items moved to the first line, a digital
// channel. Read from TOML (docs/PLANNING.md); an empty scenario is the baseline.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/catalog.h"
#include "core/civil_date.h"
#include "core/rulebook.h"
#include "core/status.h"
#include "sim/model.h"

namespace nysol::sim {

struct UnitChange {
  std::optional<double> staff_delta;     // posts added (+) or removed (−)
  std::optional<double> vacancies;       // posts left unfilled, replacing the model's figure
  std::optional<double> absence_share;   // replacing the model's figure
  std::optional<double> hours_per_week;  // replacing the model's figure
};

struct Scenario {
  std::string name = "baseline";
  std::string description;
  std::array<double, kStreams> inflow{1, 1, 1};  // factor on each stream's arrivals
  std::map<std::string, UnitChange> units;
  double admin_factor = 1;                                   // on the administration hours of every step
  std::array<double, kSteps> step_admin_factor{1, 1, 1, 1};  // and of single steps (multiplied)
  std::vector<std::string> move_to_first_line;               // catalog items given at the first line, without
                                                // investigation (11 kap. 5 § SoL, by committee decision)
  // A digital channel for one stream: `share` of its arrivals come through it, with their first step's
  // administration hours multiplied by `admin_factor`.
  std::optional<Stream> digital_stream;
  double digital_share = 0;
  double digital_admin_factor = 1;
};

// Parses the TOML text and checks it against the model (the units and catalog items it names must be in it);
// unknown keys and invalid values are errors naming the key.
Result<Scenario> ParseScenarioToml(const std::string& text, const std::string& origin, const Model& model);
Result<Scenario> LoadScenario(const std::string& path, const Model& model);

// The catalog items a scenario may move to the first line on `on`: those the model has granted decisions on,
// that the catalog holds on that day, and that are not of a kind that always needs an individual needs
// assessment (11 kap. 5 § p. 1–7 SoL). In catalog order.
std::vector<const CatalogItem*> MovableItems(const Model& model, const Catalog& catalog, Date on);
// Checks the scenario's moves against the law: kIllegalTransition naming the point of 11 kap. 5 § for an item
// that may never be offered without a needs assessment, kInvalidInput for an item the catalog does not hold
// on `on` (only the committee's decision on a catalog item can open it for the first line).
Status CheckFirstLineMoves(const Scenario& scenario, const Catalog& catalog, const Rulebook& rulebook,
                           Date on);

// The model with the scenario applied, and what the chain needs beyond the model's own fields.
struct Plan {
  Model model;                // inflow, staffing and administration hours changed
  double moved_child = 0;     // share of child investigations that become first-line contacts instead
  double moved_adult = 0;     // share of adult investigations likewise
  double decision_child = 0;  // share of the remaining child investigations ending in a granted intervention
  double decision_adult = 0;
  double cost_child = 0;  // mean intervention cost of such a decision (SEK)
  double cost_adult = 0;
  double cost_moved_child = 0;  // mean cost of a moved item, now given at the first line
  double cost_moved_adult = 0;
  int digital_stream = -1;  // Stream, or -1
  double digital_share = 0;
  double digital_admin_factor = 1;
};
Plan ApplyScenario(const Model& model, const Scenario& scenario);

}  // namespace nysol::sim
