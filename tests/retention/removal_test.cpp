// The removal run against a real store, with records written through the real commands: it removes exactly
// the persons due and all their rows, is refused outside a run, is atomic, keeps ids from being reused, and
// the journal still replays to the stored state afterwards.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "../store/chain_fixture.h"
#include "retention/person_facts.h"
#include "retention/removal.h"
#include "store/replay.h"
#include "test_database.h"

namespace nysol::testing {
namespace {

using nlohmann::json;
using retention::RunContext;
using retention::RunRemoval;
using retention::Settings;

Date D(const char* text) { return *ParseDate(text); }

class RemovalTest : public ChainTest {
 protected:
  void SetUp() override {
    ChainTest::SetUp();
    auto db = store::OpenDb(testing::TestDatabase(dir_));
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    ChainTest::TearDown();
  }

  int64_t Count(const std::string& sql, std::optional<int64_t> param = std::nullopt) {
    auto& st = db_->Prepare(sql);
    if (param) st.Bind(1, *param);
    st.Step();
    int64_t n = st.Int(0);
    db_->ResetStatements();
    return n;
  }

  int64_t PersonId(const char* identity_number) {
    auto person = store_->FindPersonByIdentityNumber(identity_number);
    return person ? person->id : 0;
  }

  // A report about `children` received at `at` (also the time it is recorded).
  std::vector<int64_t> ReportAbout(const std::vector<const char*>& children, const std::string& at) {
    SetNow(at);
    json list = json::array();
    for (const char* child : children) list.push_back({{"identity_number", child}});
    auto events = Run([&](CommandContext& ctx) {
      return RegisterReport({{"received_at", at},
                             {"reporter_category", "school"},
                             {"channel", "phone"},
                             {"text", "Skolan oroar sig för elevens frånvaro."},
                             {"children", list}},
                            ctx);
    });
    EXPECT_TRUE(events.ok()) << events.status().message();
    std::vector<int64_t> matters;
    if (!events.ok()) return matters;
    for (const Event& e : *events) {
      if (e.kind == "report_received") matters.push_back(*e.matter_id);
    }
    return matters;
  }

  // Protection assessment and a decision not to investigate, which closes the matter (20 kap. 1–2 §§).
  void CloseWithoutInvestigation(int64_t matter, const std::string& day) {
    SetNow(day + "T10:00");
    ASSERT_TRUE(Step(matter, RecordProtectionAssessment,
                     {{"assessed_at", day + "T09:00"}, {"immediate_need", false}, {"reasons", "Inget akut."}})
                    .ok());
    auto decided = Step(matter, DecidePreliminaryAssessment,
                        {{"decision", "no_investigation"},
                         {"decided_on", day},
                         {"reasons", "Ingen oro kvar."},
                         {"decided_by", "Anna Berg"}});
    ASSERT_TRUE(decided.ok()) << decided.status().message();
  }

  Result<retention::RunReport> Remove(const std::string& today, const Settings& settings = Settings{}) {
    RunContext ctx{"admin.gallring", "gallring", LocalDateTime{D(today.c_str()), 10, 0, 0}, D(today.c_str())};
    return RunRemoval(*db_, *rulebook_, settings, ctx);
  }

  void ExpectReplays() {
    auto replayed = store::VerifyReplay(*db_);
    EXPECT_TRUE(replayed.ok()) << replayed.status().message();
  }

