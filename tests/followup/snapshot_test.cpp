// The snapshot follows the journal: new events are read on the next catch-up, and after a gallring run
// (16 kap. SoL) the people it removed leave the figures.
#include <gtest/gtest.h>

#include "followup/snapshot.h"
#include "journal_fixture.h"
#include "test_database.h"

namespace nysol::followup {
namespace {

class SnapshotTest : public JournalTest {
 protected:
  void Add(const std::string& kind, int64_t person, const std::string& payload) {
    JournalTest::Add(kind, person, nlohmann::json::parse(payload), "2026-01-05", "mottagning-barn");
  }
  void Report(int64_t person) {
    Add("person_registered", person, R"({"sex":"female","birth_date":"2015-01-01"})");
    Add("matter_opened", person, R"({"kind":"child","received_on":"2026-01-05"})");
    Add("report_received", person,
        R"({"received_at":"2026-01-05T09:00","reporter_category":"school","channel":"phone"})");
  }
  void FollowsTheJournal(Snapshot& snapshot);
  size_t Reports(const Snapshot& snapshot) {
    size_t n = 0;
    for (FactKind kind : snapshot.facts().kind) n += kind == FactKind::kReport;
    return n;
  }
};

void SnapshotTest::FollowsTheJournal(Snapshot& snapshot) {
  Report(1);
  Report(2);
  ASSERT_TRUE(snapshot.CatchUp(*db_).ok());
  EXPECT_EQ(Reports(snapshot), 2u);
  EXPECT_EQ(snapshot.matters().size(), 2u);

  Report(3);
  ASSERT_TRUE(snapshot.CatchUp(*db_).ok());
  EXPECT_EQ(Reports(snapshot), 3u) << "the third report is read on the next catch-up, the first two once";

  // Gallring of person 2: its events go, one records_removed is appended (as retention/removal.cpp does,
  // there under its audited run; here the guard is lifted by hand).
  testing::DropTrigger(*db_, "journal_rows_are_kept", "journal");
  db_->Prepare("DELETE FROM journal WHERE person_id = 2").Run();
  Add("records_removed", 2, R"({"rule":"five-years"})");
  ASSERT_TRUE(snapshot.CatchUp(*db_).ok());
  EXPECT_EQ(Reports(snapshot), 2u);
  EXPECT_EQ(snapshot.matters().size(), 2u);
  for (uint32_t person : snapshot.facts().person) EXPECT_NE(person, 2u);

  ASSERT_TRUE(snapshot.CatchUp(*db_).ok());
  EXPECT_EQ(Reports(snapshot), 2u) << "a later catch-up does not start over again";
}

TEST_F(SnapshotTest, NewEventsAreReadAndRemovedPeopleLeave) {
  Snapshot snapshot;
  FollowsTheJournal(snapshot);
}

// The same read two rows per statement: every page boundary, including one at the removal, is crossed.
TEST_F(SnapshotTest, TheJournalIsReadInPages) {
  Snapshot snapshot(2);
  FollowsTheJournal(snapshot);
}

}  // namespace
}  // namespace nysol::followup
