// How names compare in a search (store/name_fold.h): FoldName's letters, the same fold as SQL in either
// engine (migration 14 fills existing rows with it, the projection new ones with FoldName), and the search by
// name.
#include "store/name_fold.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chain_fixture.h"
#include "store/schema.h"
#include "test_database.h"

namespace nysol::testing {
namespace {

using store::FoldName;

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
  std::string all = "ABCXYZ abc 0-9 ";
  for (char32_t c = 0xC0; c <= 0x17F; ++c) {
    all += static_cast<char>(0xC0 | (c >> 6));
    all += static_cast<char>(0x80 | (c & 0x3F));
  }
  auto dir = std::filesystem::temp_directory_path() / ("nysol-name-fold-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto db = store::OpenDb(TestDatabase(dir));
  ASSERT_TRUE(db.ok()) << db.status().message();
  (*db)->Exec(store::MigrationSql("CREATE TABLE names (name TEXT, folded TEXT)", "", (*db)->engine()));
  (*db)->Prepare("INSERT INTO names (name, folded) VALUES (?1, ?1)").Bind(1, all).Run();
  (*db)->Exec(store::FoldNameSql("names", "folded"));
  auto& st = (*db)->Prepare("SELECT name, folded FROM names");
  ASSERT_TRUE(st.Step());
  EXPECT_EQ(st.Text(0), all);
  EXPECT_EQ(st.Text(1), FoldName(all));
  EXPECT_NE(FoldName(all), all);
  st.Reset();
  db->reset();
  std::filesystem::remove_all(dir);
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

}  // namespace
}  // namespace nysol::testing
