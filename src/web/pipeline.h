// The request pipeline: every request passes here, in this order — route lookup, authentication,
// authorisation (deny by default), the handler, the access log and the timing log. The server adds the
// security headers to every response, including those it answers without the pipeline.
// The server hands every request to Pipeline::Handle, so no route can skip a step.
#pragma once

#include <functional>

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
  HttpResponse Handle(const HttpRequest& request) const;

  // How page routes (Route::page) answer a refusal: a page in Swedish instead of the API's JSON error.
  using PageError = std::function<HttpResponse(const HttpRequest&, const Status&)>;
  void SetPageError(PageError page_error) { page_error_ = std::move(page_error); }
  // Counts every answered request in `metrics` (GET /metrics); `metrics` must outlive the pipeline.
  void SetMetrics(Metrics* metrics) { metrics_ = metrics; }

 private:
  HttpResponse Dispatch(const HttpRequest& request, std::string* route_pattern) const;
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
