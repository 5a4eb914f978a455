// What the web tests' fixtures share: a fresh database in a temporary directory, opened through the real store
// (so every migration runs), with the real rulebook and intervention catalog.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/catalog.h"
#include "core/rulebook.h"
#include "store/case_store.h"
#include "test_database.h"

namespace nysol::web {

class AppFixture : public ::testing::Test {
 protected:
  // Call first in SetUp; `prefix` names the test's temporary directory.
  void OpenApp(const std::string& prefix) {
    dir_ = std::filesystem::temp_directory_path() / (prefix + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_path_ = testing::TestDatabase(dir_);
    auto rulebook = Rulebook::Load(Rulebook::DefaultPath());
    ASSERT_TRUE(rulebook.ok()) << rulebook.status().message();
    rulebook_ = std::make_unique<Rulebook>(std::move(*rulebook));
    auto catalog = Catalog::Load(Catalog::DefaultPath(), *rulebook_);
    ASSERT_TRUE(catalog.ok()) << catalog.status().message();
    catalog_ = std::make_unique<Catalog>(std::move(*catalog));
    auto store = store::CaseStore::Open(db_path_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::string db_path_;
  std::unique_ptr<Rulebook> rulebook_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<store::CaseStore> store_;
};

}  // namespace nysol::web
