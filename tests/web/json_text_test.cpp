// JSON written as text (web/json_text.h) is what nlohmann::json::dump() writes for the same value: strings
// escaped alike, commas and nesting right.
#include "web/json_text.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include <nlohmann/json.hpp>

namespace nysol::web {
namespace {

using nlohmann::json;

std::string Quoted(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST(JsonTextTest, StringsAreWrittenAsDumpWritesThem) {
  for (std::string text :
       {std::string(""), std::string("Oro för barnet."), std::string("\"citat\" och \\ snedstreck"),
        std::string("rad\nrad\r\ttab\b\f"), std::string("\x01\x1f\x7f", 3), std::string("nul\0mitt", 8),
        std::string("åäö Ödmjuk – ”citat” 😀"), std::string("/</script>")}) {
    EXPECT_EQ(Quoted(text), json(text).dump()) << text;
    EXPECT_EQ(json::parse(Quoted(text)).get<std::string>(), text);
  }
  // Every byte below 0x80 on its own, and random ASCII strings.
  for (int c = 0; c < 0x80; ++c) {
    std::string one(1, static_cast<char>(c));
    EXPECT_EQ(Quoted(one), json(one).dump()) << c;
  }
  std::mt19937 random(7);
  for (int i = 0; i < 200; ++i) {
    std::string text(random() % 40, ' ');
    for (char& c : text) c = static_cast<char>(random() % 0x80);
    EXPECT_EQ(Quoted(text), json(text).dump());
  }
}

TEST(JsonTextTest, TheWriterNestsAndSeparatesAsDumpDoes) {
  std::string out;
  JsonWriter w(out);
  w.Object().Key("a").Array().End().Key("b").Object().End().Key("c").Array();
  w.Int(1).Null().Bool(true).Bool(false).String("x\"y").Object().Key("k").Int(std::optional<int64_t>()).End();
  w.Array().Array().End().Int(-7).End().End();
  w.Key("d").String(std::optional<std::string>("å")).Key("e").String(std::optional<std::string>()).End();
  json expected = {{"a", json::array()},
                   {"b", json::object()},
                   {"c", {1, nullptr, true, false, "x\"y", {{"k", nullptr}}, {json::array(), -7}}},
                   {"d", "å"},
                   {"e", nullptr}};
  EXPECT_EQ(out, expected.dump());
  std::string empty;
  JsonWriter(empty).Array().End();
  EXPECT_EQ(empty, "[]");
}

}  // namespace
}  // namespace nysol::web
