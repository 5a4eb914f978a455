// The session routes and the session cookie through the real pipeline, with a clock the tests move: login
// sets an HttpOnly, SameSite=Strict cookie; the cookie authenticates; a change made with it needs the
// session's CSRF token and without it nothing runs; bearer tokens need none; logout and expiry end the
// session.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "access/access_log.h"
#include "app_fixture.h"
#include "access/session_manager.h"
#include "access/user_directory.h"
#include "core/clock.h"
#include "core/rulebook.h"
#include "store/case_store.h"
#include "store/db.h"
#include "web/authenticator.h"
#include "web/cookie.h"
#include "web/csrf.h"
#include "web/pipeline.h"
#include "web/router.h"
#include "web/session_routes.h"

namespace nysol::web {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kPassword = "ett långt lösenord";
const std::string kBearer(64, 'b');

std::string Header(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

// The session token in a Set-Cookie value, or "".
std::string CookieToken(const std::string& set_cookie) {
  std::string prefix = std::string(kSessionCookieName) + "=";
  if (set_cookie.rfind(prefix, 0) != 0) return "";
  return set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
}

class SessionRoutesTest : public AppFixture {
 protected:
  void SetUp() override {
    OpenApp("nysol-session-");
    auto db = store::OpenDb(db_path_);
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    // Written directly: the directory's own checks on new users are not under test here.
    db_->Prepare(
           "INSERT INTO users (username, display_name, unit, role, token_hash, created_at) VALUES "
           "('anna', 'Anna Berg', 'utredning-barn', 'case_worker', ?1, '2026-03-02T08:00:00Z')")
        .Bind(1, access::HashToken(kBearer))
        .Run();
    users_ = std::make_unique<access::UserDirectory>(db_path_);
    access_log_ = std::make_unique<access::AccessLog>(db_path_);
    followup_ = std::make_unique<followup::LiveSnapshot>(*store_, 3);
    access::SessionSettings settings;
    settings.password_cost = access::kTestPasswordCost;
    sessions_ = std::make_unique<access::SessionManager>(db_path_, *users_, clock_, settings);
    ASSERT_TRUE(sessions_->SetPassword("anna", kPassword).ok());

    RegisterSessionRoutes(router_, *sessions_, cookie_);
    // A change and a read that need only a login, counting how often their handler runs.
    router_.Add({"POST", "/test/change", "test", std::nullopt, false,
                 [this](RequestContext&) {
                   ++changes_;
                   return HttpResponse{};
                 },
                 true});
    router_.Add(
        {"GET", "/test/read", "test", std::nullopt, false,
         [this](RequestContext& ctx) {
           HttpResponse response;
           response.body = json{{"user", ctx.principal->username}, {"by", ctx.authentication->method}}.dump();
           return response;
         },
         true});
    AppServices services{*store_, *rulebook_, *catalog_, clock_, *users_, *access_log_, *followup_};
    pipeline_ =
        std::make_unique<Pipeline>(router_, services, StandardAuthenticators(*users_, *sessions_, cookie_));
  }
  void TearDown() override {
    pipeline_.reset();
    db_.reset();
    AppFixture::TearDown();
  }

  HttpResponse Send(const std::string& method, const std::string& path, const std::string& body = "",
                    std::map<std::string, std::string> headers = {}) {
    HttpRequest request;
    request.method = method;
    request.path = path;
    request.target = path;
    request.remote_address = "127.0.0.1";
    request.headers = std::move(headers);
    request.body = body;
    return pipeline_->Handle(request);
  }

  HttpResponse Login(const std::string& username, const std::string& password) {
    return Send("POST", "/api/v1/session", json{{"username", username}, {"password", password}}.dump(),
                {{"content-type", "application/json"}});
  }

  struct LoggedIn {
    std::string token;
    std::string csrf;
  };
  LoggedIn LogIn() {
    HttpResponse response = Login("anna", kPassword);
    EXPECT_EQ(response.status, 201) << response.body;
    auto body = json::parse(response.body, nullptr, false);
    if (body.is_discarded() || !body.contains("csrf_token")) return {};
    return {CookieToken(Header(response, "Set-Cookie")), body["csrf_token"].get<std::string>()};
  }
  static std::map<std::string, std::string> WithCookie(const std::string& token,
                                                       std::map<std::string, std::string> more = {}) {
    more["cookie"] = std::string(kSessionCookieName) + "=" + token;
    return more;
  }
  static std::string Code(const HttpResponse& response) {
    auto body = json::parse(response.body, nullptr, false);
    return body.is_discarded() ? "" : body["error"].value("code", "");
  }

  std::unique_ptr<store::Db> db_;
  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2} + 8h};
  std::unique_ptr<access::UserDirectory> users_;
  std::unique_ptr<access::AccessLog> access_log_;
  std::unique_ptr<followup::LiveSnapshot> followup_;
  std::unique_ptr<access::SessionManager> sessions_;
  CookieOptions cookie_;
  Router router_;
  std::unique_ptr<Pipeline> pipeline_;
  int changes_ = 0;
};

