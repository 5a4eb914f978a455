// Cookies: reading the Cookie request header and writing the session's Set-Cookie. NySoL sets two cookies:
// the session cookie and, for the login form only, the login cookie. Both are HttpOnly (scripts cannot read
// them), SameSite=Strict (other sites' pages do not send them) and, behind TLS, Secure.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "web/http_message.h"

namespace nysol::web {

inline constexpr std::string_view kSessionCookieName = "nysol_session";
// Set by the login page and checked by its form post: a page on another site cannot read or send it, so it
// cannot log a browser in to an account of its choosing (login CSRF).
inline constexpr std::string_view kLoginCookieName = "nysol_login";

// Parses a Cookie header ("a=1; b=2", RFC 6265 5.4) into name/value pairs in order. Outside input: never
// throws; a pair without '=' or with a name that is not an RFC 7230 token is skipped, a value in double
// quotes loses them, and a value with bytes RFC 6265 does not allow in a cookie value (space, comma,
// semicolon, backslash, control characters, non-ASCII) is skipped. At most kMaxCookies pairs are kept;
// with `only`, only pairs of that name are kept and counted.
inline constexpr size_t kMaxCookies = 64;
std::vector<std::pair<std::string, std::string>> ParseCookieHeader(std::string_view header,
                                                                   std::string_view only = {});

// Every value of the cookies called `name` in the request (usually none or one).
std::vector<std::string> RequestCookies(const HttpRequest& request, std::string_view name);

struct CookieOptions {
  bool secure =
      false;  // add Secure: the browser then sends the cookie over HTTPS only (`serve --secure-cookies`)
};

// "nysol_session=<token>; Path=/; Max-Age=<seconds>; HttpOnly; SameSite=Strict[; Secure]"
std::string SessionCookie(std::string_view token, std::chrono::seconds max_age, const CookieOptions& options);
// The same cookie, empty and expired: tells the browser to forget it.
std::string ClearedSessionCookie(const CookieOptions& options);
// "nysol_login=<token>; …" with the same attributes, for the login form; and the same cookie cleared.
std::string LoginFormCookie(std::string_view token, std::chrono::seconds max_age, const CookieOptions& options);
std::string ClearedLoginFormCookie(const CookieOptions& options);

}  // namespace nysol::web
