// The chain for a child, end to end through the real commands and store: report → protection assessment →
// preliminary assessment → investigation → decision → intervention → closure, and the rules that refuse
// illegal steps without writing anything.
#include <gtest/gtest.h>

#include "chain_fixture.h"
#include "core/legal_clock.h"
#include "store/replay.h"

namespace nysol::testing {
namespace {

using nlohmann::json;

TEST_F(ChainTest, FullChainForAChildFromReportToClosure) {
  int64_t matter = Report(kChildA);
  ASSERT_GT(matter, 0);
  auto state = store_->LoadMatter(matter);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->phase, MatterPhase::kReceived);
  EXPECT_EQ(FormatDate(*state->preliminary_due), "2026-03-16");  // 20 kap. 2 §: 2 March + 14 days

  ASSERT_TRUE(Step(matter, RecordProtectionAssessment,
                   {{"assessed_at", "2026-03-02T09:00"}, {"immediate_need", false}, {"reasons", "Inget akut."}})
                  .ok());
  SetNow("2026-03-10T10:00");
  auto decided = Step(matter, DecidePreliminaryAssessment,
                      {{"decision", "open_investigation"}, {"decided_on", "2026-03-10"}, {"reasons", "Allvarligt."},
                       {"decided_by", "Anna Berg"}});
  ASSERT_TRUE(decided.ok()) << decided.status().message();
  state = store_->LoadMatter(matter);
  EXPECT_EQ(state->phase, MatterPhase::kInvestigating);
  EXPECT_EQ(FormatDate(*state->investigation_due), "2026-07-10");  // 20 kap. 3 §: four months

  ASSERT_TRUE(Step(matter, NotifyInvestigation, {{"notified_on", "2026-03-10"}, {"notified", "Vårdnadshavarna"}}).ok());
  SetNow("2026-06-20T10:00");
  ASSERT_TRUE(Step(matter, CompleteInvestigation, {{"completed_on", "2026-06-20"}, {"conclusion", "Behov finns."}}).ok());
  auto decision = Step(matter, RecordDecision,
                       {{"outcome", "granted"}, {"intervention", "familjebehandling"}, {"legal_basis", "sol-11-1"},
                        {"decided_by", "Anna Berg"}, {"decided_on", "2026-06-20"}, {"reasons", "Enligt utredningen."},
                        {"served_on", "2026-06-20"}});
  ASSERT_TRUE(decision.ok()) << decision.status().message();
  ASSERT_EQ(decision->size(), 2u);
  // 44 § FL + lag (1930:173): 20 June + 3 weeks = 11 July 2026, a Saturday → Monday 13 July.
  EXPECT_EQ(decision->at(1).payload["appeal_due"], "2026-07-13");
  int64_t decision_id = decision->front().payload["decision_id"];

  auto started = Step(matter, StartIntervention, {{"decision_id", decision_id}, {"started_on", "2026-06-20"}});
  ASSERT_TRUE(started.ok()) << started.status().message();
  int64_t intervention_id = started->front().payload["intervention_id"];
  auto refused_close = Step(matter, CloseMatter, {{"closed_on", "2026-06-20"}, {"reason", "Klart."}});
  EXPECT_EQ(refused_close.status().code(), ErrorCode::kIllegalTransition);  // an intervention is running

  SetNow("2026-11-02T10:00");
  ASSERT_TRUE(Step(matter, EndIntervention,
                   {{"intervention_id", intervention_id}, {"ended_on", "2026-11-02"}, {"reason", "Målen nådda."}})
                  .ok());
  ASSERT_TRUE(Step(matter, CloseMatter, {{"closed_on", "2026-11-02"}, {"reason", "Klart."}}).ok());
  state = store_->LoadMatter(matter);
  EXPECT_EQ(state->phase, MatterPhase::kClosed);

