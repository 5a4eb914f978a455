#include "core/holidays.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nysol {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;

Date D(int y, unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; }

const Holiday* Find(const std::vector<Holiday>& days, const std::string& name) {
  for (const Holiday& h : days) {
    if (h.name_sv == name) return &h;
  }
  return nullptr;
}

TEST(EasterSundayTest, KnownYears) {
  EXPECT_EQ(EasterSunday(1900), D(1900, 4, 15));
  EXPECT_EQ(EasterSunday(1961), D(1961, 4, 2));
  EXPECT_EQ(EasterSunday(2000), D(2000, 4, 23));
  EXPECT_EQ(EasterSunday(2008), D(2008, 3, 23));
  EXPECT_EQ(EasterSunday(2011), D(2011, 4, 24));
  EXPECT_EQ(EasterSunday(2019), D(2019, 4, 21));
  EXPECT_EQ(EasterSunday(2024), D(2024, 3, 31));
  EXPECT_EQ(EasterSunday(2025), D(2025, 4, 20));
  EXPECT_EQ(EasterSunday(2026), D(2026, 4, 5));
  EXPECT_EQ(EasterSunday(2027), D(2027, 3, 28));
  EXPECT_EQ(EasterSunday(2038), D(2038, 4, 25));  // latest possible date
  EXPECT_EQ(EasterSunday(2200), D(2200, 4, 6));
  EXPECT_EQ(EasterSunday(2285), D(2285, 3, 22));  // earliest possible date
}

TEST(EasterSundayTest, AlwaysASundayBetween22MarchAnd25April) {
  for (int y = 1900; y <= 2200; ++y) {
    const Date e = EasterSunday(y);
    EXPECT_EQ(std::chrono::weekday{sys_days{e}}, std::chrono::Sunday) << y;
    EXPECT_GE(sys_days{e}, sys_days{D(y, 3, 22)}) << y;
    EXPECT_LE(sys_days{e}, sys_days{D(y, 4, 25)}) << y;
  }
}

TEST(SwedishHolidaysTest, Year2026) {
  const std::vector<Holiday> days = SwedishHolidays(2026);
  ASSERT_EQ(days.size(), 16u);
  EXPECT_EQ(days.front().date, D(2026, 1, 1));
  EXPECT_EQ(days.front().name_sv, "Nyårsdagen");
  EXPECT_EQ(days.back().date, D(2026, 12, 31));
  EXPECT_EQ(days.back().name_sv, "Nyårsafton");
  ASSERT_NE(Find(days, "Midsommarafton"), nullptr);
  EXPECT_EQ(Find(days, "Midsommarafton")->date, D(2026, 6, 19));
  EXPECT_EQ(Find(days, "Midsommardagen")->date, D(2026, 6, 20));
  EXPECT_EQ(Find(days, "Alla helgons dag")->date, D(2026, 10, 31));
  EXPECT_EQ(Find(days, "Kristi himmelsfärdsdag")->date, D(2026, 5, 14));
  EXPECT_EQ(Find(days, "Pingstdagen")->date, D(2026, 5, 24));
  EXPECT_EQ(Find(days, "Långfredagen")->date, D(2026, 4, 3));
  // Påskafton is not in lag (1930:173); only three aftons are.
  EXPECT_EQ(Find(days, "Påskafton"), nullptr);
}

TEST(SwedishHolidaysTest, OnlyTheThreeAftonsAreNotPublicHolidays) {
  for (const Holiday& h : SwedishHolidays(2027)) {
    const bool afton = h.name_sv == "Midsommarafton" || h.name_sv == "Julafton" || h.name_sv == "Nyårsafton";
    EXPECT_EQ(h.public_holiday, !afton) << h.name_sv;
  }
}

TEST(SwedishHolidaysTest, SortedAndInTheYearForEveryYear) {
  for (int y = 1900; y <= 2200; ++y) {
    const std::vector<Holiday> days = SwedishHolidays(y);
    ASSERT_EQ(days.size(), 16u) << y;
    for (size_t i = 0; i < days.size(); ++i) {
      EXPECT_EQ(static_cast<int>(days[i].date.year()), y);
      if (i > 0) {
        EXPECT_LE(sys_days{days[i - 1].date}, sys_days{days[i].date}) << y;
      }
    }
    const Date midsummer = Find(days, "Midsommardagen")->date;
    EXPECT_EQ(std::chrono::weekday{sys_days{midsummer}}, std::chrono::Saturday) << y;
    EXPECT_GE(static_cast<unsigned>(midsummer.day()), 20u);
    EXPECT_LE(static_cast<unsigned>(midsummer.day()), 26u);
    EXPECT_EQ(Find(days, "Midsommarafton")->date, Date{sys_days{midsummer} - std::chrono::days{1}});
    const Date all_saints = Find(days, "Alla helgons dag")->date;
    EXPECT_EQ(std::chrono::weekday{sys_days{all_saints}}, std::chrono::Saturday) << y;
    EXPECT_GE(sys_days{all_saints}, sys_days{D(y, 10, 31)}) << y;
    EXPECT_LE(sys_days{all_saints}, sys_days{D(y, 11, 6)}) << y;
  }
}