TEST_F(SessionRoutesTest, LoginSetsAStrictHttpOnlyCookieAndAnswersWithTheUserAndCsrfToken) {
  HttpResponse response = Login("anna", kPassword);
  ASSERT_EQ(response.status, 201) << response.body;
  std::string cookie = Header(response, "Set-Cookie");
  std::string token = CookieToken(cookie);
  EXPECT_EQ(token.size(), 64u) << cookie;
  EXPECT_EQ(cookie, std::string(kSessionCookieName) + "=" + token +
                        "; Path=/; Max-Age=36000; HttpOnly; SameSite=Strict");
  json body = json::parse(response.body);
  EXPECT_EQ(body["user"], (json{{"username", "anna"},
                                {"display_name", "Anna Berg"},
                                {"unit", "utredning-barn"},
                                {"role", "case_worker"}}));
  EXPECT_EQ(body["authenticated_by"], "session");
  EXPECT_EQ(body["csrf_token"].get<std::string>().size(), 64u);
  EXPECT_EQ(body["expires_at"], "2026-03-02T18:00:00Z");
  EXPECT_EQ(body["idle_expires_at"], "2026-03-02T08:30:00Z");
  EXPECT_EQ(response.body.find(token), std::string::npos) << "the session token belongs in the cookie only";
}

TEST_F(SessionRoutesTest, SecureCookiesAddSecure) {
  CookieOptions secure{true};
  EXPECT_EQ(SessionCookie("abc", 60s, secure),
            "nysol_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure");
  EXPECT_EQ(ClearedSessionCookie(secure),
            "nysol_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");
  EXPECT_EQ(ClearedSessionCookie(CookieOptions{}),
            "nysol_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
}

TEST_F(SessionRoutesTest, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  HttpResponse wrong = Login("anna", "inte annas lösenord");
  HttpResponse unknown = Login("nobody", "inte annas lösenord");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, wrong.status);
  EXPECT_EQ(unknown.body, wrong.body);
  EXPECT_EQ(Code(wrong), "unauthenticated");
  EXPECT_EQ(Header(wrong, "Set-Cookie"), "");
  EXPECT_EQ(Header(unknown, "Set-Cookie"), "");
}

TEST_F(SessionRoutesTest, LockedLoginAnswers429WithRetryAfter) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Login("anna", "inte annas lösenord").status, 401) << i;
  HttpResponse locked = Login("anna", kPassword);
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(Code(locked), "too_many_attempts");
  EXPECT_EQ(Header(locked, "Retry-After"), "60");
  EXPECT_EQ(Header(locked, "Set-Cookie"), "");
  clock_.Set(clock_.Now() + 60s);
  EXPECT_EQ(Login("anna", kPassword).status, 201);
}

TEST_F(SessionRoutesTest, LoginInputIsCheckedWithPreciseMessages) {
  struct Case {
    std::string body;
    std::string content_type;
    std::string code;
    std::string mentions;
  };
  const Case cases[] = {
      {R"({"username":"anna","password":"x"})", "text/plain", "invalid_input", "application/json"},
      {R"({"username":"anna","password":"x"})", "", "invalid_input", "application/json"},
      {"", "application/json", "malformed_json", "empty"},
      {"{", "application/json", "malformed_json", "JSON"},
      {"[]", "application/json", "malformed_json", "object"},
      {R"({"password":"x"})", "application/json", "invalid_input", "'username'"},
      {R"({"username":"anna"})", "application/json", "invalid_input", "'password'"},
      {R"({"username":7,"password":"x"})", "application/json", "invalid_input", "'username'"},
      {R"({"username":"anna","password":null})", "application/json", "invalid_input", "'password'"},
      {R"({"username":"anna","password":"x","remember":true})", "application/json", "invalid_input",
       "'remember'"},
      {R"({"username":"","password":"x"})", "application/json", "invalid_input", "'username'"},
  };
  for (const auto& c : cases) {
    std::map<std::string, std::string> headers;
    if (!c.content_type.empty()) headers["content-type"] = c.content_type;
    HttpResponse response = Send("POST", "/api/v1/session", c.body, headers);
    EXPECT_EQ(response.status, 400) << c.body;
    EXPECT_EQ(Code(response), c.code) << c.body << " " << response.body;
    EXPECT_NE(response.body.find(c.mentions), std::string::npos) << c.body << " " << response.body;
  }
  // A charset parameter is fine.
  EXPECT_EQ(Send("POST", "/api/v1/session", json{{"username", "anna"}, {"password", kPassword}}.dump(),
                 {{"content-type", "Application/JSON; charset=utf-8"}})
                .status,
            201);
}