  auto clocks = MatterClocks(*state, *rulebook_, now_.date);
  bool saw_investigation = false;
  for (const auto& clock : clocks) {
    if (clock.rule == "investigation") {
      saw_investigation = true;
      EXPECT_EQ(clock.status, ClockStatus::kMet);
      EXPECT_EQ(clock.law_ref, "20 kap. 3 § SoL");
    }
  }
  EXPECT_TRUE(saw_investigation);
}

TEST_F(ChainTest, PreliminaryAssessmentNeedsTheProtectionAssessmentFirst) {
  int64_t matter = Report(kChildA);
  int64_t before = store_->JournalLength();
  auto refused = Step(matter, DecidePreliminaryAssessment,
                      {{"decision", "no_investigation"}, {"decided_on", "2026-03-02"}, {"reasons", "x"},
                       {"decided_by", "A"}});
  EXPECT_EQ(refused.status().code(), ErrorCode::kIllegalTransition);
  EXPECT_NE(refused.status().message().find("20 kap. 1 §"), std::string::npos);
  EXPECT_EQ(store_->JournalLength(), before);  // nothing written
}

TEST_F(ChainTest, NoInvestigationClosesTheMatterAndTheReportStaysSearchable) {
  int64_t matter = Report(kChildA);
  ASSERT_TRUE(Step(matter, RecordProtectionAssessment,
                   {{"assessed_at", "2026-03-02T09:00"}, {"immediate_need", false}, {"reasons", "Inget akut."}})
                  .ok());
  ASSERT_TRUE(Step(matter, DecidePreliminaryAssessment,
                   {{"decision", "no_investigation"}, {"decided_on", "2026-03-02"}, {"reasons", "Stöd finns."},
                    {"decided_by", "A"}})
                  .ok());
  EXPECT_EQ(store_->LoadMatter(matter)->phase, MatterPhase::kClosed);
  auto person = store_->FindPersonByIdentityNumber(kChildA);
  ASSERT_TRUE(person);
  auto reports = store_->ReportsAboutPerson(person->id);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].outcome, "no_investigation");
}

TEST_F(ChainTest, ReportDuringRunningInvestigationNeedsNoPreliminaryAssessment) {
  int64_t matter = Report(kChildA);
  ASSERT_TRUE(Step(matter, RecordProtectionAssessment,
                   {{"assessed_at", "2026-03-02T09:00"}, {"immediate_need", true}, {"reasons", "Akut."}})
                  .ok());
  ASSERT_TRUE(Step(matter, DecidePreliminaryAssessment,
                   {{"decision", "open_investigation"}, {"decided_on", "2026-03-02"}, {"reasons", "Akut."},
                    {"decided_by", "A"}})
                  .ok());
  SetNow("2026-04-01T10:00");
  int64_t second = Report(kChildA, "2026-04-01T08:00");
  EXPECT_EQ(second, matter);  // 20 kap. 2 §: attached to the running investigation
  auto reports = store_->ReportsInMatter(matter);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[1].disposition, "attached_to_investigation");
  EXPECT_EQ(reports[1].outcome, "attached_to_investigation");
  // The new report still needs its own protection assessment (20 kap. 1 §).
  auto state = store_->LoadMatter(matter);
  auto steps = NextSteps(*state);
  EXPECT_EQ(steps.front(), "protection-assessment");
}

TEST_F(ChainTest, SecondReportWhileAssessmentPendingJoinsThatMatter) {
  int64_t first = Report(kChildA);
  SetNow("2026-03-05T10:00");
  int64_t second = Report(kChildA, "2026-03-05T09:00");
  EXPECT_EQ(first, second);
  auto state = store_->LoadMatter(first);
  EXPECT_EQ(state->reports.size(), 2u);
  EXPECT_EQ(FormatDate(*state->preliminary_due), "2026-03-16");  // the earlier clock governs
}

