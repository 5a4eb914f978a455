// Routes: method + path pattern ("/api/v1/matters/{id}") → handler, with what the route needs (authentication,
// a permission) and whether it touches personal data. The router's table is the single list of routes: the
// OpenAPI test and the access tests enumerate it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "access/access_log.h"
#include "access/policy.h"
#include "core/status.h"
#include "web/http_message.h"

namespace nysol::web {

// What a handler gets: the request, the path parameters, who is asking, and where to say what it touched.
struct RequestContext {
  const HttpRequest& request;
  std::map<std::string, std::string> params;
  const access::Principal* principal = nullptr;  // null only on public routes
  std::vector<access::AccessRecord> accessed;    // filled by the handler, written by the pipeline

  void Read(std::optional<int64_t> person_id, std::optional<int64_t> matter_id) {
    accessed.push_back({"read", person_id, matter_id});
  }
  void Wrote(std::optional<int64_t> person_id, std::optional<int64_t> matter_id) {
    accessed.push_back({"write", person_id, matter_id});
  }
};

using Handler = std::function<HttpResponse(RequestContext&)>;

struct Route {
  std::string method;
  std::string pattern;
  std::string summary;
  std::optional<access::Permission> permission;  // nullopt: public, no login (health, openapi)
  bool personal_data = false;                    // reads or writes personal data: must log access
  Handler handler;
};

class Router {
 public:
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;  // methods routed on this path; non-empty without a route means 405
  };
  Match Find(const std::string& method, const std::string& path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace nysol::web
