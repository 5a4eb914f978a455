#include "sim/mmc.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

#include "sim/engine.h"
#include "sim/erlang.h"
#include "sim/rng.h"

namespace nysol::sim {

namespace {
enum Kind : uint32_t { kArrival = 0, kDeparture = 1 };
constexpr int kMaxServers = 1000000;
}  // namespace

Status ValidateMmc(const MmcParams& p) {
  if (!(p.arrival_rate > 0) || !std::isfinite(p.arrival_rate))
    return Error(ErrorCode::kInvalidInput, "--arrival-rate must be a number greater than 0");
  if (!(p.service_rate > 0) || !std::isfinite(p.service_rate))
    return Error(ErrorCode::kInvalidInput, "--service-rate must be a number greater than 0");
  // The engine reserves an event per server up front; a million servers is far beyond any queue to plan.
  if (p.servers < 1 || p.servers > kMaxServers)
    return Error(ErrorCode::kInvalidInput, fmt::format("--servers must be an integer 1 … {}", kMaxServers));
  if (p.customers < 1) return Error(ErrorCode::kInvalidInput, "--customers must be an integer of at least 1");
  if (!(p.arrival_rate < p.servers * p.service_rate))
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("the queue is not stable: --arrival-rate ({}) must be less than --servers × "
                             "--service-rate ({} × {} = {})",
                             p.arrival_rate, p.servers, p.service_rate, p.servers * p.service_rate));
  return Status::Ok();
}

MmcResult SimulateMmc(const MmcParams& p) {
  MmcResult r;
  Rng rng(p.seed);
  Engine engine;
  engine.Reserve(static_cast<size_t>(p.servers) + 2);
  // Waiting customers' arrival times, first come first served (a ring would do; a vector with a head index
  // is simpler and amortised O(1)).
  std::vector<double> waiting;
  size_t waiting_head = 0;
  int busy = 0;
  int64_t arrived = 0, departed = 0, waited = 0;
  double wait_sum = 0, sojourn_service_sum = 0;
  double last_time = 0, area_system = 0, area_queue = 0, area_busy = 0;

  auto start = std::chrono::steady_clock::now();
  engine.Schedule(rng.Exponential(p.arrival_rate), kArrival, 0);
  Event event;
  while (engine.Next(&event)) {
    const double now = event.time;
    const double dt = now - last_time;
    const double in_queue = static_cast<double>(waiting.size() - waiting_head);
    area_queue += in_queue * dt;
    area_system += (in_queue + busy) * dt;
    area_busy += busy * dt;
    last_time = now;
    if (event.kind == kArrival) {
      ++arrived;
      if (arrived < p.customers) engine.Schedule(now + rng.Exponential(p.arrival_rate), kArrival, 0);
      if (busy < p.servers) {
        ++busy;
        double service = rng.Exponential(p.service_rate);
        sojourn_service_sum += service;
        engine.Schedule(now + service, kDeparture, 0);
      } else {
        waiting.push_back(now);
        ++waited;
      }
    } else {
      ++departed;
      if (waiting_head < waiting.size()) {
        double wait = now - waiting[waiting_head++];
        wait_sum += wait;
        if (waiting_head > 4096 && waiting_head * 2 > waiting.size()) {
          waiting.erase(waiting.begin(), waiting.begin() + static_cast<std::ptrdiff_t>(waiting_head));
          waiting_head = 0;
        }
        double service = rng.Exponential(p.service_rate);
        sojourn_service_sum += service;
        engine.Schedule(now + service, kDeparture, 0);
      } else {
        --busy;
      }
    }
  }
  auto stop = std::chrono::steady_clock::now();

  const double n = static_cast<double>(p.customers);
  r.customers = p.customers;
  r.simulated_time = last_time;
  r.mean_wait = wait_sum / n;
  r.p_wait = static_cast<double>(waited) / n;
  r.mean_sojourn = (wait_sum + sojourn_service_sum) / n;
  r.utilisation = last_time > 0 ? area_busy / (p.servers * last_time) : 0;
  r.mean_in_system = last_time > 0 ? area_system / last_time : 0;
  r.mean_in_queue = last_time > 0 ? area_queue / last_time : 0;
  r.throughput = last_time > 0 ? n / last_time : 0;
  r.events = engine.processed();
  r.seconds = std::chrono::duration<double>(stop - start).count();
  r.events_per_second = r.seconds > 0 ? static_cast<double>(r.events) / r.seconds : 0;
  (void)departed;
  return r;
}

std::string MmcJson(const MmcParams& p, const MmcResult& r) {
  MmcExact exact = ErlangC(p.arrival_rate, p.service_rate, p.servers);
  nlohmann::ordered_json j;
  j["model"] = "M/M/c";
  j["arrival_rate"] = p.arrival_rate;
  j["service_rate"] = p.service_rate;
  j["servers"] = p.servers;
  j["customers"] = r.customers;
  j["seed"] = p.seed;
  j["mean_wait"] = r.mean_wait;
  j["p_wait"] = r.p_wait;
  j["utilisation"] = r.utilisation;
  j["mean_sojourn"] = r.mean_sojourn;
  j["mean_in_system"] = r.mean_in_system;
  j["mean_in_queue"] = r.mean_in_queue;
  j["throughput"] = r.throughput;
  j["simulated_time"] = r.simulated_time;
  j["events"] = r.events;
  j["seconds"] = r.seconds;
  j["events_per_second"] = r.events_per_second;
  j["exact"] = {{"mean_wait", exact.mean_wait},           {"p_wait", exact.p_wait},
                {"utilisation", exact.utilisation},       {"mean_sojourn", exact.mean_sojourn},
                {"mean_in_system", exact.mean_in_system}, {"mean_in_queue", exact.mean_in_queue}};
  // Little's law, L = λW, with the simulation's own observed throughput and mean time in system.
  j["littles_law"] = {{"throughput_times_mean_sojourn", r.throughput * r.mean_sojourn},
                      {"time_average_in_system", r.mean_in_system},
                      {"throughput_times_mean_wait", r.throughput * r.mean_wait},
                      {"time_average_in_queue", r.mean_in_queue}};
  j["relative_error"] = {{"mean_wait", exact.mean_wait > 0 ? r.mean_wait / exact.mean_wait - 1 : 0},
                         {"p_wait", exact.p_wait > 0 ? r.p_wait / exact.p_wait - 1 : 0}};
  return j.dump(2) + "\n";
}

}  // namespace nysol::sim
