// The committee's decisions on interventions without individual needs assessment (11 kap. 5 § SoL), through the
// real command and store: what may be opened, what a decision must say, and what applied on any day.
#include <gtest/gtest.h>

#include "chain_fixture.h"
#include "core/catalog.h"
#include "core/committee_commands.h"
#include "store/replay.h"

namespace nysol::testing {
namespace {

class CommitteeTest : public ChainTest {
 protected:
  void SetUp() override {
    ChainTest::SetUp();
    auto loaded = Catalog::Load(Catalog::DefaultPath(), *rulebook_);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    catalog_ = std::make_unique<Catalog>(std::move(*loaded));
  }

  Result<Events> Decide(nlohmann::json input) {
    nlohmann::json base = {{"item_code", "foraldraskapsstod-abc"}, {"decided_on", "2026-02-20"},
                           {"minutes_paragraph", "§ 12"}, {"dnr", "SN 2026/31"}, {"valid_from", "2026-03-01"}};
    if (input.is_object()) base.update(input);
    return Run([&](CommandContext& ctx) { return RecordCommitteeDecision(*catalog_, base, ctx); });
  }

  std::vector<int64_t> ApplyingOn(const std::string& day) {
    std::vector<int64_t> ids;
    for (const auto& d : store_->CommitteeDecisions(*ParseDate(day))) ids.push_back(d.rule.id);
    return ids;
  }

  std::unique_ptr<Catalog> catalog_;
};

TEST(CatalogFile, TheDefaultCatalogIsRealistic) {
  auto rulebook = Rulebook::Load(Rulebook::DefaultPath());
  ASSERT_TRUE(rulebook.ok());
  auto catalog = Catalog::Load(Catalog::DefaultPath(), *rulebook);
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  EXPECT_GE(catalog->items().size(), 30u);
  std::set<std::string> bases, units;
  int required = 0;
  for (const auto& item : catalog->items()) {
    bases.insert(item.knowledge_basis);
    units.insert(item.responsible_unit);
    required += item.assessment_required ? 1 : 0;
  }
  EXPECT_EQ(bases.size(), 3u) << "evidence-based, proven experience and local untested methods all occur";
  EXPECT_GE(units.size(), 4u);
  EXPECT_GE(required, 5) << "the catalog holds interventions the first line may never open";
}

TEST(CatalogFile, BadEntriesAreRefusedByName) {
  auto rulebook = Rulebook::Load(Rulebook::DefaultPath());
  ASSERT_TRUE(rulebook.ok());
  auto parse = [&](const std::string& extra) {
    return Catalog::Parse(R"({"version": "t", "items": [{"code": "x", "name_sv": "X", "responsible_unit": "u",
        "provider": {"kind": "own", "name": "K"}, "delivery_modes": ["on_site"], "unit_cost_sek": 1,
        "knowledge_basis": "proven_experience", "valid_from": "2025-07-01")" + extra + "}]}", *rulebook);
  };
  ASSERT_TRUE(parse("").ok());
  EXPECT_NE(parse(R"(, "assessment_required": "hvb-light")").status().message().find("catalog item x"),
            std::string::npos);
  EXPECT_FALSE(parse(R"(, "delivery_modes": ["telepathy"])").ok());
  EXPECT_FALSE(parse(R"(, "colour": "blue")").ok());
  auto twice = Catalog::Parse(R"({"version": "t", "items": [
      {"code": "x", "name_sv": "X", "responsible_unit": "u", "provider": {"kind": "own"}, "delivery_modes": ["phone"],
       "unit_cost_sek": 1, "knowledge_basis": "evidence_based", "valid_from": "2025-07-01"},
      {"code": "x", "name_sv": "X2", "responsible_unit": "u", "provider": {"kind": "own"}, "delivery_modes": ["phone"],
       "unit_cost_sek": 1, "knowledge_basis": "evidence_based", "valid_from": "2026-01-01"}]})", *rulebook);
  EXPECT_FALSE(twice.ok()) << "two versions of one item may not overlap";
}

