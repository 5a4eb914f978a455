#include "core/rulebook.h"

#include <cstdlib>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace nysol {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using ::testing::HasSubstr;

Date D(int y, unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; }

// A small valid rulebook; tests replace one placeholder at a time to make it invalid.
constexpr const char* kTemplate = R"json({
  "version": "test.1",
  "law": "Socialtjänstlag (2025:400)",
  "periods": [
    {"id": "preliminary-assessment", "name_sv": "Förhandsbedömning", "unit": "days", "amount": 14,
     "shift_to_working_day": false, "law_ref": "20 kap. 2 § SoL", "valid_from": "2025-07-01",
     "valid_to": "2026-03-01"},
    {"id": "preliminary-assessment", "name_sv": "Förhandsbedömning", "unit": "days", "amount": 10,
     "shift_to_working_day": false, "law_ref": "20 kap. 2 § SoL (ändrad)", "valid_from": "2026-03-01"},
    {"id": "appeal", "name_sv": "Överklagande", "unit": "weeks", "amount": 3, "shift_to_working_day": true,
     "law_ref": "44 § FL", "valid_from": "2025-07-01"},
    {"id": "investigation", "name_sv": "Utredning", "unit": "months", "amount": 4,
     "shift_to_working_day": false, "law_ref": "20 kap. 3 § SoL", "valid_from": "2025-07-01"}
    PERIOD
  ],
  "years": [
    {"id": "child-age-limit", "name_sv": "Barn", "years": 18, "law_ref": "3 kap. 1 § SoL",
     "valid_from": "2025-07-01"}
    YEARS
  ],
  "codes": {
    "channel": [
      {"code": "phone", "name_sv": "Telefon", "valid_from": "2025-07-01"},
      {"code": "letter", "name_sv": "Brev", "valid_from": "2025-07-01", "valid_to": "2026-01-01"},
      {"code": "e_service", "name_sv": "E-tjänst", "valid_from": "2026-01-01"}
      CODE
    ],
    "legal_basis": [
      {"code": "sol-11-1", "name_sv": "Bistånd", "law_ref": "11 kap. 1 § SoL", "appealable": true,
       "valid_from": "2025-07-01"}
    ]
  }
})json";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t pos = text.find(from);
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

// The template with one extra entry (which starts with a comma) in PERIOD, YEARS or CODE.
std::string With(const std::string& placeholder = "", const std::string& entry = "") {
  std::string text = kTemplate;
  for (const char* p : {"PERIOD", "YEARS", "CODE"}) text = Replace(text, p, p == placeholder ? entry : "");
  return text;
}

std::string Period(const std::string& fields) {
  return R"(, {"id": "x", "name_sv": "X", "law_ref": "1 §", "valid_from": "2025-07-01", )" + fields + "}";
}

Status ParseStatus(const std::string& text) {
  auto book = Rulebook::Parse(text);
  return book.ok() ? Status::Ok() : book.status();
}

TEST(RulebookParseTest, TemplateIsValid) {
  auto book = Rulebook::Parse(With());
  ASSERT_TRUE(book.ok()) << book.status().message();
  EXPECT_EQ(book->version(), "test.1");
  EXPECT_EQ(book->periods().size(), 4u);
  EXPECT_EQ(book->years().size(), 1u);
}

TEST(RulebookParseTest, NotJson) {
  EXPECT_EQ(ParseStatus("{\"version\": ").code(), ErrorCode::kMalformedJson);
  EXPECT_EQ(ParseStatus("").code(), ErrorCode::kMalformedJson);
}

