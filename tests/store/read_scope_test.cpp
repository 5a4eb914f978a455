// CaseStore::ReadScope (one connection, and on SQLite one snapshot, for a request's reads) and the journal's
// tail read in pages (store/recent_events.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chain_fixture.h"
#include "store/recent_events.h"
#include "store/stored_rows.h"

namespace nysol::testing {
namespace {

int64_t CountEventsSince(store::CaseStore& store, const std::string& since_utc) {
  int64_t count = 0;
  store.Read([&](store::Db& db) {
    auto& st = db.Prepare("SELECT count(*) FROM journal WHERE recorded_at >= ?1");
    st.Bind(1, since_utc);
    st.Step();
    count = st.Int(0);
  });
  return count;
}

TEST_F(ChainTest, AWriteInsideAReadScopeIsSeenByTheScopesNextRead) {
  int64_t matter = Report(kChildA);
  ASSERT_TRUE(matter);
  store::CaseStore::ReadScope scope(*store_);
  ASSERT_TRUE(store_->LoadMatter(matter).ok());
  EXPECT_FALSE(store_->LoadMatter(matter)->assigned_to.has_value());
  ASSERT_TRUE(Step(matter, AssignMatter, {{"assigned_to", "anna"}}).ok());
  EXPECT_EQ(store_->LoadMatter(matter)->assigned_to, "anna");
  int64_t second = Report(kChildB);
  EXPECT_TRUE(store_->LoadMatter(second).ok());
}

TEST_F(ChainTest, AReadScopeOnSqliteReadsOneSnapshot) {
  if (OnPostgres()) {
    GTEST_SKIP() << "on PostgreSQL a scope keeps one connection but each statement its own snapshot";
  }
  int64_t matter = Report(kChildA);
  ASSERT_TRUE(matter);
  auto other = store::CaseStore::Open(store_->path());  // another writer, e.g. a second process
  ASSERT_TRUE(other.ok()) << other.status().message();
  std::swap(store_, *other);
  int64_t later = 0;
  {
    store::CaseStore::ReadScope scope(**other);
    int64_t before = (*other)->JournalLength();
    later = Report(kChildB);  // through the other store, committed at once
    ASSERT_TRUE(later);
    EXPECT_EQ((*other)->JournalLength(), before) << "the scope's snapshot moved";
    EXPECT_EQ((*other)->LoadMatter(later).status().code(), ErrorCode::kNotFound);
    {
      store::CaseStore::ReadScope inner(**other);  // nested: the outer scope's snapshot still
      EXPECT_EQ((*other)->JournalLength(), before);
    }
    EXPECT_EQ((*other)->JournalLength(), before);
  }
  EXPECT_TRUE((*other)->LoadMatter(later).ok()) << "after the scope, a new snapshot";
  std::swap(store_, *other);
}

TEST_F(ChainTest, TheJournalsTailIsReadAcrossPagesAndStopsAtTheDay) {
  SetNow("2026-03-01T09:00");
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Report(kChildA, "2026-03-01T08:30"));
  SetNow("2026-03-02T09:00");
  for (int i = 0; i < 90; ++i) ASSERT_TRUE(Report(kChildB));  // over one page of 64 events
  const std::string since = FormatUtc(FromStockholm({*ParseDate("2026-03-02"), 0, 0, 0}));
  const int64_t today = CountEventsSince(*store_, since);
  ASSERT_GT(today, 80);
  ASSERT_LT(today, store_->JournalLength());

  auto events = store_->RecentEvents(since, 5000);
  ASSERT_EQ(static_cast<int64_t>(events.size()), today);
  for (size_t i = 1; i < events.size(); ++i) ASSERT_EQ(events[i].seq, events[i - 1].seq - 1);
  EXPECT_EQ(events.front().seq, store_->JournalLength());  // newest first
  for (const auto& e : events) EXPECT_GE(e.recorded_at, since);

  EXPECT_EQ(store_->RecentEvents(since, 70).size(), 70u) << "the scan limit across a page's end";
  EXPECT_EQ(store_->RecentEvents(since, 64).size(), 64u);
  // Everything, when the day is older than the journal: the loop ends at the first event.
  EXPECT_EQ(static_cast<int64_t>(store_->RecentEvents("2000-01-01T00:00:00Z", 100000).size()),
            store_->JournalLength());

  std::vector<Event> registrations;
  store_->Read([&](store::Db& db) {
    registrations = store::RecentMatterEvents(db, since, 5000, {"report_received"}, "barn-och-unga");
  });
  EXPECT_EQ(registrations.size(), 90u);
  for (const auto& e : registrations) EXPECT_EQ(e.kind, "report_received");
}

TEST_F(ChainTest, TheWholeJournalIsReadInOrderWhateverThePage) {
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(Report(i % 2 ? kChildA : kChildB));
  auto seqs = [&](int64_t page_rows) {
    std::vector<int64_t> seen;
    store_->Read([&](store::Db& db) {
      store::ForEachEvent(db, [&](const Event& e) { seen.push_back(e.seq); }, page_rows);
    });
    return seen;
  };
  const auto all = seqs(20000);
  ASSERT_EQ(static_cast<int64_t>(all.size()), store_->JournalLength());
  for (size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], static_cast<int64_t>(i + 1));
  EXPECT_EQ(seqs(3), all);
  EXPECT_EQ(seqs(1), all);
  EXPECT_EQ(seqs(static_cast<int64_t>(all.size())), all) << "a last page exactly full";
}

}  // namespace
}  // namespace nysol::testing
