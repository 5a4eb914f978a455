// A fresh, migrated database in a temporary file, with events written straight into its journal: follow-up
// reads nothing but the journal, so its tests state the events themselves (the golden cases do the same from
// text files).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/case_store.h"
#include "test_database.h"

namespace nysol::followup {

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("nysol-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
             std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path_);
    db_ = std::move(*store::OpenDb(testing::TestDatabase(path_.parent_path(), path_.filename().string())));
    store::Migrate(*db_);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove(path_);
  }

  // One event about `person` in a matter of the same number, recorded by `unit` on `day`.
  void Add(const std::string& kind, int64_t person, const nlohmann::json& payload, const std::string& day,
           const std::string& unit) {
    db_->Prepare(
           "INSERT INTO journal (occurred_at, recorded_at, actor, unit, matter_id, person_id, kind, payload, "
           "rulebook_version) VALUES (?1, ?1, 'test', ?2, ?3, ?3, ?4, ?5, 'test')")
        .Bind(1, day)
        .Bind(2, unit)
        .Bind(3, person)
        .Bind(4, kind)
        .Bind(5, payload.dump())
        .Run();
  }

  std::filesystem::path path_;
  std::unique_ptr<store::Db> db_;
};

}  // namespace nysol::followup