TEST(RulebookParseTest, WrongShape) {
  EXPECT_EQ(ParseStatus("[]").code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(ParseStatus(R"({"version": "1", "periods": [], "years": []})").code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(ParseStatus(R"({"version": "1", "periods": {}, "years": [], "codes": {}})").code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(ParseStatus(R"({"periods": [], "years": [], "codes": {}})").code(), ErrorCode::kInvalidInput);
  EXPECT_TRUE(ParseStatus(R"({"version": "1", "periods": [], "years": [], "codes": {}})").ok());
}

struct BadEntry {
  const char* name;
  const char* placeholder;
  std::string entry;
  const char* message_part;  // the message must name the entry and the problem
};

class RulebookBadEntryTest : public ::testing::TestWithParam<BadEntry> {};

TEST_P(RulebookBadEntryTest, RejectedWithEntryNamed) {
  const BadEntry& c = GetParam();
  const Status status = ParseStatus(With(c.placeholder, c.entry));
  EXPECT_EQ(status.code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(status.message(), HasSubstr(c.message_part));
}

INSTANTIATE_TEST_SUITE_P(
    Rulebook, RulebookBadEntryTest,
    ::testing::Values(
        BadEntry{"MissingId", "PERIOD",
                 R"(, {"name_sv": "X", "unit": "days", "amount": 1, "shift_to_working_day": false,
                      "law_ref": "1 §", "valid_from": "2025-07-01"})",
                 "periods[4]: missing \"id\""},
        BadEntry{"MissingLawRef", "PERIOD",
                 R"(, {"id": "x", "name_sv": "X", "unit": "days", "amount": 1, "shift_to_working_day": false,
                      "valid_from": "2025-07-01"})",
                 "periods[4] (x): missing \"law_ref\""},
        BadEntry{"EmptyLawRef", "PERIOD",
                 R"(, {"id": "x", "name_sv": "X", "unit": "days", "amount": 1, "shift_to_working_day": false,
                      "law_ref": "", "valid_from": "2025-07-01"})",
                 "periods[4] (x): \"law_ref\" must not be empty"},
        BadEntry{"MissingValidFrom", "PERIOD",
                 R"(, {"id": "x", "name_sv": "X", "unit": "days", "amount": 1, "shift_to_working_day": false,
                      "law_ref": "1 §"})",
                 "periods[4] (x): missing \"valid_from\""},
        BadEntry{"ImpossibleValidFrom", "PERIOD",
                 R"(, {"id": "x", "name_sv": "X", "unit": "days", "amount": 1, "shift_to_working_day": false,
                      "law_ref": "1 §", "valid_from": "2026-02-30"})",
                 "periods[4] (x): \"valid_from\""},
        BadEntry{
            "ValidToBeforeFrom", "PERIOD",
            Period(R"("unit": "days", "amount": 1, "shift_to_working_day": false, "valid_to": "2025-07-01")"),
            "\"valid_to\" must be after \"valid_from\""},
        BadEntry{"BadUnit", "PERIOD",
                 Period(R"("unit": "month", "amount": 1, "shift_to_working_day": false)"),
                 "periods[4] (x): \"unit\" must be days, weeks or months"},
        BadEntry{"NegativeAmount", "PERIOD",
                 Period(R"("unit": "days", "amount": -1, "shift_to_working_day": false)"),
                 "periods[4] (x): \"amount\""},
        BadEntry{"FractionalAmount", "PERIOD",
                 Period(R"("unit": "months", "amount": 1.5, "shift_to_working_day": false)"), "whole number"},
        BadEntry{"AmountAsString", "PERIOD",
                 Period(R"("unit": "days", "amount": "14", "shift_to_working_day": false)"),
                 "\"amount\" must be a whole number"},
        BadEntry{"MissingShift", "PERIOD", Period(R"("unit": "days", "amount": 1)"),
                 "missing \"shift_to_working_day\""},
        BadEntry{
            "UnknownField", "PERIOD",
            Period(
                R"("unit": "days", "amount": 1, "shift_to_working_day": false, "valid_too": "2027-01-01")"),
            "unknown field \"valid_too\""},
        BadEntry{
            "DuplicateIdAndValidFrom", "PERIOD",
            R"(, {"id": "appeal", "name_sv": "Ö", "unit": "weeks", "amount": 2, "shift_to_working_day": true,
                      "law_ref": "44 § FL", "valid_from": "2025-07-01"})",
            "periods[4] (appeal): a period with this id and valid_from 2025-07-01 already exists"},
        BadEntry{"ZeroYears", "YEARS",
                 R"(, {"id": "y", "name_sv": "Y", "years": 0, "law_ref": "1 §", "valid_from": "2025-07-01"})",
                 "years[1] (y): \"years\""},
        BadEntry{"DuplicateYears", "YEARS",
                 R"(, {"id": "child-age-limit", "name_sv": "Barn", "years": 18, "law_ref": "3 kap. 1 § SoL",
                      "valid_from": "2025-07-01"})",
                 "years[1] (child-age-limit)"},
        BadEntry{"CodeWithoutName", "CODE", R"(, {"code": "fax", "valid_from": "2025-07-01"})",
                 "codes.channel[3] (fax): missing \"name_sv\""},
        BadEntry{"DuplicateCode", "CODE",
                 R"(, {"code": "phone", "name_sv": "Tel", "valid_from": "2025-07-01"})",
                 "codes.channel[3] (phone)"},
        BadEntry{"AppealableNotBool", "CODE",
                 R"(, {"code": "fax", "name_sv": "Fax", "appealable": "yes", "valid_from": "2025-07-01"})",
                 "\"appealable\" must be true or false"}),
    [](const ::testing::TestParamInfo<BadEntry>& param_info) { return std::string(param_info.param.name); });

