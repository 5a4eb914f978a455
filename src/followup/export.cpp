#include "followup/export.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace nysol::followup {
namespace {

using nlohmann::json;

constexpr std::string_view kReportName = "Uppföljning av socialtjänsten";
constexpr std::string_view kAllUnits = "Alla enheter";
constexpr std::string_view kTotal = "Totalt";
// Secondary suppression withholds values that are not small themselves, so the legend says both reasons.
constexpr std::string_view kLegend =
    ".. = uppgiften visas inte: den gäller för få personer, eller en sådan uppgift skulle kunna räknas fram "
    "ur den";
constexpr std::string_view kAboutSheet = "Om rapporten";
constexpr std::string_view kNotExecutedSheet = "Ej verkställda beslut";
constexpr std::string_view kNotExecutedTitle = "Ej verkställda beslut (34 kap. 1 § SoL)";
constexpr std::array<std::string_view, 3> kDurationHeaders = {"Antal", "Median (dagar)",
                                                              "90:e percentil (dagar)"};
constexpr std::array<std::string_view, 8> kNotExecutedHeaders = {
    "Beslutsdatum", "Insats", "Lagrum", "Enhet", "Kön", "Födelseår", "Dagar", "Verkställt"};
constexpr size_t kMaxSheetName = 31;  // Excel's limit, in UTF-16 units

// ---- Shared by the three formats ----

// The vectors are indexed by rows × columns without further checks below, so a table that does not hold
// together is refused here rather than read out of bounds.
void CheckShape(const CountTable& table) {
  const size_t size = table.rows.size() * table.columns.size();
  auto flags_fit = [](size_t flags, size_t want) { return flags == 0 || flags == want; };
  if (table.cells.size() != size || !flags_fit(table.cell_suppressed.size(), size) ||
      !flags_fit(table.row_total_suppressed.size(), table.rows.size()) ||
      !flags_fit(table.column_total_suppressed.size(), table.columns.size())) {
    throw std::invalid_argument(
        fmt::format("table {}: cells or suppression flags do not match {} rows × {} columns", table.id,
                    table.rows.size(), table.columns.size()));
  }
}

void CheckShape(const DurationTable& table) {
  CheckShape(table.n);
  if (table.median.size() != table.n.cells.size() || table.p90.size() != table.n.cells.size() ||
      table.row_median.size() != table.n.rows.size() || table.row_p90.size() != table.n.rows.size()) {
    throw std::invalid_argument(
        fmt::format("table {}: medians or percentiles do not match the counts", table.n.id));
  }
}

void CheckShapes(const Report& report) {
  for (const CountTable& table : report.counts) CheckShape(table);
  for (const DurationTable& table : report.durations) CheckShape(table);
}

// One decimal in every format (see export.h); never "-0".
std::optional<double> RoundDays(const std::optional<double>& days) {
  if (!days || !std::isfinite(*days)) return std::nullopt;
  const double rounded = std::round(*days * 10.0) / 10.0;
  return rounded == 0.0 ? 0.0 : rounded;
}

std::string Period(const Report& report) { return report.from + "–" + report.to; }

std::string_view UnitName(const Report& report) { return report.unit ? *report.unit : kAllUnits; }

// The same words as the registration form (first_line_pages.cpp).
std::string_view GenderSv(std::string_view code) {
  if (code == "female") return "Kvinna/flicka";
  if (code == "male") return "Man/pojke";
  if (code == "other") return "Annat";
  if (code == "unknown") return "Okänt";
  return code;
}

// The rulebook's legal-basis codes name the paragraph of SoL (2025:400) they stand for: "sol-11-1" is
// 11 kap. 1 § SoL. Anything else is written as its code rather than guessed at.
std::string LegalBasisSv(std::string_view code) {
  constexpr std::string_view kPrefix = "sol-";
  if (!code.starts_with(kPrefix)) return std::string(code);
  const char* const end = code.data() + code.size();
  int chapter = 0;
  int section = 0;
  auto [after_chapter, chapter_error] = std::from_chars(code.data() + kPrefix.size(), end, chapter);
  if (chapter_error != std::errc() || after_chapter == end || *after_chapter != '-') return std::string(code);
  auto [after_section, section_error] = std::from_chars(after_chapter + 1, end, section);
  if (section_error != std::errc() || after_section != end) return std::string(code);
  return fmt::format("{} kap. {} § SoL", chapter, section);
}

std::string_view InterventionSv(const NotExecutedDecision& decision) {
  return decision.intervention_sv.empty() ? std::string_view(decision.intervention)
                                          : std::string_view(decision.intervention_sv);
}

// ---- UTF-8, for the workbook: Excel refuses a file whose XML is not valid UTF-8 ----

// The length in bytes of the well-formed UTF-8 sequence at s[i], or 0 when there is none.
size_t SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const auto continuation = [&](size_t k, unsigned char low = 0x80, unsigned char high = 0xBF) {
    return k < s.size() && byte(k) >= low && byte(k) <= high;
  };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(i + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    // No overlong forms (E0 80–9F) and no UTF-16 surrogates (ED A0–BF).
    const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    return continuation(i + 1, low, high) && continuation(i + 2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    return continuation(i + 1, low, high) && continuation(i + 2) && continuation(i + 3) ? 4 : 0;
  }
  return 0;
}

// `s` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD.
std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t length = SequenceLength(s, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, length));
      i += length;
    }
  }
  return out;
}

