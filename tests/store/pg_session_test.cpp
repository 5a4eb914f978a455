// A PostgreSQL session's settings (PgDb's kSessionSettings) hold from the start and again after the
// connection was lost and made anew: UTC, and generic plans for prepared statements, except while a
// PlannedForValues lives. (SQLite has no session settings.)
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "store/db.h"
#include "test_database.h"

namespace nysol::store {
namespace {

std::string Setting(Db& db, const std::string& name) {
  auto& st = db.Prepare("SELECT current_setting(?1)");
  st.Bind(1, name);
  EXPECT_TRUE(st.Step());
  std::string value = st.Text(0);
  st.Reset();
  return value;
}

TEST(PgSessionTest, SettingsHoldFromTheStartAndAfterAReconnect) {
  if (!testing::OnPostgres()) GTEST_SKIP() << "PostgreSQL only: SQLite has no session settings";
  auto dir = std::filesystem::temp_directory_path() / ("nysol-pg-session-" + std::to_string(::getpid()));
  std::string address = testing::TestDatabase(dir);
  auto db = OpenDb(address);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(Setting(**db, "TimeZone"), "UTC");
  EXPECT_EQ(Setting(**db, "plan_cache_mode"), "force_generic_plan");

  // The server ends the session; the next statement on the idle connection connects again.
  auto& pid = (*db)->Prepare("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.Step());
  int64_t backend = pid.Int(0);
  pid.Reset();
  auto other = OpenDb(address);
  ASSERT_TRUE(other.ok()) << other.status().message();
  (*other)->Prepare("SELECT pg_terminate_backend(?1)").Bind(1, backend).Run();
  EXPECT_EQ(Setting(**db, "plan_cache_mode"), "force_generic_plan");
  EXPECT_EQ(Setting(**db, "TimeZone"), "UTC");
  ASSERT_TRUE(pid.Step());
  EXPECT_NE(pid.Int(0), backend) << "the session was not made anew";
  pid.Reset();
}

TEST(PgSessionTest, PlannedForValuesLastsAsLongAsItsScope) {
  if (!testing::OnPostgres()) GTEST_SKIP() << "PostgreSQL only: SQLite always plans for the values";
  auto dir = std::filesystem::temp_directory_path() / ("nysol-pg-planned-" + std::to_string(::getpid()));
  auto db = OpenDb(testing::TestDatabase(dir));
  ASSERT_TRUE(db.ok()) << db.status().message();
  {
    PlannedForValues planned(**db);
    EXPECT_EQ(Setting(**db, "plan_cache_mode"), "force_custom_plan");
  }
  EXPECT_EQ(Setting(**db, "plan_cache_mode"), "force_generic_plan");
}

}  // namespace
}  // namespace nysol::store