TEST_F(CommitteeTest, ADecisionIsJournaledAndAppliesFromItsFirstDay) {
  auto events = Decide({{"age_min", 18}, {"max_sessions", 4}});
  ASSERT_TRUE(events.ok()) << events.status().message();
  EXPECT_EQ(events->front().kind, "committee_decision_recorded");
  EXPECT_FALSE(events->front().person_id.has_value());
  EXPECT_TRUE(ApplyingOn("2026-02-28").empty());
  EXPECT_EQ(ApplyingOn("2026-03-01"), std::vector<int64_t>{1});
  EXPECT_EQ(ApplyingOn("2030-01-01"), std::vector<int64_t>{1}) << "until further notice";
}

TEST_F(CommitteeTest, ALaterDecisionEndsAnEarlierOneAndTheHistoryStays) {
  ASSERT_TRUE(Decide({}).ok());
  ASSERT_TRUE(Decide({{"decided_on", "2026-03-02"}, {"valid_from", "2026-04-01"}, {"valid_to", "2026-12-31"},
                      {"minutes_paragraph", "§ 30"}, {"ends", 1}})
                  .ok());
  EXPECT_EQ(ApplyingOn("2026-03-31"), std::vector<int64_t>{1});
  EXPECT_EQ(ApplyingOn("2026-04-01"), std::vector<int64_t>{2});
  EXPECT_EQ(ApplyingOn("2026-12-31"), std::vector<int64_t>{2});
  EXPECT_TRUE(ApplyingOn("2027-01-01").empty());
  auto all = store_->CommitteeDecisions();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].ended_by, 2);
  auto db = store::SqliteDb::Open((dir_ / "test.db").string());
  auto replay = store::VerifyReplay(**db);
  ASSERT_TRUE(replay.ok()) << replay.status().message();
}

TEST_F(CommitteeTest, TheLawsExclusionsAndADecisionsOwnRulesAreEnforced) {
  int64_t journal = store_->JournalLength();
  // 11 kap. 5 § 1 SoL: a contact person always needs an individual needs assessment.
  auto contact = Decide({{"item_code", "kontaktperson"}});
  EXPECT_EQ(contact.status().code(), ErrorCode::kIllegalTransition);
  EXPECT_NE(contact.status().message().find("11 kap. 5 § 1 SoL"), std::string::npos) << contact.status().message();
  EXPECT_EQ(Decide({{"item_code", "familjehem"}}).status().code(), ErrorCode::kIllegalTransition);
  EXPECT_EQ(Decide({{"item_code", "no-such-item"}}).status().code(), ErrorCode::kUnknownCode);
  // 14 kap. 5 § SoL: leaving identity undocumented needs stated special reasons.
  EXPECT_EQ(Decide({{"identity_exempt", true}}).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(Decide({{"valid_to", "2026-02-01"}}).status().code(), ErrorCode::kInvalidDate);
  EXPECT_EQ(Decide({{"valid_from", "2026-02-01"}}).status().code(), ErrorCode::kInvalidDate) << "before it was made";
  EXPECT_EQ(Decide({{"decided_on", "2026-12-01"}, {"valid_from", "2026-12-01"}}).status().code(),
            ErrorCode::kInvalidDate) << "in the future (the test's today is 2026-03-02)";
  EXPECT_EQ(Decide({{"age_min", 20}, {"age_max", 18}}).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(Decide({{"ends", 99}}).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(Decide({{"minutes_paragraph", nullptr}}).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(store_->JournalLength(), journal);
  auto exempt = Decide({{"identity_exempt", true}, {"identity_exempt_reasons", "Anonymitet krävs för att nå gruppen."}});
  EXPECT_TRUE(exempt.ok()) << exempt.status().message();
}

}  // namespace
}  // namespace nysol::testing
