// The request pipeline: every request passes here, in this order — route lookup, authentication,
// authorisation (deny by default), the handler, the access log and the timing log. The server adds the
// security headers to every response, including those it answers without the pipeline.
// The server hands every request to Pipeline::Handle, so no route can skip a step.
#pragma once

#include "access/access_log.h"
#include "access/user_directory.h"
#include "core/clock.h"
#include "core/rulebook.h"
#include "store/case_store.h"
#include "web/router.h"

namespace nysol::web {

struct AppServices {
  store::CaseStore& store;
  const Rulebook& rulebook;
  const Clock& clock;
  access::UserDirectory& users;
  access::AccessLog& access_log;
};

class Pipeline {
 public:
  Pipeline(const Router& router, AppServices services) : router_(router), services_(services) {}
  HttpResponse Handle(const HttpRequest& request) const;

 private:
  HttpResponse Dispatch(const HttpRequest& request, std::string* route_pattern) const;
  const Router& router_;
  AppServices services_;
};

// The bearer token of a request ("Authorization: Bearer <token>"), or "".
std::string BearerToken(const HttpRequest& request);

}  // namespace nysol::web
