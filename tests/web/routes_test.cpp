// The router's table is the one list of routes, the API's and the web interface's. These tests enumerate it:
// the OpenAPI document must describe exactly the API's routes, and no route that needs a permission can be reached without a valid token or with a
// role the policy does not allow — whatever the handler does.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "access/access_log.h"
#include "app_fixture.h"
#include "access/session_manager.h"
#include "access/user_directory.h"
#include "core/clock.h"
#include "core/rulebook.h"
#include "store/case_store.h"
#include "web/api_routes.h"
#include "web/pages/page_routes.h"
#include "web/pages/render.h"
#include "web/pipeline.h"
#include "web/router.h"
#include "web/session_routes.h"
#include "test_database.h"

namespace nysol::web {
namespace {

using nlohmann::json;

class RoutesTest : public AppFixture {
 protected:
  void SetUp() override {
    OpenApp("nysol-routes-");
    users_ = std::make_unique<access::UserDirectory>(db_path_);
    access_log_ = std::make_unique<access::AccessLog>(db_path_);
    followup_ = std::make_unique<followup::LiveSnapshot>(*store_, 3);
    RegisterApiRoutes(router_, Services());
    access::SessionSettings session_settings;
    session_settings.password_cost = access::kTestPasswordCost;
    sessions_ = std::make_unique<access::SessionManager>(db_path_, *users_, clock_, session_settings);
    RegisterSessionRoutes(router_, *sessions_, CookieOptions{});
    pages::RegisterPageRoutes(router_, Services(), *sessions_, CookieOptions{});
    RegisterMetricsRoute(router_, metrics_, *store_, *access_log_);
    pipeline_ = std::make_unique<Pipeline>(router_, Services(),
                                           StandardAuthenticators(*users_, *sessions_, CookieOptions{}));
    pipeline_->SetPageError(pages::ErrorPage);
    pipeline_->SetMetrics(&metrics_);
  }
  void TearDown() override {
    pipeline_.reset();
    AppFixture::TearDown();
  }

  AppServices Services() { return {*store_, *rulebook_, *catalog_, clock_, *users_, *access_log_, *followup_}; }

  std::string Token(access::Role role) {
    auto token = users_->AddUser(std::string(access::RoleName(role)) + "-user", "Test", "utredning-barn", role,
                                 "2026-03-02T08:00:00Z");
    EXPECT_TRUE(token.ok()) << token.status().message();
    return token.ok() ? *token : "";
  }

  // A concrete request for a route: path parameters become 1, the body is an empty JSON object.
  HttpResponse Call(const Route& route, const std::string& token) {
    HttpRequest request;
    request.method = route.method;
    request.path = std::regex_replace(route.pattern, std::regex(R"(\{[a-z_]+\})"), "1");
    request.target = request.path;
    request.remote_address = "127.0.0.1";
    if (!token.empty()) request.headers["authorization"] = "Bearer " + token;
    if (route.method == "POST") {
      request.headers["content-type"] = "application/json";
      request.body = "{}";
    }
    return pipeline_->Handle(request);
  }

  // POST /api/v1/reports about one child (201305059899) as the holder of `token`.
  HttpResponse ReportAboutOneChild(const std::string& token) {
    HttpRequest report;
    report.method = "POST";
    report.path = report.target = "/api/v1/reports";
    report.remote_address = "127.0.0.1";
    report.headers["authorization"] = "Bearer " + token;
    report.headers["content-type"] = "application/json";
    report.body = R"({"received_at": "2026-03-02T08:00", "reporter_category": "school", "channel": "phone",
                      "text": "Oro.", "children": [{"identity_number": "201305059899"}]})";
    return pipeline_->Handle(report);
  }

  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2} + std::chrono::hours{9}};
  std::unique_ptr<access::UserDirectory> users_;
  std::unique_ptr<access::AccessLog> access_log_;
  std::unique_ptr<followup::LiveSnapshot> followup_;
  std::unique_ptr<access::SessionManager> sessions_;
  Router router_;
  Metrics metrics_;
  std::unique_ptr<Pipeline> pipeline_;
};

TEST_F(RoutesTest, PlanningOnAnEmptyJournalSaysSoInsteadOfAForm) {
  // A new installation has nothing to calibrate the model from: the page says so, in Swedish, and offers no
  // scenario to run.
  HttpRequest request;
  request.method = "GET";
  request.path = request.target = "/planning";
  request.remote_address = "127.0.0.1";
  request.headers["authorization"] = "Bearer " + Token(access::Role::kTeamLead);
  HttpResponse response = pipeline_->Handle(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("Journalen har ännu inte"), std::string::npos) << response.body;
  EXPECT_EQ(response.body.find("Jämför med i dag"), std::string::npos);
}

