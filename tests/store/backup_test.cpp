// Backups, restores and migrations of a database file: what they refuse leaves every file as it was, and
// what they write stands under its final name only when complete and verified.
#include "store/backup.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store/case_store.h"
#include "store/replay.h"
#include "test_database.h"

namespace nysol::store {
namespace {

namespace fs = std::filesystem;

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::OnPostgres()) {
      GTEST_SKIP() << "SQLite files only; PostgreSQL's backups are tested in tests/ops/backup_pg.test.mjs";
    }
    dir_ = fs::temp_directory_path() /
           ("nysol-backup-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = Path("live.db");
    auto migrated = MigrateSqlite(db_);
    ASSERT_TRUE(migrated.ok()) << migrated.status().message();
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  // Files in the test folder other than the live database and its sidecars.
  std::vector<std::string> Others() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      auto name = entry.path().filename().string();
      if (!name.starts_with("live.db")) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  void Write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  fs::path dir_;
  std::string db_;
};

TEST_F(BackupTest, MigrateReportsVersionsAndIsIdempotent) {
  auto again = MigrateSqlite(db_);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->from, KnownSchemaVersion());
  EXPECT_EQ(again->to, KnownSchemaVersion());
  auto fresh = MigrateSqlite(Path("fresh.db"));
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  EXPECT_EQ(fresh->from, 0);
  EXPECT_EQ(fresh->to, KnownSchemaVersion());
  EXPECT_EQ(static_cast<int>(fresh->applied.size()), KnownSchemaVersion());
}

// Statistics that a migration's new indexes never saw would make SQLite judge those by default estimates,
// which look cheap: a database that has statistics (the demo's) gets them taken again after a migration; one
// without them, as any built by use, stays without.
TEST_F(BackupTest, MigrateRefreshesStatisticsOnlyWhereTheDatabaseHasThem) {
  // Both databases as they were at version 17; one with statistics from before.
  auto at_version_17 = [](const std::string& path, bool analysed) {
    auto db = OpenDb(path);
    ASSERT_TRUE(db.ok());
    (*db)->Exec(
        "DROP INDEX matters_unit_id; DROP INDEX matters_unit_assigned_id; "
        "DELETE FROM schema_migrations WHERE version = 18");
    if (analysed) {
      (*db)->Exec(
          "ANALYZE; INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('matters', 'matters_open', '9 9 9')");
    }
  };
  auto statistics_and_index = [](const std::string& path) {
    auto db = OpenDb(path);
    auto& st = (*db)->Prepare(
        "SELECT (SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'), "
        "(SELECT count(*) FROM sqlite_schema WHERE name = 'matters_unit_id')");
    st.Step();
    return std::pair<int64_t, int64_t>{st.Int(0), st.Int(1)};
  };
  std::string plain = Path("plain.db");
  ASSERT_TRUE(MigrateSqlite(plain).ok());
  at_version_17(db_, true);
  at_version_17(plain, false);

  for (const auto& path : {db_, plain}) {
    auto migrated = MigrateSqlite(path);
    ASSERT_TRUE(migrated.ok()) << migrated.status().message();
    EXPECT_EQ(migrated->applied, std::vector<int>{18});
  }
  EXPECT_EQ(statistics_and_index(plain), (std::pair<int64_t, int64_t>{0, 1}));  // no statistics, the index made
  EXPECT_EQ(statistics_and_index(db_).second, 1);
  auto db = OpenDb(db_);
  auto& stale = (*db)->Prepare("SELECT count(*) FROM sqlite_stat1 WHERE stat = '9 9 9'");
  stale.Step();
  EXPECT_EQ(stale.Int(0), 0);  // taken again: the made-up row of the old statistics is gone
}

TEST_F(BackupTest, MigrateRefusesANewerSchemaUnchanged) {
  {
    auto db = OpenDb(db_);
    ASSERT_TRUE(db.ok());
    (*db)
        ->Prepare("INSERT INTO schema_migrations (version, name) VALUES (?1, 'from the future')")
        .Bind(1, KnownSchemaVersion() + 1)
        .Run();
  }
  auto refused = MigrateSqlite(db_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("newer than this nysol knows"), std::string::npos)
      << refused.status().message();
  auto backup = BackupSqlite(db_, Path("b.db"), false);
  EXPECT_FALSE(backup.ok());
  EXPECT_TRUE(Others().empty());
}

