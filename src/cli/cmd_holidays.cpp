// `nysol holidays <year>`: the Swedish public holidays and the three aftons of lag (1930:173) for one year,
// one line each: "YYYY-MM-DD <name_sv>".
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/civil_date.h"
#include "core/holidays.h"

namespace nysol::cli {
namespace {

constexpr int kFirstYear = 1900;
constexpr int kLastYear = 2200;

// Digits only, so "2026x", "+2026" and " 2026" are rejected rather than half-read.
bool ParseYear(const std::string& text, int* year) {
  if (text.empty() || text.size() > 4) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *year = value;
  return true;
}

int RunHolidays(const std::string& year_text) {
  int year = 0;
  if (!ParseYear(year_text, &year) || year < kFirstYear || year > kLastYear) {
    std::cerr << "holidays: '" << year_text << "' is not a year from " << kFirstYear << " to " << kLastYear
              << "\n";
    return 2;
  }
  for (const Holiday& holiday : SwedishHolidays(year)) {
    std::cout << FormatDate(holiday.date) << " " << holiday.name_sv << "\n";
  }
  return 0;
}

}  // namespace

void RegisterHolidays(CLI::App& app, int* exit_code) {
  auto year = std::make_shared<std::string>();
  CLI::App* cmd =
      app.add_subcommand("holidays", "Swedish public holidays and aftons of one year (1900-2200)");
  cmd->add_option("year", *year, "Year, 1900-2200")->required();
  cmd->callback([year, exit_code] { *exit_code = RunHolidays(*year); });
}

}  // namespace nysol::cli