TEST_F(RoutesTest, MetricsCountRequestsByRoutePatternNeverByPath) {
  std::string admin = Token(access::Role::kAdmin);
  std::string case_worker = Token(access::Role::kCaseWorker);
  ASSERT_EQ(ReportAboutOneChild(case_worker).status, 201);
  // Two reads of personal data, one after the other: each its own commit of the access log's writer (the
  // registration above logged itself in its own transaction).
  HttpRequest reports;
  reports.method = "GET";
  reports.path = "/api/v1/reports";
  reports.target = "/api/v1/reports?identity_number=201305059899";
  reports.query.emplace("identity_number", "201305059899");
  reports.remote_address = "127.0.0.1";
  reports.headers["authorization"] = "Bearer " + case_worker;
  for (int i = 0; i < 2; ++i) ASSERT_EQ(pipeline_->Handle(reports).status, 200);
  HttpRequest health;
  health.method = "GET";
  health.path = health.target = "/api/v1/health";
  health.remote_address = "127.0.0.1";
  for (int i = 0; i < 3; ++i) ASSERT_EQ(pipeline_->Handle(health).status, 200);
  HttpRequest scrape = health;
  scrape.path = scrape.target = "/metrics";
  scrape.headers["authorization"] = "Bearer " + admin;
  HttpResponse metrics = pipeline_->Handle(scrape);
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
  const std::string& body = metrics.body;
  EXPECT_NE(body.find("nysol_http_requests_total{method=\"GET\",route=\"/api/v1/health\",status=\"200\"} 3\n"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("nysol_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/health\"} 3\n"),
            std::string::npos);
  EXPECT_NE(body.find("route=\"/api/v1/health\",le=\"+Inf\"} 3\n"), std::string::npos);
  // The report's journal events: person, matter, report.
  EXPECT_NE(body.find("nysol_journal_last_seq 3\n"), std::string::npos);
  EXPECT_NE(body.find("nysol_access_log_commits_total 2\n"), std::string::npos) << body;
  EXPECT_NE(body.find("nysol_access_log_requests_total 2\n"), std::string::npos);
  EXPECT_NE(body.find("nysol_process_resident_memory_bytes "), std::string::npos);
  // The identity number in the report never shows: only route patterns are counted.
  EXPECT_EQ(body.find("201305059899"), std::string::npos);
  // Not for case workers: monitoring is the administrators'.
  scrape.headers["authorization"] = "Bearer " + Token(access::Role::kTeamLead);
  EXPECT_EQ(pipeline_->Handle(scrape).status, 403);
}

TEST_F(RoutesTest, OpenApiDocumentDescribesExactlyTheRoutes) {
  json doc = json::parse(OpenApiDocument());
  ASSERT_TRUE(doc.contains("openapi"));
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  std::set<std::string> documented;
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      if (method == "parameters") continue;
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(upper + " " + path);
    }
  }
  std::set<std::string> routed;
  for (const Route& route : router_.routes()) {
    if (!route.page) routed.insert(route.method + " " + route.pattern);
  }
  for (const auto& r : routed) EXPECT_TRUE(documented.count(r)) << "route missing from openapi.json: " << r;
  for (const auto& d : documented) EXPECT_TRUE(routed.count(d)) << "openapi.json documents a route that does not exist: " << d;
  EXPECT_GE(routed.size(), 20u);
}

TEST_F(RoutesTest, ProtectedRoutesAreDocumentedAsNeedingABearerToken) {
  json doc = json::parse(OpenApiDocument());
  for (const Route& route : router_.routes()) {
    if (route.page) continue;
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const json& operation = doc["paths"][route.pattern][method];
    bool public_in_doc = operation.contains("security") && operation["security"].empty();
    EXPECT_EQ(public_in_doc, route.IsPublic()) << route.method << " " << route.pattern;
  }
}

TEST_F(RoutesTest, EveryProtectedRouteRefusesRequestsWithoutAValidToken) {
  Token(access::Role::kCaseWorker);
  int protected_routes = 0;
  for (const Route& route : router_.routes()) {
    if (route.IsPublic()) continue;
    ++protected_routes;
    for (const std::string& token : {std::string(), std::string(64, 'a')}) {
      HttpResponse response = Call(route, token);
      if (route.page) {
        // A page sends the browser to the login page instead.
        EXPECT_EQ(response.status, 303) << route.method << " " << route.pattern;
        bool to_login = false;
        for (const auto& [name, value] : response.headers) {
          to_login = to_login || (name == "Location" && value.rfind("/login?next=", 0) == 0);
        }
        EXPECT_TRUE(to_login) << route.method << " " << route.pattern;
      } else {
        EXPECT_EQ(response.status, 401) << route.method << " " << route.pattern;
      }
    }
  }
  EXPECT_GT(protected_routes, 20);
  EXPECT_EQ(store_->JournalLength(), 0);
}

