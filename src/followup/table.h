// The tables that follow-up publishes: counts by a row dimension (a step, a reporter category, a catalog
// item) and a column dimension (gender, age band or unit), with totals. Everything that leaves the system as
// an aggregate is one of these, so small-cell suppression (suppression.h) and the exports (export.h) work on
// them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nysol::followup {

struct Label {
  std::string code;     // stable, English: "female", "police", "0-5"
  std::string name_sv;  // what the user reads: "Flickor och kvinnor", "Polisen", "0–5 år"
};

// A table of counts. Row totals (across the columns) are always published: the column dimension is a
// partition (every fact has exactly one gender, one age band, one unit). Column totals (down the rows) only
// when the rows are a partition too (`rows_partition`); a funnel's steps overlap, so their sum means nothing
// and is not published.
struct CountTable {
  std::string id;        // stable: "inflow_by_category"
  std::string title_sv;  // "Inflöde efter anmälarkategori"
  std::string split;     // the column dimension: "gender", "age_band" or "unit"
  std::vector<Label> rows;
  std::vector<Label> columns;
  std::vector<int64_t> cells;  // row-major: cells[r * columns.size() + c]
  bool rows_partition = true;

  // Filled by Suppress (suppression.h); empty means nothing is withheld. Same layout as `cells`, plus one
  // flag per row total, per column total and for the grand total.
  std::vector<bool> cell_suppressed;
  std::vector<bool> row_total_suppressed;
  std::vector<bool> column_total_suppressed;
  bool total_suppressed = false;

  int64_t Cell(size_t r, size_t c) const { return cells[r * columns.size() + c]; }
  int64_t RowTotal(size_t r) const {
    int64_t sum = 0;
    for (size_t c = 0; c < columns.size(); ++c) sum += Cell(r, c);
    return sum;
  }
  int64_t ColumnTotal(size_t c) const {
    int64_t sum = 0;
    for (size_t r = 0; r < rows.size(); ++r) sum += Cell(r, c);
    return sum;
  }
  int64_t Total() const {
    int64_t sum = 0;
    for (int64_t v : cells) sum += v;
    return sum;
  }
  bool CellSuppressed(size_t r, size_t c) const {
    return !cell_suppressed.empty() && cell_suppressed[r * columns.size() + c];
  }
  bool RowTotalSuppressed(size_t r) const { return !row_total_suppressed.empty() && row_total_suppressed[r]; }
  bool ColumnTotalSuppressed(size_t c) const {
    return !column_total_suppressed.empty() && column_total_suppressed[c];
  }
};

// Lead times in days for each step (rows) by the split (columns): how many, the median and the 90th
// percentile. `n` is a CountTable (rows do not partition: one matter passes several steps) and is suppressed
// like any count; a median or percentile over a suppressed n is withheld with it.
struct DurationTable {
  CountTable n;
  std::vector<std::optional<double>> median;  // same layout as n.cells; empty optional when n is 0
  std::vector<std::optional<double>> p90;
  // The same over the whole row (all columns together), one per row.
  std::vector<std::optional<double>> row_median;
  std::vector<std::optional<double>> row_p90;
};

}  // namespace nysol::followup
