// The access log: one row per record of a request, with who, when, which person or matter, what action, from
// where; all of a request's records in one transaction; and a table that cannot be changed afterwards
// (ARCHITECTURE.md: "separate append-only table"; SoLPUL, OSL 26 kap.).
#include "access/access_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "access_fixture.h"
#include "test_database.h"

namespace nysol::access {
namespace {

using testing::AccessTest;

class AccessLogTest : public AccessTest {
 protected:
  void SetUp() override {
    AccessTest::SetUp();
    log_ = std::make_unique<AccessLog>(path_);
    who_ = Principal{7, "anna", "Anna Berg", "barn-och-unga", Role::kCaseWorker};
  }
  int64_t Rows() { return QueryInt("SELECT COUNT(*) FROM access_log"); }
  // A writer that gathers after a transaction of `after` requests, for `up_to`, for as long as a test runs.
  static GroupCommit Gathering(size_t after, size_t up_to) {
    return GroupCommit{.gather_after = after, .gather_up_to = up_to, .gather_for = std::chrono::hours(1)};
  }
  // One request reading person and matter `id`, waited for.
  void Read(AccessLog& log, int64_t id) {
    Status logged = log.Append(who_, "2026-03-02T08:15:00Z", "GET /x", "10.1.2.3", {{"read", id, id}});
    ASSERT_TRUE(logged.ok()) << logged.message();
  }
  static void ExpectCommitted(const AccessLog& log, uint64_t commits, uint64_t requests) {
    EXPECT_EQ(log.Committed().commits, commits);
    EXPECT_EQ(log.Committed().requests, requests);
  }

