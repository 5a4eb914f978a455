#include "followup/export.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace nysol::followup {
namespace {

using nlohmann::json;

const std::string kSchool = "Skola; förskola \"fritids\"";  // needs quoting in CSV, and its quotes doubled

// A small report, built by hand. The suppression flags are set by hand too: the exports follow the flags,
// they do not judge them (that is suppression_test's business).
Report SmallReport() {
  Report report;
  report.from = "2025-01-01";
  report.to = "2025-03-31";
  report.suppression_threshold = 3;
  report.events = 1234;
  report.last_seq = 5678;
  report.rulebook_version = "2025-07-01";

  CountTable inflow;
  inflow.id = "inflow_by_category";
  inflow.title_sv = "Inflöde efter anmälarkategori";
  inflow.split = "gender";
  inflow.rows = {{"police", "Polisen"}, {"school", kSchool}, {"other", "Övriga"}};
  inflow.columns = {{"female", "Flickor och kvinnor"}, {"male", "Pojkar och män"}};
  inflow.cells = {5, 2, 7, 4, 6, 8};
  inflow.cell_suppressed = {false, true, false, false, false, false};
  inflow.row_total_suppressed = {true, false, false};
  inflow.column_total_suppressed = {false, true};
  report.counts.push_back(inflow);

  CountTable funnel;
  funnel.id = "funnel";
  funnel.title_sv = "Från anmälan till insats";
  funnel.split = "age_band";
  funnel.rows = {{"report_received", "Anmälan mottagen"}, {"investigation_started", "Utredning inledd"}};
  funnel.columns = {{"0-12", "0–12 år"}, {"13-17", "13–17 år"}};
  funnel.cells = {10, 20, 4, 9};
  funnel.rows_partition = false;  // a funnel's steps overlap: no column totals
  report.counts.push_back(funnel);

  DurationTable lead;
  lead.n.id = "lead_times";
  lead.n.title_sv = "Handläggningstid i dagar";
  lead.n.split = "gender";
  lead.n.rows = {{"preliminary", "Förhandsbedömning"}, {"investigation", "Utredning"}};
  lead.n.columns = {{"female", "Flickor och kvinnor"}, {"male", "Pojkar och män"}};
  lead.n.cells = {4, 6, 0, 2};
  lead.n.rows_partition = false;
  lead.n.cell_suppressed = {false, false, false, true};
  lead.n.row_total_suppressed = {false, true};
  lead.median = {12.5, 10.0, std::nullopt, 30.0};
  lead.p90 = {20.25, 18.0, std::nullopt, 44.0};
  lead.row_median = {11.0, 30.0};
  lead.row_p90 = {19.96, 44.0};
  report.durations.push_back(lead);

  NotExecutedDecision first;
  first.decision_id = "d-1";
  first.unit = "Enhet Öster";
  first.gender = "female";
  first.birth_year = 1948;
  first.decided_on = "2025-01-15";
  first.intervention = "hemtjanst";
  first.intervention_sv = "Hemtjänst";
  first.legal_basis = "sol-11-1";
  first.days_waited = 120;
  NotExecutedDecision second;
  second.decision_id = "d-2";
  second.unit = "Enhet Väster";
  second.gender = "unknown";
  second.decided_on = "2024-12-02";
  second.intervention = "kontaktperson";
  second.legal_basis = "lss-9-4";
  second.days_waited = 151;
  second.executed_on = "2025-05-02";
  report.not_executed = {first, second};
  return report;
}

// ---- CSV ----

// An RFC 4180 reader with `;` as separator that insists on CRLF line ends: a bare CR or LF outside quotes is
// a failure. A blank line is a record with one empty field.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  bool field_was_quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch == '"') {
      if (!field.empty() || field_was_quoted) ADD_FAILURE() << "quote inside an unquoted field at " << i;
      quoted = true;
      field_was_quoted = true;
    } else if (ch == ';') {
      record.push_back(std::move(field));
      field.clear();
      field_was_quoted = false;
    } else if (ch == '\r') {
      if (i + 1 >= text.size() || text[i + 1] != '\n') ADD_FAILURE() << "CR without LF at " << i;
      ++i;
      record.push_back(std::move(field));
      field.clear();
      field_was_quoted = false;
      records.push_back(std::move(record));
      record.clear();
    } else if (ch == '\n') {
      ADD_FAILURE() << "LF without CR at " << i;
    } else {
      field += ch;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_TRUE(field.empty() && record.empty()) << "the last line has no CRLF";
  return records;
}

