// Golden tests for the follow-up measures: each file in tests/golden/followup/ is a small journal and the
// measures expected from it, written so a social worker can read and add a case (format: the files' heads).
// The journal is written into a real, migrated database and read back through the snapshot, as the server
// does.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/catalog.h"
#include "core/rulebook.h"
#include "followup/measures.h"
#include "followup/publish.h"
#include "store/case_store.h"
#include "store/db.h"
#include "test_database.h"

namespace nysol::followup {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line.substr(0, line.find('#')));
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

json Value(const std::string& text) {
  if (text == "yes" || text == "no") return text == "yes";
  if (text == "null") return nullptr;
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) return std::stoll(text);
  return text;
}

const CountTable* FindTable(const Report& report, const std::string& id, const std::string& split) {
  for (const auto& table : report.counts) {
    if (table.id == id && table.split == split) return &table;
  }
  return nullptr;
}
const DurationTable* FindDurations(const Report& report, const std::string& id, const std::string& split) {
  for (const auto& table : report.durations) {
    if (table.n.id == id && table.n.split == split) return &table;
  }
  return nullptr;
}
long Index(const std::vector<Label>& labels, const std::string& code) {
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i].code == code) return static_cast<long>(i);
  }
  return -1;
}

void RunCase(const fs::path& file) {
  SCOPED_TRACE(file.filename().string());
  auto rulebook = Rulebook::Load(Rulebook::DefaultPath());
  ASSERT_TRUE(rulebook.ok());
  auto catalog = Catalog::Load(Catalog::DefaultPath(), *rulebook);
  ASSERT_TRUE(catalog.ok());
  fs::path db_path = fs::temp_directory_path() / ("nysol-followup-" + file.stem().string() + ".db");
  fs::remove(db_path);
  auto db = store::OpenDb(testing::TestDatabase(db_path.parent_path(), db_path.filename().string()));
  ASSERT_TRUE(db.ok());
  store::Migrate(**db);

  std::ifstream in(file);
  std::string line, from, to, unit;
  int threshold = 0, line_no = 0;
  bool expecting = false, measured = false;
  Report report;
  Snapshot snapshot;
  auto measure = [&] {
    ASSERT_TRUE(snapshot.CatchUp(**db).ok());
    MeasureContext context{*rulebook, &*catalog, UnitNames(**db)};
    MeasureRequest request{*ParseDate(from), *ParseDate(to), std::nullopt, true};
    if (!unit.empty()) request.unit = unit;
    report = Measure(snapshot, request, context);
    SuppressReport(report, threshold);
    measured = true;
  };
  while (std::getline(in, line)) {
    ++line_no;
    SCOPED_TRACE("line " + std::to_string(line_no) + ": " + line);
    auto w = Words(line);
    if (w.empty()) continue;
    if (w[0] == "period") {
      ASSERT_EQ(w.size(), 3u);
      from = w[1], to = w[2];
    } else if (w[0] == "unit") {
      unit = w.at(1);
    } else if (w[0] == "suppress-below") {
      threshold = std::stoi(w.at(1));
    } else if (w[0] == "expect") {
      expecting = true;
    } else if (!expecting) {
      // <date or date-time> <event kind> [matter=N] [person=N] [unit=CODE] field=value …
      ASSERT_GE(w.size(), 2u);
      int64_t matter = 0, person = 0;
      std::string event_unit = "mottagning-barn";
      json payload = json::object();
      for (size_t i = 2; i < w.size(); ++i) {
        auto eq = w[i].find('=');
        ASSERT_NE(eq, std::string::npos);
        std::string key = w[i].substr(0, eq), value = w[i].substr(eq + 1);
        if (key == "matter")
          matter = std::stoll(value);
        else if (key == "person")
          person = std::stoll(value);
        else if (key == "unit")
          event_unit = value;
        else
          payload[key] = Value(value);
      }
      auto& st = (*db)->Prepare(
          "INSERT INTO journal (occurred_at, recorded_at, actor, unit, matter_id, person_id, kind, payload, "
          "rulebook_version) VALUES (?1, ?1, 'golden', ?2, ?3, ?4, ?5, ?6, 'golden')");
      st.Bind(1, w[0]).Bind(2, event_unit).Bind(5, w[1]).Bind(6, payload.dump());
      matter ? st.Bind(3, matter) : st.BindNull(3);
      person ? st.Bind(4, person) : st.BindNull(4);
      st.Run();
    } else {
      if (!measured) measure();
      // <measure> <split> <row> <column or "total"> <value or "..">
      // lead_times <split> <row> <column or "row"> median|p90|n <value>
      if (w[0] == "not_executed") {  // not_executed <count> — the individual rows for IVO
        ASSERT_EQ(report.not_executed.size(), std::stoul(w.at(1)));
        continue;
      }
      if (const DurationTable* d = FindDurations(report, w[0], w.at(1))) {
        ASSERT_EQ(w.size(), 6u);
        long r = Index(d->n.rows, w[2]);
        ASSERT_GE(r, 0) << "no row " << w[2];
        std::optional<double> actual;
        if (w[3] == "row") {
          actual = w[4] == "median" ? d->row_median[r] : d->row_p90[r];
        } else {
          long c = Index(d->n.columns, w[3]);
          ASSERT_GE(c, 0) << "no column " << w[3];
          size_t i = static_cast<size_t>(r) * d->n.columns.size() + static_cast<size_t>(c);
          if (w[4] == "n") {
            actual = static_cast<double>(d->n.cells[i]);
          } else {
            actual = w[4] == "median" ? d->median[i] : d->p90[i];
          }
        }
        if (w[5] == "..") {
          EXPECT_FALSE(actual.has_value());
        } else {
          ASSERT_TRUE(actual.has_value());
          EXPECT_DOUBLE_EQ(*actual, std::stod(w[5]));
        }
        continue;
      }
      const CountTable* t = FindTable(report, w[0], w.at(1));
      ASSERT_NE(t, nullptr) << "no measure " << w[0] << " by " << w[1];
      ASSERT_EQ(w.size(), 5u);
      long r = Index(t->rows, w[2]);
      ASSERT_GE(r, 0) << "no row " << w[2];
      auto row = static_cast<size_t>(r);
      if (w[3] == "total") {
        if (w[4] == "..") {
          EXPECT_TRUE(t->RowTotalSuppressed(row));
        } else {
          EXPECT_FALSE(t->RowTotalSuppressed(row));
          EXPECT_EQ(t->RowTotal(row), std::stoll(w[4]));
        }
        continue;
      }
      long c = Index(t->columns, w[3]);
      ASSERT_GE(c, 0) << "no column " << w[3];
      auto column = static_cast<size_t>(c);
      if (w[4] == "..") {
        EXPECT_TRUE(t->CellSuppressed(row, column));
      } else {
        EXPECT_FALSE(t->CellSuppressed(row, column));
        EXPECT_EQ(t->Cell(row, column), std::stoll(w[4]));
      }
    }
  }
  EXPECT_TRUE(measured) << "no expectations";
  db->reset();
  fs::remove(db_path);
}

TEST(FollowupGolden, EveryCaseFileHolds) {
  fs::path dir = fs::path(NYSOL_GOLDEN_DIR) / "followup";
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".txt") continue;
    RunCase(entry.path());
    ++cases;
  }
  EXPECT_GE(cases, 4);
}

}  // namespace
}  // namespace nysol::followup