// Excel counts characters in UTF-16 units: a character outside the BMP (four bytes in UTF-8) counts twice.
size_t Utf16Units(std::string_view valid) {
  size_t units = 0;
  for (size_t i = 0; i < valid.size();) {
    const size_t length = SequenceLength(valid, i);
    units += length == 4 ? 2 : 1;
    i += std::max<size_t>(length, 1);
  }
  return units;
}

// The longest prefix of valid UTF-8 `s` of at most `max_units` UTF-16 units; never splits a character.
std::string TruncateUnits(std::string_view valid, size_t max_units) {
  size_t units = 0;
  size_t i = 0;
  while (i < valid.size()) {
    const size_t length = std::max<size_t>(SequenceLength(valid, i), 1);
    const size_t cost = length == 4 ? 2 : 1;
    if (units + cost > max_units) break;
    units += cost;
    i += length;
  }
  return std::string(valid.substr(0, i));
}

// Excel compares sheet names without regard to case, also for å ä ö: fold ASCII and the Latin-1 capitals
// (U+00C0–U+00DE except ×, UTF-8 C3 80–C3 9E) to lower case.
std::string FoldCase(std::string_view valid) {
  std::string out(valid);
  for (size_t i = 0; i < out.size(); ++i) {
    const auto byte = static_cast<unsigned char>(out[i]);
    if (byte >= 'A' && byte <= 'Z') {
      out[i] = static_cast<char>(byte + 0x20);
    } else if (byte == 0xC3 && i + 1 < out.size()) {
      const auto next = static_cast<unsigned char>(out[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) out[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    }
  }
  return out;
}

// Excel refuses a sheet name that starts or ends with an apostrophe.
std::string TrimSheetName(std::string name) {
  const auto trimmed = [](char ch) { return ch == ' ' || ch == '\''; };
  while (!name.empty() && trimmed(name.back())) name.pop_back();
  size_t start = 0;
  while (start < name.size() && trimmed(name[start])) ++start;
  return name.substr(start);
}

std::string SheetBaseName(std::string_view title) {
  constexpr std::string_view kForbidden = "[]:*?/\\";
  const std::string valid = ValidUtf8(title);
  std::string out;
  bool pending_space = false;
  for (char ch : valid) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7F || ch == ' ' || kForbidden.find(ch) != std::string_view::npos) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += ch;
  }
  out = TrimSheetName(std::move(out));
  return out.empty() ? std::string("Tabell") : out;
}

// ---- CSV ----

// Excel runs a cell that starts with = + - or @ as a formula, also from a CSV file; a leading apostrophe
// keeps it text.
std::string CsvText(std::string_view text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    return "'" + std::string(text);
  }
  return std::string(text);
}