// Every role against every protected route: refused with 403 exactly when the policy does not grant the
// route's permission, and then nothing is written.
TEST_F(RoutesTest, EveryRoleIsRefusedOnEveryRouteThePolicyDoesNotGrant) {
  const access::Role roles[] = {access::Role::kCaseWorker, access::Role::kTeamLead, access::Role::kFirstLine,
                                access::Role::kAnalyst,    access::Role::kCommittee, access::Role::kAdmin};
  int refused = 0;
  for (access::Role role : roles) {
    std::string token = Token(role);
    for (const Route& route : router_.routes()) {
      if (!route.permission) continue;
      int status = Call(route, token).status;
      if (access::Allows(role, *route.permission)) {
        EXPECT_NE(status, 401) << access::RoleName(role) << " " << route.method << " " << route.pattern;
        EXPECT_NE(status, 403) << access::RoleName(role) << " " << route.method << " " << route.pattern;
      } else {
        EXPECT_EQ(status, 403) << access::RoleName(role) << " " << route.method << " " << route.pattern;
        ++refused;
      }
    }
  }
  EXPECT_GT(refused, 50);
  EXPECT_EQ(store_->JournalLength(), 0);
}

TEST_F(RoutesTest, PublicRoutesAnswerWithoutAToken) {
  for (const Route& route : router_.routes()) {
    if (!route.IsPublic()) continue;
    // The logins are public too. The API's refuses the empty body as input (400); the login page's form is
    // refused without the login page's cookie (403). Never as unauthenticated.
    const std::map<std::string, int> expected_status = {
        {"POST /api/v1/session", 400}, {"POST /login", 403}, {"GET /static/{file}", 404}};
    auto special = expected_status.find(route.method + " " + route.pattern);
    int expected = special == expected_status.end() ? 200 : special->second;
    EXPECT_EQ(Call(route, "").status, expected) << route.method << " " << route.pattern;
  }
}

// Inner confidentiality: a case worker of another unit is refused on every route of a matter, found from the
// router's table, and nothing is written or logged.
TEST_F(RoutesTest, AnotherUnitIsRefusedOnEveryRouteOfAMatter) {
  std::string own = Token(access::Role::kCaseWorker);
  ASSERT_EQ(ReportAboutOneChild(own).status, 201);
  auto other = users_->AddUser("vuxen-user", "Test", "vuxen", access::Role::kTeamLead, "2026-03-02T08:00:00Z");
  ASSERT_TRUE(other.ok());
  int64_t journal = store_->JournalLength();
  int matter_routes = 0;
  for (const Route& route : router_.routes()) {
    if (route.pattern.rfind("/api/v1/matters/{id}", 0) != 0 && route.pattern.rfind("/matters/{id}", 0) != 0) {
      continue;
    }
    ++matter_routes;
    EXPECT_EQ(Call(route, *other).status, 403) << route.method << " " << route.pattern;
  }
  EXPECT_GE(matter_routes, 28);
  EXPECT_EQ(store_->JournalLength(), journal);
  auto db = store::OpenDb(db_path_);
  auto& st = (*db)->Prepare("SELECT count(*) FROM access_log WHERE username = 'vuxen-user'");
  st.Step();
  EXPECT_EQ(st.Int(0), 0);
}

// A write and its access-log rows commit together: when the log cannot be written, nothing is saved.
TEST_F(RoutesTest, AWriteWhoseAccessLogFailsIsNotSaved) {
  std::string token = Token(access::Role::kCaseWorker);
  {
    auto db = store::OpenDb(db_path_);
    testing::AddRefusingTrigger(**db, "log_is_broken", "access_log", "INSERT", "true", "disk full");
  }
  auto response = ReportAboutOneChild(token);
  EXPECT_EQ(response.status, 503) << response.body;
  EXPECT_EQ(store_->JournalLength(), 0);
  EXPECT_FALSE(store_->FindPersonByIdentityNumber("201305059899").has_value());
}

