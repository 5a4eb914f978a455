#include "core/identity_number.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace nysol {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

constexpr Date kToday{year{2026}, month{11}, day{23}};

Date D(int y, unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; }

// Appends the Luhn check digit to "YYMMDDNNN", so tests use made-up numbers rather than real people's.
std::string Ten(std::string_view nine) { return std::string(nine) + std::to_string(LuhnCheckDigit(nine)); }

// "YYYYMMDDNNN" plus its check digit (the Luhn sum skips the century).
std::string Twelve(std::string_view eleven) {
  return std::string(eleven) + std::to_string(LuhnCheckDigit(eleven.substr(2)));
}

// Inserts `separator` before the last four digits.
std::string WithSeparator(std::string_view number, char separator) {
  std::string out(number);
  out.insert(out.size() - 4, 1, separator);
  return out;
}

constexpr const char* kFormatMessage =
    "expected 10 or 12 digits with an optional '-' or '+' before the last four";

void ExpectInvalid(std::string_view text, std::string_view message, Date today = kToday) {
  SCOPED_TRACE(std::string("input: '") + std::string(text) + "'");
  auto result = ParseIdentityNumber(text, today);
  ASSERT_FALSE(result.ok()) << "parsed as " << result->digits;
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidIdentityNumber);
  EXPECT_EQ(result.status().message(), message);
}

std::string ValidDigits(std::string_view text, Date today = kToday) {
  auto result = ParseIdentityNumber(text, today);
  EXPECT_TRUE(result.ok()) << "input '" << text << "': " << result.status().message();
  return result.ok() ? result->digits : std::string();
}

// --- Luhn -------------------------------------------------------------------------------------------------

TEST(IdentityNumberLuhnTest, PublishedCheckDigits) {
  EXPECT_EQ(LuhnCheckDigit("900101001"), 7);
  EXPECT_EQ(LuhnCheckDigit("640327381"), 3);
  EXPECT_EQ(LuhnCheckDigit("640823323"), 4);
  EXPECT_EQ(LuhnCheckDigit("000101010"), 7);
  EXPECT_EQ(LuhnCheckDigit("510818916"), 7);
  EXPECT_EQ(LuhnCheckDigit("130401293"), 1);
  EXPECT_EQ(LuhnCheckDigit("090903660"), 0);
}

TEST(IdentityNumberLuhnTest, CheckDigitZeroWhenSumIsMultipleOfTen) {
  // 1*1 + 9*2 = 18 counts as 1 + 8, so the sum is 10 and the check digit is 0, not 10.
  EXPECT_EQ(LuhnCheckDigit("000000019"), 0);
  EXPECT_EQ(LuhnCheckDigit("000000000"), 0);
}

// --- Published test vectors --------------------------------------------------------------------------------

struct ValidVector {
  const char* text;
  const char* digits;
  IdentityKind kind;
  LegalSex sex;
};

class IdentityNumberValidVectorTest : public testing::TestWithParam<ValidVector> {};

TEST_P(IdentityNumberValidVectorTest, Parses) {
  const ValidVector& v = GetParam();
  auto result = ParseIdentityNumber(v.text, kToday);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->digits, v.digits);
  EXPECT_EQ(result->kind, v.kind);
  EXPECT_EQ(result->sex, v.sex);
  // The stored form parses back to the same value, with and without the long form's '-'.
  auto again = ParseIdentityNumber(result->digits, kToday);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*again, *result);
  auto from_long = ParseIdentityNumber(result->Long(), kToday);
  ASSERT_TRUE(from_long.ok()) << from_long.status().message();
  EXPECT_EQ(*from_long, *result);
}

constexpr auto kP = IdentityKind::kPersonnummer;
constexpr auto kS = IdentityKind::kSamordningsnummer;
constexpr auto kM = LegalSex::kMale;
constexpr auto kF = LegalSex::kFemale;