// A number as Swedish Excel reads it: decimal comma, no thousands separator.
std::string CsvNumber(double value) {
  std::string text = value == std::floor(value) ? fmt::format("{:.0f}", value) : fmt::format("{:.1f}", value);
  std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

std::string CsvCount(int64_t value, bool withheld) {
  return withheld ? std::string(kWithheldSign) : std::to_string(value);
}

// Withheld is "..", missing (no cases to take a median of) is empty.
std::string CsvDays(const std::optional<double>& days, bool withheld) {
  if (withheld) return std::string(kWithheldSign);
  const std::optional<double> rounded = RoundDays(days);
  return rounded ? CsvNumber(*rounded) : std::string();
}

class CsvWriter {
 public:
  CsvWriter() { out_ = "\xEF\xBB\xBF"; }  // without the BOM Excel reads the file as Windows-1252

  // `fields` are final: text already passed through CsvText.
  void Line(const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out_ += ';';
      AppendField(fields[i]);
    }
    out_ += "\r\n";
  }
  void BlankLine() { out_ += "\r\n"; }
  std::string Take() { return std::move(out_); }

 private:
  void AppendField(const std::string& field) {
    if (field.find_first_of(";\"\r\n") == std::string::npos) {
      out_ += field;
      return;
    }
    out_ += '"';
    for (char ch : field) {
      if (ch == '"') out_ += '"';
      out_ += ch;
    }
    out_ += '"';
  }

  std::string out_;
};

void CsvCountTable(const CountTable& table, CsvWriter& csv) {
  csv.Line({CsvText(table.title_sv)});
  std::vector<std::string> header = {""};
  for (const Label& column : table.columns) header.push_back(CsvText(column.name_sv));
  header.emplace_back(kTotal);
  csv.Line(header);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    std::vector<std::string> line = {CsvText(table.rows[r].name_sv)};
    for (size_t c = 0; c < table.columns.size(); ++c) {
      line.push_back(CsvCount(table.Cell(r, c), table.CellSuppressed(r, c)));
    }
    line.push_back(CsvCount(table.RowTotal(r), table.RowTotalSuppressed(r)));
    csv.Line(line);
  }
  // Overlapping rows (a funnel's steps) have no meaningful sum, so no total line is written for them.
  if (!table.rows_partition) return;
  std::vector<std::string> totals = {std::string(kTotal)};
  for (size_t c = 0; c < table.columns.size(); ++c) {
    totals.push_back(CsvCount(table.ColumnTotal(c), table.ColumnTotalSuppressed(c)));
  }
  totals.push_back(CsvCount(table.Total(), table.total_suppressed));
  csv.Line(totals);
}

void CsvDurationTable(const DurationTable& table, CsvWriter& csv) {
  const CountTable& n = table.n;
  csv.Line({CsvText(n.title_sv)});
  // Two header lines: the column's name over its three sub-columns, then the sub-columns.
  std::vector<std::string> groups = {""};
  std::vector<std::string> subheader = {""};
  auto add_group = [&](std::string_view name) {
    groups.push_back(CsvText(name));
    groups.emplace_back();
    groups.emplace_back();
    for (std::string_view sub : kDurationHeaders) subheader.emplace_back(sub);
  };
  for (const Label& column : n.columns) add_group(column.name_sv);
  add_group(kTotal);
  csv.Line(groups);
  csv.Line(subheader);
  for (size_t r = 0; r < n.rows.size(); ++r) {
    std::vector<std::string> line = {CsvText(n.rows[r].name_sv)};
    for (size_t c = 0; c < n.columns.size(); ++c) {
      const size_t index = r * n.columns.size() + c;
      const bool withheld = n.CellSuppressed(r, c);  // a median over a withheld count is withheld with it
      line.push_back(CsvCount(n.Cell(r, c), withheld));
      line.push_back(CsvDays(table.median[index], withheld));
      line.push_back(CsvDays(table.p90[index], withheld));
    }
    const bool row_withheld = n.RowTotalSuppressed(r);
    line.push_back(CsvCount(n.RowTotal(r), row_withheld));
    line.push_back(CsvDays(table.row_median[r], row_withheld));
    line.push_back(CsvDays(table.row_p90[r], row_withheld));
    csv.Line(line);
  }
}