TEST_F(BackupTest, BackupRestoreRoundTrip) {
  auto backup = BackupSqlite(db_, Path("b.db"), false);
  ASSERT_TRUE(backup.ok()) << backup.status().message();
  EXPECT_EQ(backup->bytes, static_cast<int64_t>(fs::file_size(Path("b.db"))));
  EXPECT_EQ(Others(), std::vector<std::string>{"b.db"});  // no temporary file or WAL left beside it
  std::string before = Read(Path("b.db"));
  auto restored = RestoreSqlite(Path("b.db"), Path("r.db"), false);
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_TRUE(restored->migrated.applied.empty());
  EXPECT_EQ(Read(Path("b.db")), before) << "restore must not write to the backup";
  auto db = OpenDb(Path("r.db"));
  ASSERT_TRUE(db.ok());
  auto version = StoredSchemaVersion(**db, "r.db");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, KnownSchemaVersion());
  EXPECT_TRUE(VerifyReplay(**db).ok());
}

TEST_F(BackupTest, RefusesToOverwriteWithoutForce) {
  Write(Path("b.db"), "keep me");
  auto refused = BackupSqlite(db_, Path("b.db"), false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("--force"), std::string::npos);
  EXPECT_EQ(Read(Path("b.db")), "keep me");
  auto forced = BackupSqlite(db_, Path("b.db"), true);
  ASSERT_TRUE(forced.ok()) << forced.status().message();
  EXPECT_NE(Read(Path("b.db")), "keep me");
  Write(Path("r.db"), "keep me too");
  EXPECT_FALSE(RestoreSqlite(Path("b.db"), Path("r.db"), false).ok());
  EXPECT_EQ(Read(Path("r.db")), "keep me too");
  // A stale WAL of the replaced database would be read as part of the restored one.
  Write(Path("r.db-wal"), "stale");
  ASSERT_TRUE(RestoreSqlite(Path("b.db"), Path("r.db"), true).ok());
  EXPECT_FALSE(fs::exists(Path("r.db-wal")));
  EXPECT_EQ(Others(), (std::vector<std::string>{"b.db", "r.db"}));
}

TEST_F(BackupTest, BadInputIsRefusedAndNothingIsWritten) {
  Write(Path("text.db"), "this is not a database, just some text of more than sixteen bytes");
  {
    auto other = OpenDb(Path("other.db"));
    ASSERT_TRUE(other.ok());
    (*other)->Exec("CREATE TABLE t (x INTEGER)");
  }
  std::vector<std::string> before = Others();
  struct Case {
    Status status;
    std::string expected;
  };
  std::vector<Case> cases = {
      {BackupSqlite(Path("missing.db"), Path("b.db"), false).status(), "does not exist"},
      {BackupSqlite(Path("text.db"), Path("b.db"), false).status(), "is not a SQLite database"},
      {BackupSqlite(Path("other.db"), Path("b.db"), false).status(), "not a NySoL database"},
      {BackupSqlite(db_, Path("no-such-folder/b.db"), false).status(), "folder"},
      {RestoreSqlite(Path("missing.db"), Path("r.db"), false).status(), "does not exist"},
      {RestoreSqlite(Path("text.db"), Path("r.db"), false).status(), "is not a SQLite database"},
      {RestoreSqlite(Path("other.db"), Path("r.db"), false).status(), "not a NySoL database"},
      {RestoreSqlite(db_, Path("no-such-folder/r.db"), false).status(), "folder"},
      {MigrateSqlite(Path("text.db")).status(), "is not a SQLite database"},
      {MigrateSqlite(Path("other.db")).status(), "not a NySoL database"},
      {MigrateSqlite(Path("no-such-folder/m.db")).status(), "folder"},
      {MigrateSqlite("postgresql://localhost/nysol").status(), "is a PostgreSQL address; a backup is a SQLite file"},
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(c.status.ok()) << c.expected;
    EXPECT_NE(c.status.message().find(c.expected), std::string::npos) << c.status.message();
  }
  EXPECT_EQ(Others(), before);
}

TEST_F(BackupTest, AJournalThatDoesNotReplayIsNeverABackup) {
  {
    auto db = OpenDb(db_);
    ASSERT_TRUE(db.ok());
    // A current-state row no event explains.
    (*db)->Exec("INSERT INTO persons (identity_kind, registered_seq) VALUES ('unknown', 1)");
  }
  auto refused = BackupSqlite(db_, Path("b.db"), false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("does not replay"), std::string::npos)
      << refused.status().message();
  EXPECT_TRUE(Others().empty());
}

}  // namespace
}  // namespace nysol::store
