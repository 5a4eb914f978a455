// How names compare in a search (store/name_fold.h): FoldName's letters, the same fold as SQL in either
// engine (migration 14 fills existing rows with it, the projection new ones with FoldName), the Swedish
// alphabetical order of NameOrderKey (migration 17 likewise), and the search by name.
#include "store/name_fold.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "chain_fixture.h"
#include "core/identity_number.h"
#include "store/schema.h"
#include "test_database.h"

namespace nysol::testing {
namespace {

using store::FoldName;
using store::NameOrderKey;

// `text` after `steps` of SQL run on a table's column that holds it, in the engine the tests run on.
std::string AfterSql(const std::string& text, const std::vector<std::string>& steps) {
  static int calls = 0;  // each call its own database (on PostgreSQL a schema named for the directory)
  auto dir =
      std::filesystem::temp_directory_path() / fmt::format("nysol-name-sql-{}-{}", ::getpid(), ++calls);
  std::filesystem::create_directories(dir);
  std::string result;
  {
    auto db = store::OpenDb(TestDatabase(dir));
    if (!db.ok()) throw std::runtime_error(db.status().message());
    (*db)->Exec(store::MigrationSql("CREATE TABLE names (name TEXT)", "", (*db)->engine()));
    (*db)->Prepare("INSERT INTO names (name) VALUES (?1)").Bind(1, text).Run();
    for (const std::string& sql : steps) (*db)->Exec(sql);
    auto& st = (*db)->Prepare("SELECT name FROM names");
    if (st.Step()) result = st.Text(0);
    st.Reset();
  }
  std::filesystem::remove_all(dir);
  return result;
}

// Every letter from À to ſ, and some ASCII.
std::string TwoByteLetters(std::string ascii) {
  for (char32_t c = 0xC0; c <= 0x17F; ++c) {
    ascii += static_cast<char>(0xC0 | (c >> 6));
    ascii += static_cast<char>(0x80 | (c & 0x3F));
  }
  return ascii;
}

// `names` sorted by NameOrderKey, as `ORDER BY name_order` sorts them.
std::vector<std::string> InNameOrder(std::vector<std::string> names) {
  std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return NameOrderKey(a) < NameOrderKey(b);
  });
  return names;
}

TEST(NameFoldTest, FoldsTheCapitalsOfSwedishAndOtherEuropeanNames) {
  EXPECT_EQ(FoldName("ÅSA ÖBERG-Älv"), "åsa öberg-älv");
  EXPECT_EQ(FoldName("Émile Ørsted Æbelø"), "émile ørsted æbelø");
  EXPECT_EQ(FoldName("ŁUKASZ ŠIMIĆ ŽIVKOVIĆ ĐOKIĆ Ÿves"), "łukasz šimić živković đokić ÿves");
  EXPECT_EQ(FoldName("åsa öberg"), "åsa öberg");  // small letters stay
  // Not letters with a case pair in the fold: the multiplication sign, ß, the Turkish dotted and dotless i
  // (whose pairs are ASCII letters), Greek, and bytes that are not UTF-8.
  EXPECT_EQ(FoldName("× ß İ ı Σ"), "× ß İ ı Σ");
  EXPECT_EQ(FoldName(std::string("A\xC3") + "B\xFF"), std::string("a\xC3") + "b\xFF");
  EXPECT_EQ(FoldName(""), "");
}

// Every letter from À to ſ, and the ASCII capitals: the fold the migration runs in SQL gives what FoldName
// gives.
TEST(NameFoldTest, TheSqlFoldIsFoldName) {
  std::string all = TwoByteLetters("ABCXYZ abc 0-9 ");
  EXPECT_EQ(AfterSql(all, {store::FoldNameSql("names", "name")}), FoldName(all));
  EXPECT_NE(FoldName(all), all);
}

TEST(NameOrderTest, NamesComeInSwedishAlphabeticalOrder) {
  using Names = std::vector<std::string>;
  // Å, Ä, Ö after Z and in that order (byte order puts Ä before Å), whatever the case.
  EXPECT_EQ(InNameOrder({"Örjan", "ärla", "Åsa", "zelda", "Anna", "Öberg", "åke", "Ärlig"}),
            (Names{"Anna", "zelda", "åke", "Åsa", "ärla", "Ärlig", "Öberg", "Örjan"}));
  // Small and capital letters are the same letter: "de Geer" between "Dahl" and "Dunér", not after Z.
  EXPECT_EQ(InNameOrder({"Dunér", "de Geer", "Dahl", "Zorn"}), (Names{"Dahl", "de Geer", "Dunér", "Zorn"}));
  // Æ as Ä and Ø as Ö; Ü as Y; other accented letters as their base letter.
  EXPECT_EQ(InNameOrder({"Ørsted", "Æbelø", "Åberg", "Öst", "Ärn"}),
            (Names{"Åberg", "Æbelø", "Ärn", "Ørsted", "Öst"}));
  EXPECT_EQ(InNameOrder({"Müller", "Myrdal", "Mustonen"}), (Names{"Mustonen", "Müller", "Myrdal"}));
  EXPECT_EQ(InNameOrder({"Éva", "Erik", "Eva", "Evert"}), (Names{"Erik", "Éva", "Eva", "Evert"}));
  EXPECT_EQ(InNameOrder({"Šimić", "Sjöberg", "Sandberg", "Łukasz", "Lund"}),
            (Names{"Łukasz", "Lund", "Sandberg", "Šimić", "Sjöberg"}));
  EXPECT_EQ(NameOrderKey("Strauß"), "strauss");
  EXPECT_EQ(NameOrderKey("ČĐĘĞĦĪĴĶŁŃŐŒŘŠŤŰŴŶŽſ"), "cdeghijkln}orstywyzs");
  EXPECT_EQ(NameOrderKey("àçðñøüýþÿ"), "acdn}yyty");
  // Characters that are not letters stay, and so do bytes that are not UTF-8.
  EXPECT_EQ(NameOrderKey("Anna-Lena 2 × ×"), "anna-lena 2 × ×");
  EXPECT_EQ(NameOrderKey(std::string("\xC3") + "A\xFF"), std::string("\xC3") + "a\xFF");
}