void CsvNotExecuted(const std::vector<NotExecutedDecision>& decisions, CsvWriter& csv) {
  csv.Line({CsvText(kNotExecutedTitle)});
  csv.Line(std::vector<std::string>(kNotExecutedHeaders.begin(), kNotExecutedHeaders.end()));
  for (const NotExecutedDecision& decision : decisions) {
    csv.Line({CsvText(decision.decided_on), CsvText(InterventionSv(decision)),
              CsvText(LegalBasisSv(decision.legal_basis)), CsvText(decision.unit),
              CsvText(GenderSv(decision.gender)),
              decision.birth_year ? std::to_string(*decision.birth_year) : std::string(),
              std::to_string(decision.days_waited), CsvText(decision.executed_on.value_or(""))});
  }
}

// ---- JSON ----

json JsonCount(int64_t value, bool withheld) { return withheld ? json(nullptr) : json(value); }

json JsonDays(const std::optional<double>& days, bool withheld) {
  const std::optional<double> rounded = RoundDays(days);
  return withheld || !rounded ? json(nullptr) : json(*rounded);
}

json JsonLabels(const std::vector<Label>& labels) {
  json out = json::array();
  for (const Label& label : labels) out.push_back({{"code", label.code}, {"name_sv", label.name_sv}});
  return out;
}

json JsonTableHead(const CountTable& table) {
  return {{"id", table.id},
          {"title_sv", table.title_sv},
          {"split", table.split},
          {"rows", JsonLabels(table.rows)},
          {"columns", JsonLabels(table.columns)}};
}

// One row array per row; the value of a cell comes from `cell(r, c)`.
template <typename CellFn>
json JsonGrid(const CountTable& table, CellFn cell) {
  json grid = json::array();
  for (size_t r = 0; r < table.rows.size(); ++r) {
    json row = json::array();
    for (size_t c = 0; c < table.columns.size(); ++c) row.push_back(cell(r, c));
    grid.push_back(std::move(row));
  }
  return grid;
}

json JsonCountTable(const CountTable& table) {
  json out = JsonTableHead(table);
  out["rows_partition"] = table.rows_partition;
  out["cells"] = JsonGrid(
      table, [&](size_t r, size_t c) { return JsonCount(table.Cell(r, c), table.CellSuppressed(r, c)); });
  out["suppressed"] = JsonGrid(table, [&](size_t r, size_t c) { return json(table.CellSuppressed(r, c)); });
  json row_totals = json::array();
  for (size_t r = 0; r < table.rows.size(); ++r) {
    row_totals.push_back(JsonCount(table.RowTotal(r), table.RowTotalSuppressed(r)));
  }
  out["row_totals"] = std::move(row_totals);
  // Absent, not null: null would read as "withheld", while these are not published at all.
  if (table.rows_partition) {
    json column_totals = json::array();
    for (size_t c = 0; c < table.columns.size(); ++c) {
      column_totals.push_back(JsonCount(table.ColumnTotal(c), table.ColumnTotalSuppressed(c)));
    }
    out["column_totals"] = std::move(column_totals);
    out["total"] = JsonCount(table.Total(), table.total_suppressed);
  }
  return out;
}

json JsonDurationTable(const DurationTable& table) {
  const CountTable& n = table.n;
  const size_t columns = n.columns.size();
  json out = JsonTableHead(n);
  out["n"] = JsonGrid(n, [&](size_t r, size_t c) { return JsonCount(n.Cell(r, c), n.CellSuppressed(r, c)); });
  out["suppressed"] = JsonGrid(n, [&](size_t r, size_t c) { return json(n.CellSuppressed(r, c)); });
  out["median"] = JsonGrid(
      n, [&](size_t r, size_t c) { return JsonDays(table.median[r * columns + c], n.CellSuppressed(r, c)); });
  out["p90"] = JsonGrid(
      n, [&](size_t r, size_t c) { return JsonDays(table.p90[r * columns + c], n.CellSuppressed(r, c)); });
  json row_n = json::array();
  json row_median = json::array();
  json row_p90 = json::array();
  for (size_t r = 0; r < n.rows.size(); ++r) {
    row_n.push_back(JsonCount(n.RowTotal(r), n.RowTotalSuppressed(r)));
    row_median.push_back(JsonDays(table.row_median[r], n.RowTotalSuppressed(r)));
    row_p90.push_back(JsonDays(table.row_p90[r], n.RowTotalSuppressed(r)));
  }
  out["row_n"] = std::move(row_n);
  out["row_median"] = std::move(row_median);
  out["row_p90"] = std::move(row_p90);
  return out;
}

