// FileLock: servers share a SQLite file; a restore replaces it only when no server holds it, and no server
// starts on it while a restore replaces it.
#include "store/file_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>

namespace nysol::store {
namespace {

class FileLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("nysol-file-lock-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "nysol.db").string();
    std::ofstream(path_) << "x";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(FileLockTest, ServersShareTheFileAndARestoreWaitsForAllOfThem) {
  std::optional<Result<FileLock>> first(FileLock::Serving(path_));
  ASSERT_TRUE(first->ok()) << first->status().message();
  std::optional<Result<FileLock>> second(FileLock::Serving(path_));
  ASSERT_TRUE(second->ok()) << second->status().message();

  auto refused = FileLock::Replacing(path_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kConflict);
  EXPECT_NE(refused.status().message().find("a nysol serve is running on"), std::string::npos);

  first.reset();
  EXPECT_FALSE(FileLock::Replacing(path_).ok()) << "one server still runs";
  second.reset();
  EXPECT_TRUE(FileLock::Replacing(path_).ok());
}

TEST_F(FileLockTest, NoServerStartsWhileARestoreReplacesTheFile) {
  auto replacing = FileLock::Replacing(path_);
  ASSERT_TRUE(replacing.ok()) << replacing.status().message();
  auto refused = FileLock::Serving(path_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kConflict);
  EXPECT_FALSE(FileLock::Replacing(path_).ok()) << "two restores at once";
}

TEST_F(FileLockTest, AMissingFileNeedsNoRestoreLockAServerCreatesItAndPostgresNeedsNone) {
  EXPECT_TRUE(FileLock::Replacing((dir_ / "new.db").string()).ok());
  EXPECT_TRUE(FileLock::Serving("postgresql://nysol@127.0.0.1:1/nysol").ok());
  // A server creates a missing file (empty: the store makes it a database) and holds it.
  auto created = FileLock::Serving((dir_ / "missing.db").string());
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_TRUE(std::filesystem::exists(dir_ / "missing.db"));
  EXPECT_FALSE(FileLock::Replacing((dir_ / "missing.db").string()).ok());
}

}  // namespace
}  // namespace nysol::store
