// Calendar dates and local date-times as the law counts them: whole days in Europe/Stockholm.
// Strict ISO 8601 parsing (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS]) that rejects impossible dates.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace nysol {

using Date = std::chrono::year_month_day;

// A local (Europe/Stockholm) wall-clock time, minute or second precision.
struct LocalDateTime {
  Date date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  friend bool operator==(const LocalDateTime&, const LocalDateTime&) = default;
  friend auto operator<=>(const LocalDateTime&, const LocalDateTime&) = default;
};

// Parses exactly "YYYY-MM-DD"; rejects 2026-02-30 and anything else that is not a real date.
Result<Date> ParseDate(std::string_view text);
// Parses "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (a space instead of T is accepted).
Result<LocalDateTime> ParseLocalDateTime(std::string_view text);

std::string FormatDate(Date date);                              // "2026-03-15"
std::string FormatLocalDateTime(const LocalDateTime& t);        // "2026-03-15T14:30:00"
std::string FormatTimeOfDay(int hour, int minute, int second);  // "T14:30:00"

Date AddDays(Date date, int days);
// Calendar months; a result on a day the month lacks becomes that month's last day (31 jan + 1 month = 28/29
// feb).
Date AddMonths(Date date, int months);
int DaysBetween(Date from, Date to);  // to - from, in days

// Whole years of age on `on` for someone born on `birth` (a birthday on 29 Feb counts on 1 Mar in common
// years).
int AgeOn(Date birth, Date on);

}  // namespace nysol
