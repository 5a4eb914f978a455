// The committee's decisions on interventions without individual needs assessment (11 kap. 5 § SoL), and the
// first line's registrations under them, through the real commands and store: what may be opened, what a
// decision must say, what applied on any day, and who may be registered how (14 kap. 4–5 §§, 21 kap. 2 §).
#include <gtest/gtest.h>

#include "chain_fixture.h"
#include "core/catalog.h"
#include "core/committee_commands.h"
#include "core/first_line_commands.h"
#include "store/replay.h"
#include "test_database.h"

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
  auto db = store::OpenDb(testing::TestDatabase(dir_));
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

// First-line staff register; the items of config/catalog.json run by 'forsta-linjen'.
class FirstLineTest : public CommitteeTest {
 protected:
  void SetUp() override {
    CommitteeTest::SetUp();
    ASSERT_TRUE(Decide({{"item_code", "familjerad-forsta-linjen"}, {"valid_to", "2026-12-31"}}).ok());  // 1
    ASSERT_TRUE(Decide({{"item_code", "stodsamtal-vald"}, {"identity_exempt", true},
                        {"identity_exempt_reasons", "Våldsutsatta söker inte stöd om de registreras."}})
                    .ok());  // 2
    ASSERT_TRUE(Decide({{"item_code", "alkohol-radgivning"}, {"age_min", 18}}).ok());  // 3
    unit_ = "forsta-linjen";
  }

  Result<Events> Register(nlohmann::json input) {
    nlohmann::json base = {{"decision_id", 1}, {"date", "2026-03-02"}, {"informed_about_application", true}};
    base.update(input);
    return Run([&](CommandContext& ctx) { return RegisterFirstLineParticipation(*catalog_, base, ctx); });
  }
  static nlohmann::json Person(const char* number) { return {{"mode", "identified"}, {"person", {{"identity_number", number}}}}; }
  static nlohmann::json Group(const char* basis) {
    return {{"mode", "non_identifying"}, {"count", 6}, {"age_band", "30-49"}, {"gender", "female"}, {"basis", basis}};
  }
};

constexpr const char* kAdult = "198003149989";     // born 1980-03-14
constexpr const char* kTwelve = "201401059983";    // born 2014-01-05: 12 on 2026-03-02
constexpr const char* kSixteen = "200912249984";   // born 2009-12-24: 16 on 2026-03-02

TEST_F(FirstLineTest, AnIdentifiedAdultIsRegisteredWithAJournalEntry) {
  auto events = Register(Person(kAdult));
  ASSERT_TRUE(events.ok()) << events.status().message();
  EXPECT_EQ(events->front().kind, "person_registered");
  const Event& e = events->back();
  EXPECT_EQ(e.kind, "first_line_participation");
  EXPECT_TRUE(e.person_id.has_value());
  EXPECT_EQ(e.payload["informed_about_application"], true);
  EXPECT_EQ(e.payload["age"], 45);
  auto db = store::OpenDb(testing::TestDatabase(dir_));
  auto replay = store::VerifyReplay(**db);
  ASSERT_TRUE(replay.ok()) << replay.status().message();
}

TEST_F(FirstLineTest, OnlyOnDaysTheDecisionAppliesAndOnlyForTheItemsUnit) {
  SetNow("2027-01-05T09:00");
  EXPECT_TRUE(Register({{"date", "2026-12-31"}, {"mode", "identified"}, {"person", {{"identity_number", kAdult}}}}).ok());
  EXPECT_EQ(Register({{"date", "2027-01-01"}, {"mode", "identified"}, {"person", {{"identity_number", kAdult}}}})
                .status().code(), ErrorCode::kIllegalTransition);
  EXPECT_EQ(Register({{"date", "2026-02-28"}, {"mode", "identified"}, {"person", {{"identity_number", kAdult}}}})
                .status().code(), ErrorCode::kIllegalTransition) << "before the decision applies";
  unit_ = "vuxen";
  EXPECT_EQ(Register(Person(kAdult)).status().code(), ErrorCode::kForbidden);
}

