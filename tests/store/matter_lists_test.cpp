// The lists of matters (CaseStore::ListMatters, MattersByUrgency, CountOpenMatters): each combination of
// filters is its own statement, so each is checked here.
#include <gtest/gtest.h>

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
  EXPECT_EQ(store_->MattersByUrgency(unassigned).size(), 3u);

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

}  // namespace
}  // namespace nysol::testing