json JsonNotExecuted(const NotExecutedDecision& decision) {
  return {{"decision_id", decision.decision_id},
          {"decided_on", decision.decided_on},
          {"intervention", decision.intervention},
          {"intervention_sv", decision.intervention_sv},
          {"legal_basis", decision.legal_basis},
          {"unit", decision.unit},
          {"gender", decision.gender},
          {"birth_year", decision.birth_year ? json(*decision.birth_year) : json(nullptr)},
          {"days_waited", decision.days_waited},
          {"executed_on", decision.executed_on ? json(*decision.executed_on) : json(nullptr)}};
}

// ---- XLSX ----

// The workbook's formats; libxlsxwriter owns them and frees them with the workbook.
struct Formats {
  lxw_format* bold = nullptr;
  lxw_format* withheld = nullptr;       // ".." is text; right-aligned so it lines up with the numbers
  lxw_format* bold_withheld = nullptr;  // the same in a total line
};

// Writes cells of one worksheet and remembers how wide each column needs to be.
class Sheet {
 public:
  Sheet(lxw_worksheet* worksheet, const Formats& formats) : worksheet_(worksheet), formats_(formats) {}

  void Text(lxw_row_t row, lxw_col_t col, std::string_view text, bool bold = false) {
    Widen(col, Utf16Units(Write(row, col, text, bold ? formats_.bold : nullptr)));
  }
  // A sheet's title or a heading over several columns: bold, and free to run over into the empty cells
  // beside it, so it does not widen its column.
  void Heading(lxw_row_t row, lxw_col_t col, std::string_view text) { Write(row, col, text, formats_.bold); }
  void Number(lxw_row_t row, lxw_col_t col, double value, bool bold = false) {
    Check(worksheet_write_number(worksheet_, row, col, value, bold ? formats_.bold : nullptr));
    Widen(col, value == std::floor(value) ? fmt::formatted_size("{:.0f}", value)
                                          : fmt::formatted_size("{:.1f}", value));
  }
  void Withheld(lxw_row_t row, lxw_col_t col, bool bold = false) {
    const std::string sign(kWithheldSign);
    Check(worksheet_write_string(worksheet_, row, col, sign.c_str(),
                                 bold ? formats_.bold_withheld : formats_.withheld));
  }
  void Count(lxw_row_t row, lxw_col_t col, int64_t value, bool withheld, bool bold = false) {
    if (withheld) {
      Withheld(row, col, bold);
    } else {
      Number(row, col, static_cast<double>(value), bold);
    }
  }
  // Missing (no cases) is left blank.
  void Days(lxw_row_t row, lxw_col_t col, const std::optional<double>& days, bool withheld) {
    const std::optional<double> rounded = RoundDays(days);
    if (withheld) {
      Withheld(row, col);
    } else if (rounded) {
      Number(row, col, *rounded);
    }
  }
  void Freeze(lxw_row_t rows, lxw_col_t cols) { worksheet_freeze_panes(worksheet_, rows, cols); }

  // Sets the column widths from what was written; the first column holds the labels and may be wider.
  lxw_error Finish() {
    for (size_t col = 0; col < widths_.size(); ++col) {
      const double width =
          std::clamp<double>(static_cast<double>(widths_[col]) + 2.0, 8.0, col == 0 ? 60.0 : 30.0);
      Check(worksheet_set_column(worksheet_, static_cast<lxw_col_t>(col), static_cast<lxw_col_t>(col), width,
                                 nullptr));
    }
    return error_;
  }

