#include "web/pipeline.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

#include "web/api_error.h"

namespace nysol::web {

std::string BearerToken(const HttpRequest& request) {
  std::string header = request.Header("authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (header.size() <= kPrefix.size() || header.compare(0, kPrefix.size(), kPrefix) != 0) return "";
  return header.substr(kPrefix.size());
}

HttpResponse Pipeline::Dispatch(const HttpRequest& request, std::string* route_pattern) const {
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
    return ErrorResponse(Error(ErrorCode::kNotFound, fmt::format("there is no route {}", request.path)));
  }
  const Route& route = *match.route;
  *route_pattern = route.pattern;
  std::optional<access::Principal> principal;
  if (route.permission) {
    std::string token = BearerToken(request);
    if (token.empty()) {
      return ErrorResponse(Error(ErrorCode::kUnauthenticated, "log in: send 'Authorization: Bearer <token>'"));
    }
    principal = services_.users.Authenticate(token);
    if (!principal) return ErrorResponse(Error(ErrorCode::kUnauthenticated, "the token is not valid"));
    if (!access::Allows(principal->role, *route.permission)) {
      return ErrorResponse(Error(ErrorCode::kForbidden,
                                 fmt::format("role '{}' does not have permission '{}'",
                                             access::RoleName(principal->role),
                                             access::PermissionName(*route.permission))));
    }
  }
  RequestContext ctx{request, std::move(match.params), principal ? &*principal : nullptr, {}};
  HttpResponse response;
  try {
    response = route.handler(ctx);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{{\"level\":\"error\",\"route\":\"{}\",\"what\":{}}}\n", route.pattern,
               nlohmann::json(e.what()).dump());
    return ErrorResponse(Error(ErrorCode::kInternal, "internal error"));
  }
  // Personal data leaves only when its reading is logged; if the log cannot be written, nothing leaves.
  if (principal && !ctx.accessed.empty()) {
    Status logged = services_.access_log.Append(*principal, FormatUtc(services_.clock.Now()),
                                                fmt::format("{} {}", route.method, route.pattern),
                                                request.remote_address, ctx.accessed);
    if (!logged.ok()) {
      fmt::print(stderr, "{{\"level\":\"error\",\"access_log\":{}}}\n", nlohmann::json(logged.message()).dump());
      return ErrorResponse(Error(ErrorCode::kUnavailable, "the access log cannot be written; try again"));
    }
  }
  return response;
}

HttpResponse Pipeline::Handle(const HttpRequest& request) const {
  auto started = std::chrono::steady_clock::now();
  std::string route_pattern = "-";
  HttpResponse response = Dispatch(request, &route_pattern);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  // Only the route pattern is logged, never the path or query: they may carry identity numbers.
  fmt::print(stderr, "{{\"method\":\"{}\",\"route\":\"{}\",\"status\":{},\"server_ms\":{:.3f}}}\n", request.method,
             route_pattern, response.status, micros.count() / 1000.0);
  return response;
}

}  // namespace nysol::web
