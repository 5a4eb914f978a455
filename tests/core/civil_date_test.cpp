// Formatting of dates and times: fixed width with leading zeros, as the journal and the API write them.
#include "core/civil_date.h"

#include <gtest/gtest.h>

#include "core/clock.h"

namespace nysol {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

TEST(FormatDateTest, PadsMonthDayAndYear) {
  EXPECT_EQ(FormatDate(Date{year{2026}, month{3}, day{5}}), "2026-03-05");
  EXPECT_EQ(FormatDate(Date{year{2026}, month{12}, day{31}}), "2026-12-31");
  EXPECT_EQ(FormatDate(Date{year{987}, month{1}, day{1}}), "0987-01-01");
  EXPECT_EQ(FormatDate(Date{year{0}, month{1}, day{9}}), "0000-01-09");
}

TEST(FormatDateTest, YearsOutsideFourDigitsKeepTheirSign) {
  EXPECT_EQ(FormatDate(Date{year{-1}, month{1}, day{1}}), "-001-01-01");
  EXPECT_EQ(FormatDate(Date{year{10000}, month{2}, day{3}}), "10000-02-03");
}

TEST(FormatDateTest, RoundTripsThroughParseDate) {
  for (const char* text : {"2024-02-29", "2025-07-01", "1999-11-30"}) {
    auto parsed = ParseDate(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_EQ(FormatDate(*parsed), text);
  }
}

TEST(FormatLocalDateTimeTest, PadsEveryField) {
  EXPECT_EQ(FormatLocalDateTime({Date{year{2026}, month{1}, day{2}}, 3, 4, 5}), "2026-01-02T03:04:05");
  EXPECT_EQ(FormatLocalDateTime({Date{year{2026}, month{11}, day{22}}, 23, 59, 58}), "2026-11-22T23:59:58");
  EXPECT_EQ(FormatTimeOfDay(0, 0, 0), "T00:00:00");
}

TEST(FormatUtcTest, WritesTheInstantInUtcWithZ) {
  // 2026-07-01 12:30:45 in Stockholm is summer time, two hours ahead of UTC.
  auto instant = FromStockholm({Date{year{2026}, month{7}, day{1}}, 12, 30, 45});
  EXPECT_EQ(FormatUtc(instant), "2026-07-01T10:30:45Z");
  // Just after midnight in Stockholm in winter is the evening before in UTC.
  auto winter = FromStockholm({Date{year{2026}, month{1}, day{1}}, 0, 5, 0});
  EXPECT_EQ(FormatUtc(winter), "2025-12-31T23:05:00Z");
}

}  // namespace
}  // namespace nysol