TEST_F(SessionRoutesTest, TheCookieAuthenticatesAndGetSessionSaysWho) {
  LoggedIn in = LogIn();
  HttpResponse read = Send("GET", "/test/read", "", WithCookie(in.token));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(json::parse(read.body), (json{{"user", "anna"}, {"by", "session"}}));
  HttpResponse who = Send("GET", "/api/v1/session", "", WithCookie(in.token));
  ASSERT_EQ(who.status, 200) << who.body;
  json body = json::parse(who.body);
  EXPECT_EQ(body["user"]["username"], "anna");
  EXPECT_EQ(body["csrf_token"], in.csrf);
  EXPECT_EQ(body["authenticated_by"], "session");
  EXPECT_EQ(Send("GET", "/api/v1/session").status, 401);
}

TEST_F(SessionRoutesTest, ACookieChangeWithoutTheCsrfTokenIsRefusedAndNothingRuns) {
  LoggedIn in = LogIn();
  std::string wrong = in.csrf;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  for (const auto& [name, headers] : std::vector<std::pair<std::string, std::map<std::string, std::string>>>{
           {"no header", WithCookie(in.token)},
           {"empty header", WithCookie(in.token, {{"x-csrf-token", ""}})},
           {"wrong token", WithCookie(in.token, {{"x-csrf-token", wrong}})},
           {"the session token", WithCookie(in.token, {{"x-csrf-token", in.token}})},
       }) {
    HttpResponse response = Send("POST", "/test/change", "{}", headers);
    EXPECT_EQ(response.status, 403) << name;
    EXPECT_EQ(Code(response), "csrf_token_invalid") << name;
  }
  EXPECT_EQ(changes_, 0);
  HttpResponse with = Send("POST", "/test/change", "{}", WithCookie(in.token, {{"x-csrf-token", in.csrf}}));
  EXPECT_EQ(with.status, 200) << with.body;
  EXPECT_EQ(changes_, 1);
  // Reads need no token.
  EXPECT_EQ(Send("GET", "/test/read", "", WithCookie(in.token)).status, 200);
  EXPECT_EQ(Send("HEAD", "/test/read", "", WithCookie(in.token)).status, 200);
}

TEST_F(SessionRoutesTest, BearerTokensNeedNoCsrfTokenAndOutrankTheCookie) {
  HttpResponse change = Send("POST", "/test/change", "{}", {{"authorization", "Bearer " + kBearer}});
  EXPECT_EQ(change.status, 200) << change.body;
  EXPECT_EQ(changes_, 1);
  LoggedIn in = LogIn();
  HttpResponse both =
      Send("GET", "/test/read", "", WithCookie(in.token, {{"authorization", "Bearer " + kBearer}}));
  EXPECT_EQ(json::parse(both.body)["by"], "bearer");
  // A bad bearer token is refused, not passed over for the cookie that came along.
  std::string bad(64, 'c');
  HttpResponse refused =
      Send("POST", "/test/change", "{}",
           WithCookie(in.token, {{"authorization", "Bearer " + bad}, {"x-csrf-token", in.csrf}}));
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(changes_, 1);
  HttpResponse who = Send("GET", "/api/v1/session", "", {{"authorization", "Bearer " + kBearer}});
  ASSERT_EQ(who.status, 200);
  EXPECT_EQ(json::parse(who.body)["authenticated_by"], "bearer");
  EXPECT_TRUE(json::parse(who.body)["csrf_token"].is_null());
  HttpResponse logout = Send("DELETE", "/api/v1/session", "", {{"authorization", "Bearer " + kBearer}});
  EXPECT_EQ(logout.status, 409);
  EXPECT_EQ(Code(logout), "conflict");
}

