// The synthetic municipality, generated through the real commands into a real store and then read back with
// SQL: calibrated on the national figures (standards.md §3: ≈190 reports per 1,000 children a year, ≈1.9
// reports per reported child, ≈38 % of reports leading to an investigation, a quarter to a third of
// investigations over four months, fewer reports in July and at weekends), synthetic identity numbers only,
// no refused command, deterministic for a seed, and a journal that replays to the same current state.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/identity_number.h"
#include "core/rulebook.h"
#include "store/case_store.h"
#include "store/replay.h"
#include "store/schema.h"
#include "store/db.h"
#include "synth/municipality.h"
#include "test_database.h"

namespace nysol::synth {
namespace {

constexpr int kPersons = 3000;
constexpr int kYears = 3;
constexpr uint64_t kSeed = 20260301;
constexpr const char* kEnd = "2026-03-01";

struct Generated {
  std::unique_ptr<store::CaseStore> store;
  std::unique_ptr<store::Db> db;  // a separate connection for the test's own queries
  MunicipalityStats stats;
  std::vector<Date> progress;
};

std::filesystem::path TestDir() {
  return std::filesystem::temp_directory_path() / ("nysol-synth-test-" + std::to_string(::getpid()));
}

// Generates a municipality into a new database file `name` in the test directory.
Generated Generate(const Rulebook& rulebook, const std::string& name, int persons, int years, uint64_t seed) {
  auto path = TestDir() / name;
  std::filesystem::remove(path);
  auto store = store::CaseStore::Open(testing::TestDatabase(path.parent_path(), path.filename().string()));
  EXPECT_TRUE(store.ok()) << store.status().message();
  if (!store.ok()) return {};
  Generated generated;
  generated.store = std::move(*store);
  MunicipalityOptions options{persons, years, seed, *ParseDate(kEnd)};
  generated.stats = GenerateMunicipality(*generated.store, rulebook, options,
                                         [&](Date day) { generated.progress.push_back(day); });
  auto db = store::OpenDb(testing::TestDatabase(path.parent_path(), path.filename().string()));
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (db.ok()) generated.db = std::move(*db);
  return generated;
}

int64_t QueryInt(store::Db& db, const std::string& sql) {
  auto& st = db.Prepare(sql);
  EXPECT_TRUE(st.Step()) << sql;
  int64_t value = st.IsNull(0) ? 0 : st.Int(0);
  st.Reset();
  return value;
}

std::string QueryText(store::Db& db, const std::string& sql) {
  auto& st = db.Prepare(sql);
  EXPECT_TRUE(st.Step()) << sql;
  std::string value = st.IsNull(0) ? "" : st.Text(0);
  st.Reset();
  return value;
}

class MunicipalityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::filesystem::remove_all(TestDir());
    std::filesystem::create_directories(TestDir());
    auto loaded = Rulebook::Load(Rulebook::DefaultPath());
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    rulebook_ = new Rulebook(std::move(*loaded));
    auto started = std::chrono::steady_clock::now();
    town_ = new Generated(Generate(*rulebook_, "town.db", kPersons, kYears, kSeed));
    generate_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  static void TearDownTestSuite() {
    delete town_;
    town_ = nullptr;
    delete rulebook_;
    rulebook_ = nullptr;
    std::filesystem::remove_all(TestDir());
  }
  void SetUp() override {
    ASSERT_NE(town_, nullptr);
    ASSERT_NE(town_->db, nullptr);
  }

  store::Db& db() { return *town_->db; }
  const MunicipalityStats& stats() { return town_->stats; }