using Records = std::vector<std::vector<std::string>>;
using Fields = std::vector<std::string>;

const std::string kBom = "\xEF\xBB\xBF";

Records ParseReportCsv(const Report& report) {
  const std::string csv = ReportCsv(report);
  EXPECT_EQ(csv.substr(0, 3), kBom);
  return ParseCsv(csv.substr(std::min<size_t>(3, csv.size())));
}

// The index of the line that holds only `title`; records.size() when there is none.
size_t FindSection(const Records& records, const std::string& title) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i] == Fields{title}) return i;
  }
  return records.size();
}

TEST(ExportCsvTest, StartsWithBomAndEndsEveryLineWithCrlf) {
  const std::string csv = ReportCsv(SmallReport());
  ASSERT_GE(csv.size(), 3u);
  EXPECT_EQ(csv.substr(0, 3), kBom);
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
  size_t lines = 0;
  for (size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '\n') {
      EXPECT_TRUE(i > 0 && csv[i - 1] == '\r') << "bare LF at " << i;
      ++lines;
    }
    if (csv[i] == '\r') {
      EXPECT_TRUE(i + 1 < csv.size() && csv[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  EXPECT_GT(lines, 20u);
}

TEST(ExportCsvTest, HeadDescribesTheReport) {
  Records records = ParseReportCsv(SmallReport());
  ASSERT_GE(records.size(), 8u);
  EXPECT_EQ(records[0][0], "Rapport");
  EXPECT_EQ(records[1], (Fields{"Period", "2025-01-01–2025-03-31"}));
  EXPECT_EQ(records[2], (Fields{"Enhet", "Alla enheter"}));
  EXPECT_EQ(records[3], (Fields{"Sekretessgräns", "3"}));
  EXPECT_EQ(records[4], (Fields{"Händelser t.o.m.", "5678"}));
  EXPECT_EQ(records[5], (Fields{"Regelverk", "2025-07-01"}));
  EXPECT_EQ(records[6][0], "Teckenförklaring");
  EXPECT_EQ(records[6][1].substr(0, 2), "..");
  EXPECT_EQ(records[7], (Fields{""})) << "a blank line before the first table";

  Report one_unit = SmallReport();
  one_unit.unit = "Enhet Öster";
  EXPECT_EQ(ParseReportCsv(one_unit)[2], (Fields{"Enhet", "Enhet Öster"}));
}

TEST(ExportCsvTest, CountTableHasQuotedLabelsWithheldSignsAndTotals) {
  const Records records = ParseReportCsv(SmallReport());
  const size_t at = FindSection(records, "Inflöde efter anmälarkategori");
  ASSERT_LT(at + 5, records.size());
  EXPECT_EQ(records[at + 1], (Fields{"", "Flickor och kvinnor", "Pojkar och män", "Totalt"}));
  EXPECT_EQ(records[at + 2], (Fields{"Polisen", "5", "..", ".."}));
  EXPECT_EQ(records[at + 3], (Fields{kSchool, "7", "4", "11"}));
  EXPECT_EQ(records[at + 4], (Fields{"Övriga", "6", "8", "14"}));
  EXPECT_EQ(records[at + 5], (Fields{"Totalt", "18", "..", "32"}));

  // Quoted only when needed: the label with ; and " is, the plain lines are not.
  const std::string csv = ReportCsv(SmallReport());
  EXPECT_NE(csv.find("\r\n\"Skola; förskola \"\"fritids\"\"\";7;4;11\r\n"), std::string::npos);
  EXPECT_NE(csv.find("\r\nPolisen;5;..;..\r\n"), std::string::npos);
}

TEST(ExportCsvTest, NoTotalLineWhenRowsOverlap) {
  const Records records = ParseReportCsv(SmallReport());
  const size_t at = FindSection(records, "Från anmälan till insats");
  ASSERT_LT(at + 4, records.size());
  EXPECT_EQ(records[at + 1], (Fields{"", "0–12 år", "13–17 år", "Totalt"}));
  EXPECT_EQ(records[at + 2], (Fields{"Anmälan mottagen", "10", "20", "30"}));
  EXPECT_EQ(records[at + 3], (Fields{"Utredning inledd", "4", "9", "13"}));
  EXPECT_EQ(records[at + 4], (Fields{""})) << "the section ends without a Totalt line";
}

TEST(ExportCsvTest, DurationTableHasDecimalCommaAndWithheldOrMissingMedians) {
  const Records records = ParseReportCsv(SmallReport());
  const size_t at = FindSection(records, "Handläggningstid i dagar");
  ASSERT_LT(at + 4, records.size());
  EXPECT_EQ(records[at + 1],
            (Fields{"", "Flickor och kvinnor", "", "", "Pojkar och män", "", "", "Totalt", "", ""}));
  const Fields sub = {"Antal", "Median (dagar)", "90:e percentil (dagar)"};
  EXPECT_EQ(records[at + 2],
            (Fields{"", sub[0], sub[1], sub[2], sub[0], sub[1], sub[2], sub[0], sub[1], sub[2]}));
  // 20.25 rounds to one decimal; 19.96 rounds to a whole day and is written without a decimal.
  EXPECT_EQ(records[at + 3],
            (Fields{"Förhandsbedömning", "4", "12,5", "20,3", "6", "10", "18", "10", "11", "20"}));
  // n = 0: the median is missing (empty); n withheld: the median and percentile are withheld with it.
  EXPECT_EQ(records[at + 4], (Fields{"Utredning", "0", "", "", "..", "..", "..", "..", "..", ".."}));
}

TEST(ExportCsvTest, NotExecutedSectionListsEachDecision) {
  const Records records = ParseReportCsv(SmallReport());
  const size_t at = FindSection(records, "Ej verkställda beslut (34 kap. 1 § SoL)");
  ASSERT_EQ(at + 4, records.size()) << "the last section, with a header and two decisions";
  EXPECT_EQ(records[at + 1],
            (Fields{"Beslutsdatum", "Insats", "Lagrum", "Enhet", "Kön", "Födelseår", "Dagar", "Verkställt"}));
  EXPECT_EQ(records[at + 2], (Fields{"2025-01-15", "Hemtjänst", "11 kap. 1 § SoL", "Enhet Öster",
                                     "Kvinna/flicka", "1948", "120", ""}));
  // No Swedish name: the code; an unknown kind of legal basis: its code as is.
  EXPECT_EQ(records[at + 3], (Fields{"2024-12-02", "kontaktperson", "lss-9-4", "Enhet Väster", "Okänt", "",
                                     "151", "2025-05-02"}));

  Report without = SmallReport();
  without.not_executed.clear();
  const Records none = ParseReportCsv(without);
  EXPECT_EQ(FindSection(none, "Ej verkställda beslut (34 kap. 1 § SoL)"), none.size());
}

TEST(ExportCsvTest, TextThatExcelWouldRunAsFormulaIsKeptText) {
  Report report = SmallReport();
  report.counts[0].rows[0].name_sv = "=HYPERLINK(\"http://example.invalid\";\"x\")";
  report.counts[0].rows[2].name_sv = "-Övriga";
  const Records records = ParseReportCsv(report);
  const size_t at = FindSection(records, "Inflöde efter anmälarkategori");
  ASSERT_LT(at + 4, records.size());
  EXPECT_EQ(records[at + 2][0], "'=HYPERLINK(\"http://example.invalid\";\"x\")");
  EXPECT_EQ(records[at + 4][0], "'-Övriga");
}

TEST(ExportCsvTest, TableOfWrongShapeIsRefused) {
  Report report = SmallReport();
  report.counts[0].cells.pop_back();
  EXPECT_THROW(ReportCsv(report), std::invalid_argument);
  Report medians = SmallReport();
  medians.durations[0].median.pop_back();
  EXPECT_THROW(ReportCsv(medians), std::invalid_argument);
  Report flags = SmallReport();
  flags.counts[0].row_total_suppressed.push_back(false);
  EXPECT_THROW(ReportToJson(flags), std::invalid_argument);
}

// ---- JSON ----

TEST(ExportJsonTest, HeadAndCountTables) {
  const std::string text = ReportJson(SmallReport());
  EXPECT_NE(text.find("\n  \"period\": {\n    \"from\""), std::string::npos) << "2-space indent";
  EXPECT_EQ(text.back(), '\n');
  const json doc = json::parse(text);
  EXPECT_EQ(doc, ReportToJson(SmallReport()));
  EXPECT_EQ(doc["period"]["from"], "2025-01-01");
  EXPECT_EQ(doc["period"]["to"], "2025-03-31");
  EXPECT_TRUE(doc["unit"].is_null());
  EXPECT_EQ(doc["suppression"]["threshold"], 3);
  EXPECT_EQ(doc["suppression"]["sign"], "..");
  EXPECT_EQ(doc["events"], 1234);
  EXPECT_EQ(doc["last_seq"], 5678);
  EXPECT_EQ(doc["rulebook_version"], "2025-07-01");

  ASSERT_EQ(doc["counts"].size(), 2u);
  const json& inflow = doc["counts"][0];
  EXPECT_EQ(inflow["id"], "inflow_by_category");
  EXPECT_EQ(inflow["title_sv"], "Inflöde efter anmälarkategori");
  EXPECT_EQ(inflow["split"], "gender");
  EXPECT_EQ(inflow["rows"][1]["code"], "school");
  EXPECT_EQ(inflow["rows"][1]["name_sv"], kSchool);
  EXPECT_EQ(inflow["columns"][1]["name_sv"], "Pojkar och män");
  EXPECT_EQ(inflow["cells"], json::parse("[[5, null], [7, 4], [6, 8]]"));
  EXPECT_EQ(inflow["suppressed"], json::parse("[[false, true], [false, false], [false, false]]"));
  EXPECT_EQ(inflow["row_totals"], json::parse("[null, 11, 14]"));
  EXPECT_EQ(inflow["column_totals"], json::parse("[18, null]"));
  EXPECT_EQ(inflow["total"], 32);

  const json& funnel = doc["counts"][1];
  EXPECT_EQ(funnel["rows_partition"], false);
  EXPECT_EQ(funnel["cells"], json::parse("[[10, 20], [4, 9]]"));
  EXPECT_EQ(funnel["row_totals"], json::parse("[30, 13]"));
  EXPECT_FALSE(funnel.contains("column_totals")) << "not published, so absent rather than null";
  EXPECT_FALSE(funnel.contains("total"));
}

TEST(ExportJsonTest, DurationTablesAndDecisions) {
  const json doc = json::parse(ReportJson(SmallReport()));
  ASSERT_EQ(doc["durations"].size(), 1u);
  const json& lead = doc["durations"][0];
  EXPECT_EQ(lead["id"], "lead_times");
  EXPECT_EQ(lead["rows"][0]["name_sv"], "Förhandsbedömning");
  EXPECT_EQ(lead["n"], json::parse("[[4, 6], [0, null]]"));
  EXPECT_DOUBLE_EQ(lead["median"][0][0].get<double>(), 12.5);
  EXPECT_DOUBLE_EQ(lead["p90"][0][0].get<double>(), 20.3);
  EXPECT_TRUE(lead["median"][1][0].is_null()) << "n = 0: missing";
  EXPECT_TRUE(lead["median"][1][1].is_null()) << "n withheld: withheld";
  EXPECT_TRUE(lead["p90"][1][1].is_null());
  EXPECT_EQ(lead["row_n"], json::parse("[10, null]"));
  EXPECT_DOUBLE_EQ(lead["row_median"][0].get<double>(), 11.0);
  EXPECT_DOUBLE_EQ(lead["row_p90"][0].get<double>(), 20.0);
  EXPECT_TRUE(lead["row_median"][1].is_null());

  ASSERT_EQ(doc["not_executed"].size(), 2u);
  EXPECT_EQ(doc["not_executed"][0]["decision_id"], "d-1");
  EXPECT_EQ(doc["not_executed"][0]["birth_year"], 1948);
  EXPECT_TRUE(doc["not_executed"][0]["executed_on"].is_null());
  EXPECT_TRUE(doc["not_executed"][1]["birth_year"].is_null());
  EXPECT_EQ(doc["not_executed"][1]["executed_on"], "2025-05-02");
  EXPECT_EQ(doc["not_executed"][1]["days_waited"], 151);

  Report without = SmallReport();
  without.not_executed.clear();
  without.unit = "Enhet Öster";
  const json other = ReportToJson(without);
  EXPECT_FALSE(other.contains("not_executed"));
  EXPECT_EQ(other["unit"], "Enhet Öster");
}

TEST(ExportJsonTest, InvalidUtf8IsReplacedNotThrown) {
  Report report = SmallReport();
  report.counts[0].title_sv =
      "Infl\xF6"
      "de";  // Latin-1 ö: not UTF-8
  std::string text;
  EXPECT_NO_THROW(text = ReportJson(report));
  EXPECT_NE(text.find("Infl\xEF\xBF\xBD"
                      "de"),
            std::string::npos);
}

// ---- XLSX ----

// A fresh directory per test, removed afterwards.
class ExportXlsxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("nysol_export_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
};

// One member of the zip archive, by `unzip -p`; nullopt when unzip fails (no such member, not a zip).
std::optional<std::string> Unzip(const std::filesystem::path& file, const std::string& member) {
  const std::string command = "unzip -p '" + file.string() + "' '" + member + "' 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  char buffer[4096];
  size_t got = 0;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, got);
  if (pclose(pipe) != 0) return std::nullopt;
  return out;
}

std::string XmlUnescape(std::string text) {
  const std::vector<std::pair<std::string, std::string>> entities = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, plain] : entities) {
    for (size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + plain.size())) {
      text.replace(at, entity.size(), plain);
    }
  }
  return text;
}

