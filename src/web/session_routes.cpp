#include "web/session_routes.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>
#include <string>

#include "web/api_error.h"
#include "web/api_json.h"
#include "web/authenticator.h"
#include "web/json_body.h"

namespace nysol::web {
namespace {

using nlohmann::json;

json UserJson(const access::Principal& principal) {
  return {{"username", principal.username},
          {"display_name", principal.display_name},
          {"unit", principal.unit},
          {"role", access::RoleName(principal.role)}};
}

json SessionJson(const access::Principal& principal, std::string_view authenticated_by,
                 const access::Session* session) {
  return {{"user", UserJson(principal)},
          {"authenticated_by", authenticated_by},
          {"csrf_token", session ? json(session->csrf_token) : json()},
          {"expires_at", session ? json(session->expires_at) : json()},
          {"idle_expires_at", session ? json(session->idle_expires_at) : json()}};
}

// A login must come as JSON. An HTML form on another site can post text/plain that happens to be JSON
// without the browser asking first; it cannot post application/json. This keeps other sites from logging a
// browser in to an account of their choosing.
bool IsJsonContentType(const std::string& content_type) {
  std::string media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.pop_back();
  for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media == "application/json";
}

// {"username": "...", "password": "..."} and nothing else.
Status ReadCredentials(const HttpRequest& request, std::string* username, std::string* password) {
  if (!IsJsonContentType(request.Header("content-type"))) {
    return Error(ErrorCode::kInvalidInput, "send the login as JSON with 'Content-Type: application/json'");
  }
  auto body = ParseJsonBody(request.body);
  if (!body.ok()) return body.status();
  if (!body->is_object()) return Error(ErrorCode::kMalformedJson, "the body must be a JSON object");
  for (const auto& [key, value] : body->items()) {
    if (key != "username" && key != "password") {
      return Error(
          ErrorCode::kInvalidInput,
          fmt::format("unknown field '{}'; a login has 'username' and 'password'", key.substr(0, 64)));
    }
  }
  for (auto [name, out] : {std::pair{"username", username}, std::pair{"password", password}}) {
    auto it = body->find(name);
    if (it == body->end()) return Error(ErrorCode::kInvalidInput, fmt::format("'{}' is required", name));
    if (!it->is_string()) return Error(ErrorCode::kInvalidInput, fmt::format("'{}' must be a string", name));
    *out = it->get<std::string>();
  }
  return Status::Ok();
}

Handler LoginHandler(access::SessionManager& sessions, CookieOptions cookie) {
  return [&sessions, cookie](RequestContext& ctx) {
    std::string username, password;
    Status read = ReadCredentials(ctx.request, &username, &password);
    if (!read.ok()) return ErrorResponse(read);
    std::chrono::seconds retry_after{0};
    auto login = sessions.Login(username, password, &retry_after);
    if (!login.ok()) {
      HttpResponse refused = ErrorResponse(login.status());
      if (login.status().code() == ErrorCode::kTooManyAttempts) {
        refused.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
        LogLogin("locked", ctx.request.remote_address, nullptr);
      } else if (login.status().code() == ErrorCode::kUnauthenticated) {
        LogLogin("refused", ctx.request.remote_address, nullptr);
      }
      return refused;
    }
    LogLogin("ok", ctx.request.remote_address, &login->session.principal.username);
    HttpResponse response = Json(201, SessionJson(login->session.principal, "session", &login->session));
    response.headers.emplace_back("Set-Cookie",
                                  SessionCookie(login->token, sessions.settings().absolute_timeout, cookie));
    return response;
  };
}

Handler WhoAmIHandler() {
  return [](RequestContext& ctx) {
    const Authentication& who = *ctx.authentication;
    return Json(200, SessionJson(who.principal, who.method, who.session ? &*who.session : nullptr));
  };
}

Handler LogoutHandler(access::SessionManager& sessions, CookieOptions cookie) {
  return [&sessions, cookie](RequestContext& ctx) {
    const Authentication& who = *ctx.authentication;
    if (!who.session) {
      return ErrorResponse(
          Error(ErrorCode::kConflict, fmt::format("there is no session to end: this request was "
                                                  "authenticated by '{}', not a session cookie",
                                                  who.method)));
    }
    Status ended = sessions.End(who.session->id);
    // kNotFound: a parallel logout ended it first, which is what was asked for.
    if (!ended.ok() && ended.code() != ErrorCode::kNotFound) return ErrorResponse(ended);
    HttpResponse response;
    response.status = 204;
    response.headers.emplace_back("Set-Cookie", ClearedSessionCookie(cookie));
    return response;
  };
}

}  // namespace

void LogLogin(std::string_view outcome, const std::string& remote_address, const std::string* username) {
  fmt::print(stderr,
             "{{\"level\":\"info\",\"event\":\"login\",\"outcome\":\"{}\",\"remote_address\":{}{}}}\n",
             outcome, json(remote_address).dump(),
             username ? fmt::format(",\"username\":{}", json(*username).dump()) : std::string());
}

void RegisterSessionRoutes(Router& router, access::SessionManager& sessions, const CookieOptions& cookie) {
  router.Add({"POST", "/api/v1/session", "Log in with username and password; sets the session cookie",
              std::nullopt, false, LoginHandler(sessions, cookie)});
  router.Add({"GET", "/api/v1/session", "Who is logged in, and the session's CSRF token", std::nullopt, false,
              WhoAmIHandler(), /*login_required=*/true});
  router.Add({"DELETE", "/api/v1/session", "Log out: ends the session and clears the cookie", std::nullopt,
              false, LogoutHandler(sessions, cookie), /*login_required=*/true});
}

}  // namespace nysol::web