// Every letter from À to ſ, and ASCII: migration 17's SQL, after migration 14's fold, gives NameOrderKey.
TEST(NameOrderTest, TheSqlKeyIsNameOrderKey) {
  std::string all = TwoByteLetters("ABCXYZ abc 0-9 {|} ");
  EXPECT_EQ(AfterSql(all, {store::FoldNameSql("names", "name"), store::NameOrderKeySql("names", "name")}),
            NameOrderKey(all));
  EXPECT_NE(NameOrderKey(all), FoldName(all));
}

class NameSearchTest : public ChainTest {
 protected:
  void Person(const std::string& identity_number, const std::string& name) {
    auto events = Run([&](CommandContext& ctx) {
      return RegisterReport({{"received_at", "2026-03-02T08:30"},
                             {"reporter_category", "school"},
                             {"channel", "phone"},
                             {"text", "Skolan oroar sig för elevens frånvaro."},
                             {"children", {{{"identity_number", identity_number}, {"name", name}}}}},
                            ctx);
    });
    ASSERT_TRUE(events.ok()) << events.status().message();
  }
  std::vector<std::string> Found(const std::string& part, int limit = 10) {
    std::vector<std::string> names;
    for (const auto& person : store_->FindPersonsByName(part, unit_, limit)) names.push_back(*person.name);
    return names;
  }
};

TEST_F(NameSearchTest, FindsNamesWhateverTheCaseOfTheirLetters) {
  Person(kChildA, "Åsa Öberg");
  Person(kChildB, "Łukasz Šimić");
  Person("201207199983", "Olle 100% Ek_Lund");
  using Names = std::vector<std::string>;
  EXPECT_EQ(Found("åsa"), Names{"Åsa Öberg"});
  EXPECT_EQ(Found("ÖBERG"), Names{"Åsa Öberg"});
  EXPECT_EQ(Found("a ö"), Names{"Åsa Öberg"});
  EXPECT_EQ(Found("šimić"), Names{"Łukasz Šimić"});
  EXPECT_EQ(Found("ŁUKASZ"), Names{"Łukasz Šimić"});
  EXPECT_EQ(Found("E"), (Names{"Olle 100% Ek_Lund", "Åsa Öberg"}));  // by name, as stored
  EXPECT_EQ(Found("E", 1), Names{"Olle 100% Ek_Lund"});
  // å is its own letter, not an a; and LIKE's wildcards in the words are just characters.
  EXPECT_TRUE(Found("asa").empty());
  EXPECT_EQ(Found("0%"), Names{"Olle 100% Ek_Lund"});
  EXPECT_TRUE(Found("o%d").empty());
  EXPECT_EQ(Found("k_l"), Names{"Olle 100% Ek_Lund"});
  EXPECT_TRUE(Found("o_le").empty());
  // Only persons with a matter in the unit searched.
  EXPECT_TRUE(store_->FindPersonsByName("åsa", "vuxen", 10).empty());
}

// The persons found come in Swedish alphabetical order on both engines, and the limit keeps the first of
// them.
TEST_F(NameSearchTest, FindsNamesInSwedishAlphabeticalOrder) {
  const char* names[] = {"Örjan Berg", "Åsa Berg", "Ärla Berg", "erik Berg", "Émile Berg", "Anna Berg"};
  for (int i = 0; i < 6; ++i) {
    std::string nine = fmt::format("1305{:02}98{}", 5 + i, i);  // born 2013-05-05 … 10, birth numbers 980–985
    Person("20" + nine + std::to_string(LuhnCheckDigit(nine)), names[i]);
  }
  using Names = std::vector<std::string>;
  EXPECT_EQ(Found("berg"),
            (Names{"Anna Berg", "Émile Berg", "erik Berg", "Åsa Berg", "Ärla Berg", "Örjan Berg"}));
  EXPECT_EQ(Found("berg", 4), (Names{"Anna Berg", "Émile Berg", "erik Berg", "Åsa Berg"}));
}

}  // namespace
}  // namespace nysol::testing
