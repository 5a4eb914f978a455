// The request pipeline: every request passes here, in this order — route lookup, authentication,
// authorisation (deny by default), the handler, the access log and the timing log. The server adds the
// security headers to every response, including those it answers without the pipeline.
// The server hands every request to Pipeline::Handle, so no route can skip a step.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "access/access_log.h"
#include "access/user_directory.h"
#include "core/clock.h"
#include "core/catalog.h"
#include "core/rulebook.h"
#include "followup/live_snapshot.h"
#include "store/case_store.h"
#include "web/authenticator.h"
#include "web/metrics.h"
#include "web/router.h"

namespace nysol::web {

struct AppServices {
  store::CaseStore& store;
  const Rulebook& rulebook;
  const Catalog& catalog;
  const Clock& clock;
  access::UserDirectory& users;
  access::AccessLog& access_log;
  followup::LiveSnapshot& followup;
};

class Pipeline {
 public:
  // Authenticates with the bearer API token alone.
  Pipeline(const Router& router, AppServices services);
  // Authenticates with `authenticators`, asked in order (web/authenticator.h).
  Pipeline(const Router& router, AppServices services, Authenticators authenticators);
  // Answers `request`; returns once its reads of personal data are durably in the access log.
  HttpResponse Handle(const HttpRequest& request) const;
  // The same for a server that need not wait: `respond` gets the response, on this thread when nothing is to
  // be logged, otherwise on the access log's writer thread once the request's rows are committed (or, if they
  // cannot be, a refusal instead of the data). `request` must stay valid until then. The thread is free for
  // other requests meanwhile, so that the reads of many requests share one commit (AccessLog::AppendAsync).
  using Respond = std::function<void(HttpResponse)>;
  void HandleAsync(const HttpRequest& request, Respond respond) const;

  // How page routes (Route::page) answer a refusal: a page in Swedish instead of the API's JSON error.
  using PageError = std::function<HttpResponse(const HttpRequest&, const Status&)>;
  void SetPageError(PageError page_error) { page_error_ = std::move(page_error); }
  // Counts every answered request in `metrics` (GET /metrics); `metrics` must outlive the pipeline.
  void SetMetrics(Metrics* metrics) { metrics_ = metrics; }

 private:
  // What must be logged before a response may leave: the reads of personal data the handler reported.
  struct PendingReads {
    access::Principal principal;
    std::string route;
    std::vector<access::AccessRecord> records;
    std::optional<std::string> emergency_reason;
    bool page = false;  // refusals as pages
  };
  HttpResponse Dispatch(const HttpRequest& request, std::string* route_pattern,
                        std::optional<PendingReads>* pending) const;
  // The timing log line and the metrics of an answered request.
  void Finish(const HttpRequest& request, const std::string& route_pattern, const HttpResponse& response,
              std::chrono::steady_clock::time_point started) const;
  // Who sent `request`, or nullopt with the refusal (401, or 503 when a store is down) in `*refused`.
  std::optional<Authentication> Authenticate(const HttpRequest& request, HttpResponse* refused) const;
  const Router& router_;
  AppServices services_;
  Authenticators authenticators_;
  PageError page_error_;
  Metrics* metrics_ = nullptr;
};

// The bearer token of a request ("Authorization: Bearer <token>"), or "".
std::string BearerToken(const HttpRequest& request);

}  // namespace nysol::web
