// Logging in and out from the browser, without JavaScript: a form posts username and password, the server
// answers with the session cookie (the same session as POST /api/v1/session, docs/SECURITY.md).
#include <fmt/format.h>
#include <sodium.h>

#include "web/cookie.h"
#include "web/session_routes.h"
#include "web/pages/page_routes.h"
#include "web/pages/render.h"
#include "web/pages/swedish.h"
#include "web/url.h"

namespace nysol::web::pages {
namespace {

using nlohmann::json;

constexpr std::chrono::seconds kLoginFormLifetime = std::chrono::minutes(30);

std::string RandomHex() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  std::string hex;
  for (unsigned char b : bytes) hex += fmt::format("{:02x}", b);
  return hex;
}

// Where to go after the login: a path on this site only, never another site ("//evil.example").
std::string SafeNext(const std::string& next) {
  if (next.empty() || next[0] != '/' || (next.size() > 1 && (next[1] == '/' || next[1] == '\\'))) return "/";
  for (unsigned char c : next) {
    if (c < 0x20 || c == 0x7f) return "/";
  }
  return next;
}

HttpResponse LoginForm(int status, const std::string& token, const std::string& next, const std::string& username,
                       std::string_view error, const CookieOptions& cookie) {
  HttpResponse page = PublicPage(status, "Logga in", "login",
                                 {{"login_token", token}, {"next", next}, {"username", username},
                                  {"error", error.empty() ? json() : json(error)}});
  page.headers.emplace_back("Set-Cookie", LoginFormCookie(token, kLoginFormLifetime, cookie));
  return page;
}

Handler ShowLogin(CookieOptions cookie) {
  return [cookie](RequestContext& ctx) {
    auto next = ctx.request.query.find("next");
    return LoginForm(200, RandomHex(), SafeNext(next == ctx.request.query.end() ? "/" : next->second), "", "",
                     cookie);
  };
}

Handler SubmitLogin(access::SessionManager& sessions, CookieOptions cookie) {
  return [&sessions, cookie](RequestContext& ctx) {
    std::multimap<std::string, std::string> form;
    if (!ParseForm(ctx.request.body, &form)) return ErrorPage(ctx.request, Error(ErrorCode::kInvalidInput, "the form cannot be read"));
    std::string next = SafeNext(FormValue(form, "next"));
    std::string username = FormValue(form, "username");
    auto cookies = RequestCookies(ctx.request, kLoginCookieName);
    std::string given = FormValue(form, "_login");
    if (cookies.size() != 1 || given.empty() || !access::CsrfTokensMatch(cookies.front(), given)) {
      // No login cookie: the form was posted from another site, or it is older than its cookie.
      return LoginForm(403, RandomHex(), next, username,
                       "Inloggningen kunde inte kontrolleras. Försök igen från den här sidan.", cookie);
    }
    std::chrono::seconds retry_after{0};
    auto login = sessions.Login(username, FormValue(form, "password"), &retry_after);
    if (!login.ok()) {
      bool locked = login.status().code() == ErrorCode::kTooManyAttempts;
      std::string message = locked ? fmt::format("För många misslyckade försök. Försök igen om {} sekunder.",
                                                 retry_after.count())
                                   : std::string(login.status().code() == ErrorCode::kUnauthenticated
                                                     ? "Fel användarnamn eller lösenord."
                                                     : ErrorSv(login.status().code()));
      LogLogin(locked ? "locked" : "refused", ctx.request.remote_address, nullptr);
      return LoginForm(locked ? 429 : 401, cookies.front(), next, username, message, cookie);
    }
    LogLogin("ok", ctx.request.remote_address, &login->session.principal.username);
    HttpResponse response = SeeOther(next);
    response.headers.emplace_back("Set-Cookie",
                                  SessionCookie(login->token, sessions.settings().absolute_timeout, cookie));
    response.headers.emplace_back("Set-Cookie", ClearedLoginFormCookie(cookie));
    return response;
  };
}

Handler SubmitLogout(access::SessionManager& sessions, CookieOptions cookie) {
  return [&sessions, cookie](RequestContext& ctx) {
    if (ctx.authentication->session) (void)sessions.End(ctx.authentication->session->id);
    HttpResponse response = SeeOther("/login");
    response.headers.emplace_back("Set-Cookie", ClearedSessionCookie(cookie));
    return response;
  };
}

}  // namespace

void RegisterLoginPages(Router& router, access::SessionManager& sessions, const CookieOptions& cookie) {
  router.Add(PageRoute("GET", "/login", "The login page", std::nullopt, false, ShowLogin(cookie)));
  router.Add(PageRoute("POST", "/login", "Log in from the login page's form", std::nullopt, false,
                       SubmitLogin(sessions, cookie)));
  Route logout = PageRoute("POST", "/logout", "Log out from a page", std::nullopt, false,
                           SubmitLogout(sessions, cookie));
  logout.login_required = true;
  router.Add(logout);
}

}  // namespace nysol::web::pages
