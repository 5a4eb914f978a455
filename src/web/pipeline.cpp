#include "web/pipeline.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>

#include "store/case_store.h"
#include "store/db.h"
#include "web/api_error.h"
#include "web/csrf.h"

namespace nysol::web {
namespace {
constexpr size_t kMinEmergencyReason = 10;  // "akut" alone is not a reason a reviewer can judge
constexpr size_t kMaxEmergencyReason = 500;
// A page asked for without a login: to the login page, which sends the user back here afterwards.
HttpResponse LoginRedirect(const HttpRequest& request) {
  HttpResponse response;
  response.status = 303;
  response.content_type = "text/plain; charset=utf-8";
  // Only a GET can be repeated after the login; a form post goes to the start page instead of being resent.
  std::string next = request.method == "GET" ? request.target : "/";
  std::string encoded;
  for (unsigned char c : next) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  response.headers.emplace_back("Location", "/login?next=" + encoded);
  return response;
}

}  // namespace

std::string BearerToken(const HttpRequest& request) {
  std::string header = request.Header("authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (header.size() <= kPrefix.size() || header.compare(0, kPrefix.size(), kPrefix) != 0) return "";
  return header.substr(kPrefix.size());
}

Pipeline::Pipeline(const Router& router, AppServices services)
    : Pipeline(router, services, {std::make_shared<BearerTokenAuthenticator>(services.users)}) {}

Pipeline::Pipeline(const Router& router, AppServices services, Authenticators authenticators)
    : router_(router), services_(services), authenticators_(std::move(authenticators)) {}

std::optional<Authentication> Pipeline::Authenticate(const HttpRequest& request,
                                                     HttpResponse* refused) const {
  // The first authenticator that finds its credential decides; a bad credential is never retried as another.
  for (const auto& authenticator : authenticators_) {
    AuthenticationResult result = authenticator->Authenticate(request);
    if (result.state == AuthenticationResult::State::kAuthenticated) return std::move(result.authentication);
    if (result.state == AuthenticationResult::State::kRefused) {
      *refused = ErrorResponse(result.status);
      for (auto& header : result.response_headers) refused->headers.push_back(std::move(header));
      return std::nullopt;
    }
  }
  std::vector<std::string_view> ways;
  for (const auto& authenticator : authenticators_) ways.push_back(authenticator->Presentation());
  *refused = ErrorResponse(
      Error(ErrorCode::kUnauthenticated, fmt::format("log in: send {}", fmt::join(ways, " or "))));
  return std::nullopt;
}

HttpResponse Pipeline::Dispatch(const HttpRequest& request, std::string* route_pattern,
                               std::optional<PendingReads>* pending) const {
  auto match = router_.Find(request.method, request.path);
  if (!match.route) {
    if (!match.allowed.empty()) {
      // 405 has no ErrorCode of its own: it is about the route table, never about a command's input.
      HttpResponse response;
      response.status = 405;
      response.body = nlohmann::json{{"error",
                                      {{"code", "method_not_allowed"},
                                       {"message", fmt::format("{} is not allowed on {}", request.method,
                                                               request.path)}}}}
                          .dump();
      response.headers.emplace_back("Allow", fmt::format("{}", fmt::join(match.allowed, ", ")));
      return response;
    }
    Status missing = Error(ErrorCode::kNotFound, fmt::format("there is no route {}", request.path));
    // Outside the API a person typed or followed the address: answer with a page.
    bool api = request.path.rfind("/api/", 0) == 0;
    return !api && page_error_ ? page_error_(request, missing) : ErrorResponse(missing);
  }
  const Route& route = *match.route;
  *route_pattern = route.pattern;
  auto refuse = [&](const Status& status) {
    return route.page && page_error_ ? page_error_(request, status) : ErrorResponse(status);
  };
  std::optional<access::Principal> principal;
  std::optional<Authentication> authentication;
  if (!route.IsPublic()) {
    HttpResponse refused;
    authentication = Authenticate(request, &refused);
    if (!authentication) {
      // A page sends a browser without a valid login to the login page; a store that is down stays a refusal.
      if (!route.page || refused.status != 401) return refused;
      HttpResponse to_login = LoginRedirect(request);
      for (auto& header : refused.headers) to_login.headers.push_back(header);  // e.g. a dead cookie cleared
      return to_login;
    }
    principal = authentication->principal;
    // Before anything else runs: a change sent with the session cookie must prove it comes from our own page.
    Status csrf = CheckCsrf(request, *authentication);
    if (!csrf.ok()) return refuse(csrf);
  }
  if (route.permission) {
    if (!access::Allows(principal->role, *route.permission)) {
      return refuse(Error(ErrorCode::kForbidden, fmt::format("role '{}' does not have permission '{}'",
                                                             access::RoleName(principal->role),
                                                             access::PermissionName(*route.permission))));
    }
  }
  RequestContext ctx{request, std::move(match.params), principal ? &*principal : nullptr, {}, std::nullopt, {}};
  ctx.authentication = authentication ? &*authentication : nullptr;
  ctx.route_label = fmt::format("{} {}", route.method, route.pattern);
  if (auto reason = request.query.find("emergency_reason"); reason != request.query.end()) {
    // Emergency access (nödåtkomst): one matter outside one's unit, with a stated reason that the log keeps.
    if (!principal || !access::Allows(principal->role, access::Permission::kEmergencyAccess)) {
      return refuse(Error(ErrorCode::kForbidden, "this role may not use emergency access"));
    }
    if (reason->second.size() < kMinEmergencyReason || reason->second.size() > kMaxEmergencyReason) {
      return refuse(Error(ErrorCode::kInvalidInput,
                          fmt::format("query 'emergency_reason' must state the reason in {}–{} characters",
                                      kMinEmergencyReason, kMaxEmergencyReason)));
    }
    ctx.emergency_reason = reason->second;
  }
  HttpResponse response;
  try {
    store::CaseStore::ReadScope one_snapshot(services_.store);
    response = route.handler(ctx);
  } catch (const store::StoreUnavailable& e) {
    // The database went away (PostgreSQL restarted, the network): the connection is dropped and the next
    // request connects again.
    fmt::print(stderr, "{{\"level\":\"error\",\"route\":\"{}\",\"database\":{}}}\n", route.pattern,
               nlohmann::json(e.what()).dump());
    return refuse(Error(ErrorCode::kUnavailable, "the database cannot be reached; try again shortly"));
  } catch (const std::exception& e) {
    fmt::print(stderr, "{{\"level\":\"error\",\"route\":\"{}\",\"what\":{}}}\n", route.pattern,
               nlohmann::json(e.what()).dump());
    return refuse(Error(ErrorCode::kInternal, "internal error"));
  }
  // Personal data leaves only when its reading is logged; the caller sends the response once it is.
  if (principal && !ctx.accessed.empty()) {
    *pending = PendingReads{*principal, fmt::format("{} {}", route.method, route.pattern), std::move(ctx.accessed),
                            ctx.emergency_reason, route.page && page_error_};
  }
  return response;
}

void Pipeline::Finish(const HttpRequest& request, const std::string& route_pattern, const HttpResponse& response,
                      std::chrono::steady_clock::time_point started) const {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  // Only the route pattern is logged, never the path or query: they may carry identity numbers.
  fmt::print(stderr, "{{\"method\":\"{}\",\"route\":\"{}\",\"status\":{},\"server_ms\":{:.3f}}}\n", request.method,
             route_pattern, response.status, micros.count() / 1000.0);
  if (metrics_) metrics_->Record(request.method, route_pattern, response.status, micros.count() / 1e6);
}

void Pipeline::HandleAsync(const HttpRequest& request, Respond respond) const {
  auto started = std::chrono::steady_clock::now();
  std::string route_pattern = "-";
  std::optional<PendingReads> pending;
  HttpResponse response;
  try {
    response = Dispatch(request, &route_pattern, &pending);
  } catch (const store::StoreUnavailable& e) {
    // Lost while authenticating, outside a route's own handling (see Dispatch).
    fmt::print(stderr, "{{\"level\":\"error\",\"database\":{}}}\n", nlohmann::json(e.what()).dump());
    response = ErrorResponse(Error(ErrorCode::kUnavailable, "the database cannot be reached; try again shortly"));
    pending.reset();
  }
  if (!pending) {
    Finish(request, route_pattern, response, started);
    respond(std::move(response));
    return;
  }
  bool page = pending->page;
  services_.access_log.AppendAsync(
      pending->principal, FormatUtc(services_.clock.Now()), std::move(pending->route), request.remote_address,
      std::move(pending->records), std::move(pending->emergency_reason),
      [this, &request, page, started, route_pattern = std::move(route_pattern), response = std::move(response),
       respond = std::move(respond)](Status logged) mutable {
        if (!logged.ok()) {
          fmt::print(stderr, "{{\"level\":\"error\",\"access_log\":{}}}\n", nlohmann::json(logged.message()).dump());
          Status refusal = Error(ErrorCode::kUnavailable, "the access log cannot be written; try again");
          response = page ? page_error_(request, refusal) : ErrorResponse(refusal);
        }
        Finish(request, route_pattern, response, started);
        respond(std::move(response));
      });
}

HttpResponse Pipeline::Handle(const HttpRequest& request) const {
  // Shared with the callback, which may still be inside set_value when get() returns.
  auto answered = std::make_shared<std::promise<HttpResponse>>();
  auto response = answered->get_future();
  HandleAsync(request, [answered](HttpResponse r) { answered->set_value(std::move(r)); });
  return response.get();
}

}  // namespace nysol::web
