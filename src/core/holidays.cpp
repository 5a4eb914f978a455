// Swedish public holidays under lag (1989:253) om allmänna helgdagar, and the three aftons that
// lag (1930:173) om beräkning av lagstadgad tid 2 § treats like a holiday.
//
// The rules modelled are those of lag (1989:253) with the amendment SFS 2004:1046, in force 2005-01-01, which
// made Sveriges nationaldag a public holiday and removed Annandag pingst. Those are the only changes in the
// window this system works with; earlier history (e.g. Midsommardagen fixed on 24 June before 1953) is not
// modelled, so years before 1953 follow today's rules except for that 2005 switch.
#include "core/holidays.h"

#include <algorithm>

namespace nysol {
namespace {

using std::chrono::Friday;
using std::chrono::Saturday;
using std::chrono::Sunday;
using std::chrono::sys_days;
using std::chrono::weekday;

// SFS 2004:1046: Sveriges nationaldag replaced Annandag pingst as a public holiday from 2005.
constexpr int kNationalDayFirstYear = 2005;

Date MakeDate(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

int Year(Date date) { return static_cast<int>(date.year()); }
unsigned Month(Date date) { return static_cast<unsigned>(date.month()); }
unsigned Day(Date date) { return static_cast<unsigned>(date.day()); }

// The first `wd` on or after `from`.
Date FirstOnOrAfter(Date from, weekday wd) {
  sys_days day{from};
  return Date{day + (wd - weekday{day})};
}

// 1989:253 1 §: Midsommardagen is the Saturday in 20–26 June, Alla helgons dag the Saturday in 31 Oct–6 Nov.
Date MidsummerDay(int year) { return FirstOnOrAfter(MakeDate(year, 6, 20), Saturday); }
Date AllSaintsDay(int year) { return FirstOnOrAfter(MakeDate(year, 10, 31), Saturday); }

}  // namespace

Date EasterSunday(int year) {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher); valid for every Gregorian year.
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return MakeDate(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

std::vector<Holiday> SwedishHolidays(int year) {
  const Date easter = EasterSunday(year);
  const Date midsummer = MidsummerDay(year);
  std::vector<Holiday> days = {
      {MakeDate(year, 1, 1), "Nyårsdagen", true},
      {MakeDate(year, 1, 6), "Trettondedag jul", true},
      {AddDays(easter, -2), "Långfredagen", true},
      {easter, "Påskdagen", true},
      {AddDays(easter, 1), "Annandag påsk", true},
      {MakeDate(year, 5, 1), "Första maj", true},
      {AddDays(easter, 39), "Kristi himmelsfärdsdag", true},
      {AddDays(easter, 49), "Pingstdagen", true},
      {AddDays(midsummer, -1), "Midsommarafton", false},  // 1930:173 2 §, not a public holiday
      {midsummer, "Midsommardagen", true},
      {AllSaintsDay(year), "Alla helgons dag", true},
      {MakeDate(year, 12, 24), "Julafton", false},  // 1930:173 2 §
      {MakeDate(year, 12, 25), "Juldagen", true},
      {MakeDate(year, 12, 26), "Annandag jul", true},
      {MakeDate(year, 12, 31), "Nyårsafton", false},  // 1930:173 2 §
  };
  if (year >= kNationalDayFirstYear) {
    days.push_back({MakeDate(year, 6, 6), "Sveriges nationaldag", true});
  } else {
    days.push_back({AddDays(easter, 50), "Annandag pingst", true});
  }
  // Stable, so that two names on one day (Kristi himmelsfärdsdag on Första maj, as in 2008) keep list order.
  std::stable_sort(days.begin(), days.end(),
                   [](const Holiday& a, const Holiday& b) { return sys_days{a.date} < sys_days{b.date}; });
  return days;
}

bool IsNonWorkingDay(Date date) {
  // Computed directly rather than through SwedishHolidays(), so the hot path neither allocates nor locks.
  // Midsommardagen, Alla helgons dag, Påskdagen and Pingstdagen always fall on a weekend and need no test.
  const weekday wd{sys_days{date}};
  if (wd == Saturday || wd == Sunday) return true;
  const int y = Year(date);
  const unsigned m = Month(date);
  const unsigned d = Day(date);
  switch (m) {
    case 1:
      return d == 1 || d == 6;
    case 5:
      if (d == 1) return true;
      break;
    case 6:
      if (d == 6 && y >= kNationalDayFirstYear) return true;
      // Midsommarafton: the Friday in 19–25 June.
      if (wd == Friday && d >= 19 && d <= 25) return true;
      break;
    case 12:
      return d == 24 || d == 25 || d == 26 || d == 31;
    default:
      break;
  }
  // Easter-dependent days range from Långfredagen (20 March at the earliest) to Annandag pingst (14 June at
  // the latest), so only March–June needs the computus.
  if (m < 3 || m > 6) return false;
  const int offset = DaysBetween(EasterSunday(y), date);
  // Långfredagen, Annandag påsk, Kristi himmelsfärdsdag; Annandag pingst until 2004.
  if (offset == -2 || offset == 1 || offset == 39) return true;
  return offset == 50 && y < kNationalDayFirstYear;
}

Date NextWorkingDay(Date date) {
  // Lag (1930:173) 2 §: a last day on a Saturday, Sunday, public holiday, midsommarafton, julafton or
  // nyårsafton moves to the next weekday that is none of these.
  while (IsNonWorkingDay(date)) date = AddDays(date, 1);
  return date;
}

}  // namespace nysol