  static Rulebook* rulebook_;
  static Generated* town_;
  static double generate_seconds_;
};

Rulebook* MunicipalityTest::rulebook_ = nullptr;
Generated* MunicipalityTest::town_ = nullptr;
double MunicipalityTest::generate_seconds_ = 0;

TEST_F(MunicipalityTest, EveryGeneratedCommandIsAccepted) {
  EXPECT_EQ(stats().refused_commands, 0);
  EXPECT_GT(stats().commands, 10000);  // 3,000 persons over 3 years: thousands of reports, each several steps
  std::cerr << "generated " << stats().commands << " commands, " << stats().events << " events in "
            << generate_seconds_ << " s\n";
}

TEST_F(MunicipalityTest, StatsAgreeWithTheDatabase) {
  EXPECT_EQ(stats().events, town_->store->JournalLength());
  EXPECT_EQ(stats().events, QueryInt(db(), "SELECT COUNT(*) FROM journal"));
  EXPECT_EQ(stats().persons, QueryInt(db(), "SELECT COUNT(*) FROM persons"));
  EXPECT_EQ(stats().child_reports, QueryInt(db(), "SELECT COUNT(*) FROM reports"));
  EXPECT_EQ(stats().applications, QueryInt(db(), "SELECT COUNT(*) FROM applications"));
  // One child per generated report: every report has exactly one subject.
  EXPECT_EQ(stats().child_reports, QueryInt(db(), "SELECT COUNT(*) FROM report_subjects"));
  // "About" the requested number of persons on record.
  EXPECT_GT(stats().persons, kPersons * 8 / 10);
  EXPECT_LT(stats().persons, kPersons * 12 / 10);
}

TEST_F(MunicipalityTest, HistoryLiesWithinTheRequestedYearsEndingOnTheEndDate) {
  Date end = *ParseDate(kEnd);
  std::string first = QueryText(db(), "SELECT MIN(received_on) FROM matters");
  std::string last = QueryText(db(), "SELECT MAX(substr(occurred_at, 1, 10)) FROM journal");
  ASSERT_EQ(first.size(), 10u);
  ASSERT_EQ(last.size(), 10u);
  EXPECT_GE(first, FormatDate(AddDays(AddMonths(end, -12 * kYears), 1)));
  EXPECT_LE(first, FormatDate(AddDays(AddMonths(end, -12 * kYears), 7)));  // reports arrive every week
  EXPECT_LE(last, kEnd);
  EXPECT_GE(last, FormatDate(AddDays(end, -3)));
  // The progress callback saw the simulated days in order, from the start to near the end.
  ASSERT_FALSE(town_->progress.empty());
  EXPECT_EQ(FormatDate(town_->progress.front()), FormatDate(AddDays(AddMonths(end, -12 * kYears), 1)));
  for (size_t i = 1; i < town_->progress.size(); ++i) {
    EXPECT_LT(std::chrono::sys_days{town_->progress[i - 1]}, std::chrono::sys_days{town_->progress[i]});
  }
  EXPECT_LE(std::chrono::sys_days{town_->progress.back()}, std::chrono::sys_days{end});
}

// ≈1.9 reports per reported child: 331k reports about 180k children in 2018, 422k about 216k in 2021. Those
// are yearly figures; over several years a child collects more, never fewer (the ratio over a longer period
// is at least the weighted mean of its years' ratios). So the whole history gives a lower bound only.
TEST_F(MunicipalityTest, ReportsPerReportedChildOverTheHistoryIsAtLeastTheYearlyFigure) {
  int64_t reports = QueryInt(db(), "SELECT COUNT(*) FROM report_subjects");
  int64_t children = QueryInt(db(), "SELECT COUNT(DISTINCT person_id) FROM report_subjects");
  ASSERT_GT(children, 0);
  double ratio = static_cast<double>(reports) / static_cast<double>(children);
  std::cerr << "reports per reported child over " << kYears << " years: " << ratio << " (" << reports << " / "
            << children << ")\n";
  EXPECT_GE(ratio, 1.6);
}

// The national ratio is a yearly one (reports in a year / children reported that year), so it must hold for a
// year of the history too, not only for the whole of it. Equivalently: at 190 reports per 1,000 children,
// about 100 of every 1,000 children are reported in a year (216k of ≈2.2M in 2021), not 150.
TEST_F(MunicipalityTest, AboutOnePointNineReportsPerReportedChildInAYear) {
  std::string from = FormatDate(AddDays(AddMonths(*ParseDate(kEnd), -12), 1));  // the last twelve months
  std::string where =
      " FROM report_subjects s JOIN reports r ON r.id = s.report_id WHERE substr(r.received_at, 1, 10) >= '" +
      from + "'";
  int64_t reports = QueryInt(db(), "SELECT COUNT(*)" + where);
  int64_t children = QueryInt(db(), "SELECT COUNT(DISTINCT s.person_id)" + where);
  ASSERT_GT(children, 0);
  double ratio = static_cast<double>(reports) / static_cast<double>(children);
  std::cerr << "reports per reported child in the twelve months from " << from << ": " << ratio << " ("
            << reports << " / " << children << ")\n";
  EXPECT_GE(ratio, 1.6);
  EXPECT_LE(ratio, 2.2);
}

// implied_children is the child population at 190 reports per 1,000 children a year (the run's own contract).
TEST_F(MunicipalityTest, ImpliedChildrenMatchOneHundredNinetyReportsPerThousandAYear) {
  ASSERT_GT(stats().implied_children, 0);
  double per_thousand = 1000.0 * static_cast<double>(stats().child_reports) /
                        static_cast<double>(stats().implied_children) / kYears;
  EXPECT_NEAR(per_thousand, 190, 1);
}

// 38 % of reports led to a decision to open an investigation (128,000 of 331,000 in 2018). A report that
// arrives while an investigation is running joins it (20 kap. 2 §): it did not lead to one, and is counted
// apart.
TEST_F(MunicipalityTest, AboutThirtyEightPercentOfReportsLeadToAnInvestigation) {
  int64_t reports = QueryInt(db(), "SELECT COUNT(*) FROM report_subjects");
  auto count = [&](const char* outcome) {
    return QueryInt(db(),
                    std::string("SELECT COUNT(*) FROM report_subjects WHERE outcome = '") + outcome + "'");
  };
  int64_t opened = count("investigation_opened");
  int64_t joined = count("attached_to_investigation");
  int64_t not_opened = count("no_investigation");
  int64_t pending = count("pending");
  ASSERT_GT(reports, 0);
  EXPECT_EQ(opened + joined + not_opened + pending, reports);  // no other outcome
  auto share = [&](int64_t n) { return static_cast<double>(n) / static_cast<double>(reports); };
  std::cerr << "reports that opened an investigation: " << share(opened)
            << ", joined a running one: " << share(joined) << ", no investigation: " << share(not_opened)
            << ", pending: " << share(pending) << "\n";
  EXPECT_GE(share(opened), 0.30);
  EXPECT_LE(share(opened), 0.46);
  EXPECT_GE(share(not_opened), 0.25);  // many were assessed and not investigated
  EXPECT_GT(share(joined), 0.02);      // children reported again while investigated: it happens
  EXPECT_LT(share(pending), 0.03);     // only reports from the last days before the end date are undecided
  // The outcome agrees with the matter: reports that opened or joined an investigation sit in a matter that
  // had one; reports not investigated sit in a matter closed by that decision.
  EXPECT_EQ(opened + joined,
            QueryInt(db(),
                     "SELECT COUNT(*) FROM report_subjects s JOIN matters m ON m.id = s.matter_id "
                     "WHERE m.investigation_started_on IS NOT NULL"));
  EXPECT_EQ(not_opened,
            QueryInt(db(),
                     "SELECT COUNT(*) FROM report_subjects s JOIN matters m ON m.id = s.matter_id "
                     "WHERE m.preliminary_decision = 'no_investigation' AND m.phase = 'closed'"));
  // Every investigation of a child's matter was opened by a preliminary assessment (20 kap. 2 § SoL).
  EXPECT_EQ(0,
            QueryInt(db(),
                     "SELECT COUNT(*) FROM matters WHERE kind = 'child' AND "
                     "investigation_started_on IS NOT NULL AND "
                     "(preliminary_decision IS NOT 'open_investigation' OR preliminary_decided_on IS NULL)"));
}

// Nationally a quarter to a third of child investigations take more than four months (20 kap. 3 § SoL);
// some are extended with special reasons, and some are simply late.
TEST_F(MunicipalityTest, ARealisticShareOfInvestigationsRunsLate) {
  auto& st = db().Prepare(
      "SELECT investigation_started_on, investigation_due, investigation_completed_on, "
      "investigation_extensions "
      "FROM matters WHERE kind = 'child' AND investigation_completed_on IS NOT NULL");
  int64_t completed = 0, over_four_months = 0, after_due = 0, extended = 0, due_not_four_months = 0;
  while (st.Step()) {
    ++completed;
    Date started = *ParseDate(st.Text(0));
    Date due = *ParseDate(st.Text(1));
    Date done = *ParseDate(st.Text(2));
    bool was_extended = st.Int(3) > 0;
    auto four_months = std::chrono::sys_days{AddMonths(started, 4)};
    if (std::chrono::sys_days{done} > four_months) ++over_four_months;
    if (std::chrono::sys_days{done} > std::chrono::sys_days{due}) ++after_due;
    if (was_extended) ++extended;
    // Without an extension the due date is exactly four months after the start.
    if (!was_extended && std::chrono::sys_days{due} != four_months) ++due_not_four_months;
  }
  st.Reset();
  ASSERT_GT(completed, 300);
  double over_share = static_cast<double>(over_four_months) / static_cast<double>(completed);
  double late_share = static_cast<double>(after_due) / static_cast<double>(completed);
  double extended_share = static_cast<double>(extended) / static_cast<double>(completed);
  std::cerr << "completed child investigations: " << completed << ", over four months: " << over_share
            << ", after their (extended) due date: " << late_share << ", extended: " << extended_share
            << "\n";
  EXPECT_EQ(due_not_four_months, 0);
  EXPECT_GE(over_share, 0.20);
  EXPECT_LE(over_share, 0.40);
  EXPECT_GE(late_share, 0.05);        // some are late …
  EXPECT_LT(late_share, over_share);  // … but extensions cover part of the long ones
  EXPECT_GT(extended_share, 0.05);    // 20 kap. 3 §: extensions with special reasons are used
}

// Fewer reports in July (summer holidays) than in the autumn term, and fewer on weekends than on weekdays.
TEST_F(MunicipalityTest, ReportsFollowTheSeasons) {
  auto& st = db().Prepare("SELECT substr(received_at, 1, 10) FROM reports");
  std::map<unsigned, int64_t> per_month;
  int64_t weekday_reports = 0, weekend_reports = 0;
  while (st.Step()) {
    Date day = *ParseDate(st.Text(0));
    ++per_month[static_cast<unsigned>(day.month())];
    auto weekday = std::chrono::weekday{std::chrono::sys_days{day}}.c_encoding();
    (weekday == 0 || weekday == 6 ? weekend_reports : weekday_reports) += 1;
  }
  st.Reset();
  double july = static_cast<double>(per_month[7]);
  double autumn = static_cast<double>(per_month[9] + per_month[10]) / 2.0;
  std::cerr << "reports in July: " << july << ", mean of September and October: " << autumn << "\n";
  ASSERT_GT(autumn, 0);
  EXPECT_LT(july, 0.75 * autumn);
  EXPECT_GT(july, 0.3 * autumn);  // lower, not absent
  // Per day: five weekdays and two weekend days a week.
  double weekday_rate = static_cast<double>(weekday_reports) / 5.0;
  double weekend_rate = static_cast<double>(weekend_reports) / 2.0;
  EXPECT_LT(weekend_rate, 0.6 * weekday_rate);
  EXPECT_GT(weekend_rate, 0.1 * weekday_rate);
}

// Identity numbers are synthetic: valid personnummer (date and Luhn) with birth numbers 980–999.
TEST_F(MunicipalityTest, EveryIdentityNumberIsValidAndSynthetic) {
  Date end = *ParseDate(kEnd);
  auto& st = db().Prepare(
      "SELECT identity_number, identity_kind, birth_date, sex FROM persons WHERE identity_number IS NOT "
      "NULL");
  int64_t checked = 0;
  while (st.Step()) {
    ++checked;
    std::string digits = st.Text(0);
    auto parsed = ParseIdentityNumber(digits, end);
    ASSERT_TRUE(parsed.ok()) << digits << ": " << parsed.status().message();
    EXPECT_EQ(parsed->digits, digits);
    EXPECT_EQ(parsed->kind, IdentityKind::kPersonnummer) << digits;
    EXPECT_EQ(st.Text(1), "personnummer") << digits;
    int birth_number = std::stoi(digits.substr(8, 3));
    EXPECT_GE(birth_number, 980) << digits;
    EXPECT_LE(birth_number, 999) << digits;
    EXPECT_EQ(st.OptText(2), FormatDate(parsed->birth_date)) << digits;
    EXPECT_EQ(st.OptText(3), std::string(LegalSexName(parsed->sex))) << digits;
  }
  st.Reset();
  EXPECT_GT(checked, kPersons * 7 / 10);
  EXPECT_EQ(checked, QueryInt(db(), "SELECT COUNT(DISTINCT identity_number) FROM persons"));
  // The rest are children reported without a known identity (≈2 % of reports).
  int64_t unknown = QueryInt(db(), "SELECT COUNT(*) FROM persons WHERE identity_number IS NULL");
  EXPECT_EQ(unknown, QueryInt(db(), "SELECT COUNT(*) FROM persons WHERE identity_kind = 'unknown'"));
  EXPECT_GT(unknown, 0);
  EXPECT_LT(unknown, stats().child_reports / 20);
}

TEST_F(MunicipalityTest, TheJournalReplaysToTheStoredState) {
  auto replayed = store::VerifyReplay(db());
  ASSERT_TRUE(replayed.ok()) << replayed.status().message();
  EXPECT_EQ(replayed->events, stats().events);
  int64_t rows = 0;
  for (auto table : store::ProjectionTables()) {
    rows += QueryInt(db(), "SELECT COUNT(*) FROM " + std::string(table));
  }
  EXPECT_EQ(replayed->rows_compared, rows);
}

// The projection updates matters.next_due only after the events that change what it is computed from: across
// a whole generated history every matter's stored value is still the expression's.
TEST_F(MunicipalityTest, EveryMattersNextDueDateIsWhatItsStateSays) {
  EXPECT_GT(QueryInt(db(), "SELECT COUNT(*) FROM matters WHERE next_due <> '9999-12-31'"), 0);
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(*) FROM matters WHERE next_due <> " + std::string(store::kNextDueSql)), 0);
}

TEST_F(MunicipalityTest, TheSameSeedGivesTheSameJournalAndAnotherSeedDoesNot) {
  Generated again = Generate(*rulebook_, "again.db", kPersons, kYears, kSeed);
  ASSERT_NE(again.db, nullptr);
  EXPECT_EQ(again.stats.commands, stats().commands);
  EXPECT_EQ(again.stats.events, stats().events);
  int64_t rows = 0;
  std::string journal = store::DumpTable(db(), "journal", &rows);
  EXPECT_EQ(rows, stats().events);
  // Compared as a whole, not with EXPECT_EQ, to keep a failure's output readable.
  EXPECT_TRUE(journal == store::DumpTable(*again.db, "journal")) << "same seed, different journal";
  for (auto table : store::ProjectionTables()) {
    EXPECT_TRUE(store::DumpTable(db(), table) == store::DumpTable(*again.db, table)) << table;
  }

  // A different seed: the journal must differ in content from its first events on, not only in length.
  Generated other = Generate(*rulebook_, "other.db", kPersons, kYears, kSeed + 1);
  ASSERT_NE(other.db, nullptr);
  EXPECT_EQ(other.stats.refused_commands, 0);
  std::string other_journal = store::DumpTable(*other.db, "journal");
  EXPECT_FALSE(journal == other_journal) << "a different seed gave the same journal";
  EXPECT_NE(journal.substr(0, 4096), other_journal.substr(0, 4096));
}

}  // namespace
}  // namespace nysol::synth