// The attribute `name` of every <sheet> in xl/workbook.xml, in order.
std::vector<std::string> SheetNamesIn(const std::string& workbook_xml) {
  std::vector<std::string> names;
  const std::regex sheet(R"re(<sheet name="([^"]*)")re");
  for (auto it = std::sregex_iterator(workbook_xml.begin(), workbook_xml.end(), sheet);
       it != std::sregex_iterator(); ++it) {
    names.push_back(XmlUnescape((*it)[1]));
  }
  return names;
}

// The text of every <si> in xl/sharedStrings.xml, in index order.
std::vector<std::string> SharedStrings(const std::string& xml) {
  std::vector<std::string> strings;
  const std::regex item(R"re(<si><t(?: [^>]*)?>([^<]*)</t></si>)re");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), item); it != std::sregex_iterator(); ++it) {
    strings.push_back(XmlUnescape((*it)[1]));
  }
  return strings;
}

struct XlsxCell {
  bool shared_string = false;  // t="s": <v> is an index into sharedStrings
  bool styled = false;         // has an s="…" format
  std::string value;           // the <v> text
};

// The cell `ref` ("B3") of a worksheet's XML; nullopt when the sheet has no such cell.
std::optional<XlsxCell> CellIn(const std::string& sheet_xml, const std::string& ref) {
  const std::regex cell("<c r=\"" + ref + "\"([^>]*)><v>([^<]*)</v></c>");
  std::smatch match;
  if (!std::regex_search(sheet_xml, match, cell)) return std::nullopt;
  const std::string attributes = match[1];
  return XlsxCell{attributes.find("t=\"s\"") != std::string::npos,
                  attributes.find(" s=\"") != std::string::npos, match[2]};
}

