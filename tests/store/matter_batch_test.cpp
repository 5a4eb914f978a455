// Loading many matters at once (store/matter_batch.h) gives each the state that loading it alone gives, in the
// order asked for, across the chunks the ids are bound in.
#include "store/matter_batch.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "chain_fixture.h"

namespace nysol::testing {
namespace {

// A Luhn-valid test number (birth numbers 980-999) for a child born 2015, the `n`th of them.
std::string Child(int n) {
  std::string nine = fmt::format("15{:02d}{:02d}{:03d}", 1 + n / 28 % 12, 1 + n % 28, 980 + n / 336 % 20);
  int sum = 0;
  for (int i = 0; i < 9; ++i) {
    int d = (nine[i] - '0') * (i % 2 == 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return "20" + nine + std::to_string((10 - sum % 10) % 10);
}

void ExpectSame(const MatterState& a, const MatterState& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.person_id, b.person_id);
  EXPECT_EQ(a.unit, b.unit);
  EXPECT_EQ(a.phase, b.phase);
  EXPECT_EQ(a.received_on, b.received_on);
  EXPECT_EQ(a.preliminary_due, b.preliminary_due);
  EXPECT_EQ(a.assigned_to, b.assigned_to);
  ASSERT_EQ(a.reports.size(), b.reports.size());
  for (size_t i = 0; i < a.reports.size(); ++i) {
    EXPECT_EQ(a.reports[i].report_id, b.reports[i].report_id);
    EXPECT_EQ(a.reports[i].disposition, b.reports[i].disposition);
  }
  EXPECT_EQ(a.decisions.size(), b.decisions.size());
  EXPECT_EQ(a.interventions.size(), b.interventions.size());
  EXPECT_EQ(a.note_ids, b.note_ids);
}

TEST_F(ChainTest, ManyMattersLoadAsEachAlone) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 45; ++i) ids.push_back(Report(Child(i)));
  Report(Child(3), "2026-03-02T08:45");  // a second report joins the pending assessment of the fourth matter
  // Newest first, with an id that is no matter and one twice: more than one chunk of ids.
  std::vector<int64_t> asked(ids.rbegin(), ids.rend());
  asked.insert(asked.begin() + 10, 999999);
  asked.push_back(ids[5]);
  std::vector<MatterState> loaded;
  std::map<int64_t, store::PersonRow> persons;
  std::vector<int64_t> person_ids;
  store_->Read([&](store::Db& db) {
    loaded = store::LoadMatterStates(db, asked);
    for (const auto& m : loaded) person_ids.push_back(m.person_id);
    persons = store::LoadPersons(db, person_ids);
  });
  ASSERT_EQ(loaded.size(), ids.size());
  for (size_t i = 0; i < loaded.size(); ++i) {
    EXPECT_EQ(loaded[i].id, ids[ids.size() - 1 - i]);
    auto alone = store_->LoadMatter(loaded[i].id);
    ASSERT_TRUE(alone.ok());
    ExpectSame(loaded[i], *alone);
    ASSERT_EQ(persons.count(loaded[i].person_id), 1u);
    EXPECT_EQ(persons.at(loaded[i].person_id).identity_number, store_->GetPerson(loaded[i].person_id)->identity_number);
  }
  EXPECT_EQ(loaded[ids.size() - 4].reports.size(), 2u);
  store_->Read([&](store::Db& db) { EXPECT_TRUE(store::LoadMatterStates(db, {}).empty()); });
}

}  // namespace
}  // namespace nysol::testing
