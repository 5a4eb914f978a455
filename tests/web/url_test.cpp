#include "web/url.h"

#include <map>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace nysol::web {
namespace {

using Query = std::multimap<std::string, std::string>;

TEST(ParseTargetTest, PlainPath) {
  std::string path;
  Query query;
  ASSERT_TRUE(ParseTarget("/api/v1/matters/7", &path, &query));
  EXPECT_EQ(path, "/api/v1/matters/7");
  EXPECT_TRUE(query.empty());
}

TEST(ParseTargetTest, RootAndEmptyQuery) {
  std::string path;
  Query query;
  ASSERT_TRUE(ParseTarget("/", &path, &query));
  EXPECT_EQ(path, "/");
  ASSERT_TRUE(ParseTarget("/x?", &path, &query));
  EXPECT_EQ(path, "/x");
  EXPECT_TRUE(query.empty());
}

TEST(ParseTargetTest, PercentDecodesPathButKeepsPlus) {
  std::string path;
  Query query;
  ASSERT_TRUE(ParseTarget("/a%20b/c+d/%C3%A5%2f", &path, &query));
  EXPECT_EQ(path, "/a b/c+d/\xC3\xA5/");
}

TEST(ParseTargetTest, QueryPairsDecodedWithPlusAsSpace) {
  std::string path;
  Query query;
  ASSERT_TRUE(ParseTarget("/s?q=a+b%2Bc&name=%C3%96st&x=1", &path, &query));
  EXPECT_EQ(path, "/s");
  EXPECT_EQ(query, (Query{{"q", "a b+c"}, {"name", "\xC3\x96st"}, {"x", "1"}}));
}

TEST(ParseTargetTest, KeyWithoutEqualsHasEmptyValue) {
  std::string path;
  Query query;
  ASSERT_TRUE(ParseTarget("/a?flag&x=&y=1", &path, &query));
  EXPECT_EQ(query, (Query{{"flag", ""}, {"x", ""}, {"y", "1"}}));
}

TEST(ParseTargetTest, RepeatedKeysKeepOrder) {
  std::string path;
  Query query;
  ASSERT_TRUE(ParseTarget("/a?t=1&t=2&t=3", &path, &query));
  auto [begin, end] = query.equal_range("t");
  std::string values;
  for (auto it = begin; it != end; ++it) values += it->second;
  EXPECT_EQ(values, "123");
}

TEST(ParseTargetTest, EmptyPairsSkippedAndValueMayHoldEquals) {
  std::string path;
  Query query;
  ASSERT_TRUE(ParseTarget("/a?&&x=1&&y=a=b&", &path, &query));
  EXPECT_EQ(query, (Query{{"x", "1"}, {"y", "a=b"}}));
}

TEST(ParseTargetTest, EscapedDelimitersInQueryAreData) {
  std::string path;
  Query query;
  ASSERT_TRUE(ParseTarget("/a?k%3D1=v%26w", &path, &query));
  EXPECT_EQ(query, (Query{{"k=1", "v&w"}}));
}

TEST(ParseTargetTest, QuestionMarkInQueryIsData) {
  std::string path;
  Query query;
  ASSERT_TRUE(ParseTarget("/a?x=?y", &path, &query));
  EXPECT_EQ(path, "/a");
  EXPECT_EQ(query, (Query{{"x", "?y"}}));
}

TEST(ParseTargetTest, RejectsTargetsNotStartingWithSlash) {
  std::string path;
  Query query;
  EXPECT_FALSE(ParseTarget("", &path, &query));
  EXPECT_FALSE(ParseTarget("*", &path, &query));
  EXPECT_FALSE(ParseTarget("api/v1", &path, &query));
  EXPECT_FALSE(ParseTarget("http://example.com/", &path, &query));
  EXPECT_FALSE(ParseTarget("?x=1", &path, &query));
}

TEST(ParseTargetTest, RejectsBadEscapes) {
  std::string path;
  Query query;
  for (std::string_view target :
       {"/a%", "/a%2", "/a%zz", "/a%2g", "/a%%20", "/a?x=%", "/a?x=%4", "/a?%G1=1", "/a?x=1%"}) {
    EXPECT_FALSE(ParseTarget(target, &path, &query)) << target;
  }
}

TEST(ParseTargetTest, RejectsNulBytes) {
  std::string path;
  Query query;
  EXPECT_FALSE(ParseTarget("/a%00b", &path, &query));
  EXPECT_FALSE(ParseTarget("/a?x=%00", &path, &query));
  EXPECT_FALSE(ParseTarget("/a?%00=1", &path, &query));
  EXPECT_FALSE(ParseTarget(std::string_view("/a\0b", 4), &path, &query));
  EXPECT_FALSE(ParseTarget(std::string_view("/a?x=\0", 6), &path, &query));
}

TEST(ParseTargetTest, FailureLeavesOutputsEmpty) {
  std::string path = "old";
  Query query{{"old", "1"}};
  EXPECT_FALSE(ParseTarget("/ok?x=1&y=%zz", &path, &query));
  EXPECT_TRUE(path.empty());
  EXPECT_TRUE(query.empty());
}

TEST(ParseTargetTest, SuccessReplacesOutputs) {
  std::string path = "old";
  Query query{{"old", "1"}};
  ASSERT_TRUE(ParseTarget("/new?a=1", &path, &query));
  EXPECT_EQ(path, "/new");
  EXPECT_EQ(query, (Query{{"a", "1"}}));
}

TEST(ParseTargetTest, NullOutputsAllowed) {
  EXPECT_TRUE(ParseTarget("/a?b=c", nullptr, nullptr));
  EXPECT_FALSE(ParseTarget("/a%zz", nullptr, nullptr));
}

}  // namespace
}  // namespace nysol::web