// The text of a shared-string cell, or nullopt.
std::optional<std::string> TextIn(const std::string& sheet_xml, const std::vector<std::string>& strings,
                                  const std::string& ref) {
  const std::optional<XlsxCell> cell = CellIn(sheet_xml, ref);
  if (!cell || !cell->shared_string) return std::nullopt;
  const size_t index = std::stoul(cell->value);
  if (index >= strings.size()) return std::nullopt;
  return strings[index];
}

TEST_F(ExportXlsxTest, WorkbookHoldsSheetsNumbersAndWithheldSigns) {
  const std::filesystem::path file = dir_ / "rapport.xlsx";
  std::string error;
  ASSERT_TRUE(WriteReportXlsx(SmallReport(), file.string(), &error)) << error;
  EXPECT_TRUE(error.empty());

  const std::optional<std::string> workbook = Unzip(file, "xl/workbook.xml");
  ASSERT_TRUE(workbook.has_value());
  EXPECT_EQ(
      SheetNamesIn(*workbook),
      (std::vector<std::string>{"Om rapporten", "Inflöde efter anmälarkategori", "Från anmälan till insats",
                                "Handläggningstid i dagar", "Ej verkställda beslut"}));

  const std::optional<std::string> shared_xml = Unzip(file, "xl/sharedStrings.xml");
  ASSERT_TRUE(shared_xml.has_value());
  const std::vector<std::string> strings = SharedStrings(*shared_xml);
  for (const std::string& expected : {std::string("Flickor och kvinnor"), std::string("Pojkar och män"),
                                      std::string("Övriga"), std::string("Förhandsbedömning"), kSchool}) {
    EXPECT_NE(std::find(strings.begin(), strings.end(), expected), strings.end()) << expected;
  }

  const std::optional<std::string> inflow = Unzip(file, "xl/worksheets/sheet2.xml");
  ASSERT_TRUE(inflow.has_value());
  EXPECT_EQ(TextIn(*inflow, strings, "A1"), "Inflöde efter anmälarkategori");
  EXPECT_EQ(TextIn(*inflow, strings, "B2"), "Flickor och kvinnor");
  EXPECT_TRUE(CellIn(*inflow, "B2")->styled) << "the header row is bold";
  EXPECT_EQ(TextIn(*inflow, strings, "A3"), "Polisen");
  const std::optional<XlsxCell> police_female = CellIn(*inflow, "B3");
  ASSERT_TRUE(police_female.has_value());
  EXPECT_FALSE(police_female->shared_string) << "a count is a number, so Excel can sum it";
  EXPECT_EQ(police_female->value, "5");
  EXPECT_EQ(TextIn(*inflow, strings, "C3"), "..");
  EXPECT_EQ(TextIn(*inflow, strings, "D3"), "..");
  EXPECT_EQ(TextIn(*inflow, strings, "A4"), kSchool);
  EXPECT_EQ(CellIn(*inflow, "D4")->value, "11");
  EXPECT_EQ(TextIn(*inflow, strings, "A6"), "Totalt");
  EXPECT_EQ(CellIn(*inflow, "B6")->value, "18");
  EXPECT_FALSE(CellIn(*inflow, "B6")->shared_string);
  EXPECT_EQ(TextIn(*inflow, strings, "C6"), "..");
  EXPECT_EQ(CellIn(*inflow, "D6")->value, "32");
  EXPECT_NE(inflow->find("<pane xSplit=\"1\" ySplit=\"2\""), std::string::npos) << "header and labels frozen";
  EXPECT_NE(inflow->find("<cols>"), std::string::npos) << "column widths set";

  const std::optional<std::string> funnel = Unzip(file, "xl/worksheets/sheet3.xml");
  ASSERT_TRUE(funnel.has_value());
  EXPECT_EQ(CellIn(*funnel, "D4")->value, "13");
  EXPECT_EQ(funnel->find("<row r=\"5\""), std::string::npos) << "no Totalt row when the rows overlap";

  const std::optional<std::string> lead = Unzip(file, "xl/worksheets/sheet4.xml");
  ASSERT_TRUE(lead.has_value());
  EXPECT_EQ(TextIn(*lead, strings, "C3"), "Median (dagar)");
  EXPECT_EQ(CellIn(*lead, "C4")->value, "12.5");
  EXPECT_FALSE(CellIn(*lead, "C4")->shared_string);
  EXPECT_EQ(CellIn(*lead, "D4")->value, "20.3");
  EXPECT_FALSE(CellIn(*lead, "C5").has_value()) << "n = 0: the median is left blank";
  EXPECT_EQ(TextIn(*lead, strings, "F5"), "..");
  EXPECT_NE(lead->find("<pane xSplit=\"1\" ySplit=\"3\""), std::string::npos);

  const std::optional<std::string> decisions = Unzip(file, "xl/worksheets/sheet5.xml");
  ASSERT_TRUE(decisions.has_value());
  EXPECT_EQ(TextIn(*decisions, strings, "B2"), "Hemtjänst");
  EXPECT_EQ(CellIn(*decisions, "F2")->value, "1948");
  EXPECT_FALSE(CellIn(*decisions, "F2")->shared_string);
  EXPECT_EQ(TextIn(*decisions, strings, "H3"), "2025-05-02");

  const std::optional<std::string> about = Unzip(file, "xl/worksheets/sheet1.xml");
  ASSERT_TRUE(about.has_value());
  EXPECT_EQ(TextIn(*about, strings, "B2"), "2025-01-01–2025-03-31");
  EXPECT_EQ(TextIn(*about, strings, "B3"), "Alla enheter");
  EXPECT_EQ(CellIn(*about, "B4")->value, "3");
  EXPECT_EQ(CellIn(*about, "B5")->value, "5678");
}

