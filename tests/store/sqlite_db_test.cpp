// The connection's statement cache: ResetStatements leaves no statement mid-result (a statement on a row
// holds a read snapshot open: stale reads, blocked checkpoints), however it was reached.
#include "store/sqlite_db.h"

#include <gtest/gtest.h>

#include <filesystem>
#include "test_database.h"

namespace nysol::store {
namespace {

int BusyStatements(SqliteDb& db) {
  int busy = 0;
  for (sqlite3_stmt* st = sqlite3_next_stmt(db.handle(), nullptr); st;
       st = sqlite3_next_stmt(db.handle(), st))
    busy += sqlite3_stmt_busy(st) ? 1 : 0;
  return busy;
}

class SqliteDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::OnPostgres()) {
      GTEST_SKIP() << "SQLite's statement cache; PostgreSQL's connection runs under every other _pg test";
    }
    path_ = (std::filesystem::temp_directory_path() /
             ("nysol-sqlite-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    std::filesystem::remove(path_);
    auto db = SqliteDb::Open(path_);
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(*db);
    db_->Exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)");
  }
  void TearDown() override {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
  std::unique_ptr<SqliteDb> db_;
};

TEST_F(SqliteDbTest, StatementsLeftOnARowAreReset) {
  ASSERT_TRUE(db_->Prepare("SELECT x FROM t ORDER BY x").Step());
  ASSERT_TRUE(db_->Prepare("SELECT x FROM t WHERE x > ?1").Bind(1, 1).Step());
  EXPECT_EQ(BusyStatements(*db_), 2);
  db_->ResetStatements();
  EXPECT_EQ(BusyStatements(*db_), 0);
}

TEST_F(SqliteDbTest, AStatementSteppedAgainWithoutPrepareIsResetToo) {
  Statement& st = db_->Prepare("SELECT x FROM t ORDER BY x");
  ASSERT_TRUE(st.Step());
  db_->ResetStatements();
  ASSERT_TRUE(st.Step());  // the same reference, no Prepare in between
  EXPECT_EQ(BusyStatements(*db_), 1);
  db_->ResetStatements();
  EXPECT_EQ(BusyStatements(*db_), 0);
}

TEST_F(SqliteDbTest, ACachedStatementGivesTheSameRowsEachTime) {
  for (int round = 0; round < 1000; ++round) {  // a connection used long without ResetStatements
    auto& st = db_->Prepare("SELECT count(*) FROM t");
    ASSERT_TRUE(st.Step());
    ASSERT_EQ(st.Int(0), 3);
  }
  db_->ResetStatements();
  EXPECT_EQ(BusyStatements(*db_), 0);
}

}  // namespace
}  // namespace nysol::store