// SFS 2004:1046: Sveriges nationaldag replaced Annandag pingst as a public holiday from 2005.
TEST(SwedishHolidaysTest, NationalDayFrom2005AnnandagPingstBefore) {
  const auto d2004 = SwedishHolidays(2004);
  EXPECT_EQ(Find(d2004, "Sveriges nationaldag"), nullptr);
  ASSERT_NE(Find(d2004, "Annandag pingst"), nullptr);
  EXPECT_EQ(Find(d2004, "Annandag pingst")->date, D(2004, 5, 31));
  EXPECT_FALSE(IsNonWorkingDay(D(2004, 6, 7)));  // Monday 7 June 2004: an ordinary day
  EXPECT_TRUE(IsNonWorkingDay(D(2004, 5, 31)));

  const auto d2005 = SwedishHolidays(2005);
  EXPECT_EQ(Find(d2005, "Annandag pingst"), nullptr);
  ASSERT_NE(Find(d2005, "Sveriges nationaldag"), nullptr);
  EXPECT_TRUE(IsNonWorkingDay(D(2005, 6, 6)));    // Monday
  EXPECT_FALSE(IsNonWorkingDay(D(2005, 5, 16)));  // Monday after Pingstdagen
}

// 2008: Kristi himmelsfärdsdag fell on Första maj. Both are listed, the day is non-working once.
TEST(SwedishHolidaysTest, TwoHolidaysOnOneDay) {
  const auto days = SwedishHolidays(2008);
  EXPECT_EQ(Find(days, "Första maj")->date, D(2008, 5, 1));
  EXPECT_EQ(Find(days, "Kristi himmelsfärdsdag")->date, D(2008, 5, 1));
  EXPECT_TRUE(IsNonWorkingDay(D(2008, 5, 1)));
}

TEST(IsNonWorkingDayTest, Examples) {
  EXPECT_FALSE(IsNonWorkingDay(D(2026, 1, 2)));  // Friday
  EXPECT_TRUE(IsNonWorkingDay(D(2026, 1, 3)));   // Saturday
  EXPECT_TRUE(IsNonWorkingDay(D(2026, 1, 4)));   // Sunday
  EXPECT_TRUE(IsNonWorkingDay(D(2026, 1, 6)));   // Trettondedag jul
  EXPECT_TRUE(IsNonWorkingDay(D(2026, 4, 3)));   // Långfredagen
  EXPECT_TRUE(IsNonWorkingDay(D(2026, 4, 6)));   // Annandag påsk
  EXPECT_FALSE(IsNonWorkingDay(D(2026, 4, 7)));
  EXPECT_TRUE(IsNonWorkingDay(D(2026, 5, 14)));    // Kristi himmelsfärdsdag
  EXPECT_FALSE(IsNonWorkingDay(D(2026, 5, 15)));   // klämdag, still a working day in law
  EXPECT_FALSE(IsNonWorkingDay(D(2026, 5, 25)));   // Monday after Pingstdagen
  EXPECT_TRUE(IsNonWorkingDay(D(2026, 6, 19)));    // Midsommarafton
  EXPECT_FALSE(IsNonWorkingDay(D(2026, 6, 26)));   // a Friday in the window that is not midsommarafton
  EXPECT_FALSE(IsNonWorkingDay(D(2026, 10, 30)));  // Alla helgons afton is not in lag (1930:173)
  EXPECT_TRUE(IsNonWorkingDay(D(2026, 12, 24)));
  EXPECT_FALSE(IsNonWorkingDay(D(2026, 12, 23)));
  EXPECT_TRUE(IsNonWorkingDay(D(2026, 12, 31)));
  EXPECT_FALSE(IsNonWorkingDay(D(2027, 1, 5)));  // Trettondedagsafton is not in lag (1930:173)
}

// The fast path must agree with the list for every day of 1900–2200.
TEST(IsNonWorkingDayTest, AgreesWithSwedishHolidaysEveryDay) {
  for (int y = 1900; y <= 2200; ++y) {
    std::vector<sys_days> listed;
    for (const Holiday& h : SwedishHolidays(y)) listed.push_back(sys_days{h.date});
    for (sys_days d{D(y, 1, 1)}; d <= sys_days{D(y, 12, 31)}; d += std::chrono::days{1}) {
      const std::chrono::weekday wd{d};
      bool expected = wd == std::chrono::Saturday || wd == std::chrono::Sunday;
      for (sys_days h : listed) expected = expected || h == d;
      ASSERT_EQ(IsNonWorkingDay(Date{d}), expected) << FormatDate(Date{d});
    }
  }
}

TEST(NextWorkingDayTest, Examples) {
  EXPECT_EQ(NextWorkingDay(D(2026, 3, 4)), D(2026, 3, 4));      // a working day is returned as is
  EXPECT_EQ(NextWorkingDay(D(2026, 3, 7)), D(2026, 3, 9));      // Saturday -> Monday
  EXPECT_EQ(NextWorkingDay(D(2026, 4, 3)), D(2026, 4, 7));      // Långfredagen -> Tuesday after Easter
  EXPECT_EQ(NextWorkingDay(D(2026, 6, 19)), D(2026, 6, 22));    // Midsommarafton -> Monday
  EXPECT_EQ(NextWorkingDay(D(2026, 12, 24)), D(2026, 12, 28));  // julafton -> Monday
  EXPECT_EQ(NextWorkingDay(D(2026, 12, 31)), D(2027, 1, 4));    // nyårsafton -> across the year
  EXPECT_EQ(NextWorkingDay(D(2025, 12, 24)), D(2025, 12, 29));
}

}  // namespace
}  // namespace nysol