 private:
  std::string Write(lxw_row_t row, lxw_col_t col, std::string_view text, lxw_format* format) {
    std::string valid = ValidUtf8(text);
    Check(worksheet_write_string(worksheet_, row, col, valid.c_str(), format));
    return valid;
  }
  void Check(lxw_error error) {
    if (error_ == LXW_NO_ERROR) error_ = error;
  }
  void Widen(lxw_col_t col, size_t units) {
    if (widths_.size() <= col) widths_.resize(col + 1, 0);
    widths_[col] = std::max(widths_[col], units);
  }

  lxw_worksheet* worksheet_;
  const Formats& formats_;
  std::vector<size_t> widths_;
  lxw_error error_ = LXW_NO_ERROR;
};

void XlsxAbout(const Report& report, const std::vector<std::string>& sheet_names, Sheet& sheet) {
  lxw_row_t row = 0;
  auto fact = [&](std::string_view name, std::string_view value) {
    sheet.Text(row, 0, name, true);
    sheet.Text(row++, 1, value);
  };
  auto number_fact = [&](std::string_view name, double value) {
    sheet.Text(row, 0, name, true);
    sheet.Number(row++, 1, value);
  };
  fact("Rapport", kReportName);
  fact("Period", Period(report));
  fact("Enhet", UnitName(report));
  number_fact("Sekretessgräns", report.suppression_threshold);
  number_fact("Händelser t.o.m.", static_cast<double>(report.last_seq));
  fact("Regelverk", report.rulebook_version);
  fact("Teckenförklaring", kLegend);
  // The sheet names are cut to 31 characters, so the full titles are listed here.
  ++row;
  sheet.Text(row, 0, "Flik", true);
  sheet.Text(row++, 1, "Tabell", true);
  size_t index = 0;
  for (const CountTable& table : report.counts) {
    sheet.Text(row, 0, sheet_names[index++]);
    sheet.Text(row++, 1, table.title_sv);
  }
  for (const DurationTable& table : report.durations) {
    sheet.Text(row, 0, sheet_names[index++]);
    sheet.Text(row++, 1, table.n.title_sv);
  }
  if (!report.not_executed.empty()) {
    sheet.Text(row, 0, kNotExecutedSheet);
    sheet.Text(row++, 1, kNotExecutedTitle);
  }
}

void XlsxCountTable(const CountTable& table, Sheet& sheet) {
  const auto total_col = static_cast<lxw_col_t>(table.columns.size() + 1);
  sheet.Heading(0, 0, table.title_sv);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    sheet.Text(1, static_cast<lxw_col_t>(c + 1), table.columns[c].name_sv, true);
  }
  sheet.Text(1, total_col, kTotal, true);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 2);
    sheet.Text(row, 0, table.rows[r].name_sv);
    for (size_t c = 0; c < table.columns.size(); ++c) {
      sheet.Count(row, static_cast<lxw_col_t>(c + 1), table.Cell(r, c), table.CellSuppressed(r, c));
    }
    sheet.Count(row, total_col, table.RowTotal(r), table.RowTotalSuppressed(r));
  }
  if (table.rows_partition) {
    const auto row = static_cast<lxw_row_t>(table.rows.size() + 2);
    sheet.Text(row, 0, kTotal, true);
    for (size_t c = 0; c < table.columns.size(); ++c) {
      sheet.Count(row, static_cast<lxw_col_t>(c + 1), table.ColumnTotal(c), table.ColumnTotalSuppressed(c),
                  true);
    }
    sheet.Count(row, total_col, table.Total(), table.total_suppressed, true);
  }
  sheet.Freeze(2, 1);
}

