// Golden text-file tests: tests/golden/clocks/*.txt (deadlines) and tests/golden/holidays/<year>.txt (the
// exact output of `nysol holidays <year>`). The expected values are worked out by hand from the law, so a
// change in the code or the rulebook that moves a deadline shows up here with the file and line.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/civil_date.h"
#include "core/holidays.h"
#include "core/rulebook.h"

namespace nysol {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> TextFiles(const std::string& folder) {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(NYSOL_GOLDEN_DIR) / folder;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> Lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Where(const fs::path& file, size_t index) {
  return file.filename().string() + ":" + std::to_string(index + 1);
}

// Mirrors `nysol deadline <rule> <start>`: the period in force on the start date, then PeriodEnd.
std::string Deadline(const Rulebook& book, const std::string& rule_id, Date start) {
  auto rule = book.Period(rule_id, start);
  if (!rule.ok()) return "-";
  return FormatDate(PeriodEnd(*rule, start));
}

TEST(GoldenTest, Clocks) {
  auto book = Rulebook::Load(Rulebook::DefaultPath());
  ASSERT_TRUE(book.ok()) << book.status().message();
  const auto files = TextFiles("clocks");
  ASSERT_FALSE(files.empty()) << "no golden files in " << NYSOL_GOLDEN_DIR << "/clocks";
  int cases = 0;
  for (const fs::path& file : files) {
    const auto lines = Lines(file);
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string content = lines[i].substr(0, lines[i].find('#'));
      std::istringstream fields(content);
      std::string rule, start_text, expected, extra;
      if (!(fields >> rule)) continue;  // blank or comment-only line
      if (!(fields >> start_text >> expected) || (fields >> extra)) {
        ADD_FAILURE() << Where(file, i) << ": expected '<rule> <start> <expected>', got '" << lines[i] << "'";
        continue;
      }
      auto start = ParseDate(start_text);
      if (!start.ok()) {
        ADD_FAILURE() << Where(file, i) << ": " << start.status().message();
        continue;
      }
      if (expected != "-" && !ParseDate(expected).ok()) {
        ADD_FAILURE() << Where(file, i) << ": expected value '" << expected << "' is neither a date nor '-'";
        continue;
      }
      ++cases;
      const std::string actual = Deadline(*book, rule, *start);
      EXPECT_EQ(actual, expected) << Where(file, i) << ": " << lines[i];
    }
  }
  EXPECT_GT(cases, 0);
}

TEST(GoldenTest, Holidays) {
  const auto files = TextFiles("holidays");
  ASSERT_FALSE(files.empty()) << "no golden files in " << NYSOL_GOLDEN_DIR << "/holidays";
  for (const fs::path& file : files) {
    const std::string stem = file.stem().string();
    int year = 0;
    try {
      year = std::stoi(stem);
    } catch (const std::exception&) {
      ADD_FAILURE() << file.filename() << ": the file name must be <year>.txt";
      continue;
    }
    // Exactly the lines `nysol holidays <year>` prints.
    std::vector<std::string> actual;
    for (const Holiday& h : SwedishHolidays(year)) actual.push_back(FormatDate(h.date) + " " + h.name_sv);
    const auto expected = Lines(file);
    for (size_t i = 0; i < std::max(expected.size(), actual.size()); ++i) {
      const std::string want = i < expected.size() ? expected[i] : "(end of file)";
      const std::string got = i < actual.size() ? actual[i] : "(no more holidays)";
      EXPECT_EQ(got, want) << Where(file, i);
    }
  }
}

}  // namespace
}  // namespace nysol