INSTANTIATE_TEST_SUITE_P(Published, IdentityNumberValidVectorTest,
                         testing::Values(ValidVector{"19090527+1474", "190905271474", kP, kM},
                                         ValidVector{"20000229-2399", "200002292399", kP, kM},
                                         ValidVector{"19570428-9999", "195704289999", kP, kM},
                                         ValidVector{"19730288-9931", "197302889931", kS, kM},
                                         ValidVector{"19460823-9986", "194608239986", kP, kF},
                                         ValidVector{"20210791-9967", "202107919967", kS, kF},
                                         ValidVector{"19090121+9931", "190901219931", kP, kM},
                                         ValidVector{"20000405-9937", "200004059937", kP, kM},
                                         ValidVector{"6403273813", "196403273813", kP, kM},
                                         ValidVector{"510818-9167", "195108189167", kP, kF},
                                         ValidVector{"19900101-0017", "199001010017", kP, kM},
                                         ValidVector{"19130401+2931", "191304012931", kP, kM},
                                         ValidVector{"196408233234", "196408233234", kP, kM},
                                         ValidVector{"0001010107", "200001010107", kP, kF},
                                         ValidVector{"000101-0107", "200001010107", kP, kF},
                                         ValidVector{"19090903-6600", "190909036600", kP, kF}));

struct InvalidVector {
  const char* text;
  const char* message;
};

class IdentityNumberInvalidVectorTest : public testing::TestWithParam<InvalidVector> {};

TEST_P(IdentityNumberInvalidVectorTest, IsRejected) { ExpectInvalid(GetParam().text, GetParam().message); }

INSTANTIATE_TEST_SUITE_P(Published, IdentityNumberInvalidVectorTest,
                         testing::Values(InvalidVector{"20150916-0006", "birth number 000 is not allowed"},
                                         InvalidVector{"19700428-9895", "check digit is 5 but should be 3"},
                                         InvalidVector{"19420566-9899", "check digit is 9 but should be 0"},
                                         InvalidVector{"19600430-9886", "check digit is 6 but should be 3"},
                                         InvalidVector{"19721086-9924", "check digit is 4 but should be 6"},
                                         InvalidVector{"19090527 1474", kFormatMessage},
                                         InvalidVector{"640327-381", kFormatMessage},
                                         InvalidVector{"6403273814", "check digit is 4 but should be 3"},
                                         InvalidVector{"640327-3814", "check digit is 4 but should be 3"}));

TEST(IdentityNumberTest, PlusFormNeedsTodayAtLeastHundredthBirthday) {
  EXPECT_TRUE(ParseIdentityNumber("19090527+1474", D(2009, 5, 27)).ok());
  ExpectInvalid("19090527+1474",
                "'+' is only for people aged 100 or more, but someone born 19090527 is 99 on 2009-05-26",
                D(2009, 5, 26));
}

// --- Shapes ------------------------------------------------------------------------------------------------

TEST(IdentityNumberTest, AcceptsAllSixShapes) {
  const std::string ten = Ten("200101123");  // 1920-01-01 or 2020-01-01, birth number 123
  const std::string twelve = "19" + ten;
  EXPECT_EQ(ValidDigits(ten), "20" + ten);
  EXPECT_EQ(ValidDigits(WithSeparator(ten, '-')), "20" + ten);
  EXPECT_EQ(ValidDigits(WithSeparator(ten, '+')), "19" + ten);
  EXPECT_EQ(ValidDigits(twelve), twelve);
  EXPECT_EQ(ValidDigits(WithSeparator(twelve, '-')), twelve);
  EXPECT_EQ(ValidDigits(WithSeparator(twelve, '+')), twelve);
}

TEST(IdentityNumberTest, StripsSurroundingWhitespaceOnly) {
  EXPECT_EQ(ValidDigits("  6403273813\n"), "196403273813");
  EXPECT_EQ(ValidDigits("\t640327-3813 \r\n"), "196403273813");
  ExpectInvalid("640327 3813", kFormatMessage);
  ExpectInvalid("6403 273813", kFormatMessage);
  ExpectInvalid("640327- 3813", kFormatMessage);
}

TEST(IdentityNumberTest, RejectsEmptyAndBlank) {
  ExpectInvalid("", kFormatMessage);
  ExpectInvalid("   ", kFormatMessage);
  ExpectInvalid("\n", kFormatMessage);
}

TEST(IdentityNumberTest, RejectsLetters) {
  ExpectInvalid("64O3273813", kFormatMessage);  // a capital O, not a zero
  ExpectInvalid("640327-381X", kFormatMessage);
  ExpectInvalid("ABCDEFGHIJ", kFormatMessage);
  ExpectInvalid("19640327-38l3", kFormatMessage);
}