// Every route that reads personal data leaves access-log rows when it answers — found from the router's own
// table, so a new route cannot forget it. The rows name the reader and the route.
TEST_F(RoutesTest, EveryPersonalDataReadAddsAccessLogRows) {
  std::string lead = Token(access::Role::kTeamLead);  // holds every read permission a case route needs
  ASSERT_EQ(ReportAboutOneChild(lead).status, 201);
  // Matter 1 gets decision 1, for the decision letter.
  for (const auto& [step, body] : std::vector<std::pair<std::string, std::string>>{
           {"protection-assessment", R"({"assessed_at": "2026-03-02T08:30", "immediate_need": false, "reasons": "R"})"},
           {"preliminary-assessment", R"({"decision": "open_investigation", "decided_on": "2026-03-02",
                                          "reasons": "R", "decided_by": "L"})"},
           {"decisions", R"({"outcome": "granted", "intervention": "kontaktperson", "legal_basis": "sol-11-1",
                             "decided_by": "L", "decided_on": "2026-03-02", "reasons": "R"})"}}) {
    HttpRequest request;
    request.method = "POST";
    request.path = request.target = "/api/v1/matters/1/" + step;
    request.headers["authorization"] = "Bearer " + lead;
    request.headers["content-type"] = "application/json";
    request.body = body;
    ASSERT_EQ(pipeline_->Handle(request).status, 200) << step;
  }
  // Routes the team lead may not use are read by a user of the role that may, with data to read: first-line
  // staff in forsta-linjen with one identified participation under a committee decision (11 kap. 5 § SoL).
  auto first_line = users_->AddUser("first-line-user", "Test", "forsta-linjen", access::Role::kFirstLine,
                                    "2026-03-02T08:00:00Z");
  auto committee = users_->AddUser("committee-user", "Test", "socialnamnden", access::Role::kCommittee,
                                   "2026-03-02T08:00:00Z");
  ASSERT_TRUE(first_line.ok() && committee.ok());
  for (const auto& [path, token, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"/api/v1/committee-decisions", *committee,
            R"({"item_code": "familjerad-forsta-linjen", "decided_on": "2026-03-01", "minutes_paragraph": "§ 1",
                "dnr": "SN 1", "valid_from": "2026-03-01"})"},
           {"/api/v1/first-line/participations", *first_line,
            R"({"decision_id": 1, "date": "2026-03-02", "mode": "identified", "informed_about_application": true,
                "person": {"identity_number": "198003149989"}})"}}) {
    HttpRequest request;
    request.method = "POST";
    request.path = request.target = path;
    request.headers["authorization"] = "Bearer " + token;
    request.headers["content-type"] = "application/json";
    request.body = body;
    auto response = pipeline_->Handle(request);
    ASSERT_EQ(response.status, 201) << path << ": " << response.body;
  }
  const std::map<std::string, std::pair<std::string, std::string>> readers = {
      {"/api/v1/first-line/participations", {*first_line, "first-line-user"}}};
  // The query each reading route needs to find person 1 / matter 1; a new route must be added here.
  const std::map<std::string, std::string> queries = {
      {"/api/v1/reports", "identity_number=201305059899"},
      {"/api/v1/access-log", "person_id=1"},
      {"/reports/identity-check", "identity_number=201305059899"},
      {"/search", "q=201305059899"},
  };
  auto log_rows = [&](const std::string& username) {
    auto db = store::OpenDb(db_path_);
    auto& st = (*db)->Prepare("SELECT count(*) FROM access_log WHERE username = ?1");
    st.Bind(1, username);
    st.Step();
    return st.Int(0);
  };
  int reading_routes = 0;
  for (const Route& route : router_.routes()) {
    if (route.method != "GET" || !route.personal_data) continue;
    ++reading_routes;
    HttpRequest request;
    request.method = "GET";
    request.path = std::regex_replace(route.pattern, std::regex(R"(\{[a-z_]+\})"), "1");
    request.target = request.path;
    if (auto q = queries.find(route.pattern); q != queries.end()) {
      request.target += "?" + q->second;
      for (const auto& part : {q->second}) {
        auto eq = part.find('=');
        request.query.emplace(part.substr(0, eq), part.substr(eq + 1));
      }
    }
    request.remote_address = "127.0.0.1";
    auto reader = readers.count(route.pattern) ? readers.at(route.pattern)
                                               : std::pair<std::string, std::string>{lead, "team_lead-user"};
    request.headers["authorization"] = "Bearer " + reader.first;
    int64_t before = log_rows(reader.second);
    auto response = pipeline_->Handle(request);
    EXPECT_EQ(response.status, 200) << route.pattern << ": " << response.body;
    EXPECT_GT(log_rows(reader.second), before) << route.pattern << " read personal data without logging it";
  }
  EXPECT_GE(reading_routes, 12);
}

}  // namespace
}  // namespace nysol::web
