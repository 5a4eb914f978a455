#include "web/authenticator.h"

#include <fmt/format.h>

namespace nysol::web {
namespace {

constexpr std::string_view kBearerPrefix = "Bearer ";

}  // namespace

AuthenticationResult BearerTokenAuthenticator::Authenticate(const HttpRequest& request) const {
  auto header = request.headers.find("authorization");
  if (header == request.headers.end()) return AuthenticationResult::NoCredential();
  const std::string& value = header->second;
  // An Authorization header of any other shape is still an explicit credential: refuse it rather than fall
  // back to a cookie the browser may have sent along.
  if (value.size() <= kBearerPrefix.size() || value.compare(0, kBearerPrefix.size(), kBearerPrefix) != 0) {
    return AuthenticationResult::Refused(
        Error(ErrorCode::kUnauthenticated, "the Authorization header must be 'Bearer <token>'"));
  }
  auto principal = users_.Authenticate(std::string_view(value).substr(kBearerPrefix.size()));
  if (!principal)
    return AuthenticationResult::Refused(Error(ErrorCode::kUnauthenticated, "the token is not valid"));
  return AuthenticationResult::Authenticated(
      Authentication{std::move(*principal), "bearer", "", std::nullopt});
}

AuthenticationResult SessionCookieAuthenticator::Authenticate(const HttpRequest& request) const {
  std::vector<std::string> tokens = RequestCookies(request, kSessionCookieName);
  if (tokens.empty()) return AuthenticationResult::NoCredential();
  AuthenticationResult result;
  if (tokens.size() > 1) {
    result = AuthenticationResult::Refused(Error(
        ErrorCode::kUnauthenticated,
        fmt::format("the request carries {} '{}' cookies; log in again", tokens.size(), kSessionCookieName)));
  } else {
    auto session = sessions_.Resume(tokens.front());
    if (session.ok()) {
      Authentication authentication{session->principal, "session", session->csrf_token, std::move(*session)};
      return AuthenticationResult::Authenticated(std::move(authentication));
    }
    result = AuthenticationResult::Refused(session.status());
    if (session.status().code() != ErrorCode::kUnauthenticated)
      return result;  // the database, not the cookie
  }
  result.response_headers.emplace_back("Set-Cookie", ClearedSessionCookie(cookie_));
  return result;
}

Authenticators StandardAuthenticators(access::UserDirectory& users, access::SessionManager& sessions,
                                      const CookieOptions& cookie) {
  return {std::make_shared<BearerTokenAuthenticator>(users),
          std::make_shared<SessionCookieAuthenticator>(sessions, cookie)};
}

}  // namespace nysol::web
