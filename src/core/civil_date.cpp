#include "core/civil_date.h"

#include <fmt/format.h>

namespace nysol {
namespace {

bool ParseDigits(std::string_view text, size_t pos, size_t count, int* out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

}  // namespace

Result<Date> ParseDate(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseDigits(text, 0, 4, &y) ||
      !ParseDigits(text, 5, 2, &m) || !ParseDigits(text, 8, 2, &d)) {
    return Error(ErrorCode::kInvalidDate, fmt::format("'{}' is not a date in the form YYYY-MM-DD", text));
  }
  Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
            std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok() || y < 1800) {
    return Error(ErrorCode::kInvalidDate, fmt::format("'{}' is not a calendar date", text));
  }
  return date;
}

Result<LocalDateTime> ParseLocalDateTime(std::string_view text) {
  if (text.size() != 16 && text.size() != 19) {
    return Error(ErrorCode::kInvalidDate,
                 fmt::format("'{}' is not a date and time in the form YYYY-MM-DDTHH:MM", text));
  }
  auto date = ParseDate(text.substr(0, 10));
  if (!date.ok()) return date.status();
  LocalDateTime t{*date};
  bool ok = (text[10] == 'T' || text[10] == ' ') && text[13] == ':' && ParseDigits(text, 11, 2, &t.hour) &&
            ParseDigits(text, 14, 2, &t.minute);
  if (ok && text.size() == 19) ok = text[16] == ':' && ParseDigits(text, 17, 2, &t.second);
  if (!ok || t.hour > 23 || t.minute > 59 || t.second > 59) {
    return Error(ErrorCode::kInvalidDate, fmt::format("'{}' is not a valid date and time", text));
  }
  return t;
}

namespace {

// Writes `value` (0 <= value < 10^width) as `width` digits with leading zeros. Dates are formatted on every
// event a command writes, so this is fixed-width arithmetic rather than a format string.
char* PutDigits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

}  // namespace

std::string FormatDate(Date date) {
  int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999 || !date.ok()) {  // not a real date: as fmt writes it
    return fmt::format("{:04}-{:02}-{:02}", year, static_cast<unsigned>(date.month()),
                       static_cast<unsigned>(date.day()));
  }
  std::string text(10, '-');
  PutDigits(text.data(), static_cast<unsigned>(year), 4);
  PutDigits(text.data() + 5, static_cast<unsigned>(date.month()), 2);
  PutDigits(text.data() + 8, static_cast<unsigned>(date.day()), 2);
  return text;
}

std::string FormatLocalDateTime(const LocalDateTime& t) {
  return FormatDate(t.date) + FormatTimeOfDay(t.hour, t.minute, t.second);
}

std::string FormatTimeOfDay(int hour, int minute, int second) {
  if (hour < 0 || hour > 99 || minute < 0 || minute > 99 || second < 0 || second > 99) {
    return fmt::format("T{:02}:{:02}:{:02}", hour, minute, second);
  }
  std::string text = "T00:00:00";
  PutDigits(text.data() + 1, static_cast<unsigned>(hour), 2);
  PutDigits(text.data() + 4, static_cast<unsigned>(minute), 2);
  PutDigits(text.data() + 7, static_cast<unsigned>(second), 2);
  return text;
}

Date AddDays(Date date, int days) { return Date{std::chrono::sys_days{date} + std::chrono::days{days}}; }

Date AddMonths(Date date, int months) {
  Date shifted = date + std::chrono::months{months};
  if (!shifted.ok()) {
    shifted = Date{shifted.year() / shifted.month() / std::chrono::last};
  }
  return shifted;
}

int DaysBetween(Date from, Date to) {
  return static_cast<int>((std::chrono::sys_days{to} - std::chrono::sys_days{from}).count());
}

int AgeOn(Date birth, Date on) {
  int age = static_cast<int>(on.year()) - static_cast<int>(birth.year());
  auto on_md = std::make_pair(static_cast<unsigned>(on.month()), static_cast<unsigned>(on.day()));
  auto birth_md = std::make_pair(static_cast<unsigned>(birth.month()), static_cast<unsigned>(birth.day()));
  if (on_md < birth_md) --age;
  return age;
}

}  // namespace nysol
