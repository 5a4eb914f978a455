// A fresh database in a temporary file, the real rulebook and a settable clock: the whole chain can be driven
// through the real commands and the real store.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/clock.h"
#include "core/matter_commands.h"
#include "core/rulebook.h"
#include "store/case_store.h"
#include "test_database.h"

namespace nysol::testing {

class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = Rulebook::Load(Rulebook::DefaultPath());
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    rulebook_ = std::make_unique<Rulebook>(std::move(*loaded));
    dir_ = std::filesystem::temp_directory_path() /
           ("nysol-test-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto opened = store::CaseStore::Open(testing::TestDatabase(dir_));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    SetNow("2026-03-02T09:00");
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void SetNow(const std::string& local) { now_ = *ParseLocalDateTime(local); }

  Result<Events> Run(const std::function<Result<Events>(CommandContext&)>& command) {
    return store_->Write([&](CaseView& view) {
      CommandContext ctx{*rulebook_, view, "tester", unit_, now_, FormatUtc(FromStockholm(now_))};
      return command(ctx);
    });
  }

  Result<Events> Step(int64_t matter_id, MatterCommand command, const nlohmann::json& input) {
    return Run([&](CommandContext& ctx) -> Result<Events> {
      auto matter = ctx.view.LoadMatter(matter_id);
      if (!matter) return Error(ErrorCode::kNotFound, "no such matter");
      return command(*matter, input, ctx);
    });
  }

  // Registers a report about one child and returns the matter id it landed in.
  int64_t Report(const std::string& identity_number, const std::string& received_at = "2026-03-02T08:30") {
    auto events = Run([&](CommandContext& ctx) {
      return RegisterReport({{"received_at", received_at},
                             {"reporter_category", "school"},
                             {"channel", "phone"},
                             {"text", "Skolan oroar sig för elevens frånvaro."},
                             {"children", {{{"identity_number", identity_number}}}}},
                            ctx);
    });
    EXPECT_TRUE(events.ok()) << events.status().message();
    return events.ok() ? *events->back().matter_id : 0;
  }

  std::unique_ptr<Rulebook> rulebook_;
  std::filesystem::path dir_;
  std::unique_ptr<store::CaseStore> store_;
  LocalDateTime now_;
  std::string unit_ = "barn-och-unga";  // the unit the commands run as
};

// Synthetic, Luhn-valid identity numbers (birth numbers 98x/99x); not taken from any register.
inline constexpr const char* kChildA = "201503129981";  // girl, born 2015-03-12
inline constexpr const char* kChildB = "201807219975";  // boy, born 2018-07-21

}  // namespace nysol::testing