TEST(RulebookParseTest, ZeroAmountIsAllowedForPeriods) {
  EXPECT_TRUE(
      ParseStatus(With("PERIOD", Period(R"("unit": "days", "amount": 0, "shift_to_working_day": false)")))
          .ok());
}

TEST(RulebookParseTest, SameIdWithAnotherValidFromIsAllowed) {
  EXPECT_TRUE(ParseStatus(With("PERIOD", R"(, {"id": "appeal", "name_sv": "Ö", "unit": "weeks", "amount": 2,
      "shift_to_working_day": true, "law_ref": "44 § FL", "valid_from": "2027-01-01"})"))
                  .ok());
}

class RulebookLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = Rulebook::Parse(With());
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    book_ = std::move(parsed).value();
  }
  Rulebook book_;
};

// Two versions of preliminary-assessment: 14 days until 2026-02-28, 10 days from 2026-03-01.
TEST_F(RulebookLookupTest, EffectiveDatingBothSidesOfValidFrom) {
  auto before = book_.Period("preliminary-assessment", D(2026, 2, 28));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->amount, 14);
  auto on = book_.Period("preliminary-assessment", D(2026, 3, 1));
  ASSERT_TRUE(on.ok());
  EXPECT_EQ(on->amount, 10);
  EXPECT_EQ(on->law_ref, "20 kap. 2 § SoL (ändrad)");
  auto later = book_.Period("preliminary-assessment", D(2030, 1, 1));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->amount, 10);
}

TEST_F(RulebookLookupTest, NothingInForceBeforeTheFirstVersion) {
  auto r = book_.Period("preliminary-assessment", D(2025, 6, 30));
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("2025-06-30"));
  EXPECT_TRUE(book_.Period("preliminary-assessment", D(2025, 7, 1)).ok());
}

TEST_F(RulebookLookupTest, LatestValidFromWinsWhenVersionsOverlap) {
  auto parsed =
      Rulebook::Parse(With("PERIOD", R"(, {"id": "appeal", "name_sv": "Ö", "unit": "weeks", "amount": 2,
      "shift_to_working_day": true, "law_ref": "ny", "valid_from": "2027-01-01"})"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->Period("appeal", D(2026, 12, 31))->amount, 3);
  EXPECT_EQ(parsed->Period("appeal", D(2027, 1, 1))->amount, 2);
}

TEST_F(RulebookLookupTest, UnknownRuleListsKnownOnes) {
  auto r = book_.Period("no-such-rule", D(2026, 1, 1));
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("no-such-rule"));
  EXPECT_THAT(r.status().message(), HasSubstr("appeal, investigation, preliminary-assessment"));
}

TEST_F(RulebookLookupTest, Years) {
  auto r = book_.Years("child-age-limit", D(2026, 1, 1));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->years, 18);
  EXPECT_EQ(r->law_ref, "3 kap. 1 § SoL");
  EXPECT_EQ(book_.Years("child-age-limit", D(2025, 1, 1)).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(book_.Years("nope", D(2026, 1, 1)).status().code(), ErrorCode::kNotFound);
}

TEST_F(RulebookLookupTest, CodesByDate) {
  auto phone = book_.Lookup("channel", "phone", D(2026, 1, 1));
  ASSERT_TRUE(phone.ok());
  EXPECT_EQ(phone->name_sv, "Telefon");
  EXPECT_EQ(phone->list, "channel");

  // valid_to is exclusive: the letter code ends on 2025-12-31.
  EXPECT_TRUE(book_.Lookup("channel", "letter", D(2025, 12, 31)).ok());
  auto letter = book_.Lookup("channel", "letter", D(2026, 1, 1));
  EXPECT_EQ(letter.status().code(), ErrorCode::kUnknownCode);
  EXPECT_THAT(letter.status().message(), HasSubstr("valid codes: phone, e_service"));

  EXPECT_EQ(book_.Lookup("channel", "e_service", D(2025, 12, 31)).status().code(), ErrorCode::kUnknownCode);
  EXPECT_EQ(book_.Lookup("no_list", "phone", D(2026, 1, 1)).status().code(), ErrorCode::kNotFound);

  std::vector<std::string> codes;
  for (const Code& c : book_.Codes("channel", D(2025, 12, 31))) codes.push_back(c.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"phone", "letter"}));
  EXPECT_TRUE(book_.Codes("no_list", D(2026, 1, 1)).empty());

  auto basis = book_.Lookup("legal_basis", "sol-11-1", D(2026, 1, 1));
  ASSERT_TRUE(basis.ok());
  EXPECT_TRUE(basis->appealable);
  EXPECT_FALSE(phone->appealable);
}

