#include "core/identity_number.h"

#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

namespace nysol {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\v\f";
constexpr std::string_view kFormatMessage =
    "expected 10 or 12 digits with an optional '-' or '+' before the last four";
// Samordningsnummer add 60 to the day of month (folkbokföringslagen 18 a §), so days 61–91 are 1–31.
constexpr int kCoordinationDayOffset = 60;

Status InvalidNumber(std::string message) {
  return Error(ErrorCode::kInvalidIdentityNumber, std::move(message));
}

std::string_view TrimWhitespace(std::string_view text) {
  size_t begin = text.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(kWhitespace);
  return text.substr(begin, end - begin + 1);
}

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Callers have checked that `text` is all digits.
int DigitsValue(std::string_view text) {
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

std::string_view IdentityKindName(IdentityKind kind) {
  switch (kind) {
    case IdentityKind::kPersonnummer:
      return "personnummer";
    case IdentityKind::kSamordningsnummer:
      return "samordningsnummer";
  }
  throw std::logic_error("unknown IdentityKind");
}

std::string_view LegalSexName(LegalSex sex) {
  switch (sex) {
    case LegalSex::kFemale:
      return "female";
    case LegalSex::kMale:
      return "male";
  }
  throw std::logic_error("unknown LegalSex");
}

std::string IdentityNumber::Long() const {
  // Stored as 12 digits, so the long form needs no '+': the full year already says how old the person is.
  std::string out;
  out.reserve(13);
  out.append(digits, 0, 8);
  out += '-';
  out.append(digits, 8, std::string::npos);
  return out;
}

int IdentityNumber::AgeOn(Date on) const { return nysol::AgeOn(birth_date, on); }

int LuhnCheckDigit(std::string_view nine_digits) {
  int sum = 0;
  for (size_t i = 0; i < nine_digits.size(); ++i) {
    char c = nine_digits[i];
    if (c < '0' || c > '9') throw std::invalid_argument("LuhnCheckDigit needs digits only");
    int product = (c - '0') * (i % 2 == 0 ? 2 : 1);
    sum += product / 10 + product % 10;  // digit sum: 12 counts as 1 + 2
  }
  return (10 - sum % 10) % 10;
}

Result<IdentityNumber> ParseIdentityNumber(std::string_view text, Date today) {
  text = TrimWhitespace(text);

  // The only accepted shapes: 6 or 8 date digits, an optional separator, then exactly four digits.
  const size_t size = text.size();
  char separator = '\0';
  std::string_view date_part;
  if (size == 11 || size == 13) {
    separator = text[size - 5];
    if (separator != '-' && separator != '+') return InvalidNumber(std::string(kFormatMessage));
    date_part = text.substr(0, size - 5);
  } else if (size == 10 || size == 12) {
    date_part = text.substr(0, size - 4);
  } else {
    return InvalidNumber(std::string(kFormatMessage));
  }
  const std::string_view last_four = text.substr(size - 4);
  if (!AllDigits(date_part) || !AllDigits(last_four)) return InvalidNumber(std::string(kFormatMessage));
  const bool short_form = date_part.size() == 6;

  const std::string_view month_day = date_part.substr(date_part.size() - 4);
  const int month = DigitsValue(month_day.substr(0, 2));
  const int day_field = DigitsValue(month_day.substr(2, 2));
  const bool coordination = day_field > kCoordinationDayOffset;
  const int real_day = coordination ? day_field - kCoordinationDayOffset : day_field;

  const int today_year = static_cast<int>(today.year());
  int year = 0;
  if (short_form) {
    // The most recent century that does not put the birthday after today; '+' says a century earlier still.
    const int yy = DigitsValue(date_part.substr(0, 2));
    year = today_year - today_year % 100 + yy;
    // Compared field by field rather than as a Date: the day may not exist in that year (1900-02-29).
    const auto today_fields = std::tuple(today_year, static_cast<int>(static_cast<unsigned>(today.month())),
                                         static_cast<int>(static_cast<unsigned>(today.day())));
    if (std::tuple(year, month, real_day) > today_fields) year -= 100;
    if (separator == '+') year -= 100;
  } else {
    year = DigitsValue(date_part.substr(0, 4));
  }
  // Checked for short input too, so that every accepted number also parses from its own 12 digits.
  if (year < 1800 || year > 2099) {
    return InvalidNumber(fmt::format("year {} is out of range: the century must be 18, 19 or 20", year));
  }

  std::string digits;
  digits.reserve(12);
  if (short_form) {
    digits += static_cast<char>('0' + year / 1000);
    digits += static_cast<char>('0' + year / 100 % 10);
  }
  digits += date_part;
  digits += last_four;
  const std::string_view date8 = std::string_view(digits).substr(0, 8);

  const Date birth{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                   std::chrono::day{static_cast<unsigned>(real_day)}};
  if (!birth.ok()) {
    if (coordination) {
      return InvalidNumber(fmt::format("{} is not a date (samordningsnummer day {} means day {})", date8,
                                       day_field, real_day));
    }
    return InvalidNumber(fmt::format("{} is not a date", date8));
  }
  if (birth > today) {
    return InvalidNumber(fmt::format("birth date {} is after {}", date8, FormatDate(today)));
  }
  if (!short_form && separator == '+') {
    // A 12-digit number shows the century itself, so '+' must agree with it.
    const int age = nysol::AgeOn(birth, today);
    if (age < 100) {
      return InvalidNumber(
          fmt::format("'+' is only for people aged 100 or more, but someone born {} is {} on {}", date8, age,
                      FormatDate(today)));
    }
  }

  const std::string_view birth_number = last_four.substr(0, 3);
  if (birth_number == "000") return InvalidNumber("birth number 000 is not allowed");

  const int check = last_four[3] - '0';
  const int expected = LuhnCheckDigit(std::string_view(digits).substr(2, 9));
  if (check != expected) {
    return InvalidNumber(fmt::format("check digit is {} but should be {}", check, expected));
  }

  IdentityNumber number;
  number.kind = coordination ? IdentityKind::kSamordningsnummer : IdentityKind::kPersonnummer;
  number.sex = (birth_number[2] - '0') % 2 == 1 ? LegalSex::kMale : LegalSex::kFemale;
  number.birth_date = birth;
  number.digits = std::move(digits);
  return number;
}

}  // namespace nysol
