#include "core/clock.h"

#include <fmt/format.h>

namespace nysol {
namespace {

using std::chrono::sys_days;
using std::chrono::system_clock;

// Summer time in the EU (and so in Sweden since 1996) runs from 01:00 UTC on the last Sunday of March to
// 01:00 UTC on the last Sunday of October. Computing it keeps core free of the tz database files.
bool IsSummerTime(system_clock::time_point instant) {
  auto day = std::chrono::floor<std::chrono::days>(instant);
  std::chrono::year year = Date{day}.year();
  sys_days march_end{year / std::chrono::March / std::chrono::Sunday[std::chrono::last]};
  sys_days october_end{year / std::chrono::October / std::chrono::Sunday[std::chrono::last]};
  auto start = march_end + std::chrono::hours{1};
  auto end = october_end + std::chrono::hours{1};
  return instant >= start && instant < end;
}

}  // namespace

LocalDateTime ToStockholm(system_clock::time_point instant) {
  auto local = instant + std::chrono::hours{IsSummerTime(instant) ? 2 : 1};
  auto day = std::chrono::floor<std::chrono::days>(local);
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(local - day).count();
  return LocalDateTime{Date{day}, static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                       static_cast<int>(secs % 60)};
}

system_clock::time_point FromStockholm(const LocalDateTime& t) {
  auto wall = system_clock::time_point{sys_days{t.date}} + std::chrono::hours{t.hour} +
              std::chrono::minutes{t.minute} + std::chrono::seconds{t.second};
  // Try summer time first (UTC+2): it gives the earlier instant where the autumn hour repeats.
  auto summer = wall - std::chrono::hours{2};
  if (IsSummerTime(summer)) return summer;
  return wall - std::chrono::hours{1};
}

std::string FormatUtc(system_clock::time_point instant) {
  auto day = std::chrono::floor<std::chrono::days>(instant);
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(instant - day).count();
  int seconds = static_cast<int>(secs);
  return FormatDate(Date{day}) + FormatTimeOfDay(seconds / 3600, seconds / 60 % 60, seconds % 60) + 'Z';
}

}  // namespace nysol
