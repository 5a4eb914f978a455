// A scenario may move to the first line only catalog items that the law allows without a needs assessment
// (11 kap. 5 § SoL), as the committee could open them (config/catalog.json, the rulebook's
// assessment_required).
#include <gtest/gtest.h>

#include "sim/scenario.h"
#include "sim_fixture.h"

namespace nysol::sim {
namespace {

class FirstLineMovesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto rulebook = Rulebook::Load(Rulebook::DefaultPath());
    ASSERT_TRUE(rulebook.ok()) << rulebook.status().message();
    rulebook_ = std::make_unique<Rulebook>(std::move(*rulebook));
    auto catalog = Catalog::Load(Catalog::DefaultPath(), *rulebook_);
    ASSERT_TRUE(catalog.ok()) << catalog.status().message();
    catalog_ = std::make_unique<Catalog>(std::move(*catalog));
    model_ = SmallChain();
    model_.interventions_adult = {{"missbruksbehandling", 0.4}, {"boendestod", 0.3}, {"lvm-hem", 0.3}};
  }
  Date on_ = *ParseDate("2026-03-01");
  std::unique_ptr<Rulebook> rulebook_;
  std::unique_ptr<Catalog> catalog_;
  Model model_;
};

TEST_F(FirstLineMovesTest, OnlyCatalogItemsWithoutAssessmentRequirementAreMovable) {
  std::vector<std::string> codes;
  for (const CatalogItem* item : MovableItems(model_, *catalog_, on_)) codes.push_back(item->code);
  // kontaktperson and familjehem (children) and lvm-hem are 11 kap. 5 § p. 1–3; boendestod is not a catalog
  // item.
  EXPECT_EQ(codes, std::vector<std::string>{"missbruksbehandling"});
}

TEST_F(FirstLineMovesTest, AMoveTheLawAllowsPasses) {
  Scenario sc;
  sc.move_to_first_line = {"missbruksbehandling"};
  EXPECT_TRUE(CheckFirstLineMoves(sc, *catalog_, *rulebook_, on_).ok());
}

TEST_F(FirstLineMovesTest, AnItemThatAlwaysNeedsAnAssessmentIsRefusedWithThePointOfTheLaw) {
  Scenario sc;
  sc.move_to_first_line = {"missbruksbehandling", "kontaktperson"};
  Status status = CheckFirstLineMoves(sc, *catalog_, *rulebook_, on_);
  EXPECT_EQ(status.code(), ErrorCode::kIllegalTransition);
  EXPECT_NE(status.message().find("'kontaktperson'"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("11 kap. 5 § 1 SoL"), std::string::npos) << status.message();
}

TEST_F(FirstLineMovesTest, AnItemOutsideTheCatalogIsRefused) {
  Scenario sc;
  sc.move_to_first_line = {"boendestod"};
  Status status = CheckFirstLineMoves(sc, *catalog_, *rulebook_, on_);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(status.message().find("not in the intervention catalog"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace nysol::sim
