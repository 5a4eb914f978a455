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
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "cli/commands.h"
#include "sim/mmc.h"

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

}  // namespace

void RegisterSimulate(CLI::App& app, int* exit_code) {
  auto* simulate = app.add_subcommand("simulate", "The capacity simulator of the chain (docs/PLANNING.md)");
  simulate->require_subcommand(1);
  RegisterMmc(*simulate, exit_code);
}

}  // namespace nysol::cli