TEST_F(SessionRoutesTest, LogoutNeedsTheCsrfTokenThenEndsTheSessionAndClearsTheCookie) {
  LoggedIn in = LogIn();
  HttpResponse forged = Send("DELETE", "/api/v1/session", "", WithCookie(in.token));
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(Send("GET", "/test/read", "", WithCookie(in.token)).status, 200)
      << "a refused logout ended the session";

  HttpResponse logout =
      Send("DELETE", "/api/v1/session", "", WithCookie(in.token, {{"x-csrf-token", in.csrf}}));
  EXPECT_EQ(logout.status, 204) << logout.body;
  EXPECT_EQ(Header(logout, "Set-Cookie"), ClearedSessionCookie(cookie_));
  HttpResponse after = Send("GET", "/test/read", "", WithCookie(in.token));
  EXPECT_EQ(after.status, 401);
  EXPECT_NE(after.body.find("ended"), std::string::npos) << after.body;
}

TEST_F(SessionRoutesTest, AnExpiredOrUnknownCookieIs401AndIsCleared) {
  LoggedIn in = LogIn();
  clock_.Set(clock_.Now() + 30min - 1s);
  EXPECT_EQ(Send("GET", "/test/read", "", WithCookie(in.token)).status, 200);
  clock_.Set(clock_.Now() + 30min);
  HttpResponse idle = Send("GET", "/test/read", "", WithCookie(in.token));
  EXPECT_EQ(idle.status, 401);
  EXPECT_EQ(Header(idle, "Set-Cookie"), ClearedSessionCookie(cookie_));
  HttpResponse unknown = Send("GET", "/test/read", "", WithCookie(std::string(64, 'f')));
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(Header(unknown, "Set-Cookie"), ClearedSessionCookie(cookie_));
}

TEST_F(SessionRoutesTest, TwoSessionCookiesAreRefused) {
  LoggedIn in = LogIn();
  LoggedIn other = LogIn();
  HttpResponse response =
      Send("GET", "/test/read", "",
           {{"cookie", "nysol_session=" + in.token + "; theme=dark; nysol_session=" + other.token}});
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(response.body.find("2 'nysol_session' cookies"), std::string::npos) << response.body;
  // One of them alone, among other cookies, is fine.
  EXPECT_EQ(Send("GET", "/test/read", "", {{"cookie", "theme=dark; nysol_session=" + in.token + "; lang=sv"}})
                .status,
            200);
}

TEST_F(SessionRoutesTest, WithoutAnyCredentialTheAnswerNamesBothWaysToLogIn) {
  HttpResponse response = Send("GET", "/test/read");
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(response.body.find("Authorization: Bearer"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("session cookie"), std::string::npos) << response.body;
}

// The helper for HTML forms: the same rule on a `_csrf` field.
TEST_F(SessionRoutesTest, CsrfFormFieldHelper) {
  LoggedIn in = LogIn();
  auto session = sessions_->Resume(in.token);
  ASSERT_TRUE(session.ok());
  Authentication by_cookie{session->principal, "session", session->csrf_token, *session};
  Authentication by_bearer{session->principal, "bearer", "", std::nullopt};
  HttpRequest post;
  post.method = "POST";
  HttpRequest get;
  get.method = "GET";
  using Fields = std::multimap<std::string, std::string>;
  EXPECT_TRUE(CheckCsrfFormField(post, by_cookie, Fields{{"_csrf", in.csrf}, {"x", "1"}}).ok());
  EXPECT_EQ(CheckCsrfFormField(post, by_cookie, Fields{{"x", "1"}}).code(), ErrorCode::kCsrfTokenInvalid);
  EXPECT_EQ(CheckCsrfFormField(post, by_cookie, Fields{{"_csrf", in.token}}).code(),
            ErrorCode::kCsrfTokenInvalid);
  EXPECT_EQ(CheckCsrfFormField(post, by_cookie, Fields{{"_csrf", in.csrf}, {"_csrf", "x"}}).code(),
            ErrorCode::kCsrfTokenInvalid);
  EXPECT_TRUE(CheckCsrfFormField(get, by_cookie, Fields{}).ok());
  EXPECT_TRUE(CheckCsrfFormField(post, by_bearer, Fields{}).ok());
  EXPECT_FALSE(IsStateChanging("GET"));
  EXPECT_FALSE(IsStateChanging("HEAD"));
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "get"})
    EXPECT_TRUE(IsStateChanging(method));
}

}  // namespace
}  // namespace nysol::web
