// `nysol simulate`: the capacity simulator (docs/PLANNING.md).
//   simulate mmc --arrival-rate L --service-rate M --servers C --customers N --seed S
//       one M/M/c run as JSON, with the exact Erlang C figures beside it;
//   simulate calibrate --db FILE > model.toml
//       the chain's parameters fitted from the journal, with how well each fits;
//   simulate run model.toml [--scenario FILE] --replications N --seed S [--format json|table]
//       the scenario against the calibrated model, each figure with a 95 % confidence interval.
// Every error goes to stderr with exit code 2 and nothing on stdout.
#include <fmt/format.h>

#include <charconv>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include <filesystem>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "core/catalog.h"
#include "core/rulebook.h"
#include "followup/snapshot.h"
#include "sim/calibrate.h"
#include "sim/mmc.h"
#include "sim/model.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "store/db.h"

namespace nysol::cli {

namespace {

// The whole text as a finite number, or nullopt.
std::optional<double> ParseNumber(const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

template <typename Int>
std::optional<Int> ParseInteger(const std::string& text) {
  Int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

void RegisterMmc(CLI::App& simulate, int* exit_code) {
  struct Options {
    std::string arrival_rate, service_rate, servers, customers, seed = "1";
  };
  auto options = std::make_shared<Options>();
  auto* mmc = simulate.add_subcommand("mmc", "Simulate an M/M/c queue and compare it with Erlang C (JSON)");
  mmc->add_option("--arrival-rate", options->arrival_rate, "λ, arrivals per unit of time (> 0)");
  mmc->add_option("--service-rate", options->service_rate, "μ, services per server per unit of time (> 0)");
  mmc->add_option("--servers", options->servers, "c, the number of servers (an integer >= 1)");
  mmc->add_option("--customers", options->customers, "N, the number of arrivals to simulate (>= 1)");
  mmc->add_option("--seed", options->seed, "The random seed (an unsigned integer; default 1)");
  mmc->allow_extras();  // reported below with exit code 2, like every other bad option
  mmc->callback([options, exit_code, mmc] {
    auto fail = [exit_code](const std::string& message) {
      std::cerr << "simulate mmc: " << message << "\n";
      *exit_code = 2;
    };
    if (!mmc->remaining().empty())
      return fail(fmt::format("unexpected argument '{}'", mmc->remaining().front()));
    sim::MmcParams params;
    struct Required {
      const char* name;
      const std::string* text;
    };
    for (Required r :
         {Required{"--arrival-rate", &options->arrival_rate},
          Required{"--service-rate", &options->service_rate}, Required{"--servers", &options->servers},
          Required{"--customers", &options->customers}}) {
      if (r.text->empty()) return fail(fmt::format("{} is required", r.name));
    }
    auto lambda = ParseNumber(options->arrival_rate);
    if (!lambda) return fail(fmt::format("--arrival-rate: '{}' is not a number", options->arrival_rate));
    auto mu = ParseNumber(options->service_rate);
    if (!mu) return fail(fmt::format("--service-rate: '{}' is not a number", options->service_rate));
    auto servers = ParseInteger<int>(options->servers);
    if (!servers) return fail(fmt::format("--servers: '{}' is not an integer", options->servers));
    auto customers = ParseInteger<int64_t>(options->customers);
    if (!customers) return fail(fmt::format("--customers: '{}' is not an integer", options->customers));
    auto seed = ParseInteger<uint64_t>(options->seed);
    if (!seed) return fail(fmt::format("--seed: '{}' is not an unsigned integer", options->seed));
    params.arrival_rate = *lambda;
    params.service_rate = *mu;
    params.servers = *servers;
    params.customers = *customers;
    params.seed = *seed;
    if (auto status = sim::ValidateMmc(params); !status.ok()) return fail(status.message());
    std::cout << sim::MmcJson(params, sim::SimulateMmc(params));
    *exit_code = 0;
  });
}

void RegisterCalibrate(CLI::App& simulate, int* exit_code) {
  struct Options {
    std::string db, from, to, catalog, rulebook, utilisation = "0.85", admin_share = "0.35";
  };
  auto options = std::make_shared<Options>();
  auto* cal = simulate.add_subcommand("calibrate", "Fit the chain's model from the journal; TOML on stdout");
  cal->add_option("--db", options->db, "The database");
  cal->add_option("--from", options->from,
                  "First day of the calibration period (default: three years before --to)");
  cal->add_option("--to", options->to, "Last day (default: the day before the last day in the journal)");
  cal->add_option("--utilisation", options->utilisation,
                  "Share of the staff's hours the observed cases are taken to use (default 0.85)");
  cal->add_option("--admin-share", options->admin_share,
                  "Share of a case's hours that is administration (0.35)");
  cal->add_option("--catalog", options->catalog, "Catalog file for unit costs (default config/catalog.json)");
  cal->add_option("--rulebook", options->rulebook, "Rulebook file (default rulebook/rulebook.json)");
  cal->allow_extras();
  cal->callback([options, exit_code, cal] {
    auto fail = [exit_code](const std::string& message) {
      std::cerr << "simulate calibrate: " << message << "\n";
      *exit_code = 2;
    };
    if (!cal->remaining().empty())
      return fail(fmt::format("unexpected argument '{}'", cal->remaining().front()));
    if (options->db.empty()) return fail("--db is required");
    if (!store::IsPostgresAddress(options->db) && !std::filesystem::exists(options->db)) return fail(fmt::format("no database at {}", options->db));
    sim::CalibrationOptions co;
    auto utilisation = ParseNumber(options->utilisation);
    if (!utilisation) return fail(fmt::format("--utilisation: '{}' is not a number", options->utilisation));
    auto admin = ParseNumber(options->admin_share);
    if (!admin) return fail(fmt::format("--admin-share: '{}' is not a number", options->admin_share));
    co.utilisation = *utilisation;
    co.admin_share = *admin;
    co.source = std::filesystem::path(options->db).filename().string();
    auto inputs = LoadJournalInputs(options->db, options->rulebook, options->catalog);
    if (!inputs.ok()) return fail(inputs.status().message());
    const followup::Snapshot& snapshot = inputs->snapshot;
    int32_t last_day = std::numeric_limits<int32_t>::min();
    for (int32_t day : snapshot.facts().day)
      if (day != followup::kNoDay) last_day = std::max(last_day, day);
    if (last_day == std::numeric_limits<int32_t>::min())
      return fail("the journal has no events to calibrate from");
    if (options->to.empty()) {
      co.to = ParseDate(followup::DayText(last_day - 1)).value();
    } else {
      auto to = ParseDate(options->to);
      if (!to.ok()) return fail(fmt::format("--to: {}", to.status().message()));
      co.to = *to;
    }
    if (options->from.empty()) {
      co.from = AddDays(AddMonths(co.to, -36), 1);
    } else {
      auto from = ParseDate(options->from);
      if (!from.ok()) return fail(fmt::format("--from: {}", from.status().message()));
      co.from = *from;
    }
    auto model = sim::Calibrate(snapshot, *inputs->db, &inputs->catalog, co);
    if (!model.ok()) return fail(model.status().message());
    std::cout << sim::ModelToml(*model);
    *exit_code = 0;
  });
}

void RegisterRun(CLI::App& simulate, int* exit_code) {
  struct Options {
    std::string model, scenario, replications = "100", seed = "1", format = "json", rulebook, catalog,
                                 threads = "1";
  };
  auto options = std::make_shared<Options>();
  auto* run =
      simulate.add_subcommand("run", "Run a scenario against a calibrated model, with 95 % intervals");
  run->add_option("model", options->model, "The model (TOML, from simulate calibrate)");
  run->add_option("--scenario", options->scenario, "The scenario (TOML); without it, the baseline alone");
  run->add_option("--replications", options->replications, "Independent replications (default 100)");
  run->add_option("--seed", options->seed, "The random seed (default 1)");
  run->add_option("--format", options->format, "json (default) or table");
  run->add_option("--threads", options->threads, "Threads for the replications (default 1; same result)");
  run->add_option("--rulebook", options->rulebook, "Rulebook file (default rulebook/rulebook.json)");
  run->add_option(
      "--catalog", options->catalog,
      "Catalog file, for the items a scenario moves to the first line (default config/catalog.json)");
  run->allow_extras();
  run->callback([options, exit_code, run] {
    auto fail = [exit_code](const std::string& message) {
      std::cerr << "simulate run: " << message << "\n";
      *exit_code = 2;
    };
    if (!run->remaining().empty())
      return fail(fmt::format("unexpected argument '{}'", run->remaining().front()));
    if (options->model.empty()) return fail("the model file is required: nysol simulate run model.toml ...");
    if (options->format != "json" && options->format != "table")
      return fail(fmt::format("--format: '{}' is not json or table", options->format));
    auto replications = ParseInteger<int>(options->replications);
    if (!replications || *replications < 1 || *replications > 100000)
      return fail(fmt::format("--replications: '{}' is not an integer 1 … 100000", options->replications));
    auto seed = ParseInteger<uint64_t>(options->seed);
    if (!seed) return fail(fmt::format("--seed: '{}' is not an unsigned integer", options->seed));
    auto threads = ParseInteger<int>(options->threads);
    if (!threads || *threads < 1 || *threads > 256)
      return fail(fmt::format("--threads: '{}' is not an integer 1 … 256", options->threads));
    auto rulebook = LoadRulebook(options->rulebook);
    if (!rulebook.ok()) return fail(rulebook.status().message());
    auto model = sim::LoadModel(options->model);
    if (!model.ok()) return fail(model.status().message());
    sim::Scenario scenario;
    if (!options->scenario.empty()) {
      auto loaded = sim::LoadScenario(options->scenario, *model);
      if (!loaded.ok()) return fail(loaded.status().message());
      scenario = std::move(*loaded);
    }
    if (!scenario.move_to_first_line.empty()) {
      auto catalog = LoadCatalog(options->catalog, *rulebook);
      if (!catalog.ok()) return fail(catalog.status().message());
      auto start = ParseDate(model->start);
      if (!start.ok()) return fail(fmt::format("the model's start: {}", start.status().message()));
      // 11 kap. 5 § SoL: only catalog items that may be given without a needs assessment.
      if (auto moves = sim::CheckFirstLineMoves(scenario, *catalog, *rulebook, *start); !moves.ok())
        return fail(moves.message());
    }
    auto result = sim::RunScenario(*model, scenario, *rulebook, *replications, *seed, *threads);
    if (!result.ok()) return fail(result.status().message());
    std::cout << (options->format == "json" ? sim::RunResultJson(*result) : sim::RunResultTable(*result));
    *exit_code = 0;
  });
}

}  // namespace

void RegisterSimulate(CLI::App& app, int* exit_code) {
  auto* simulate = app.add_subcommand("simulate", "The capacity simulator of the chain (docs/PLANNING.md)");
  simulate->require_subcommand(1);
  RegisterMmc(*simulate, exit_code);
  RegisterCalibrate(*simulate, exit_code);
  RegisterRun(*simulate, exit_code);
}

}  // namespace nysol::cli
