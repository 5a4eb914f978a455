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

struct Authentication;  // web/authenticator.h

// What a handler gets: the request, the path parameters, who is asking, and where to say what it touched.
struct RequestContext {
  const HttpRequest& request;
  std::map<std::string, std::string> params;
  const access::Principal* principal = nullptr;  // null only on public routes
  std::vector<access::AccessRecord> accessed;    // reads, filled by the handler, written by the pipeline;
                                                 // writes log themselves in their transaction (WriteAndLog)
  std::optional<std::string> emergency_reason;   // query 'emergency_reason', checked by the pipeline
  std::string route_label;                       // "POST /api/v1/reports": what the access log names
  // How `principal` proved who it is (bearer token, session cookie); null on public routes.
  const Authentication* authentication = nullptr;

  // May this request reach case content of `unit` (inner confidentiality), and only by emergency access?
  access::Reach ReachUnit(std::string_view unit) const {
    return access::ReachUnit(*principal, unit, emergency_reason.has_value());
  }
  // The same without emergency access: searches and person pages never open other units, only one matter does.
  bool InOwnUnit(std::string_view unit) const { return access::ReachUnit(*principal, unit, false).allowed; }
  void Read(std::optional<int64_t> person_id, std::optional<int64_t> matter_id, bool outside_unit = false,
            bool protected_person = false) {
    accessed.push_back({"read", person_id, matter_id, outside_unit, protected_person});
  }
};

using Handler = std::function<HttpResponse(RequestContext&)>;

struct Route {
  std::string method;
  std::string pattern;
  std::string summary;
  std::optional<access::Permission> permission;  // nullopt: no permission; public unless login_required
  bool personal_data = false;                    // reads or writes personal data: must log access
  Handler handler;
  // Needs a logged-in user but no permission: routes about the caller's own login (GET /api/v1/session).
  bool login_required = false;
  // A page of the web interface (src/web/pages/): refusals are pages in Swedish, and a request without a
  // login is sent to the login page instead of answered 401.
  bool page = false;

  // Public: answered without any login (health, openapi, the login itself).
  bool IsPublic() const { return !permission && !login_required; }
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
  std::vector<std::vector<std::string>> segments_;  // each route's pattern split at '/', as routes_
};

}  // namespace nysol::web
