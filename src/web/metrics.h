// Monitoring in Prometheus's text format (`GET /metrics`, docs/OPERATIONS.md): requests and their server time
// by route pattern, the journal's length, the access log's commits and the process's memory. Only route
// patterns are counted, never paths or queries, which may carry identity numbers. Thread-safe: every request
// thread records here.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "access/access_log.h"
#include "store/case_store.h"
#include "web/router.h"

namespace nysol::web {

class Metrics {
 public:
  // The histogram's upper bounds in seconds: from a cached page to a slow report.
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5};

  // One answered request: its method, route pattern ("-" when no route matched), status and server time.
  void Record(const std::string& method, const std::string& route, int status, double seconds);
  // Everything recorded, plus `journal_last_seq`, the access log's commits and the resident memory, in the
  // text exposition format 0.0.4.
  std::string Render(int64_t journal_last_seq, const access::CommitCounts& access_log) const;

 private:
  struct Latency {
    std::array<uint64_t, kBuckets.size()> buckets{};  // not cumulative; Render sums them
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // guarded by mutex_
  std::map<std::pair<std::string, std::string>, Latency> latency_;          // guarded by mutex_
};

// GET /metrics for administrators (permission read_metrics), answered from `metrics`, the store and the log.
void RegisterMetricsRoute(Router& router, const Metrics& metrics, store::CaseStore& store,
                          const access::AccessLog& access_log);

}  // namespace nysol::web
