// Golden retention cases: tests/golden/retention/*.txt, one person and one day per line, with the decision
// worked out by hand from 16 kap. SoL. Runs the real rulebook through retention::Evaluate. The format is
// described at the top of each file, so that a social worker can add a case without reading C++.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/rulebook.h"
#include "retention/evaluator.h"

namespace nysol::retention {
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

std::string Trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, separator);) parts.push_back(Trim(part));
  return parts;
}

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

struct Case {
  PersonFacts person;
  Settings settings;
  Date on;
};

// Parses the facts before "=>". Returns an error message, empty when the facts are well formed.
std::string ParseFacts(const std::string& text, Case* c) {
  bool have_on = false;
  int64_t next_id = 1;
  auto date = [](const std::string& word, Date* out) {
    auto parsed = ParseDate(word);
    if (parsed.ok()) *out = *parsed;
    return parsed.ok();
  };
  for (const std::string& clause : Split(text, '|')) {
    const auto w = Words(clause);
    if (w.empty()) return "empty clause";
    Date d;
    if (w[0] == "on" && w.size() == 2 && date(w[1], &d)) {
      c->on = d;
      have_on = true;
    } else if (w[0] == "born" && w.size() == 2 && date(w[1], &d)) {
      c->person.birth_date = d;
      c->person.birth_year = static_cast<int>(d.year());
    } else if (w[0] == "born-year" && w.size() == 2) {
      c->person.birth_year = std::stoi(w[1]);
    } else if (w[0] == "last" && w.size() == 2 && date(w[1], &d)) {
      c->person.last_entry = d;
    } else if ((w[0] == "child" || w[0] == "adult") && w.size() >= 2) {
      MatterFacts m;
      m.id = next_id++;
      m.kind = w[0] == "child" ? MatterKind::kChild : MatterKind::kAdult;
      size_t i = 1;
      if (w[i] == "open") {
        m.open = true;
        i += 1;
      } else if (w[i] == "closed" && w.size() > i + 1 && date(w[i + 1], &d)) {
        m.closed_on = d;
        i += 2;
      } else {
        return "a matter is '<child|adult> open' or '<child|adult> closed <date>'";
      }
      if (i < w.size()) {
        if (w[i] != "investigated" || w.size() != i + 2 || !date(w[i + 1], &d)) {
          return "after the matter's state only 'investigated <date>' may follow";
        }
        m.investigation_started_on = d;
      }
      c->person.matters.push_back(m);
    } else if (w[0] == "intervention" && (w.size() == 4 || w.size() == 6) && w[2] == "started" &&
               date(w[3], &d)) {
      if (c->person.matters.empty()) return "an intervention belongs to the matter before it";
      InterventionFacts i;
      i.id = next_id++;
      i.matter_id = c->person.matters.back().id;
      i.code = w[1];
      i.started_on = d;
      if (w.size() == 6) {
        if (w[4] != "ended" || !date(w[5], &d)) return "intervention: '... ended <date>'";
        i.ended_on = d;
      }
      c->person.interventions.push_back(i);
    } else if (w.size() == 1 && w[0] == "paternity") {
      c->person.paternity_investigation = true;
    } else if (w.size() == 1 && w[0] == "adoption") {
      c->person.adoption_investigation = true;
    } else if (w.size() == 1 && w[0] == "agreement") {
      c->person.approved_agreement = true;
    } else if (w.size() == 1 && w[0] == "research-municipality") {
      c->settings.research_municipality = true;
    } else if (w[0] == "sample-days" && w.size() == 2) {
      c->settings.research_sample_birth_days.clear();
      if (w[1] != "none") {
        for (const std::string& day : Split(w[1], ','))
          c->settings.research_sample_birth_days.push_back(std::stoi(day));
      }
    } else {
      return "unknown clause '" + clause + "'";
    }
  }
  return have_on ? "" : "missing 'on <date>'";
}

std::string Describe(const Result<Decision>& d) {
  if (!d.ok()) return "error";
  std::string out = std::string(VerdictName(d->verdict)) + " " + d->rule;
  if (d->removable_from) out += " from " + FormatDate(*d->removable_from);
  if (d->due_by) out += " due " + FormatDate(*d->due_by);
  return out;
}

TEST(RetentionGoldenTest, Cases) {
  auto book = Rulebook::Load(Rulebook::DefaultPath());
  ASSERT_TRUE(book.ok()) << book.status().message();
  const auto files = TextFiles("retention");
  ASSERT_FALSE(files.empty()) << "no golden files in " << NYSOL_GOLDEN_DIR << "/retention";
  int cases = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file);
    int line_number = 0;
    for (std::string line; std::getline(in, line);) {
      ++line_number;
      const std::string where = file.filename().string() + ":" + std::to_string(line_number);
      const std::string content = Trim(line.substr(0, line.find('#')));
      if (content.empty()) continue;
      const auto arrow = content.find("=>");
      if (arrow == std::string::npos) {
        ADD_FAILURE() << where << ": expected '<facts> => <decision>', got '" << line << "'";
        continue;
      }
      Case c;
      c.person.person_id = line_number;
      const std::string problem = ParseFacts(content.substr(0, arrow), &c);
      if (!problem.empty()) {
        ADD_FAILURE() << where << ": " << problem;
        continue;
      }
      const std::string expected = Trim(content.substr(arrow + 2));
      ++cases;
      auto decision = Evaluate(c.person, c.on, *book, c.settings);
      EXPECT_EQ(Describe(decision), expected)
          << where << ": " << line << (decision.ok() ? "\n  reason: " + decision->reason : "");
    }
  }
  EXPECT_GT(cases, 40);
}

}  // namespace
}  // namespace nysol::retention
