#include "web/metrics.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>

namespace nysol::web {
namespace {

// A label value as the exposition format wants it: backslash, double quote and newline escaped.
std::string Label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' ? 'n' : c;
  }
  return out;
}

// Resident memory from /proc/self/statm (pages), for the soak run: it should not grow beyond the caches.
int64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * sysconf(_SC_PAGESIZE);
}

}  // namespace

void Metrics::Record(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{method, route, status}];
  Latency& l = latency_[{method, route}];
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  if (bucket < kBuckets.size()) ++l.buckets[bucket];
  ++l.count;
  l.sum += seconds;
}

std::string Metrics::Render(int64_t journal_last_seq, const access::CommitCounts& access_log) const {
  std::string out;
  out += "# HELP nysol_http_requests_total Requests answered, by method, route pattern and status.\n";
  out += "# TYPE nysol_http_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out += fmt::format("nysol_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                       Label(method), Label(route), status, count);
  }
  out += "# HELP nysol_http_request_duration_seconds Server time per request, by method and route pattern.\n";
  out += "# TYPE nysol_http_request_duration_seconds histogram\n";
  for (const auto& [key, l] : latency_) {
    std::string labels = fmt::format("method=\"{}\",route=\"{}\"", Label(key.first), Label(key.second));
    uint64_t cumulative = 0;
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += l.buckets[b];
      out += fmt::format("nysol_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                         kBuckets[b], cumulative);
    }
    out += fmt::format("nysol_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels, l.count);
    out += fmt::format("nysol_http_request_duration_seconds_sum{{{}}} {}\n", labels, l.sum);
    out += fmt::format("nysol_http_request_duration_seconds_count{{{}}} {}\n", labels, l.count);
  }
  out += "# HELP nysol_journal_last_seq The sequence number of the journal's newest event.\n";
  out += "# TYPE nysol_journal_last_seq gauge\n";
  out += fmt::format("nysol_journal_last_seq {}\n", journal_last_seq);
  out += "# HELP nysol_access_log_commits_total Transactions of the access log's writer (each one fsync).\n";
  out += "# TYPE nysol_access_log_commits_total counter\n";
  out += fmt::format("nysol_access_log_commits_total {}\n", access_log.commits);
  out += "# HELP nysol_access_log_requests_total Requests whose reads those transactions logged.\n";
  out += "# TYPE nysol_access_log_requests_total counter\n";
  out += fmt::format("nysol_access_log_requests_total {}\n", access_log.requests);
  out += "# HELP nysol_process_resident_memory_bytes Resident memory of the server process.\n";
  out += "# TYPE nysol_process_resident_memory_bytes gauge\n";
  out += fmt::format("nysol_process_resident_memory_bytes {}\n", ResidentBytes());
  return out;
}

void RegisterMetricsRoute(Router& router, const Metrics& metrics, store::CaseStore& store,
                          const access::AccessLog& access_log) {
  router.Add(
      {"GET", "/metrics",
       "Monitoring in Prometheus's text format: requests, server time, journal length, access-log commits",
       access::Permission::kReadMetrics, false, [&metrics, &store, &access_log](RequestContext&) {
         int64_t last_seq = 0;
         store.Read([&](store::Db& db) {
           auto& st = db.Prepare("SELECT coalesce(max(seq), 0) FROM journal");
           if (st.Step()) last_seq = st.Int(0);
         });
         HttpResponse response;
         response.content_type = "text/plain; version=0.0.4; charset=utf-8";
         response.body = metrics.Render(last_seq, access_log.Committed());
         return response;
       }});
}

}  // namespace nysol::web