TEST_F(ExportXlsxTest, NoDecisionSheetWithoutDecisions) {
  Report report = SmallReport();
  report.not_executed.clear();
  const std::filesystem::path file = dir_ / "rapport.xlsx";
  std::string error;
  ASSERT_TRUE(WriteReportXlsx(report, file.string(), &error)) << error;
  const std::optional<std::string> workbook = Unzip(file, "xl/workbook.xml");
  ASSERT_TRUE(workbook.has_value());
  EXPECT_EQ(SheetNamesIn(*workbook).size(), 4u);
  EXPECT_FALSE(Unzip(file, "xl/worksheets/sheet5.xml").has_value());
}

TEST_F(ExportXlsxTest, SheetNamesAreValidUniqueAndDeterministic) {
  Report report;
  auto add = [&](const std::string& title) {
    CountTable table;
    table.title_sv = title;
    report.counts.push_back(table);
  };
  add("Inflöde/utflöde: [per] kvartal?");
  add("Beslut");
  add("BESLUT");
  add("Beslut");
  add("Om rapporten");
  add("återaktualiseringar");
  add("ÅTERAKTUALISERINGAR");
  add("'Citat'");
  add("*?");
  add("History");
  add("Handläggningstider för förhandsbedömningar");  // 42 characters
  add("Handläggningstider för förhandsbedömningar i år");
  const std::vector<std::string> expected = {
      "Inflöde utflöde per kvartal",
      "Beslut",
      "BESLUT (2)",
      "Beslut (3)",
      "Om rapporten (2)",
      "återaktualiseringar",
      "ÅTERAKTUALISERINGAR (2)",
      "Citat",
      "Tabell",
      "History (2)",
      "Handläggningstider för förhands",  // 31 characters
      "Handläggningstider för förh (2)",  // 27 + 4
  };
  EXPECT_EQ(XlsxSheetNames(report), expected);
  EXPECT_EQ(XlsxSheetNames(report), expected) << "the same report gives the same names";

  // libxlsxwriter refuses an invalid or repeated name, so a written workbook proves them acceptable.
  const std::filesystem::path file = dir_ / "namn.xlsx";
  std::string error;
  ASSERT_TRUE(WriteReportXlsx(report, file.string(), &error)) << error;
  const std::optional<std::string> workbook = Unzip(file, "xl/workbook.xml");
  ASSERT_TRUE(workbook.has_value());
  std::vector<std::string> with_about = {"Om rapporten"};
  with_about.insert(with_about.end(), expected.begin(), expected.end());
  EXPECT_EQ(SheetNamesIn(*workbook), with_about);
}

