// Db::RunTogether: bound statements run at once (PostgreSQL: one pipeline, one round trip) give the rows each
// gives on its own; a failure among them is the statement's own error, nothing is left half-read, and the
// connection goes on working, inside a transaction or outside one.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/db.h"
#include "test_database.h"

namespace nysol::store {
namespace {

class RunTogetherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("nysol-together-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = OpenDb(testing::TestDatabase(dir_));
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(*db);
    db_->Exec("CREATE TABLE t (x BIGINT NOT NULL, label TEXT)");
    db_->Exec("INSERT INTO t (x, label) VALUES (1, 'ett'), (2, 'två'), (3, NULL), (4, 'fyra')");
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::vector<std::string> Rows(Statement& st) {
    std::vector<std::string> rows;
    while (st.Step()) rows.push_back(std::to_string(st.Int(0)) + ":" + (st.IsNull(1) ? "NULL" : st.Text(1)));
    st.Reset();
    return rows;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Db> db_;
};

TEST_F(RunTogetherTest, EachStatementGivesItsOwnRows) {
  auto& low = db_->Prepare("SELECT x, label FROM t WHERE x <= ?1 ORDER BY x");
  low.Bind(1, int64_t{2});
  auto& high = db_->Prepare("SELECT x, label FROM t WHERE x > ?1 ORDER BY x DESC");
  high.Bind(1, int64_t{2});
  auto& none = db_->Prepare("SELECT x, label FROM t WHERE label = ?1");
  none.Bind(1, "ingen");
  Statement* together[] = {&low, &high, &none};
  db_->RunTogether(together);
  EXPECT_EQ(Rows(high), (std::vector<std::string>{"4:fyra", "3:NULL"}));  // read in any order
  EXPECT_EQ(Rows(low), (std::vector<std::string>{"1:ett", "2:två"}));
  EXPECT_TRUE(Rows(none).empty());
  // The same statements again, bound anew: the results of the first round are gone.
  auto& again = db_->Prepare("SELECT x, label FROM t WHERE x <= ?1 ORDER BY x");
  again.Bind(1, int64_t{1});
  auto& other = db_->Prepare("SELECT x, label FROM t WHERE x > ?1 ORDER BY x DESC");
  other.Bind(1, int64_t{3});
  Statement* second[] = {&again, &other};
  db_->RunTogether(second);
  EXPECT_EQ(Rows(again), (std::vector<std::string>{"1:ett"}));
  EXPECT_EQ(Rows(other), (std::vector<std::string>{"4:fyra"}));
}

TEST_F(RunTogetherTest, AStatementAlreadySteppedKeepsItsPlace) {
  auto& first = db_->Prepare("SELECT x, label FROM t ORDER BY x");
  ASSERT_TRUE(first.Step());
  EXPECT_EQ(first.Int(0), 1);
  auto& second = db_->Prepare("SELECT x, label FROM t WHERE x = ?1");
  second.Bind(1, int64_t{4});
  auto& third = db_->Prepare("SELECT x, label FROM t WHERE x = ?1 OR x = ?2 ORDER BY x");
  third.Bind(1, int64_t{2}).Bind(2, int64_t{3});
  Statement* together[] = {&first, &second, &third};
  db_->RunTogether(together);
  ASSERT_TRUE(first.Step());
  EXPECT_EQ(first.Int(0), 2) << "the statement stepped before goes on from its row";
  EXPECT_EQ(Rows(second), (std::vector<std::string>{"4:fyra"}));
  EXPECT_EQ(Rows(third), (std::vector<std::string>{"2:två", "3:NULL"}));
  first.Reset();
}

TEST_F(RunTogetherTest, AFailureIsTheStatementsOwnAndTheConnectionGoesOn) {
  auto& fine = db_->Prepare("SELECT x, label FROM t WHERE x = ?1");
  fine.Bind(1, int64_t{1});
  auto& divides = db_->Prepare("SELECT x / ?1 FROM t");
  divides.Bind(1, int64_t{0});
  auto& after = db_->Prepare("SELECT x, label FROM t WHERE x = ?1 AND x > 0");
  Statement* together[] = {&fine, &divides, &after};
  after.Bind(1, int64_t{2});
  // PostgreSQL refuses the division when the pipeline runs; SQLite gives NULL for x / 0, so only PostgreSQL
  // can fail here.
  if (testing::OnPostgres()) {
    try {
      db_->RunTogether(together);
      FAIL() << "a division by zero ran";
    } catch (const StoreError& e) {
      EXPECT_NE(std::string(e.what()).find("division by zero"), std::string::npos) << e.what();
    }
  } else {
    db_->RunTogether(together);
    EXPECT_EQ(Rows(fine), (std::vector<std::string>{"1:ett"}));
  }
  db_->ResetStatements();
  auto& next = db_->Prepare("SELECT x, label FROM t WHERE x + 0 = ?1");
  next.Bind(1, int64_t{3});
  EXPECT_EQ(Rows(next), (std::vector<std::string>{"3:NULL"})) << "the connection works afterwards";

  // Inside a write transaction the statements see its own rows; a failure there leaves it to be rolled back.
  db_->BeginWrite();
  db_->Exec("INSERT INTO t (x, label) VALUES (5, 'fem')");
  auto& five = db_->Prepare("SELECT x, label FROM t WHERE x = ?1 AND label IS NOT NULL");
  five.Bind(1, int64_t{5});
  auto& count = db_->Prepare("SELECT count(*), max(label) FROM t");
  Statement* in_transaction[] = {&five, &count};
  db_->RunTogether(in_transaction);
  EXPECT_EQ(Rows(five), (std::vector<std::string>{"5:fem"}));
  ASSERT_TRUE(count.Step());
  EXPECT_EQ(count.Int(0), 5);
  count.Reset();
  db_->Exec("ROLLBACK");
  auto& gone = db_->Prepare("SELECT x, label FROM t WHERE x - 0 = ?1");
  gone.Bind(1, int64_t{5});
  EXPECT_TRUE(Rows(gone).empty());
}

// A pooled connection whose server session ended while it was idle (PostgreSQL restarted): the statements
// still run, on a new session, as one statement alone would (PgDb reconnects an idle connection), instead of
// the request failing with "unavailable".
TEST_F(RunTogetherTest, AnIdleConnectionWhoseSessionEndedConnectsAgain) {
  if (!testing::OnPostgres()) GTEST_SKIP() << "PostgreSQL only: a SQLite connection has no server session";
  auto& low = db_->Prepare("SELECT x, label FROM t WHERE x <= ?1 ORDER BY x");
  auto& high = db_->Prepare("SELECT x, label FROM t WHERE x > ?1 ORDER BY x DESC");
  low.Bind(1, int64_t{1});
  high.Bind(1, int64_t{3});
  EXPECT_EQ(Rows(low), (std::vector<std::string>{"1:ett"}));  // both prepared on the first session
  EXPECT_EQ(Rows(high), (std::vector<std::string>{"4:fyra"}));
  auto& pid = db_->Prepare("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.Step());
  int64_t session = pid.Int(0);
  pid.Reset();
  auto other = OpenDb(testing::TestDatabase(dir_));
  ASSERT_TRUE(other.ok()) << other.status().message();
  (*other)->Prepare("SELECT pg_terminate_backend(?1)").Bind(1, session).Run();

  low.Bind(1, int64_t{2});
  high.Bind(1, int64_t{2});
  Statement* together[] = {&low, &high};
  db_->RunTogether(together);
  EXPECT_EQ(Rows(low), (std::vector<std::string>{"1:ett", "2:två"}));
  EXPECT_EQ(Rows(high), (std::vector<std::string>{"4:fyra", "3:NULL"}));
  ASSERT_TRUE(pid.Step());
  EXPECT_NE(pid.Int(0), session);
  pid.Reset();
}

}  // namespace
}  // namespace nysol::store
