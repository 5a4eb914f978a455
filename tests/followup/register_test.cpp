// The register file for children and young people placed outside their home (HSLF-FS 2016:22): who is in a
// year's file, the identity written (or the municipality's temporary id), and the line format Filip accepts.
#include <gtest/gtest.h>

#include "followup/register_barn_unga.h"
#include "journal_fixture.h"

namespace nysol::followup {
namespace {

using nlohmann::json;

class RegisterTest : public JournalTest {
 protected:
  void Add(const std::string& kind, int64_t person, const json& payload) {
    JournalTest::Add(kind, person, payload, "2020-01-01", "utredning-barn");
  }
  void Person(int64_t id, const char* number, const char* sex, const char* birth) {
    Add("person_registered", id,
        {{"identity_kind", number ? "personnummer" : "unknown"},
         {"identity_number", number ? json(number) : json()},
         {"sex", sex},
         {"birth_date", birth ? json(birth) : json()},
         {"birth_year", birth ? json() : json(2012)}});
  }
  void Placement(int64_t person, int64_t id, const char* what, const char* start, const char* end = nullptr,
                 const char* reason = "Klart.") {
    Add("decision_made", person,
        {{"decision_id", id},
         {"decided_on", "2024-01-02"},
         {"legal_basis", "sol-11-1"},
         {"intervention", what}});
    Add("intervention_started", person,
        {{"intervention_id", id}, {"decision_id", id}, {"intervention", what}, {"started_on", start}});
    if (end)
      Add("intervention_ended", person, {{"intervention_id", id}, {"ended_on", end}, {"reason", reason}});
  }
};

TEST_F(RegisterTest, AYearHoldsThePlacementsThatRanInItForThoseUnder21) {
  Person(1, "201203039804", "female", "2012-03-03");
  Placement(1, 1, "familjehem", "2024-05-01", "2025-02-01",
            "Åter hem; enligt plan\r\nslut");          // ran into 2025
  Placement(1, 2, "hvb", "2023-01-01", "2024-12-31");  // ended before 2025
  Placement(1, 3, "kontaktperson", "2025-03-01");      // not a placement
  Person(2, nullptr, "male", nullptr);                 // unknown identity, born about 2012
  Placement(2, 4, "jourhem", "2025-12-31");
  Person(3, "200001019815", "male", "2000-01-01");  // 24 when placed: not a young person
  Placement(3, 5, "stodboende", "2024-06-01");

  auto records = PlacementsInYear(*db_, 2025);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].identity, "201203039804");
  EXPECT_EQ(records[0].sex, "2");
  EXPECT_EQ(records[0].intervention, "familjehem");
  EXPECT_EQ(records[0].ended_on, "2025-02-01");
  EXPECT_EQ(records[1].identity, "T2");  // the municipality's temporary id for a child without a number
  EXPECT_EQ(records[1].sex, "1");
  EXPECT_EQ(records[1].ended_on, "");

  std::string file = PlacementFile(records, "0180", 2025);
  EXPECT_EQ(file,
            "kommun;statistikar;id;kon;insats;lagrum;beslutsdatum;placeringsdatum;slutdatum;avslutsorsak\r\n"
            "0180;2025;201203039804;2;familjehem;sol-11-1;2024-01-02;2024-05-01;2025-02-01;Åter hem  enligt "
            "plan  slut\r\n"
            "0180;2025;T2;1;jourhem;sol-11-1;2024-01-02;2025-12-31;;\r\n");
  ASSERT_EQ(PlacementsInYear(*db_, 2027).size(), 1u) << "a placement that goes on is in every later year";
  EXPECT_EQ(PlacementsInYear(*db_, 2027)[0].identity, "T2");
  EXPECT_EQ(PlacementsInYear(*db_, 2022).size(), 0u);
}

}  // namespace
}  // namespace nysol::followup
