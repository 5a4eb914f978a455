// The ways a follow-up report leaves the system: CSV for Swedish Excel, an XLSX workbook, and JSON for the
// web server and for scripts. All three carry the same tables with the same values; a value withheld by
// small-cell suppression (suppression.h) is never written, only its sign (`..` in CSV and XLSX, null in
// JSON). docs/EXPORTS.md describes the layouts for the analyst who opens them.
//
// Lead times are rounded to one decimal in every format, so that the CSV, the workbook and the JSON show the
// same number; a day is the unit, and a tenth of a day is more precision than a lead time deserves.
//
// The exports write only what the report holds. Whether the individual-level list of decisions not carried
// out (Report::not_executed) may leave the system is the caller's decision: the exports include it whenever
// it is non-empty.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "followup/report.h"

namespace nysol::followup {

// The sign for a value withheld for confidentiality, as Swedish official statistics write it.
inline constexpr std::string_view kWithheldSign = "..";

// The report as CSV for Swedish Excel: UTF-8 with a byte-order mark (without it Excel reads ANSI), `;` as
// separator, CRLF line ends, decimal comma. A field is quoted only when it holds `;`, `"`, CR or LF. Text
// that Excel would take for a formula (starting with = + - @, tab or CR) is prefixed with `'`, so that a
// label can never run as a formula on the analyst's computer.
// Throws std::invalid_argument when a table's vectors do not match its rows and columns (a bug upstream).
std::string ReportCsv(const Report& report);

// The report as a JSON object (layout in docs/EXPORTS.md). A withheld value is null; a value that is not
// published at all (column totals of a table whose rows overlap) is absent. Throws like ReportCsv.
nlohmann::json ReportToJson(const Report& report);

// ReportToJson pretty-printed with a 2-space indent and a final newline. Bytes that are not valid UTF-8 are
// replaced by U+FFFD instead of failing the export.
std::string ReportJson(const Report& report);

// The worksheet names WriteReportXlsx gives the report's tables, in workbook order: first the count tables,
// then the duration tables. Each is derived from the table's Swedish title: the characters Excel forbids
// ([]:*?/\) become spaces, it is cut to 31 characters, and a name already taken (compared as Excel does,
// without regard to case) gets " (2)", " (3)", … The names "Om rapporten" and "Ej verkställda beslut" are
// kept for the workbook's own sheets. Deterministic: the same report gives the same names.
std::vector<std::string> XlsxSheetNames(const Report& report);

// Writes the report as an XLSX workbook to `path`: a sheet "Om rapporten", one sheet per table (named by
// XlsxSheetNames), and "Ej verkställda beslut" when the report has any. Counts and lead times are numbers,
// so that Excel can sum them; a withheld value is the text "..".
// The workbook is written to a temporary file beside `path` and renamed into place, so on failure `path` is
// untouched: returns false and, when `error` is not null, sets it to a message for the log. The file is
// created with mode 0600 (it may name individual decisions). Throws like ReportCsv.
bool WriteReportXlsx(const Report& report, const std::string& path, std::string* error);

}  // namespace nysol::followup