PeriodRule Rule(PeriodUnit unit, int amount, bool shift) {
  PeriodRule rule;
  rule.id = "test";
  rule.unit = unit;
  rule.amount = amount;
  rule.shift_to_working_day = shift;
  return rule;
}

TEST(PeriodEndTest, Units) {
  EXPECT_EQ(PeriodEnd(Rule(PeriodUnit::kDays, 14, false), D(2025, 12, 24)), D(2026, 1, 7));
  EXPECT_EQ(PeriodEnd(Rule(PeriodUnit::kDays, 0, false), D(2026, 1, 3)), D(2026, 1, 3));
  EXPECT_EQ(PeriodEnd(Rule(PeriodUnit::kWeeks, 3, false), D(2026, 12, 4)), D(2026, 12, 25));
  EXPECT_EQ(PeriodEnd(Rule(PeriodUnit::kMonths, 4, false), D(2026, 10, 31)), D(2027, 2, 28));
  EXPECT_EQ(PeriodEnd(Rule(PeriodUnit::kMonths, 4, false), D(2027, 10, 31)), D(2028, 2, 29));
  EXPECT_EQ(PeriodEnd(Rule(PeriodUnit::kMonths, 4, false), D(2026, 1, 31)), D(2026, 5, 31));
}

TEST(PeriodEndTest, ShiftToWorkingDay) {
  EXPECT_EQ(PeriodEnd(Rule(PeriodUnit::kWeeks, 3, true), D(2026, 12, 4)), D(2026, 12, 28));  // Juldagen
  EXPECT_EQ(PeriodEnd(Rule(PeriodUnit::kDays, 14, true), D(2026, 1, 24)), D(2026, 2, 9));    // Saturday
  EXPECT_EQ(PeriodEnd(Rule(PeriodUnit::kMonths, 1, true), D(2026, 5, 19)), D(2026, 6, 22));  // midsommarafton
  EXPECT_EQ(PeriodEnd(Rule(PeriodUnit::kDays, 14, true), D(2026, 1, 20)), D(2026, 2, 3));    // a working day
}

TEST(RulebookLoadTest, MissingFile) {
  auto r = Rulebook::Load("/nonexistent/rulebook.json");
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("/nonexistent/rulebook.json"));
}

TEST(RulebookLoadTest, DefaultPathHonoursEnvironment) {
  const char* saved = std::getenv("NYSOL_RULEBOOK");
  const std::string saved_value = saved != nullptr ? saved : "";
  ::setenv("NYSOL_RULEBOOK", "/tmp/other-rulebook.json", 1);
  EXPECT_EQ(Rulebook::DefaultPath(), "/tmp/other-rulebook.json");
  ::unsetenv("NYSOL_RULEBOOK");
  EXPECT_EQ(Rulebook::DefaultPath(), std::string(NYSOL_SOURCE_DIR) + "/rulebook/rulebook.json");
  if (saved != nullptr) ::setenv("NYSOL_RULEBOOK", saved_value.c_str(), 1);
}

// The shipped rulebook/rulebook.json.
class RealRulebookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = Rulebook::Load(std::string(NYSOL_SOURCE_DIR) + "/rulebook/rulebook.json");
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    book_ = std::move(loaded).value();
  }
  Rulebook book_;
};

struct ExpectedPeriod {
  const char* id;
  PeriodUnit unit;
  int amount;
  bool shift;
  const char* law_ref;
  Date valid_from;
};