  std::unique_ptr<store::Db> db_;
};

TEST_F(RemovalTest, RemovesEveryRowOfAPersonDueAndNothingElse) {
  int64_t old_matter = ReportAbout({kChildA}, "2019-03-04T08:30")[0];
  CloseWithoutInvestigation(old_matter, "2019-03-05");
  ReportAbout({kChildB}, "2025-10-01T08:30");
  const int64_t a = PersonId(kChildA);
  const int64_t b = PersonId(kChildB);
  const int64_t journal_b = Count("SELECT count(*) FROM journal WHERE person_id = ?1", b);
  const int64_t journal_a = Count("SELECT count(*) FROM journal WHERE person_id = ?1", a);
  ASSERT_GT(journal_a, 3);

  auto run = Remove("2026-11-23");
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_EQ(run->removed.size(), 1u);
  const auto& removed = run->removed[0];
  EXPECT_EQ(removed.person_id, a);
  EXPECT_EQ(removed.decision.rule, "five-years");
  EXPECT_EQ(removed.decision.law_ref, "16 kap. 1 § SoL");
  EXPECT_EQ(FormatDate(*removed.decision.last_entry), "2019-03-05");
  EXPECT_EQ(FormatDate(*removed.decision.due_by), "2025-12-31");  // the duty arose on 2024-03-05
  EXPECT_EQ(removed.counts.journal_events, journal_a);
  EXPECT_EQ(removed.counts.persons, 1);
  EXPECT_EQ(removed.counts.matters, 1);
  EXPECT_EQ(removed.counts.report_subjects, 1);
  EXPECT_EQ(removed.counts.reports, 1);
  EXPECT_EQ(run->events_removed, journal_a);

  // Nothing of A is left but the event saying it was removed.
  EXPECT_EQ(Count("SELECT count(*) FROM persons WHERE id = ?1", a), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM matters WHERE person_id = ?1", a), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM report_subjects WHERE person_id = ?1", a), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM journal WHERE matter_id = ?1", old_matter), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM journal WHERE person_id = ?1 AND kind <> 'records_removed'", a), 0);
  auto& event =
      db_->Prepare("SELECT payload, actor FROM journal WHERE person_id = ?1 AND kind = 'records_removed'");
  event.Bind(1, a);
  ASSERT_TRUE(event.Step());
  json payload = json::parse(event.Text(0));
  EXPECT_EQ(event.Text(1), "admin.gallring");
  db_->ResetStatements();
  EXPECT_EQ(payload["rule"], "five-years");
  EXPECT_EQ(payload["run_id"], run->run_id);
  EXPECT_EQ(payload["removed"]["journal_events"], journal_a);
  // No content: not the identity number, the name, the report's text or the last entry's date.
  const std::string text = payload.dump();
  EXPECT_EQ(text.find(kChildA), std::string::npos);
  EXPECT_EQ(text.find("Skolan"), std::string::npos);
  EXPECT_EQ(text.find("2019"), std::string::npos);