TEST(IdentityNumberTest, RejectsWrongLengthAndMisplacedSeparators) {
  ExpectInvalid("640327381", kFormatMessage);       // 9 digits
  ExpectInvalid("64032738133", kFormatMessage);     // 11 digits
  ExpectInvalid("1964032738133", kFormatMessage);   // 13 digits
  ExpectInvalid("19640327381300", kFormatMessage);  // 14 digits
  ExpectInvalid("19640327-38133", kFormatMessage);  // overlong after the separator
  ExpectInvalid("196403273813196403273813", kFormatMessage);
  ExpectInvalid("6403-273813", kFormatMessage);
  ExpectInvalid("64032-73813", kFormatMessage);
  ExpectInvalid("640327--3813", kFormatMessage);
  ExpectInvalid("640327/3813", kFormatMessage);
  ExpectInvalid("1964-03-27-3813", kFormatMessage);
  ExpectInvalid("-6403273813", kFormatMessage);
  ExpectInvalid("+640327381", kFormatMessage);
}

TEST(IdentityNumberTest, RejectsNonAsciiAndControlBytes) {
  ExpectInvalid(std::string("640327\0"
                            "3813",
                            11),
                kFormatMessage);
  ExpectInvalid(
      "640327\xe2\x80\x93"
      "3813",
      kFormatMessage);  // an en dash
  ExpectInvalid(
      "\xd9\xa6"
      "403273813",
      kFormatMessage);  // an Arabic-Indic six
}

// --- Dates -------------------------------------------------------------------------------------------------

TEST(IdentityNumberTest, RejectsLuhnValidImpossibleDates) {
  ExpectInvalid(Ten("700230123"), "19700230 is not a date");
  ExpectInvalid(Twelve("19701332123"), "19701332 is not a date");
  ExpectInvalid(Twelve("19700001123"), "19700001 is not a date");
  ExpectInvalid(Twelve("19700100123"), "19700100 is not a date");
  ExpectInvalid(Twelve("19700431123"), "19700431 is not a date");
  ExpectInvalid(Twelve("19000229123"), "19000229 is not a date");  // 1900 is not a leap year
  ExpectInvalid(Twelve("20230229123"), "20230229 is not a date");
}

TEST(IdentityNumberTest, AcceptsLeapDays) {
  EXPECT_EQ(ValidDigits(Twelve("20000229123")), Twelve("20000229123"));  // 2000 is
  EXPECT_EQ(ValidDigits(Twelve("19960229123")), Twelve("19960229123"));
  // Short form: 00 becomes 2000 by default, 1900 with '+', and 1900 has no 29 February.
  EXPECT_EQ(ValidDigits(Ten("000229123")), "20" + Ten("000229123"));
  ExpectInvalid(WithSeparator(Ten("000229123"), '+'), "19000229 is not a date");
}

TEST(IdentityNumberTest, CenturyOfShortFormIsMostRecentNotInFuture) {
  EXPECT_EQ(ValidDigits(WithSeparator(Ten("000101010"), '-')), "20" + Ten("000101010"));
  EXPECT_EQ(ValidDigits(Ten("261123123")), "20" + Ten("261123123"));  // born today
  EXPECT_EQ(ValidDigits(Ten("261124123")), "19" + Ten("261124123"));  // tomorrow is a century ago
  EXPECT_EQ(ValidDigits(Ten("261201123")), "19" + Ten("261201123"));
  EXPECT_EQ(ValidDigits(Ten("270101123")), "19" + Ten("270101123"));
  EXPECT_EQ(ValidDigits(Ten("991231123")), "19" + Ten("991231123"));
  EXPECT_EQ(ValidDigits(Ten("251231123")), "20" + Ten("251231123"));
}

TEST(IdentityNumberTest, CenturyDependsOnToday) {
  const std::string fifty = Ten("500101123");
  EXPECT_EQ(ValidDigits(fifty, D(2049, 12, 31)), "19" + fifty);
  EXPECT_EQ(ValidDigits(fifty, D(2050, 1, 1)), "20" + fifty);
  EXPECT_EQ(ValidDigits(WithSeparator(fifty, '+'), D(2050, 1, 1)), "19" + fifty);
  EXPECT_EQ(ValidDigits(WithSeparator(fifty, '+'), D(2049, 12, 31)), "18" + fifty);
}

TEST(IdentityNumberTest, PlusOnShortFormSubtractsAHundredYears) {
  EXPECT_EQ(ValidDigits(WithSeparator(Ten("000101010"), '+')), "19" + Ten("000101010"));
  EXPECT_EQ(ValidDigits(WithSeparator(Ten("261123123"), '+')), "19" + Ten("261123123"));
  EXPECT_EQ(ValidDigits(WithSeparator(Ten("261124123"), '+')), "18" + Ten("261124123"));
  auto turned_100_today = ParseIdentityNumber(WithSeparator(Ten("261123123"), '+'), kToday);
  ASSERT_TRUE(turned_100_today.ok());
  EXPECT_EQ(turned_100_today->AgeOn(kToday), 100);
}