TEST_F(ExportXlsxTest, InvalidUtf8IsReplacedSoExcelCanOpenTheFile) {
  Report report = SmallReport();
  report.counts[0].title_sv =
      "Infl\xF6"
      "de";                                        // Latin-1 ö: not UTF-8, and Excel refuses such XML
  report.counts[0].rows[0].name_sv = "Polis\xC3";  // cut off in the middle of a character
  const std::filesystem::path file = dir_ / "rapport.xlsx";
  std::string error;
  ASSERT_TRUE(WriteReportXlsx(report, file.string(), &error)) << error;
  const std::optional<std::string> workbook = Unzip(file, "xl/workbook.xml");
  ASSERT_TRUE(workbook.has_value());
  EXPECT_EQ(SheetNamesIn(*workbook)[1],
            "Infl\xEF\xBF\xBD"
            "de");
  const std::optional<std::string> shared_xml = Unzip(file, "xl/sharedStrings.xml");
  ASSERT_TRUE(shared_xml.has_value());
  const std::vector<std::string> strings = SharedStrings(*shared_xml);
  EXPECT_NE(std::find(strings.begin(), strings.end(), "Polis\xEF\xBF\xBD"), strings.end());
}

TEST_F(ExportXlsxTest, FailureLeavesThePathUntouched) {
  const std::filesystem::path file = dir_ / "rapport.xlsx";
  {
    std::ofstream old(file);
    old << "the previous export";
  }
  // Excel holds at most 32,767 characters in a cell, so libxlsxwriter refuses this label.
  Report report = SmallReport();
  report.counts[0].rows[0].name_sv = std::string(40000, 'x');
  std::string error;
  EXPECT_FALSE(WriteReportXlsx(report, file.string(), &error));
  EXPECT_FALSE(error.empty());
  std::ifstream in(file);
  const std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(kept, "the previous export");
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1u) << "no temporary file left behind";

  EXPECT_FALSE(WriteReportXlsx(SmallReport(), (dir_ / "no-such-dir" / "rapport.xlsx").string(), &error));
  EXPECT_NE(error.find("no-such-dir"), std::string::npos) << error;
  EXPECT_FALSE(WriteReportXlsx(SmallReport(), (dir_ / "no-such-dir" / "rapport.xlsx").string(), nullptr));
}

}  // namespace
}  // namespace nysol::followup
