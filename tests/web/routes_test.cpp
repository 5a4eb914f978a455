// The router's table is the one list of routes. These tests enumerate it: the OpenAPI document must describe
// exactly these routes, and no route that needs a permission can be reached without a valid token or with a
// role the policy does not allow — whatever the handler does.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "access/access_log.h"
#include "access/user_directory.h"
#include "core/clock.h"
#include "core/rulebook.h"
#include "store/case_store.h"
#include "web/api_routes.h"
#include "web/pipeline.h"
#include "web/router.h"

namespace nysol::web {
namespace {

using nlohmann::json;

class RoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("nysol-routes-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_path_ = (dir_ / "test.db").string();
    auto rulebook = Rulebook::Load(Rulebook::DefaultPath());
    ASSERT_TRUE(rulebook.ok()) << rulebook.status().message();
    rulebook_ = std::make_unique<Rulebook>(std::move(*rulebook));
    auto store = store::CaseStore::Open(db_path_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    users_ = std::make_unique<access::UserDirectory>(db_path_);
    access_log_ = std::make_unique<access::AccessLog>(db_path_);
    RegisterApiRoutes(router_, Services());
    pipeline_ = std::make_unique<Pipeline>(router_, Services());
  }
  void TearDown() override {
    pipeline_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  AppServices Services() { return {*store_, *rulebook_, clock_, *users_, *access_log_}; }

  std::string Token(access::Role role) {
    auto token = users_->AddUser(std::string(access::RoleName(role)) + "-user", "Test", "barn-och-unga", role,
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

  std::filesystem::path dir_;
  std::string db_path_;
  std::unique_ptr<Rulebook> rulebook_;
  std::unique_ptr<store::CaseStore> store_;
  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2} + std::chrono::hours{9}};
  std::unique_ptr<access::UserDirectory> users_;
  std::unique_ptr<access::AccessLog> access_log_;
  Router router_;
  std::unique_ptr<Pipeline> pipeline_;
};

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
  for (const Route& route : router_.routes()) routed.insert(route.method + " " + route.pattern);
  for (const auto& r : routed) EXPECT_TRUE(documented.count(r)) << "route missing from openapi.json: " << r;
  for (const auto& d : documented) EXPECT_TRUE(routed.count(d)) << "openapi.json documents a route that does not exist: " << d;
  EXPECT_GE(routed.size(), 20u);
}

TEST_F(RoutesTest, ProtectedRoutesAreDocumentedAsNeedingABearerToken) {
  json doc = json::parse(OpenApiDocument());
  for (const Route& route : router_.routes()) {
    std::string method = route.method == "GET" ? "get" : "post";
    const json& operation = doc["paths"][route.pattern][method];
    bool public_in_doc = operation.contains("security") && operation["security"].empty();
    EXPECT_EQ(public_in_doc, !route.permission.has_value()) << route.method << " " << route.pattern;
  }
}

TEST_F(RoutesTest, EveryProtectedRouteRefusesRequestsWithoutAValidToken) {
  Token(access::Role::kCaseWorker);
  int protected_routes = 0;
  for (const Route& route : router_.routes()) {
    if (!route.permission) continue;
    ++protected_routes;
    EXPECT_EQ(Call(route, "").status, 401) << route.method << " " << route.pattern;
    EXPECT_EQ(Call(route, std::string(64, 'a')).status, 401) << route.method << " " << route.pattern;
  }
  EXPECT_GT(protected_routes, 0);
  EXPECT_EQ(store_->JournalLength(), 0);
}

TEST_F(RoutesTest, RolesWithoutCasePermissionsAreRefusedOnEveryCaseRoute) {
  for (access::Role role : {access::Role::kAnalyst, access::Role::kCommittee, access::Role::kAdmin}) {
    std::string token = Token(role);
    for (const Route& route : router_.routes()) {
      if (!route.permission || *route.permission == access::Permission::kReadRules) continue;
      EXPECT_EQ(Call(route, token).status, 403) << access::RoleName(role) << " " << route.method << " " << route.pattern;
    }
  }
  EXPECT_EQ(store_->JournalLength(), 0);
}

TEST_F(RoutesTest, PublicRoutesAnswerWithoutAToken) {
  for (const Route& route : router_.routes()) {
    if (route.permission) continue;
    EXPECT_EQ(Call(route, "").status, 200) << route.method << " " << route.pattern;
  }
}

TEST_F(RoutesTest, ACaseWorkerPassesTheGateAndReachesTheHandler) {
  std::string token = Token(access::Role::kCaseWorker);
  for (const Route& route : router_.routes()) {
    int status = Call(route, token).status;
    EXPECT_NE(status, 401) << route.method << " " << route.pattern;
    EXPECT_NE(status, 403) << route.method << " " << route.pattern;
  }
}

}  // namespace
}  // namespace nysol::web