TEST(IdentityNumberTest, LongFormPlusNeedsAgeHundred) {
  EXPECT_EQ(ValidDigits(WithSeparator(Twelve("19261123123"), '+')), Twelve("19261123123"));
  ExpectInvalid(WithSeparator(Twelve("19261124123"), '+'),
                "'+' is only for people aged 100 or more, but someone born 19261124 is 99 on 2026-11-23");
  ExpectInvalid(WithSeparator(Twelve("19900101001"), '+'),
                "'+' is only for people aged 100 or more, but someone born 19900101 is 36 on 2026-11-23");
  // '-' is fine for a 12-digit number of someone over 100: the century is written out.
  EXPECT_EQ(ValidDigits(WithSeparator(Twelve("19090903660"), '-')), "190909036600");
  EXPECT_EQ(ValidDigits(Twelve("18700101123")), Twelve("18700101123"));
}

TEST(IdentityNumberTest, RejectsLongFormBirthAfterToday) {
  EXPECT_EQ(ValidDigits(Twelve("20261123123")), Twelve("20261123123"));
  ExpectInvalid(Twelve("20261124123"), "birth date 20261124 is after 2026-11-23");
  ExpectInvalid(WithSeparator(Twelve("20990101123"), '-'), "birth date 20990101 is after 2026-11-23");
}

TEST(IdentityNumberTest, RejectsCenturyOutsideEighteenToTwenty) {
  ExpectInvalid(Twelve("17991231123"), "year 1799 is out of range: the century must be 18, 19 or 20");
  ExpectInvalid(Twelve("21000101123"), "year 2100 is out of range: the century must be 18, 19 or 20");
  ExpectInvalid(Twelve("00000101123"), "year 0 is out of range: the century must be 18, 19 or 20");
}

// --- Samordningsnummer -------------------------------------------------------------------------------------

TEST(IdentityNumberTest, SamordningsnummerAddsSixtyToDay) {
  auto first = ParseIdentityNumber(Twelve("19700161123"), kToday);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->kind, IdentityKind::kSamordningsnummer);
  EXPECT_EQ(first->birth_date, D(1970, 1, 1));
  EXPECT_EQ(first->digits, Twelve("19700161123"));  // the + 60 is kept in storage
  EXPECT_EQ(first->Long(), WithSeparator(Twelve("19700161123"), '-'));

  auto last = ParseIdentityNumber(Ten("700191124"), kToday);
  ASSERT_TRUE(last.ok()) << last.status().message();
  EXPECT_EQ(last->kind, IdentityKind::kSamordningsnummer);
  EXPECT_EQ(last->birth_date, D(1970, 1, 31));

  auto published = ParseIdentityNumber("19730288-9931", kToday);
  ASSERT_TRUE(published.ok());
  EXPECT_EQ(published->birth_date, D(1973, 2, 28));
}

TEST(IdentityNumberTest, SamordningsnummerDayMustBeRealDate) {
  ExpectInvalid(Twelve("19700160123"), "19700160 is not a date");
  ExpectInvalid(Twelve("19700192123"), "19700192 is not a date (samordningsnummer day 92 means day 32)");
  ExpectInvalid(Twelve("19700491123"), "19700491 is not a date (samordningsnummer day 91 means day 31)");
  ExpectInvalid(Twelve("19700289123"), "19700289 is not a date (samordningsnummer day 89 means day 29)");
  ExpectInvalid(Twelve("19700199123"), "19700199 is not a date (samordningsnummer day 99 means day 39)");
  ExpectInvalid(Twelve("19700145123"), "19700145 is not a date");
}

TEST(IdentityNumberTest, SamordningsnummerCenturyUsesRealDay) {
  // Day 84 is the 24th: after 23 November 2026, so the short form lands in 1926.
  EXPECT_EQ(ValidDigits(Ten("261184123")), "19" + Ten("261184123"));
  EXPECT_EQ(ValidDigits(Ten("261183123")), "20" + Ten("261183123"));
  ExpectInvalid(Twelve("20261184123"), "birth date 20261184 is after 2026-11-23");
}

// --- Birth number, check digit, sex
// --------------------------------------------------------------------------