  std::unique_ptr<AccessLog> log_;
  Principal who_;
};

TEST_F(AccessLogTest, AppendsOneRowPerRecordWithEveryPromisedField) {
  Status appended = log_->Append(who_, "2026-03-02T08:15:00Z", "GET /api/v1/persons/{id}", "10.1.2.3",
                                 {{"read", 12, std::nullopt}, {"write", 12, 34}, {"read", std::nullopt, 35}});
  ASSERT_TRUE(appended.ok()) << appended.message();
  ASSERT_EQ(Rows(), 3);

  auto& st = db_->Prepare(
      "SELECT id, at, username, unit, action, route, person_id, matter_id, remote_address FROM access_log "
      "ORDER BY id");
  struct Expected {
    const char* action;
    std::optional<int64_t> person_id, matter_id;
  };
  const Expected expected[] = {{"read", 12, std::nullopt}, {"write", 12, 34}, {"read", std::nullopt, 35}};
  int64_t previous_id = 0;
  for (const auto& row : expected) {
    ASSERT_TRUE(st.Step());
    EXPECT_GT(st.Int(0), previous_id);  // in the order given
    previous_id = st.Int(0);
    EXPECT_EQ(st.Text(1), "2026-03-02T08:15:00Z");
    EXPECT_EQ(st.Text(2), "anna");
    EXPECT_EQ(st.Text(3), "barn-och-unga");
    EXPECT_EQ(st.Text(4), row.action);
    EXPECT_EQ(st.Text(5), "GET /api/v1/persons/{id}");
    EXPECT_EQ(st.OptInt(6), row.person_id);
    EXPECT_EQ(st.OptInt(7), row.matter_id);
    EXPECT_EQ(st.Text(8), "10.1.2.3");
  }
  EXPECT_FALSE(st.Step());
  st.Reset();
}

TEST_F(AccessLogTest, AppendsAccumulateAcrossRequestsAndUsers) {
  ASSERT_TRUE(log_->Append(who_, "2026-03-02T08:15:00Z", "GET /a", "10.0.0.1", {{"read", 1, 2}}).ok());
  Principal lena{8, "lena", "Lena Holm", "vuxen", Role::kTeamLead};
  ASSERT_TRUE(log_->Append(lena, "2026-03-02T08:16:00Z", "POST /b", "10.0.0.2", {{"write", 3, 4}}).ok());
  EXPECT_EQ(Rows(), 2);
  EXPECT_EQ(1,
            QueryInt("SELECT COUNT(*) FROM access_log WHERE username = 'anna' AND unit = 'barn-och-unga' AND "
                     "person_id = 1 AND matter_id = 2 AND route = 'GET /a'"));
  EXPECT_EQ(1, QueryInt("SELECT COUNT(*) FROM access_log WHERE username = 'lena' AND unit = 'vuxen' AND "
                        "action = 'write' AND person_id = 3 AND remote_address = '10.0.0.2'"));
}

TEST_F(AccessLogTest, FindFiltersByPersonByUserByBothAndByTimeNewestFirst) {
  Principal lena{8, "lena", "Lena Holm", "vuxen", Role::kTeamLead};
  ASSERT_TRUE(log_->Append(who_, "2026-03-02T08:15:00Z", "GET /a", "10.0.0.1", {{"read", 1, 2}}).ok());
  ASSERT_TRUE(
      log_->Append(who_, "2026-03-02T08:16:00Z", "GET /b", "10.0.0.1", {{"read", 3, std::nullopt}}).ok());
  ASSERT_TRUE(log_->Append(lena, "2026-03-02T08:17:00Z", "GET /c", "10.0.0.2", {{"read", 1, 2}}).ok());
  ASSERT_TRUE(log_->Append(lena, "2026-03-05T08:00:00Z", "GET /d", "10.0.0.2", {{"read", 1, 2}}).ok());
  auto routes = [&](std::optional<int64_t> person, std::optional<std::string> user, int limit = 500) {
    AccessQuery query{person, user, *ParseDate("2026-03-01"), *ParseDate("2026-03-04"), limit};
    std::vector<std::string> found;
    for (const auto& entry : log_->Find(query)) found.push_back(entry.route);
    return found;
  };
  using Routes = std::vector<std::string>;
  EXPECT_EQ(routes(std::nullopt, std::nullopt), (Routes{"GET /c", "GET /b", "GET /a"}));  // not the 5th
  EXPECT_EQ(routes(1, std::nullopt), (Routes{"GET /c", "GET /a"}));
  EXPECT_EQ(routes(std::nullopt, "anna"), (Routes{"GET /b", "GET /a"}));
  EXPECT_EQ(routes(1, "lena"), (Routes{"GET /c"}));
  EXPECT_EQ(routes(3, "lena"), Routes{});
  EXPECT_EQ(routes(1, std::nullopt, 1), (Routes{"GET /c"}));
}

TEST_F(AccessLogTest, NoRecordsWritesNothing) {
  EXPECT_TRUE(log_->Append(who_, "2026-03-02T08:15:00Z", "GET /api/v1/rules", "10.1.2.3", {}).ok());
  EXPECT_EQ(Rows(), 0);
}

// All of a request's records or none: a failure on the second row rolls back the first.
// On PostgreSQL a group's rows travel as array literals in one INSERT: every text must come back as it went in,
// whatever it holds, and a missing person or reason must stay NULL, not become the text "NULL".
TEST_F(AccessLogTest, TextsComeBackExactlyAsWrittenWhateverTheyHold) {
  const std::vector<std::string> texts = {
      R"(citat "så här" och \ snedstreck)", "komma, {klammer} och NULL", "NULL", "", "radbrytning\noch\ttab",
      "åäö ÅÄÖ — ünïcödé ✓", R"(\"\\")"};
  for (size_t i = 0; i < texts.size(); ++i) {
    Principal who = who_;
    who.username = texts[i];
    Status appended = log_->Append(who, "2026-03-02T08:15:00Z", texts[(i + 1) % texts.size()], texts[(i + 2) % texts.size()],
                                   {{"read", static_cast<int64_t>(i + 1), std::nullopt, true, false},
                                    {"read", std::nullopt, static_cast<int64_t>(i + 100), false, true}},
                                   texts[(i + 3) % texts.size()]);
    ASSERT_TRUE(appended.ok()) << appended.message();
  }
  auto& st = db_->Prepare(
      "SELECT username, route, remote_address, reason, person_id, matter_id, emergency, outside_unit, "
      "protected_person FROM access_log ORDER BY id");
  for (size_t i = 0; i < texts.size(); ++i) {
    for (int row = 0; row < 2; ++row) {
      ASSERT_TRUE(st.Step());
      EXPECT_EQ(st.Text(0), texts[i]);
      EXPECT_EQ(st.Text(1), texts[(i + 1) % texts.size()]);
      EXPECT_EQ(st.Text(2), texts[(i + 2) % texts.size()]);
      if (row == 0) {  // outside the unit: the reason is kept with it
        EXPECT_EQ(st.OptText(3), texts[(i + 3) % texts.size()]);
        EXPECT_EQ(st.OptInt(4), static_cast<int64_t>(i + 1));
        EXPECT_TRUE(st.IsNull(5));
        EXPECT_EQ(st.Int(6), 1);
        EXPECT_EQ(st.Int(7), 1);
        EXPECT_EQ(st.Int(8), 0);
      } else {
        EXPECT_TRUE(st.IsNull(3));
        EXPECT_TRUE(st.IsNull(4));
        EXPECT_EQ(st.OptInt(5), static_cast<int64_t>(i + 100));
        EXPECT_EQ(st.Int(6), 0);
        EXPECT_EQ(st.Int(7), 0);
        EXPECT_EQ(st.Int(8), 1);
      }
    }
  }
  EXPECT_FALSE(st.Step());
  st.Reset();

  // The same through a write's own transaction (AppendRows).
  db_->BeginWrite();
  AccessLog::AppendRows(*db_, who_, "2026-03-02T08:16:00Z", texts[0], texts[1], {{"write", 5, 6}}, std::nullopt);
  db_->Exec("COMMIT");
  auto& last = db_->Prepare("SELECT route, remote_address, reason FROM access_log WHERE action = 'write'");
  ASSERT_TRUE(last.Step());
  EXPECT_EQ(last.Text(0), texts[0]);
  EXPECT_EQ(last.Text(1), texts[1]);
  EXPECT_TRUE(last.IsNull(2));
  last.Reset();
}

TEST_F(AccessLogTest, ARequestsRecordsAreWrittenTogetherOrNotAtAll) {
  testing::AddRefusingTrigger(*db_, "test_refuse_person_666", "access_log", "INSERT", "NEW.person_id = 666",
                              "refused by the test");
  Status failed =
      log_->Append(who_, "2026-03-02T08:15:00Z", "GET /x", "10.1.2.3", {{"read", 1, 2}, {"read", 666, 2}});
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.code(), ErrorCode::kUnavailable);
  EXPECT_NE(failed.message().find("access log"), std::string::npos) << failed.message();
  EXPECT_EQ(Rows(), 0);
  // The connection is usable again afterwards (the transaction was rolled back, not left open).
  EXPECT_TRUE(log_->Append(who_, "2026-03-02T08:16:00Z", "GET /y", "10.1.2.3", {{"read", 1, 2}}).ok());
  EXPECT_EQ(Rows(), 1);
}

// Group commit: requests that arrive together share a transaction, yet each is told only once its own rows are
// committed, and one request's failure is not the others'.
TEST_F(AccessLogTest, ConcurrentRequestsAreEachToldOnceTheirRowsAreCommitted) {
  testing::AddRefusingTrigger(*db_, "test_refuse_person_666", "access_log", "INSERT", "NEW.person_id = 666",
                              "refused by the test");
  constexpr int kRequests = 200;
  std::mutex mutex;
  std::condition_variable all_told;
  int told = 0;
  std::vector<Status> statuses(kRequests, Status::Ok());
  std::vector<int64_t> visible(kRequests, -1);
  for (int i = 0; i < kRequests; ++i) {
    // Request 17 has a refused second row; every other request two good ones.
    std::vector<AccessRecord> records = {{"read", 1000 + i, i}, {"read", i == 17 ? 666 : 2000 + i, i}};
    log_->AppendAsync(who_, "2026-03-02T08:15:00Z", "GET /x", "10.1.2.3", records, std::nullopt,
                      [&, i](Status status) {
                        // Told after the commit: another connection already sees the request's rows.
                        auto db = store::OpenDb(path_);
                        auto& st = (*db)->Prepare("SELECT count(*) FROM access_log WHERE matter_id = ?1");
                        st.Bind(1, i);
                        st.Step();
                        std::lock_guard lock(mutex);
                        statuses[i] = std::move(status);
                        visible[i] = st.Int(0);
                        st.Reset();
                        if (++told == kRequests) all_told.notify_one();
                      });
  }
  {
    std::unique_lock lock(mutex);
    all_told.wait(lock, [&] { return told == kRequests; });
  }
  for (int i = 0; i < kRequests; ++i) {
    if (i == 17) {
      EXPECT_EQ(statuses[i].code(), ErrorCode::kUnavailable);
      EXPECT_EQ(visible[i], 0) << "a refused request keeps none of its rows";
    } else {
      EXPECT_TRUE(statuses[i].ok()) << i << ": " << statuses[i].message();
      EXPECT_EQ(visible[i], 2) << i;
    }
  }
  EXPECT_EQ(Rows(), 2 * (kRequests - 1));
}

// A request that is alone is committed at once, however long the writer may wait for more under load: with an
// hour to gather, this test would hang if a lone request waited.
TEST_F(AccessLogTest, ALoneRequestIsCommittedWithoutWaitingForOthers) {
  AccessLog log(path_, Gathering(2, 10));
  for (int i = 0; i < 3; ++i) Read(log, i);
  ExpectCommitted(log, 3, 3);
  EXPECT_EQ(Rows(), 3);
}

// Under load the writer gathers: after a transaction of at least `gather_after` requests it waits for
// `gather_up_to` before committing, so requests arriving one by one share a transaction. Without the wait the
// five requests below, 20 ms apart, are five commits.
TEST_F(AccessLogTest, UnderLoadRequestsArrivingOneByOneShareATransaction) {
  AccessLog log(path_, Gathering(1, 5));
  Read(log, 1);
  ExpectCommitted(log, 1, 1);  // the first: nothing before it to say there is load
  std::mutex mutex;
  std::condition_variable all_told;
  int told = 0;
  for (int i = 0; i < 5; ++i) {
    log.AppendAsync(who_, "2026-03-02T08:15:00Z", "GET /x", "10.1.2.3", {{"read", 10 + i, 10 + i}},
                    std::nullopt, [&](Status status) {
                      EXPECT_TRUE(status.ok()) << status.message();
                      std::lock_guard lock(mutex);
                      if (++told == 5) all_told.notify_one();
                    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  {
    std::unique_lock lock(mutex);
    all_told.wait(lock, [&] { return told == 5; });
  }
  ExpectCommitted(log, 2, 6);
  EXPECT_EQ(Rows(), 6);
}

// Stopping ends the wait: what was handed in is committed, not held until the gathering's time is up.
TEST_F(AccessLogTest, DestroyingTheLogEndsAGatheringWait) {
  {
    AccessLog log(path_, Gathering(1, 100));
    Read(log, 1);
    log.AppendAsync(who_, "2026-03-02T08:15:00Z", "GET /x", "10.1.2.3", {{"read", 2, 2}}, std::nullopt,
                    [](Status status) { EXPECT_TRUE(status.ok()) << status.message(); });
  }
  EXPECT_EQ(Rows(), 2);
}

// Destroying the log waits for what was handed to it: nothing handed in is lost.
TEST_F(AccessLogTest, DestroyingTheLogCommitsWhatWasHandedIn) {
  std::atomic<int> ok = 0;
  for (int i = 0; i < 50; ++i) {
    log_->AppendAsync(who_, "2026-03-02T08:15:00Z", "GET /x", "10.1.2.3", {{"read", i, i}}, std::nullopt,
                      [&](Status status) { ok += status.ok() ? 1 : 0; });
  }
  log_.reset();
  EXPECT_EQ(ok.load(), 50);
  EXPECT_EQ(Rows(), 50);
}

TEST_F(AccessLogTest, AnUnreachableDatabaseIsAnErrorNotASilentLoss) {
  AccessLog nowhere((dir_ / "missing-directory" / "none.db").string());
  Status status = nowhere.Append(who_, "2026-03-02T08:15:00Z", "GET /x", "10.1.2.3", {{"read", 1, 2}});
  EXPECT_FALSE(status.ok());
}

TEST_F(AccessLogTest, RowsCannotBeUpdated) {
  ASSERT_TRUE(log_->Append(who_, "2026-03-02T08:15:00Z", "GET /x", "10.1.2.3", {{"read", 1, 2}}).ok());
  for (const char* sql :
       {"UPDATE access_log SET username = 'someone-else'", "UPDATE access_log SET person_id = NULL",
        "UPDATE access_log SET at = '2020-01-01T00:00:00Z'"}) {
    try {
      db_->Exec(sql);
      ADD_FAILURE() << "allowed: " << sql;
    } catch (const store::StoreError& e) {
      EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(1, QueryInt("SELECT COUNT(*) FROM access_log WHERE username = 'anna' AND person_id = 1 AND "
                        "at = '2026-03-02T08:15:00Z'"));
}

TEST_F(AccessLogTest, RowsCannotBeDeleted) {
  ASSERT_TRUE(
      log_->Append(who_, "2026-03-02T08:15:00Z", "GET /x", "10.1.2.3", {{"read", 1, 2}, {"read", 3, 4}})
          .ok());
  for (const char* sql : {"DELETE FROM access_log WHERE person_id = 1", "DELETE FROM access_log"}) {
    try {
      db_->Exec(sql);
      ADD_FAILURE() << "allowed: " << sql;
    } catch (const store::StoreError& e) {
      EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(Rows(), 2);
}

}  // namespace
}  // namespace nysol::access
