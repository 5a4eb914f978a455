// Swedish public holidays (lag (1989:253) om allmänna helgdagar), computed, not typed in, plus the three
// days that lag (1930:173) om beräkning av lagstadgad tid treats like them: midsommarafton, julafton and
// nyårsafton.
#pragma once

#include <string>
#include <vector>

#include "core/civil_date.h"

namespace nysol {

struct Holiday {
  Date date;
  std::string name_sv;  // "Juldagen", "Midsommarafton", …
  bool public_holiday;  // false for the three aftons
};

// All public holidays and the three aftons of `year`, in date order.
std::vector<Holiday> SwedishHolidays(int year);

Date EasterSunday(int year);  // Gregorian computus

// Saturday, Sunday, a public holiday, midsommarafton, julafton or nyårsafton.
bool IsNonWorkingDay(Date date);
// `date` itself when it is a working day, otherwise the next working day (lag 1930:173 2 §).
Date NextWorkingDay(Date date);

}  // namespace nysol