TEST(IdentityNumberTest, RejectsBirthNumberZero) {
  ExpectInvalid(Ten("700101000"), "birth number 000 is not allowed");
  ExpectInvalid(Twelve("19700161000"), "birth number 000 is not allowed");
  EXPECT_TRUE(ParseIdentityNumber(Ten("700101001"), kToday).ok());
}

TEST(IdentityNumberTest, ReportsCheckDigitMismatch) {
  std::string number = Ten("700101123");
  const int right = number.back() - '0';
  const int wrong = (right + 5) % 10;
  number.back() = static_cast<char>('0' + wrong);
  ExpectInvalid(number,
                "check digit is " + std::to_string(wrong) + " but should be " + std::to_string(right));
}

TEST(IdentityNumberTest, EveryWrongCheckDigitIsRejected) {
  const std::string base = Twelve("19851231246");
  for (char c = '0'; c <= '9'; ++c) {
    std::string number = base;
    number.back() = c;
    EXPECT_EQ(ParseIdentityNumber(number, kToday).ok(), c == base.back()) << number;
  }
}

TEST(IdentityNumberTest, SexFromNinthDigit) {
  for (int last = 0; last <= 9; ++last) {
    const std::string nine = "85123112" + std::to_string(last);
    auto result = ParseIdentityNumber(Ten(nine), kToday);
    ASSERT_TRUE(result.ok()) << result.status().message();
    EXPECT_EQ(result->sex, last % 2 == 1 ? LegalSex::kMale : LegalSex::kFemale) << nine;
  }
  // Only the last birth-number digit matters, not the first two.
  EXPECT_EQ(ParseIdentityNumber(Ten("851231990"), kToday)->sex, LegalSex::kFemale);
  EXPECT_EQ(ParseIdentityNumber(Ten("851231001"), kToday)->sex, LegalSex::kMale);
}

// --- Formatting and age
// ----------------------------------------------------------------------------------------

TEST(IdentityNumberTest, LongAlwaysUsesDashAndFullYear) {
  EXPECT_EQ(ParseIdentityNumber("6403273813", kToday)->Long(), "19640327-3813");
  EXPECT_EQ(ParseIdentityNumber("19090527+1474", kToday)->Long(), "19090527-1474");
  EXPECT_EQ(ParseIdentityNumber("000101-0107", kToday)->Long(), "20000101-0107");
}

TEST(IdentityNumberTest, BirthDateIsSet) {
  EXPECT_EQ(ParseIdentityNumber("6403273813", kToday)->birth_date, D(1964, 3, 27));
  EXPECT_EQ(ParseIdentityNumber("20210791-9967", kToday)->birth_date, D(2021, 7, 31));
}

TEST(IdentityNumberTest, AgeOnAroundBirthday) {
  auto number = ParseIdentityNumber("6403273813", kToday);
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->AgeOn(D(2026, 3, 26)), 61);
  EXPECT_EQ(number->AgeOn(D(2026, 3, 27)), 62);
  EXPECT_EQ(number->AgeOn(D(2026, 3, 28)), 62);
  EXPECT_EQ(number->AgeOn(D(1964, 3, 27)), 0);
  EXPECT_EQ(number->AgeOn(kToday), 62);
}

TEST(IdentityNumberTest, AgeOnForLeapDayBirth) {
  auto number = ParseIdentityNumber("20000229-2399", kToday);
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->AgeOn(D(2026, 2, 28)), 25);
  EXPECT_EQ(number->AgeOn(D(2026, 3, 1)), 26);
  EXPECT_EQ(number->AgeOn(D(2028, 2, 29)), 28);
}

TEST(IdentityNumberTest, AgeOnForSamordningsnummerUsesRealDay) {
  auto number = ParseIdentityNumber("19730288-9931", kToday);
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->AgeOn(D(2026, 2, 27)), 52);
  EXPECT_EQ(number->AgeOn(D(2026, 2, 28)), 53);
}

TEST(IdentityNumberTest, KindAndSexNames) {
  EXPECT_EQ(IdentityKindName(IdentityKind::kPersonnummer), "personnummer");
  EXPECT_EQ(IdentityKindName(IdentityKind::kSamordningsnummer), "samordningsnummer");
  EXPECT_EQ(LegalSexName(LegalSex::kFemale), "female");
  EXPECT_EQ(LegalSexName(LegalSex::kMale), "male");
}

}  // namespace
}  // namespace nysol