TEST_F(FirstLineTest, IdentityIsLeftOutExactlyWhereTheLawAllows) {
  int64_t journal = store_->JournalLength();
  // 14 kap. 5 §: the committee exempted decision 2 from documenting identity.
  auto on_exempt = Person(kAdult);
  on_exempt["decision_id"] = 2;
  EXPECT_EQ(Register(on_exempt).status().code(), ErrorCode::kIllegalTransition);
  EXPECT_EQ(Register(Group("identity_exempt")).status().code(), ErrorCode::kIllegalTransition)
      << "decision 1 has no exemption";
  EXPECT_EQ(Register(Group("gossip")).status().code(), ErrorCode::kInvalidInput);
  auto with_number = Group("advice");
  with_number["note"] = "Gällde 19800314-9989";
  EXPECT_EQ(Register(with_number).status().code(), ErrorCode::kInvalidInput);
  auto named = Group("advice");
  named["person"] = {{"identity_number", kAdult}};
  EXPECT_EQ(Register(named).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(store_->JournalLength(), journal);
  auto exempt = Group("identity_exempt");
  exempt["decision_id"] = 2;
  EXPECT_TRUE(Register(exempt).ok());
  EXPECT_TRUE(Register(Group("advice")).ok()) << "14 kap. 4 §: advice needs no documentation of the person";
}

TEST_F(FirstLineTest, ChildrenNeedConsentOrFromFifteenARecordedJudgement) {
  int64_t journal = store_->JournalLength();
  // 21 kap. 2 § SoL, with the age from the rulebook.
  auto twelve = Register(Person(kTwelve));
  EXPECT_EQ(twelve.status().code(), ErrorCode::kIllegalTransition);
  EXPECT_NE(twelve.status().message().find("21 kap. 2 §"), std::string::npos) << twelve.status().message();
  EXPECT_EQ(Register(Person(kSixteen)).status().code(), ErrorCode::kIllegalTransition);
  EXPECT_EQ(store_->JournalLength(), journal);
  auto with_consent = Person(kTwelve);
  with_consent["guardian_consent"] = true;
  EXPECT_TRUE(Register(with_consent).ok());
  auto judged = Person(kSixteen);
  judged["suitability_judgement"] = "Vill inte att föräldrarna vet; samtalen är lämpliga för henne.";
  EXPECT_TRUE(Register(judged).ok());
  // The decision's own age range: alcohol counselling from 18.
  auto young = Person(kSixteen);
  young["decision_id"] = 3;
  young["guardian_consent"] = true;
  EXPECT_EQ(Register(young).status().code(), ErrorCode::kIllegalTransition);
}

TEST_F(FirstLineTest, AnAdultsContactBecomesAnApplicationInTheReceivingUnitOnce) {
  ASSERT_TRUE(Register(Person(kAdult)).ok());
  auto with_consent = Person(kTwelve);
  with_consent["guardian_consent"] = true;
  ASSERT_TRUE(Register(with_consent).ok());
  auto refer = [&](int64_t id) {
    return Run([&](CommandContext& ctx) {
      return ReferFirstLineToApplication(id, {{"to_unit", "vuxen"}, {"text", "Vill ansöka."}}, ctx);
    });
  };
  auto events = refer(1);
  ASSERT_TRUE(events.ok()) << events.status().message();
  auto matter = store_->LoadMatter(*events->back().matter_id);
  ASSERT_TRUE(matter.ok());
  EXPECT_EQ(matter->unit, "vuxen");
  EXPECT_EQ(matter->kind, MatterKind::kAdult);
  EXPECT_EQ(refer(1).status().code(), ErrorCode::kConflict);
  EXPECT_EQ(refer(2).status().code(), ErrorCode::kIllegalTransition) << "a child goes to the intake unit";
  EXPECT_EQ(refer(99).status().code(), ErrorCode::kNotFound);
  auto db = store::OpenDb(testing::TestDatabase(dir_));
  auto replay = store::VerifyReplay(**db);
  ASSERT_TRUE(replay.ok()) << replay.status().message();
}

TEST_F(FirstLineTest, TheDutyToInformIsAlwaysRecorded) {
  auto events = Run([&](CommandContext& ctx) {
    return RegisterFirstLineParticipation(*catalog_, {{"decision_id", 1}, {"date", "2026-03-02"},
                                                      {"mode", "identified"}, {"person", {{"identity_number", kAdult}}}},
                                          ctx);
  });
  EXPECT_EQ(events.status().code(), ErrorCode::kInvalidInput) << "11 kap. 6 §: say whether the person was told";
}

}  // namespace
}  // namespace nysol::testing