void XlsxDurationTable(const DurationTable& table, Sheet& sheet) {
  const CountTable& n = table.n;
  sheet.Heading(0, 0, n.title_sv);
  auto group = [&](size_t group_index, std::string_view name) {
    const auto first = static_cast<lxw_col_t>(group_index * kDurationHeaders.size() + 1);
    sheet.Heading(1, first, name);
    for (size_t k = 0; k < kDurationHeaders.size(); ++k) {
      sheet.Text(2, static_cast<lxw_col_t>(first + k), kDurationHeaders[k], true);
    }
  };
  for (size_t c = 0; c < n.columns.size(); ++c) group(c, n.columns[c].name_sv);
  group(n.columns.size(), kTotal);
  for (size_t r = 0; r < n.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 3);
    sheet.Text(row, 0, n.rows[r].name_sv);
    auto values = [&](size_t group_index, int64_t count, const std::optional<double>& median,
                      const std::optional<double>& p90, bool withheld) {
      const auto first = static_cast<lxw_col_t>(group_index * kDurationHeaders.size() + 1);
      sheet.Count(row, first, count, withheld);
      sheet.Days(row, static_cast<lxw_col_t>(first + 1), median, withheld);
      sheet.Days(row, static_cast<lxw_col_t>(first + 2), p90, withheld);
    };
    for (size_t c = 0; c < n.columns.size(); ++c) {
      const size_t index = r * n.columns.size() + c;
      values(c, n.Cell(r, c), table.median[index], table.p90[index], n.CellSuppressed(r, c));
    }
    values(n.columns.size(), n.RowTotal(r), table.row_median[r], table.row_p90[r], n.RowTotalSuppressed(r));
  }
  sheet.Freeze(3, 1);
}

void XlsxNotExecuted(const std::vector<NotExecutedDecision>& decisions, Sheet& sheet) {
  for (size_t k = 0; k < kNotExecutedHeaders.size(); ++k) {
    sheet.Text(0, static_cast<lxw_col_t>(k), kNotExecutedHeaders[k], true);
  }
  lxw_row_t row = 1;
  for (const NotExecutedDecision& decision : decisions) {
    sheet.Text(row, 0, decision.decided_on);
    sheet.Text(row, 1, InterventionSv(decision));
    sheet.Text(row, 2, LegalBasisSv(decision.legal_basis));
    sheet.Text(row, 3, decision.unit);
    sheet.Text(row, 4, GenderSv(decision.gender));
    if (decision.birth_year) sheet.Number(row, 5, *decision.birth_year);
    sheet.Number(row, 6, static_cast<double>(decision.days_waited));
    if (decision.executed_on) sheet.Text(row, 7, *decision.executed_on);
    ++row;
  }
  sheet.Freeze(1, 0);
}

// Fills `book`; returns the first error, or an empty string.
std::string XlsxFill(const Report& report, lxw_workbook* book) {
  Formats formats;
  formats.bold = workbook_add_format(book);
  format_set_bold(formats.bold);
  formats.withheld = workbook_add_format(book);
  format_set_align(formats.withheld, LXW_ALIGN_RIGHT);
  formats.bold_withheld = workbook_add_format(book);
  format_set_bold(formats.bold_withheld);
  format_set_align(formats.bold_withheld, LXW_ALIGN_RIGHT);

  const std::vector<std::string> names = XlsxSheetNames(report);
  std::string error;
  auto with_sheet = [&](std::string_view name, auto fill) {
    if (!error.empty()) return;
    const std::string sheet_name(name);
    lxw_worksheet* worksheet = workbook_add_worksheet(book, sheet_name.c_str());
    if (worksheet == nullptr) {
      error = fmt::format("cannot add worksheet '{}'", sheet_name);
      return;
    }
    Sheet sheet(worksheet, formats);
    fill(sheet);
    if (const lxw_error status = sheet.Finish(); status != LXW_NO_ERROR) {
      error = fmt::format("worksheet '{}': {}", sheet_name, lxw_strerror(status));
    }
  };
  with_sheet(kAboutSheet, [&](Sheet& sheet) { XlsxAbout(report, names, sheet); });
  size_t index = 0;
  for (const CountTable& table : report.counts) {
    with_sheet(names[index++], [&](Sheet& sheet) { XlsxCountTable(table, sheet); });
  }
  for (const DurationTable& table : report.durations) {
    with_sheet(names[index++], [&](Sheet& sheet) { XlsxDurationTable(table, sheet); });
  }
  if (!report.not_executed.empty()) {
    with_sheet(kNotExecutedSheet, [&](Sheet& sheet) { XlsxNotExecuted(report.not_executed, sheet); });
  }
  return error;
}

}  // namespace