TEST_F(ChainTest, IllegalTransitionsAreRefusedAndWriteNothing) {
  int64_t matter = Report(kChildA);
  int64_t before = store_->JournalLength();
  EXPECT_EQ(Step(matter, CompleteInvestigation, {{"completed_on", "2026-03-02"}, {"conclusion", "x"}}).status().code(),
            ErrorCode::kIllegalTransition);
  EXPECT_EQ(Step(matter, CloseMatter, {{"closed_on", "2026-03-02"}, {"reason", "x"}}).status().code(),
            ErrorCode::kIllegalTransition);
  EXPECT_EQ(Step(matter, StartInvestigation, {{"started_on", "2026-03-02"}}).status().code(),
            ErrorCode::kIllegalTransition);  // children's investigations start by the preliminary decision
  EXPECT_EQ(Step(matter, RecordDecision,
                 {{"outcome", "granted"}, {"intervention", "kontaktperson"}, {"legal_basis", "sol-11-1"},
                  {"decided_by", "A"}, {"decided_on", "2026-03-02"}, {"reasons", "x"}})
                .status()
                .code(),
            ErrorCode::kIllegalTransition);
  EXPECT_EQ(store_->JournalLength(), before);
}

TEST_F(ChainTest, BadInputIsRefusedWithPreciseErrors) {
  auto report = [&](json input) { return Run([&](CommandContext& ctx) { return RegisterReport(input, ctx); }); };
  json good = {{"received_at", "2026-03-02T08:30"}, {"reporter_category", "police"}, {"channel", "phone"},
               {"text", "Oro."}, {"children", {{{"identity_number", kChildA}}}}};
  ASSERT_TRUE(report(good).ok());
  int64_t before = store_->JournalLength();

  json bad = good;
  bad["children"] = {{{"identity_number", "201503129982"}}};  // wrong check digit
  EXPECT_EQ(report(bad).status().code(), ErrorCode::kInvalidIdentityNumber);
  bad = good;
  bad["reporter_category"] = "neighbour";
  EXPECT_EQ(report(bad).status().code(), ErrorCode::kUnknownCode);
  bad = good;
  bad["received_at"] = "2026-02-30T08:00";
  EXPECT_EQ(report(bad).status().code(), ErrorCode::kInvalidDate);
  bad = good;
  bad["received_at"] = "2026-03-03T08:00";  // tomorrow
  EXPECT_EQ(report(bad).status().code(), ErrorCode::kInvalidDate);
  bad = good;
  bad["children"] = json::array();
  EXPECT_EQ(report(bad).status().code(), ErrorCode::kInvalidInput);
  bad = good;
  bad["colour"] = "blue";
  EXPECT_EQ(report(bad).status().code(), ErrorCode::kInvalidInput);
  bad = good;
  bad["children"] = {{{"identity_number", "19800101" "9986"}}};  // an adult (46 years old)
  auto adult = report(bad);
  EXPECT_EQ(adult.status().code(), ErrorCode::kInvalidInput) << adult.status().message();
  bad = good;
  bad["children"] = {{{"identity_number", kChildB}}, {{"identity_number", kChildB}}};
  EXPECT_EQ(report(bad).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(store_->JournalLength(), before);
}

TEST_F(ChainTest, UnknownIdentityGetsItsOwnPersonRecord) {
  auto events = Run([&](CommandContext& ctx) {
    return RegisterReport({{"received_at", "2026-03-02T08:30"},
                           {"reporter_category", "anonymous"},
                           {"channel", "phone"},
                           {"text", "Ett barn i trapphuset gråter ofta."},
                           {"children", {{{"name", "Okänd flicka"}, {"birth_year", 2019}}}}},
                          ctx);
  });
  ASSERT_TRUE(events.ok()) << events.status().message();
  auto person = store_->GetPerson(*events->front().person_id);
  ASSERT_TRUE(person);
  EXPECT_EQ(person->identity_kind, "unknown");
  EXPECT_FALSE(person->identity_number);
  EXPECT_EQ(person->birth_year, 2019);
}

TEST_F(ChainTest, ExtensionsNeedReasonsAndALaterDate) {
  int64_t matter = Report(kChildA);
  EXPECT_EQ(Step(matter, ExtendPreliminaryAssessment, {{"new_due", "2026-03-30"}, {"decided_on", "2026-03-02"}})
                .status()
                .code(),
            ErrorCode::kInvalidInput);  // exceptional_reasons missing
  EXPECT_EQ(Step(matter, ExtendPreliminaryAssessment,
                 {{"new_due", "2026-03-10"}, {"exceptional_reasons", "Polisförhör."}, {"decided_on", "2026-03-02"}})
                .status()
                .code(),
            ErrorCode::kInvalidInput);  // earlier than the current due date
  ASSERT_TRUE(Step(matter, ExtendPreliminaryAssessment,
                   {{"new_due", "2026-03-30"}, {"exceptional_reasons", "Polisförhör."}, {"decided_on", "2026-03-02"}})
                  .ok());
  auto state = store_->LoadMatter(matter);
  EXPECT_TRUE(state->preliminary_extended);
  EXPECT_EQ(FormatDate(*state->preliminary_due), "2026-03-30");
}

TEST_F(ChainTest, AdultApplicationHasNoChildClocks) {
  auto events = Run([&](CommandContext& ctx) {
    return RegisterApplication({{"received_at", "2026-03-02T08:30"},
                                {"channel", "e_service"},
                                {"applicant", {{"identity_number", "198001019986"}}},
                                {"text", "Ansöker om försörjningsstöd."}},
                               ctx);
  });
  ASSERT_TRUE(events.ok()) << events.status().message();
  int64_t matter = *events->back().matter_id;
  ASSERT_TRUE(Step(matter, StartInvestigation, {{"started_on", "2026-03-02"}}).ok());
  auto state = store_->LoadMatter(matter);
  EXPECT_FALSE(state->preliminary_due);
  EXPECT_FALSE(state->investigation_due);
  EXPECT_TRUE(MatterClocks(*state, *rulebook_, now_.date).empty());
  EXPECT_EQ(Step(matter, ExtendInvestigation,
                 {{"new_due", "2026-09-01"}, {"special_reasons", "x"}, {"decided_on", "2026-03-02"}, {"decided_by", "A"}})
                .status()
                .code(),
            ErrorCode::kIllegalTransition);
}

TEST_F(ChainTest, JournalReplaysToTheSameState) {
  for (const char* child : {kChildA, kChildB}) {
    int64_t matter = Report(child);
    ASSERT_TRUE(Step(matter, RecordProtectionAssessment,
                     {{"assessed_at", "2026-03-02T09:00"}, {"immediate_need", false}, {"reasons", "Inget akut."}})
                    .ok());
    ASSERT_TRUE(Step(matter, DecidePreliminaryAssessment,
                     {{"decision", "open_investigation"}, {"decided_on", "2026-03-02"}, {"reasons", "x"},
                      {"decided_by", "A"}})
                    .ok());
  }
  auto db = store::OpenDb(store_->path());
  ASSERT_TRUE(db.ok());
  auto report = store::VerifyReplay(**db);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_GT(report->events, 6);
  EXPECT_GT(report->rows_compared, 6);

  // And a tampered current state is caught: the check is not vacuous.
  (*db)->Exec("UPDATE matters SET phase = 'closed' WHERE id = 1");
  auto tampered = store::VerifyReplay(**db);
  EXPECT_EQ(tampered.status().code(), ErrorCode::kConflict);
}

TEST_F(ChainTest, TheJournalIsAppendOnly) {
  Report(kChildA);
  auto db = store::OpenDb(store_->path());
  ASSERT_TRUE(db.ok());
  EXPECT_THROW((*db)->Exec("UPDATE journal SET kind = 'x' WHERE seq = 1"), store::StoreError);
  EXPECT_THROW((*db)->Exec("DELETE FROM journal WHERE seq = 1"), store::StoreError);
  EXPECT_EQ(store_->JournalLength(), 3);
}

}  // namespace
}  // namespace nysol::testing
