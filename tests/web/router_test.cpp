// Which route answers a request: patterns with {parameters}, the methods allowed on a path (for 405), HEAD
// answered by GET, and the first route registered winning.
#include "web/router.h"

#include <gtest/gtest.h>

namespace nysol::web {
namespace {

Route Named(std::string method, std::string pattern) {
  Route route;
  route.method = std::move(method);
  route.pattern = std::move(pattern);
  route.summary = route.method + " " + route.pattern;
  return route;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(Named("GET", "/"));
    router_.Add(Named("GET", "/api/v1/matters"));
    router_.Add(Named("GET", "/api/v1/matters/{id}"));
    router_.Add(Named("POST", "/api/v1/matters/{id}/notes"));
    router_.Add(Named("GET", "/api/v1/matters/{id}/notes/{note}"));
    router_.Add(Named("DELETE", "/api/v1/matters/{id}"));
  }
  Router router_;
};

TEST_F(RouterTest, FindsTheRouteAndItsParameters) {
  auto root = router_.Find("GET", "/");
  ASSERT_NE(root.route, nullptr);
  EXPECT_EQ(root.route->pattern, "/");
  EXPECT_TRUE(root.params.empty());

  auto matter = router_.Find("GET", "/api/v1/matters/7");
  ASSERT_NE(matter.route, nullptr);
  EXPECT_EQ(matter.route->pattern, "/api/v1/matters/{id}");
  EXPECT_EQ(matter.params, (std::map<std::string, std::string>{{"id", "7"}}));

  auto note = router_.Find("GET", "/api/v1/matters/7/notes/12");
  ASSERT_NE(note.route, nullptr);
  EXPECT_EQ(note.params, (std::map<std::string, std::string>{{"id", "7"}, {"note", "12"}}));

  auto list = router_.Find("GET", "/api/v1/matters");
  ASSERT_NE(list.route, nullptr);
  EXPECT_EQ(list.route->pattern, "/api/v1/matters");
}

TEST_F(RouterTest, AParameterIsNeverEmptyAndLiteralsMatchWhole) {
  EXPECT_EQ(router_.Find("GET", "/api/v1/matters/").route, nullptr);
  EXPECT_EQ(router_.Find("GET", "/api/v1/matter/7").route, nullptr);
  EXPECT_EQ(router_.Find("GET", "/api/v1/matters/7/notes").route, nullptr);  // only POST there
  EXPECT_EQ(router_.Find("GET", "/api/v1/matters/7/extra").route, nullptr);
  EXPECT_EQ(router_.Find("GET", "").route, nullptr);
}

TEST_F(RouterTest, SaysWhichMethodsAPathHasWhenTheOneAskedForIsNotAmongThem) {
  auto put = router_.Find("PUT", "/api/v1/matters/7");
  EXPECT_EQ(put.route, nullptr);
  EXPECT_EQ(put.allowed, (std::vector<std::string>{"GET", "HEAD", "DELETE"}));
  EXPECT_TRUE(put.params.empty());                               // nothing of a route that does not answer
  EXPECT_TRUE(router_.Find("GET", "/nowhere").allowed.empty());  // 404, not 405
}

TEST_F(RouterTest, HeadIsAnsweredByGetAndTheFirstRouteRegisteredWins) {
  auto head = router_.Find("HEAD", "/api/v1/matters/7");
  ASSERT_NE(head.route, nullptr);
  EXPECT_EQ(head.route->method, "GET");
  Router router;
  router.Add(Named("GET", "/api/v1/units/{code}"));
  router.Add(Named("GET", "/api/v1/units/mine"));
  auto mine = router.Find("GET", "/api/v1/units/mine");
  ASSERT_NE(mine.route, nullptr);
  EXPECT_EQ(mine.route->pattern, "/api/v1/units/{code}");
  EXPECT_THROW(router.Add(Named("GET", "/api/v1/units/mine")), std::logic_error);
}

}  // namespace
}  // namespace nysol::web
