#!/usr/bin/python3
"""The M/M/c queue in SimPy 3, the peer of `nysol simulate mmc` in bench/run (part 4).

    /usr/bin/python3 bench/sim_mmc.py --arrival-rate L --service-rate M --servers C --customers N --seed S

The same model as src/sim/mmc.cpp, written the way SimPy's documentation writes a queue: a source process
that yields exponential inter-arrival timeouts and starts one process per customer, which requests a
Resource of capacity c, holds it for an exponential service time and releases it. Events are counted the
same way as in ours: one arrival and one departure per customer (2N), whatever SimPy schedules internally
(its own count is larger: a request, a release and process starts besides the timeouts). Only env.run() is
timed. Prints one JSON object like `nysol simulate mmc` (mean_wait, p_wait, utilisation, events_per_second).
Needs Debian's python3-simpy3 (apt-get install python3-simpy3).
"""
import argparse
import json
import random
import sys
import time

import simpy


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arrival-rate", type=float, required=True)
    parser.add_argument("--service-rate", type=float, required=True)
    parser.add_argument("--servers", type=int, required=True)
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    a = parser.parse_args()
    if a.arrival_rate <= 0 or a.service_rate <= 0 or a.servers < 1 or a.customers < 1:
        sys.exit("sim_mmc.py: rates must be > 0, servers and customers >= 1")
    if a.arrival_rate >= a.servers * a.service_rate:
        sys.exit("sim_mmc.py: the queue is not stable (arrival rate >= servers x service rate)")

    rng = random.Random(a.seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=a.servers)
    stats = {"wait": 0.0, "waited": 0, "service": 0.0, "departed": 0, "last": 0.0}

    def customer(env):
        arrived = env.now
        if servers.count >= servers.capacity:  # every server busy on arrival: this customer waits
            stats["waited"] += 1
        with servers.request() as request:
            yield request
            stats["wait"] += env.now - arrived
            service = rng.expovariate(a.service_rate)
            stats["service"] += service
            yield env.timeout(service)
        stats["departed"] += 1
        stats["last"] = env.now

    def source(env):
        for _ in range(a.customers):
            yield env.timeout(rng.expovariate(a.arrival_rate))
            env.process(customer(env))

    env.process(source(env))
    start = time.perf_counter()
    env.run()
    seconds = time.perf_counter() - start
    n = a.customers
    events = 2 * n
    print(json.dumps({
        "engine": "SimPy " + simpy.__version__,
        "arrival_rate": a.arrival_rate, "service_rate": a.service_rate, "servers": a.servers,
        "customers": n, "seed": a.seed,
        "mean_wait": stats["wait"] / n,
        "p_wait": stats["waited"] / n,
        "utilisation": stats["service"] / (a.servers * stats["last"]),
        "simulated_time": stats["last"],
        "events": events, "seconds": seconds, "events_per_second": events / seconds,
    }, indent=2))


if __name__ == "__main__":
    main()
