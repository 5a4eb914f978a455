// The Cookie header parser: well-formed pairs in order, quotes removed, anything malformed skipped, never
// more than kMaxCookies; and the session cookie read from a request.
#include "web/cookie.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace nysol::web {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(CookieHeaderTest, PairsInOrderWithSpacesAroundThemIgnored) {
  EXPECT_EQ(ParseCookieHeader("a=1; b=2"), (Pairs{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(ParseCookieHeader("  a=1 ;b=2;\tc=3  "), (Pairs{{"a", "1"}, {"b", "2"}, {"c", "3"}}));
  EXPECT_EQ(ParseCookieHeader("a=\"quoted\"; b="), (Pairs{{"a", "quoted"}, {"b", ""}}));
  EXPECT_EQ(ParseCookieHeader("a=1; a=2"), (Pairs{{"a", "1"}, {"a", "2"}}));  // both kept: the caller decides
  EXPECT_EQ(ParseCookieHeader("a=x=y"), (Pairs{{"a", "x=y"}}));
  EXPECT_EQ(ParseCookieHeader(""), Pairs{});
}

TEST(CookieHeaderTest, MalformedPairsAreSkippedAndTheRestKept) {
  EXPECT_EQ(ParseCookieHeader("novalue; =nameless; a=1"), (Pairs{{"a", "1"}}));
  EXPECT_EQ(ParseCookieHeader("bad name=1; a=1"), (Pairs{{"a", "1"}}));  // a space inside the name
  EXPECT_EQ(ParseCookieHeader("b(ad)=1; a=1"), (Pairs{{"a", "1"}}));
  EXPECT_EQ(ParseCookieHeader("a=two words; b=2"), (Pairs{{"b", "2"}}));
  EXPECT_EQ(ParseCookieHeader("a=back\\slash; b=com,ma; c=\"half; d=3"), (Pairs{{"d", "3"}}));
  EXPECT_EQ(ParseCookieHeader(std::string("a=nul\0byte; b=2", 15)), (Pairs{{"b", "2"}}));
  EXPECT_EQ(ParseCookieHeader("a=h\xc3\xa4st; b=2"), (Pairs{{"b", "2"}}));  // non-ASCII
  EXPECT_EQ(ParseCookieHeader(";;; ; a=1;;"), (Pairs{{"a", "1"}}));
}

TEST(CookieHeaderTest, AtMostKMaxCookiesAreKept) {
  std::string header;
  for (size_t i = 0; i < kMaxCookies + 10; ++i) header += "c" + std::to_string(i) + "=v; ";
  auto cookies = ParseCookieHeader(header);
  ASSERT_EQ(cookies.size(), kMaxCookies);
  EXPECT_EQ(cookies.front().first, "c0");
  EXPECT_EQ(cookies.back().first, "c" + std::to_string(kMaxCookies - 1));
}

TEST(CookieHeaderTest, RequestCookiesFindsEveryCookieOfAName) {
  HttpRequest request;
  EXPECT_TRUE(RequestCookies(request, kSessionCookieName).empty());
  request.headers["cookie"] = "theme=dark; nysol_session=abc; nysol_session_x=no";
  EXPECT_EQ(RequestCookies(request, kSessionCookieName), std::vector<std::string>{"abc"});
  request.headers["cookie"] = "nysol_session=abc; nysol_session=def";
  EXPECT_EQ(RequestCookies(request, kSessionCookieName), (std::vector<std::string>{"abc", "def"}));
  request.headers["cookie"] = "NYSOL_SESSION=abc";  // cookie names are case-sensitive
  EXPECT_TRUE(RequestCookies(request, kSessionCookieName).empty());
}

// Cookies planted before ours (a sibling subdomain) must not push a second session cookie past the cap.
TEST(CookieTest, JunkCookiesCannotHideASecondSessionCookie) {
  HttpRequest request;
  std::string header;
  for (size_t i = 0; i < kMaxCookies + 10; ++i) header += "junk" + std::to_string(i) + "=v; ";
  header += "nysol_session=first; nysol_session=second";
  request.headers["cookie"] = header;
  EXPECT_EQ(RequestCookies(request, kSessionCookieName).size(), 2u);
}

}  // namespace
}  // namespace nysol::web
