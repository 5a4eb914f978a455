// The lists of matters (CaseStore::ListMatters, MattersByUrgency, CountOpenMatters): each combination of
// filters is its own statement, so each is checked here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chain_fixture.h"

namespace nysol::testing {
namespace {

std::vector<int64_t> Ids(const std::vector<store::MatterSummary>& rows) {
  std::vector<int64_t> ids;
  for (const auto& r : rows) ids.push_back(r.id);
  return ids;
}

TEST_F(ChainTest, MatterListsFilterAndOrderAsAsked) {
  // Received on different days: the protection assessment of the oldest report is due first.
  int64_t newest = Report(kChildA, "2026-03-02T08:30");
  int64_t oldest = Report(kChildB, "2026-02-26T08:30");
  int64_t middle = Report("201207199983", "2026-02-27T08:30");
  ASSERT_TRUE(newest && oldest && middle);

  store::MatterFilter unit;
  unit.unit = unit_;
  EXPECT_EQ(Ids(store_->MattersByUrgency(unit)), (std::vector<int64_t>{oldest, middle, newest}));
  unit.limit = 2;
  EXPECT_EQ(Ids(store_->MattersByUrgency(unit)), (std::vector<int64_t>{oldest, middle}));
  EXPECT_EQ(store_->CountOpenMatters(unit), 3);
  EXPECT_EQ(Ids(store_->ListMatters(unit)), (std::vector<int64_t>{newest, oldest}));  // in id order
  unit.after_id = oldest;
  EXPECT_EQ(Ids(store_->ListMatters(unit)), (std::vector<int64_t>{middle}));

  store::MatterFilter unassigned = unit;
  unassigned.after_id = 0;
  unassigned.limit = 100;
  unassigned.unassigned_only = true;
  EXPECT_EQ(store_->CountOpenMatters(unassigned), 3);
  EXPECT_EQ(Ids(store_->MattersByUrgency(unassigned)), (std::vector<int64_t>{oldest, middle, newest}));

  store::MatterFilter someone = unassigned;
  someone.unassigned_only = false;
  someone.assigned_to = "someone";
  EXPECT_EQ(store_->CountOpenMatters(someone), 0);
  EXPECT_TRUE(store_->MattersByUrgency(someone).empty());
  EXPECT_TRUE(store_->ListMatters(someone).empty());

  store::MatterFilter other;
  other.unit = "vuxen";
  EXPECT_TRUE(store_->ListMatters(other).empty());
  EXPECT_EQ(store_->CountOpenMatters(other), 0);

  store::MatterFilter everything;  // no unit, closed ones too
  everything.unit.reset();
  everything.open_only = false;
  EXPECT_EQ(Ids(store_->ListMatters(everything)), (std::vector<int64_t>{newest, oldest, middle}));
}

// One unit's list among the matters of units that sort before and after it, paged by the keyset, with and
// without a case worker: PostgreSQL's form of the statement (a row-value keyset with upper bounds) must
// select exactly what the plain form selects.
TEST_F(ChainTest, AUnitsListPagesThroughItsOwnMattersOnly) {
  const std::vector<std::string> units = {"aa-forst", "barn-och-unga", "vuxen"};
  const std::vector<std::string> children = {"201207199819", "201207199827", "201207199835",
                                             "201207199843", "201207199850", "201207199868",
                                             "201207199876", "201207199884", "201207199892"};
  std::vector<int64_t> ours, annas;
  for (size_t i = 0; i < children.size(); ++i) {
    unit_ = units[i % units.size()];  // interleaved ids
    int64_t matter = Report(children[i]);
    ASSERT_TRUE(matter);
    if (unit_ != "barn-och-unga") continue;
    ours.push_back(matter);
    if (ours.size() != 2) {
      ASSERT_TRUE(Step(matter, AssignMatter, {{"assigned_to", "anna"}}).ok());
      annas.push_back(matter);
    }
  }
  // Another unit's matter assigned to a case worker of the same name stays out of the list too.
  unit_ = "vuxen";
  ASSERT_TRUE(Step(Report("201503129981"), AssignMatter, {{"assigned_to", "anna"}}).ok());

  for (bool by_worker : {false, true}) {
    store::MatterFilter page;
    page.unit = "barn-och-unga";
    if (by_worker) page.assigned_to = "anna";
    page.limit = 1;
    std::vector<int64_t> seen;
    for (auto rows = store_->ListMatters(page); !rows.empty(); rows = store_->ListMatters(page)) {
      ASSERT_EQ(rows.size(), 1u);
      EXPECT_EQ(rows[0].unit, "barn-och-unga");
      seen.push_back(rows[0].id);
      page.after_id = rows[0].id;
    }
    EXPECT_EQ(seen, by_worker ? annas : ours) << (by_worker ? "assigned to anna" : "the unit");
  }
}

// The queue's order comes from each matter's next due date as the projection keeps it (migration 12): a step
// that ends one clock moves the matter to the date of the next one.
TEST_F(ChainTest, TheQueueFollowsTheNextDueDateAsStepsAreTaken) {
  int64_t older = Report(kChildB, "2026-02-26T08:30");  // protection assessment due first; preliminary 12 March
  int64_t newer = Report(kChildA, "2026-03-02T08:30");  // protection assessment due 2 March; preliminary 16 March
  ASSERT_TRUE(older && newer);
  store::MatterFilter unit;
  unit.unit = unit_;
  EXPECT_EQ(Ids(store_->MattersByUrgency(unit)), (std::vector<int64_t>{older, newer}));

  // The older matter's protection assessment is done: its next date is the preliminary assessment, 12 March,
  // after the newer matter's protection assessment.
  ASSERT_TRUE(Step(older, RecordProtectionAssessment,
                   {{"assessed_at", "2026-03-02T09:00"}, {"immediate_need", false}, {"reasons", "Inget akut."}})
                  .ok());
  EXPECT_EQ(Ids(store_->MattersByUrgency(unit)), (std::vector<int64_t>{newer, older}));
  // And the newer one's too: 12 March before 16 March.
  ASSERT_TRUE(Step(newer, RecordProtectionAssessment,
                   {{"assessed_at", "2026-03-02T08:45"}, {"immediate_need", false}, {"reasons", "Inget akut."}})
                  .ok());
  EXPECT_EQ(Ids(store_->MattersByUrgency(unit)), (std::vector<int64_t>{older, newer}));
  std::string stored;
  store_->Read([&](store::Db& db) {
    auto& st = db.Prepare("SELECT next_due FROM matters WHERE id = ?1");
    st.Bind(1, older);
    ASSERT_TRUE(st.Step());
    stored = st.Text(0);
    st.Reset();
  });
  EXPECT_EQ(stored, "2026-03-12");  // 20 kap. 2 §: 26 February + 14 days
}

// A unit's open matters are counted from the partial index that holds just them, whatever the statistics say:
// this database, like any but the demo's, was never analysed, and SQLite then counted through matters_open
// (unit, phase), every matter the unit ever had.
TEST_F(ChainTest, OpenMattersAreCountedFromTheirPartialIndex) {
  if (testing::OnPostgres()) GTEST_SKIP() << "SQLite's plans; PostgreSQL plans from its own statistics";
  const char* expected[4] = {"matters_unit_open", "matters_unit_open_assigned",
                             "matters_unit_unassigned_urgency", "matters_unit_open_assigned"};
  store_->Read([&](store::Db& db) {
    for (int v = 0; v < 4; ++v) {
      auto& plan = db.Prepare("EXPLAIN QUERY PLAN " + store::CountOpenMattersSql(db.engine(), v & 1, v & 2));
      std::string steps;
      while (plan.Step()) steps += plan.Text(3) + "\n";
      EXPECT_NE(steps.find(std::string("INDEX ") + expected[v] + " "), std::string::npos)
          << v << ": " << steps;
      EXPECT_EQ(steps.find("matters_open "), std::string::npos) << v << ": " << steps;
    }
  });
}

// The lists of a unit walk an index in the order they return: the API's pages of every matter of the unit
// (migration 18) or just the open ones (migration 11), of the unit or of one case worker, and the start
// page's queues by due date (migrations 12 and 13). Twice: on a database never analysed, as any built by use,
// and with the statistics of the demo's 1,000-row sample, taken before migration 18 existed. Unnamed, SQLite
// read the pages' matters through matters_unit_person and sorted them in the first case and took migration
// 18's indexes for the open lists; in the second it took them for the queues too, and sorted the whole unit.
TEST_F(ChainTest, ListsOfAUnitWalkTheirIndexInOrder) {
  if (testing::OnPostgres()) GTEST_SKIP() << "SQLite's plans; PostgreSQL plans from its own statistics";
  auto expect_walks = [&](store::Db& db, const std::string& statistics) {
    auto expect_walk = [&](const std::string& sql, const char* index) {
      auto& plan = db.Prepare("EXPLAIN QUERY PLAN " + sql);
      std::string steps;
      while (plan.Step()) steps += plan.Text(3) + "\n";
      EXPECT_NE(steps.find(std::string("INDEX ") + index + " "), std::string::npos)
          << statistics << ": " << sql << "\n"
          << steps;
      EXPECT_EQ(steps.find("TEMP B-TREE"), std::string::npos) << statistics << ": " << sql << "\n" << steps;
    };
    const char* pages[2][2] = {{"matters_unit_id", "matters_unit_assigned_id"},
                               {"matters_unit_open", "matters_unit_open_assigned"}};
    const char* queues[4] = {"matters_unit_urgency", "matters_unit_assigned_urgency",
                             "matters_unit_unassigned_urgency", "matters_unit_assigned_urgency"};
    for (int v = 0; v < 4; ++v) {
      store::MatterFilter filter;
      filter.unit = unit_;
      filter.open_only = v & 1;
      if (v & 2) filter.assigned_to = "someone";
      expect_walk(store::ListMattersSql(db.engine(), filter), pages[v & 1][(v & 2) ? 1 : 0]);
      expect_walk(store::MattersByUrgencySql(db.engine(), v & 1, v & 2), queues[v]);
    }
  };
  store_->Read([&](store::Db& db) { expect_walks(db, "no statistics"); });

  auto sampled = store::OpenDb(store_->path());
  ASSERT_TRUE(sampled.ok());
  (*sampled)->Exec(R"sql(
ANALYZE;
DELETE FROM sqlite_stat1;
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('matters', 'matters_unit_person', '228956 1001 6'),
  ('matters', 'matters_unit_unassigned_urgency', '5141 501 39 1'),
  ('matters', 'matters_unit_assigned_urgency', '15504 501 501 11 1'),
  ('matters', 'matters_unit_urgency', '15912 501 12 1'),
  ('matters', 'matters_unit_open_assigned', '4134 501 501 1'),
  ('matters', 'matters_unit_open', '6750 501 1'),
  ('matters', 'matters_assigned', '409216 1001 1001'),
  ('matters', 'matters_open', '235410 1001 1001'),
  ('matters', 'matters_person', '209000 10'),
  ('persons', 'sqlite_autoindex_persons_1', '228480 2');
ANALYZE sqlite_schema;
)sql");
  expect_walks(**sampled, "the demo's sampled statistics");
}

}  // namespace
}  // namespace nysol::testing