std::string ReportCsv(const Report& report) {
  CheckShapes(report);
  CsvWriter csv;
  csv.Line({"Rapport", CsvText(kReportName)});
  csv.Line({"Period", CsvText(Period(report))});
  csv.Line({"Enhet", CsvText(UnitName(report))});
  csv.Line({"Sekretessgräns", std::to_string(report.suppression_threshold)});
  csv.Line({"Händelser t.o.m.", std::to_string(report.last_seq)});
  csv.Line({"Regelverk", CsvText(report.rulebook_version)});
  csv.Line({"Teckenförklaring", CsvText(kLegend)});
  for (const CountTable& table : report.counts) {
    csv.BlankLine();
    CsvCountTable(table, csv);
  }
  for (const DurationTable& table : report.durations) {
    csv.BlankLine();
    CsvDurationTable(table, csv);
  }
  if (!report.not_executed.empty()) {
    csv.BlankLine();
    CsvNotExecuted(report.not_executed, csv);
  }
  return csv.Take();
}

nlohmann::json ReportToJson(const Report& report) {
  CheckShapes(report);
  json out = {{"period", {{"from", report.from}, {"to", report.to}}},
              {"unit", report.unit ? json(*report.unit) : json(nullptr)},
              {"suppression", {{"threshold", report.suppression_threshold}, {"sign", kWithheldSign}}},
              {"events", report.events},
              {"last_seq", report.last_seq},
              {"rulebook_version", report.rulebook_version}};
  json counts = json::array();
  for (const CountTable& table : report.counts) counts.push_back(JsonCountTable(table));
  out["counts"] = std::move(counts);
  json durations = json::array();
  for (const DurationTable& table : report.durations) durations.push_back(JsonDurationTable(table));
  out["durations"] = std::move(durations);
  if (!report.not_executed.empty()) {
    json decisions = json::array();
    for (const NotExecutedDecision& decision : report.not_executed)
      decisions.push_back(JsonNotExecuted(decision));
    out["not_executed"] = std::move(decisions);
  }
  return out;
}

std::string ReportJson(const Report& report) {
  return ReportToJson(report).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::vector<std::string> XlsxSheetNames(const Report& report) {
  // "History" is reserved by Excel itself.
  std::set<std::string> taken = {FoldCase(kAboutSheet), FoldCase(kNotExecutedSheet), "history"};
  std::vector<std::string> names;
  auto add = [&](std::string_view title) {
    const std::string base = SheetBaseName(title);
    std::string name = TrimSheetName(TruncateUnits(base, kMaxSheetName));
    for (int k = 2; taken.contains(FoldCase(name)); ++k) {
      const std::string suffix = fmt::format(" ({})", k);
      name = TrimSheetName(TruncateUnits(base, kMaxSheetName - suffix.size())) + suffix;
    }
    taken.insert(FoldCase(name));
    names.push_back(std::move(name));
  };
  for (const CountTable& table : report.counts) add(table.title_sv);
  for (const DurationTable& table : report.durations) add(table.n.title_sv);
  return names;
}

bool WriteReportXlsx(const Report& report, const std::string& path, std::string* error) {
  CheckShapes(report);
  auto fail = [&](std::string message) {
    if (error != nullptr) *error = std::move(message);
    return false;
  };
  // A temporary file beside `path`, so that the final rename is atomic and a failed write leaves nothing.
  std::string temp = path + ".XXXXXX";
  const int fd = mkstemp(temp.data());
  if (fd < 0) return fail(fmt::format("cannot create a file beside {}: {}", path, std::strerror(errno)));
  close(fd);

  lxw_workbook* book = workbook_new(temp.c_str());
  if (book == nullptr) {
    std::remove(temp.c_str());
    return fail("cannot create the workbook");
  }
  const std::string fill_error = XlsxFill(report, book);
  // workbook_close is the only way to free the workbook, so it runs also after a failure.
  const lxw_error close_error = workbook_close(book);
  if (!fill_error.empty() || close_error != LXW_NO_ERROR) {
    std::remove(temp.c_str());
    return fail(fmt::format("cannot write {}: {}", path,
                            fill_error.empty() ? std::string(lxw_strerror(close_error)) : fill_error));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temp.c_str());
    return fail(fmt::format("cannot move the workbook to {}: {}", path, reason));
  }
  return true;
}

}  // namespace nysol::followup