  // B is untouched.
  EXPECT_EQ(Count("SELECT count(*) FROM persons WHERE id = ?1", b), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM journal WHERE person_id = ?1", b), journal_b);

  // The run and the access log.
  EXPECT_EQ(
      Count(
          "SELECT count(*) FROM retention_runs WHERE id = ?1 AND persons_removed = 1 AND finished_at IS NOT "
          "NULL AND actor = 'admin.gallring'",
          run->run_id),
      1);
  EXPECT_EQ(Count("SELECT count(*) FROM retention_active WHERE run_id IS NOT NULL"), 0);
  auto& log = db_->Prepare("SELECT username, action, route FROM access_log WHERE person_id = ?1");
  log.Bind(1, a);
  ASSERT_TRUE(log.Step());
  EXPECT_EQ(log.Text(0), "admin.gallring");
  EXPECT_EQ(log.Text(1), "remove");
  EXPECT_NE(log.Text(2).find("16 kap. 1 § SoL"), std::string::npos);
  EXPECT_NE(log.Text(2).find(fmt::format("removed {} journal events", journal_a)), std::string::npos);
  EXPECT_EQ(log.Text(2).find(kChildA), std::string::npos);
  db_->ResetStatements();

  ExpectReplays();
}

TEST_F(RemovalTest, AReportAboutSeveralChildrenGoesWithItsLastSubject) {
  auto matters = ReportAbout({kChildA, kChildB}, "2019-03-04T08:30");
  ASSERT_EQ(matters.size(), 2u);
  CloseWithoutInvestigation(matters[0], "2019-03-05");
  CloseWithoutInvestigation(matters[1], "2019-03-05");
  int64_t recent = ReportAbout({kChildB}, "2025-10-01T08:30")[0];  // B stays on record
  const int64_t shared_report = Count("SELECT min(id) FROM reports");

  auto run = Remove("2026-11-23");
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_EQ(run->removed.size(), 1u);
  EXPECT_EQ(run->removed[0].counts.report_subjects, 1);
  EXPECT_EQ(run->removed[0].counts.reports, 0);  // B is still a subject of it
  EXPECT_EQ(Count("SELECT count(*) FROM reports WHERE id = ?1", shared_report), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM report_subjects WHERE report_id = ?1", shared_report), 1);
  ExpectReplays();

  // B's new matter is open, so nothing of B goes (16 kap. 1 §). Five years after it closed, B goes, and the
  // shared report with B.
  EXPECT_EQ(run->survey.kept_by_rule["ongoing"], 1);
  CloseWithoutInvestigation(recent, "2026-11-24");
  auto early = Remove("2031-11-24");
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->removed.empty());
  EXPECT_EQ(early->survey.kept_by_rule["five-years"], 1);
  auto later = Remove("2031-11-25");
  ASSERT_TRUE(later.ok()) << later.status().message();
  ASSERT_EQ(later->removed.size(), 1u);
  EXPECT_EQ(later->removed[0].counts.reports, 2);
  EXPECT_EQ(Count("SELECT count(*) FROM reports"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM persons"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM journal WHERE kind <> 'records_removed'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM retention_runs"), 3);
  ExpectReplays();
}

TEST_F(RemovalTest, TheJournalRefusesDeletesOutsideARun) {
  ReportAbout({kChildA}, "2026-03-02T08:30");
  const int64_t before = store_->JournalLength();
  EXPECT_THROW(db_->Exec("DELETE FROM journal WHERE seq = 1"), store::StoreError);
  EXPECT_THROW(db_->Exec("DELETE FROM journal"), store::StoreError);
  EXPECT_THROW(db_->Exec("UPDATE journal SET actor = 'x'"), store::StoreError);
  EXPECT_EQ(store_->JournalLength(), before);
  // The flag cannot point at a run that does not exist or has finished.
  EXPECT_THROW(db_->Exec("UPDATE retention_active SET run_id = 42"), store::StoreError);
  EXPECT_THROW(db_->Exec("DELETE FROM retention_active"), store::StoreError);

  auto run = Remove("2026-11-23");  // nobody due: the run is recorded all the same
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_TRUE(run->removed.empty());
  EXPECT_THROW(db_->Exec("UPDATE retention_active SET run_id = (SELECT max(id) FROM retention_runs)"),
               store::StoreError);
  EXPECT_THROW(db_->Exec("UPDATE retention_runs SET persons_removed = 7"), store::StoreError);
  EXPECT_THROW(db_->Exec("DELETE FROM retention_runs"), store::StoreError);
  EXPECT_THROW(db_->Exec("DELETE FROM journal WHERE seq = 1"), store::StoreError);
  EXPECT_EQ(store_->JournalLength(), before);
  EXPECT_EQ(Count("SELECT count(*) FROM retention_runs WHERE persons_removed = 0"), 1);
}

TEST_F(RemovalTest, AFailedRunLeavesEverythingAsItWas) {
  int64_t matter = ReportAbout({kChildA}, "2019-03-04T08:30")[0];
  CloseWithoutInvestigation(matter, "2019-03-05");
  ReportAbout({kChildB}, "2019-04-01T08:30");
  const int64_t a = PersonId(kChildA);
  // A table the removal does not know about still refers to A (as a table added later would): the person row
  // cannot be deleted, and the run must roll back as a whole, after it has already deleted A's journal
  // events.
  db_->Exec("CREATE TABLE later_notes (person_id INTEGER NOT NULL REFERENCES persons(id))");
  db_->Prepare("INSERT INTO later_notes (person_id) VALUES (?1)").Bind(1, a).Run();
  const std::string journal = store::DumpTable(*db_, "journal");
  const std::string persons = store::DumpTable(*db_, "persons");
  const std::string matters = store::DumpTable(*db_, "matters");

  EXPECT_THROW(Remove("2026-11-23"), store::StoreError);
  EXPECT_EQ(store::DumpTable(*db_, "journal"), journal);
  EXPECT_EQ(store::DumpTable(*db_, "persons"), persons);
  EXPECT_EQ(store::DumpTable(*db_, "matters"), matters);
  EXPECT_EQ(Count("SELECT count(*) FROM retention_runs"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM access_log"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM retention_id_floor"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM retention_active WHERE run_id IS NOT NULL"), 0);
  EXPECT_THROW(db_->Exec("DELETE FROM journal WHERE seq = 1"), store::StoreError);  // still refused
  ExpectReplays();
}

TEST_F(RemovalTest, RemovedIdsAreNeverHandedOutAgain) {
  int64_t matter = ReportAbout({kChildA}, "2019-03-04T08:30")[0];
  CloseWithoutInvestigation(matter, "2019-03-05");
  const int64_t a = PersonId(kChildA);
  const int64_t report = Count("SELECT max(id) FROM reports");
  ASSERT_TRUE(Remove("2026-11-23").ok());
  EXPECT_EQ(Count("SELECT count(*) FROM persons"), 0);

  auto again = ReportAbout({kChildB}, "2026-11-23T11:00");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_GT(PersonId(kChildB), a);
  EXPECT_GT(again[0], matter);
  EXPECT_GT(Count("SELECT max(id) FROM reports"), report);
  // The same child reported again is a new person record, not the removed one.
  ReportAbout({kChildA}, "2026-11-23T12:00");
  EXPECT_GT(PersonId(kChildA), PersonId(kChildB));
  ExpectReplays();
}

TEST_F(RemovalTest, ADryRunChangesNothing) {
  int64_t matter = ReportAbout({kChildA}, "2019-03-04T08:30")[0];
  CloseWithoutInvestigation(matter, "2019-03-05");
  const std::string journal = store::DumpTable(*db_, "journal");
  auto survey = retention::SurveyPersons(*db_, *rulebook_, Settings{}, D("2026-11-23"));
  ASSERT_TRUE(survey.ok()) << survey.status().message();
  EXPECT_EQ(survey->persons, 1);
  ASSERT_EQ(survey->due.size(), 1u);
  EXPECT_EQ(store::DumpTable(*db_, "journal"), journal);
  EXPECT_EQ(Count("SELECT count(*) FROM retention_runs"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM access_log"), 0);

  // The day before the five years have passed after 2019-03-05 nobody is due.
  auto early = retention::SurveyPersons(*db_, *rulebook_, Settings{}, D("2024-03-05"));
  EXPECT_EQ(early.status().code(), ErrorCode::kNotFound);  // 16 kap. SoL (2025:400) not in force yet
  auto anniversary = retention::SurveyPersons(*db_, *rulebook_, Settings{}, D("2025-07-01"));
  ASSERT_TRUE(anniversary.ok());
  EXPECT_EQ(anniversary->due.size(), 1u);
}

TEST_F(RemovalTest, RefusesADayAfterTodayAndARunWithoutAnActor) {
  RunContext ctx{"admin", "gallring", LocalDateTime{D("2026-11-23"), 10, 0, 0}, D("2026-11-24")};
  auto future = RunRemoval(*db_, *rulebook_, Settings{}, ctx);
  EXPECT_EQ(future.status().code(), ErrorCode::kInvalidInput);
  ctx.on = D("2026-11-23");
  ctx.actor.clear();
  EXPECT_EQ(RunRemoval(*db_, *rulebook_, Settings{}, ctx).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(Count("SELECT count(*) FROM retention_runs"), 0);
}

TEST_F(RemovalTest, KeepsTheResearchSampleAndEverythingInAResearchMunicipality) {
  int64_t matter = ReportAbout({kChildA}, "2019-03-04T08:30")[0];
  CloseWithoutInvestigation(matter, "2019-03-05");
  Settings sample;
  sample.research_sample_birth_days = {12};  // child A is born on the 12th
  auto kept = Remove("2026-11-23", sample);
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept->removed.empty());
  EXPECT_EQ(kept->survey.kept_by_rule["research-sample"], 1);
  Settings research;
  research.research_municipality = true;
  kept = Remove("2026-11-23", research);
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept->removed.empty());
  EXPECT_EQ(Count("SELECT research_municipality FROM retention_runs ORDER BY id DESC LIMIT 1"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM persons"), 1);
}

TEST_F(RemovalTest, AChildPlacedInAnHvbIsKept) {
  int64_t matter = ReportAbout({kChildA}, "2019-03-04T08:30")[0];
  SetNow("2019-03-04T09:00");
  ASSERT_TRUE(
      Step(matter, RecordProtectionAssessment,
           {{"assessed_at", "2019-03-04T09:00"}, {"immediate_need", false}, {"reasons", "Inget akut."}})
          .ok());
  SetNow("2019-03-10T10:00");
  ASSERT_TRUE(Step(matter, DecidePreliminaryAssessment,
                   {{"decision", "open_investigation"},
                    {"decided_on", "2019-03-10"},
                    {"reasons", "Allvarligt."},
                    {"decided_by", "Anna Berg"}})
                  .ok());
  SetNow("2019-06-20T10:00");
  ASSERT_TRUE(
      Step(matter, CompleteInvestigation, {{"completed_on", "2019-06-20"}, {"conclusion", "Behov."}}).ok());
  auto decision = Step(matter, RecordDecision,
                       {{"outcome", "granted"},
                        {"intervention", "hvb"},
                        {"legal_basis", "sol-11-1"},
                        {"decided_by", "Anna Berg"},
                        {"decided_on", "2019-06-20"},
                        {"reasons", "Utredningen."}});
  ASSERT_TRUE(decision.ok()) << decision.status().message();
  int64_t decision_id = decision->front().payload["decision_id"];
  auto started =
      Step(matter, StartIntervention, {{"decision_id", decision_id}, {"started_on", "2019-06-20"}});
  ASSERT_TRUE(started.ok()) << started.status().message();
  int64_t intervention_id = started->front().payload["intervention_id"];
  SetNow("2019-12-01T10:00");
  ASSERT_TRUE(Step(matter, EndIntervention,
                   {{"intervention_id", intervention_id}, {"ended_on", "2019-12-01"}, {"reason", "Hem."}})
                  .ok());
  ASSERT_TRUE(Step(matter, CloseMatter, {{"closed_on", "2019-12-01"}, {"reason", "Klart."}}).ok());

  auto facts = retention::LoadAllPersonFacts(*db_);
  ASSERT_EQ(facts.size(), 1u);
  ASSERT_EQ(facts[0].interventions.size(), 1u);
  EXPECT_EQ(facts[0].interventions[0].code, "hvb");
  EXPECT_EQ(FormatDate(*facts[0].last_entry), "2019-12-01");
  ASSERT_EQ(facts[0].matters.size(), 1u);
  EXPECT_FALSE(facts[0].matters[0].open);
  EXPECT_TRUE(facts[0].matters[0].investigation_started_on.has_value());

  auto run = Remove("2026-11-23");
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_TRUE(run->removed.empty());
  EXPECT_EQ(run->survey.kept_by_rule["placement"], 1);  // 16 kap. 2 § 3 SoL
}

TEST_F(RemovalTest, EveryTableIsEitherRemovedPerPersonOrHoldsNoPersonRecords) {
  std::set<std::string> known;
  for (auto t : retention::TablesRemovedPerPerson()) known.emplace(t);
  for (auto t : retention::TablesWithoutPersonRecords()) known.emplace(t);
  std::vector<std::string> unknown;
  for (const auto& table : testing::TableNames(*db_)) {
    if (!known.count(table)) unknown.push_back(table);
  }
  EXPECT_TRUE(unknown.empty())
      << "decide whether gallring (src/retention/removal.cpp) must delete rows from: "
      << fmt::format("{}", fmt::join(unknown, ", "));
}

}  // namespace
}  // namespace nysol::testing