TEST_F(RealRulebookTest, ContainsEveryPeriod) {
  const ExpectedPeriod expected[] = {
      {"protection-assessment", PeriodUnit::kDays, 1, false, "20 kap. 1 § SoL", D(2025, 7, 1)},
      {"preliminary-assessment", PeriodUnit::kDays, 14, false, "20 kap. 2 § SoL", D(2025, 7, 1)},
      {"investigation", PeriodUnit::kMonths, 4, false, "20 kap. 3 § SoL", D(2025, 7, 1)},
      {"appeal", PeriodUnit::kWeeks, 3, true, "44 § förvaltningslagen (2017:900); lag (1930:173)",
       D(2018, 7, 1)},
      {"reporter-feedback", PeriodUnit::kWeeks, 1, false, "19 kap. 6 § SoL", D(2026, 1, 15)},
      {"follow-up-after-investigation", PeriodUnit::kMonths, 6, false, "23 kap. 5 § SoL", D(2025, 7, 1)},
      {"non-execution-report", PeriodUnit::kMonths, 3, false, "34 kap. 1 § SoL", D(2025, 7, 1)},
      {"jourhem-after-investigation", PeriodUnit::kMonths, 2, false, "22 kap. 4 § SoL", D(2025, 7, 1)},
      {"placement-review", PeriodUnit::kMonths, 6, false, "22 kap. 13 § SoL", D(2025, 7, 1)},
  };
  for (const ExpectedPeriod& e : expected) {
    auto rule = book_.Period(e.id, D(2026, 6, 1));
    ASSERT_TRUE(rule.ok()) << e.id << ": " << rule.status().message();
    EXPECT_EQ(rule->unit, e.unit) << e.id;
    EXPECT_EQ(rule->amount, e.amount) << e.id;
    EXPECT_EQ(rule->shift_to_working_day, e.shift) << e.id;
    EXPECT_EQ(rule->law_ref, e.law_ref) << e.id;
    EXPECT_EQ(rule->valid_from, e.valid_from) << e.id;
    EXPECT_FALSE(rule->name_sv.empty()) << e.id;
  }
  // SFS 2025:1501: no feedback time limit before 2026-01-15.
  EXPECT_EQ(book_.Period("reporter-feedback", D(2026, 1, 14)).status().code(), ErrorCode::kNotFound);
}

TEST_F(RealRulebookTest, ContainsEveryYearsRule) {
  const struct {
    const char* id;
    int years;
    const char* law_ref;
  } expected[] = {
      {"child-age-limit", 18, "3 kap. 1 § SoL"},
      {"speaks-for-self-age", 15, "3 kap. 4 § SoL"},
      {"consent-individual-intervention-age", 12, "21 kap. 1 § SoL"},
      {"first-line-without-guardian-consent-age", 15, "21 kap. 2 § SoL"},
      {"retention-years", 5, "16 kap. 1 § SoL"},
      {"retention-child-investigation-until-age", 30, "16 kap. 2 a § SoL"},
      {"retention-agreement-until-age", 18, "16 kap. 3 § SoL"},
  };
  for (const auto& e : expected) {
    auto rule = book_.Years(e.id, D(2026, 6, 1));
    ASSERT_TRUE(rule.ok()) << e.id << ": " << rule.status().message();
    EXPECT_EQ(rule->years, e.years) << e.id;
    EXPECT_EQ(rule->law_ref, e.law_ref) << e.id;
  }
  // 16 kap. 2 a § SoL, in force 2026-01-15 (SFS 2025:1501).
  EXPECT_FALSE(book_.Years("retention-child-investigation-until-age", D(2026, 1, 14)).ok());
}

TEST_F(RealRulebookTest, CodeLists) {
  const Date on = D(2026, 6, 1);
  for (const char* list :
       {"reporter_category", "channel", "decision_outcome", "legal_basis", "intervention", "matter_kind"}) {
    EXPECT_FALSE(book_.Codes(list, on).empty()) << list;
  }
  EXPECT_GE(book_.Codes("intervention", on).size(), 12u);
  EXPECT_EQ(book_.Lookup("reporter_category", "police", on)->name_sv, "Polisen");
  EXPECT_EQ(book_.Lookup("channel", "secure_email", on)->name_sv, "Säker e-post");
  EXPECT_EQ(book_.Lookup("decision_outcome", "partly_refused", on)->name_sv, "Delvis bifall");
  EXPECT_EQ(book_.Lookup("matter_kind", "adult", on)->name_sv, "Vuxenärende");
  EXPECT_EQ(book_.Lookup("intervention", "hvb", on)->name_sv, "Placering i hem för vård eller boende");
  // 35 kap. 1 § SoL: 11 kap. 1 § and 12 kap. 1 § decisions can be appealed; 12 kap. 2 § and 13 kap. cannot.
  EXPECT_TRUE(book_.Lookup("legal_basis", "sol-11-1", on)->appealable);
  EXPECT_TRUE(book_.Lookup("legal_basis", "sol-12-1", on)->appealable);
  EXPECT_FALSE(book_.Lookup("legal_basis", "sol-12-2", on)->appealable);
  EXPECT_FALSE(book_.Lookup("legal_basis", "sol-13", on)->appealable);
  auto unknown = book_.Lookup("channel", "fax", on);
  EXPECT_EQ(unknown.status().code(), ErrorCode::kUnknownCode);
  EXPECT_THAT(unknown.status().message(), HasSubstr("phone, e_service, letter, secure_email, in_person"));
}

}  // namespace
}  // namespace nysol
