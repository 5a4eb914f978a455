// A fresh, migrated database in a temporary directory per test, for the user directory, the policy and the
// access log. Each test gets its own path: the directory and the log keep one connection per thread and path.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "store/case_store.h"
#include "store/db.h"
#include "store/replay.h"
#include "test_database.h"

namespace nysol::testing {

class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() / ("nysol-access-test-" + std::to_string(::getpid()) + "-" +
                                                     info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = testing::TestDatabase(dir_);
    auto store = store::CaseStore::Open(path_);  // creates the file and applies every migration
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    auto db = store::OpenDb(path_);
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  int64_t QueryInt(const std::string& sql) {
    auto& st = db_->Prepare(sql);
    EXPECT_TRUE(st.Step()) << sql;
    int64_t value = st.IsNull(0) ? 0 : st.Int(0);
    st.Reset();
    return value;
  }

  // Every byte of the database as it is on disk: the main file and the write-ahead log.
  // Everything the database holds: the file and its write-ahead log (SQLite), or every row of every table
  // (PostgreSQL, whose files are the server's).
  std::string FileBytes() {
    std::string bytes;
    if (db_->engine() == store::Engine::kPostgres) {
      for (const auto& table : testing::TableNames(*db_)) bytes += store::DumpTable(*db_, table);
      return bytes;
    }
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(path_ + suffix, std::ios::binary);
      bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return bytes;
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<store::CaseStore> store_;
  std::unique_ptr<store::Db> db_;  // the test's own connection, for looking at what was written
};

}  // namespace nysol::testing
