// The settings file, the rulebook entries the rules use, and the parts of the evaluator the golden files do
// not show (reasons, the Stockholm day of a journal time).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/rulebook.h"
#include "retention/evaluator.h"
#include "retention/person_facts.h"
#include "retention/settings.h"

namespace nysol::retention {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Date D(const char* text) { return *ParseDate(text); }

class RetentionRulebookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = Rulebook::Load(Rulebook::DefaultPath());
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    book_ = std::make_unique<Rulebook>(std::move(*loaded));
  }
  std::unique_ptr<Rulebook> book_;
};

TEST(SettingsTest, DefaultsAreNotAResearchMunicipalityAndDays5_15_25) {
  auto settings = ParseSettings("{}");
  ASSERT_TRUE(settings.ok());
  EXPECT_FALSE(settings->research_municipality);
  EXPECT_THAT(settings->research_sample_birth_days, ElementsAre(5, 15, 25));
  EXPECT_EQ(settings->SampleDaysText(), "5,15,25");
}

TEST(SettingsTest, TheShippedFileIsValidAndHoldsTheDefaults) {
  auto settings = LoadSettings(NYSOL_SOURCE_DIR "/config/retention.json");
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  EXPECT_FALSE(settings->research_municipality);
  EXPECT_THAT(settings->research_sample_birth_days, ElementsAre(5, 15, 25));
}

TEST(SettingsTest, ReadsAResearchMunicipality) {
  auto settings = ParseSettings(R"({"research_municipality": true, "research_sample_birth_days": [25, 5]})");
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  EXPECT_TRUE(settings->research_municipality);
  EXPECT_THAT(settings->research_sample_birth_days, ElementsAre(5, 25));  // sorted
  EXPECT_TRUE(ParseSettings(R"({"research_municipality": true, "research_sample_birth_days": []})").ok());
}

TEST(SettingsTest, RefusesWhatCouldSilentlyRemoveTooMuch) {
  auto misspelt = ParseSettings(R"({"research_municipalty": true})");
  EXPECT_EQ(misspelt.status().code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(misspelt.status().message(), HasSubstr("unknown key \"research_municipalty\""));
  EXPECT_EQ(ParseSettings(R"({"research_municipality": "yes"})").status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(ParseSettings(R"({"research_sample_birth_days": [0]})").status().code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(ParseSettings(R"({"research_sample_birth_days": [32]})").status().code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(ParseSettings(R"({"research_sample_birth_days": [5, 5]})").status().code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(ParseSettings(R"({"research_sample_birth_days": [1.5]})").status().code(),
            ErrorCode::kInvalidInput);
  auto empty = ParseSettings(R"({"research_sample_birth_days": []})");
  EXPECT_THAT(empty.status().message(), HasSubstr("16 kap. 4 §"));
  EXPECT_EQ(ParseSettings("[1]").status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(ParseSettings("{").status().code(), ErrorCode::kMalformedJson);
  EXPECT_EQ(LoadSettings("/nonexistent/retention.json").status().code(), ErrorCode::kNotFound);
}

TEST_F(RetentionRulebookTest, TheRulesAreInTheRulebookWithTheirSections) {
  const Date on = D("2026-06-01");
  EXPECT_EQ(book_->Years("retention-years", on)->law_ref, "16 kap. 1 § SoL");
  EXPECT_EQ(book_->Years("retention-child-investigation-until-age", on)->law_ref, "16 kap. 2 a § SoL");
  EXPECT_EQ(FormatDate(book_->Years("retention-child-investigation-until-age", on)->valid_from),
            FormatDate(kChildInvestigationInForce));
  EXPECT_EQ(book_->Years("retention-agreement-until-age", on)->law_ref, "16 kap. 3 § SoL");
  // Every placement of 16 kap. 2 § 3 is an intervention code the system records.
  const auto placements = book_->Codes("retention_placement", on);
  EXPECT_EQ(placements.size(), 5u);
  for (const Code& code : placements) {
    EXPECT_TRUE(book_->Lookup("intervention", code.code, on).ok()) << code.code;
    EXPECT_THAT(code.law_ref, HasSubstr("16 kap. 2 § 3 SoL")) << code.code;
  }
  EXPECT_FALSE(book_->Lookup("retention_placement", "kontaktfamilj", on).ok());
}

TEST_F(RetentionRulebookTest, ADecisionCarriesItsReasonAndLastEntry) {
  PersonFacts person;
  person.person_id = 7;
  person.birth_date = D("2010-04-03");
  person.last_entry = D("2019-06-10");
  person.matters.push_back({3, MatterKind::kChild, false, D("2019-06-10"), std::nullopt});
  auto d = Evaluate(person, D("2026-11-23"), *book_, Settings{});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->verdict, Verdict::kRemove);
  EXPECT_EQ(d->reason, "5 years after the last entry (2019-06-10)");
  EXPECT_EQ(FormatDate(*d->last_entry), "2019-06-10");

  person.matters[0].open = true;
  d = Evaluate(person, D("2026-11-23"), *book_, Settings{});
  EXPECT_EQ(d->verdict, Verdict::kKeep);
  EXPECT_FALSE(d->removable_from.has_value());
  EXPECT_FALSE(d->due_by.has_value());
  EXPECT_THAT(d->reason, HasSubstr("matter 3 is open"));

  person.last_entry.reset();
  EXPECT_EQ(Evaluate(person, D("2026-11-23"), *book_, Settings{}).status().code(), ErrorCode::kInvalidInput);
}

TEST(BirthdayTest, LeapDayTurnsOnTheFirstOfMarch) {
  EXPECT_EQ(FormatDate(BirthdayOfAge(D("2012-02-29"), 30)), "2042-03-01");
  EXPECT_EQ(FormatDate(BirthdayOfAge(D("2012-02-29"), 28)), "2040-02-29");
  EXPECT_EQ(FormatDate(BirthdayOfAge(D("2010-04-03"), 18)), "2028-04-03");
}

TEST(StockholmDayTest, AJournalTimeIsCountedOnTheStockholmDay) {
  EXPECT_EQ(FormatDate(*StockholmDayOfUtc("2026-03-14T23:30:00Z")), "2026-03-15");  // CET, UTC+1
  EXPECT_EQ(FormatDate(*StockholmDayOfUtc("2026-03-14T22:59:59Z")), "2026-03-14");
  EXPECT_EQ(FormatDate(*StockholmDayOfUtc("2026-07-14T22:30:00Z")), "2026-07-15");  // CEST, UTC+2
  EXPECT_EQ(FormatDate(*StockholmDayOfUtc("2020-12-31T23:00:00Z")), "2021-01-01");
  EXPECT_FALSE(StockholmDayOfUtc("2026-03-14T23:30:00").has_value());
  EXPECT_FALSE(StockholmDayOfUtc("yesterday").has_value());
}

}  // namespace
}  // namespace nysol::retention
