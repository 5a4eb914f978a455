// Small-cell suppression. Every suppressed table is checked here by the test's own means, not by the
// production algebra: (1) a rank computation modulo a prime, column by column ("is this withheld value's
// column independent of the other withheld columns?"), and (2) for small tables a brute-force search for
// another table that agrees with every published value and sum but differs in the withheld value. The hand-
// made tables also show that both checks do catch the leaks that simple rules leave.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "followup/suppression.h"

namespace nysol::followup {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

CountTable MakeTable(const std::vector<std::vector<int64_t>>& grid, bool rows_partition = true) {
  CountTable table;
  table.id = "test";
  table.rows_partition = rows_partition;
  for (size_t r = 0; r < grid.size(); ++r) table.rows.push_back({"r" + std::to_string(r), "rad"});
  const size_t columns = grid.empty() ? 0 : grid[0].size();
  for (size_t c = 0; c < columns; ++c) table.columns.push_back({"c" + std::to_string(c), "kolumn"});
  for (const auto& row : grid) table.cells.insert(table.cells.end(), row.begin(), row.end());
  return table;
}

// What a reader of the export sees: every value the table publishes, whether it is withheld, and the sums
// that hold between them (each a list of coefficients over the values, summing to zero).
struct ReaderView {
  std::vector<std::string> names;
  std::vector<int64_t> values;
  std::vector<bool> withheld;
  std::vector<std::vector<int64_t>> sums;
};

ReaderView View(const CountTable& table) {
  ReaderView view;
  const size_t rows = table.rows.size();
  const size_t columns = table.columns.size();
  auto add = [&](std::string name, int64_t value, bool withheld) {
    view.names.push_back(std::move(name));
    view.values.push_back(value);
    view.withheld.push_back(withheld);
    return view.names.size() - 1;
  };
  std::vector<std::vector<size_t>> cell(rows, std::vector<size_t>(columns));
  std::vector<size_t> row_total(rows);
  std::vector<size_t> column_total(columns);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < columns; ++c) {
      cell[r][c] = add("cell(" + std::to_string(r) + "," + std::to_string(c) + ")", table.Cell(r, c),
                       table.CellSuppressed(r, c));
    }
  }
  for (size_t r = 0; r < rows; ++r) {
    row_total[r] = add("row total " + std::to_string(r), table.RowTotal(r), table.RowTotalSuppressed(r));
  }
  size_t grand = 0;
  if (table.rows_partition) {
    for (size_t c = 0; c < columns; ++c) {
      column_total[c] =
          add("column total " + std::to_string(c), table.ColumnTotal(c), table.ColumnTotalSuppressed(c));
    }
    grand = add("grand total", table.Total(), table.total_suppressed);
  }
  auto new_sum = [&]() -> std::vector<int64_t>& {
    view.sums.emplace_back(view.names.size(), 0);
    return view.sums.back();
  };
  for (size_t r = 0; r < rows; ++r) {
    auto& sum = new_sum();
    for (size_t c = 0; c < columns; ++c) sum[cell[r][c]] = 1;
    sum[row_total[r]] = -1;
  }
  if (table.rows_partition) {
    for (size_t c = 0; c < columns; ++c) {
      auto& sum = new_sum();
      for (size_t r = 0; r < rows; ++r) sum[cell[r][c]] = 1;
      sum[column_total[c]] = -1;
    }
    auto& by_rows = new_sum();
    for (size_t r = 0; r < rows; ++r) by_rows[row_total[r]] = 1;
    by_rows[grand] = -1;
    auto& by_columns = new_sum();
    for (size_t c = 0; c < columns; ++c) by_columns[column_total[c]] = 1;
    by_columns[grand] = -1;
  }
  return view;
}

std::vector<std::string> WithheldNames(const CountTable& table) {
  const ReaderView view = View(table);
  std::vector<std::string> names;
  for (size_t v = 0; v < view.names.size(); ++v) {
    if (view.withheld[v]) names.push_back(view.names[v]);
  }
  return names;
}

// Rank over the integers modulo a prime. The sums' coefficients form a totally unimodular matrix (every
// square submatrix has determinant 0, 1 or -1), so no non-zero minor vanishes modulo a prime and this is the
// rank over the rationals.
constexpr int64_t kPrime = 1'000'000'007;

int64_t Power(int64_t base, int64_t exponent) {
  int64_t result = 1;
  base %= kPrime;
  for (; exponent > 0; exponent >>= 1) {
    if (exponent & 1) result = result * base % kPrime;
    base = base * base % kPrime;
  }
  return result;
}

size_t RankModPrime(std::vector<std::vector<int64_t>> matrix) {
  size_t rank = 0;
  const size_t columns = matrix.empty() ? 0 : matrix[0].size();
  for (size_t c = 0; c < columns && rank < matrix.size(); ++c) {
    size_t pivot = rank;
    while (pivot < matrix.size() && matrix[pivot][c] == 0) ++pivot;
    if (pivot == matrix.size()) continue;
    std::swap(matrix[pivot], matrix[rank]);
    const int64_t inverse = Power(matrix[rank][c], kPrime - 2);
    for (size_t r = rank + 1; r < matrix.size(); ++r) {
      if (matrix[r][c] == 0) continue;
      const int64_t factor = matrix[r][c] * inverse % kPrime;
      for (size_t k = c; k < columns; ++k) {
        matrix[r][k] = ((matrix[r][k] - factor * matrix[rank][k]) % kPrime + kPrime) % kPrime;
      }
    }
    ++rank;
  }
  return rank;
}

// The withheld values a reader can compute exactly: x is determined by the sums iff its column in the sums
// (restricted to withheld values) is not a combination of the other withheld values' columns, that is iff
// leaving it out lowers the rank.
std::vector<std::string> RecoverableByRank(const CountTable& table) {
  const ReaderView view = View(table);
  std::vector<size_t> withheld;
  for (size_t v = 0; v < view.names.size(); ++v) {
    if (view.withheld[v]) withheld.push_back(v);
  }
  auto matrix_without = [&](size_t left_out) {
    std::vector<std::vector<int64_t>> matrix;
    for (const auto& sum : view.sums) {
      std::vector<int64_t> row;
      for (size_t v : withheld) {
        if (v != left_out) row.push_back((sum[v] % kPrime + kPrime) % kPrime);
      }
      matrix.push_back(std::move(row));
    }
    return matrix;
  };
  const size_t full = RankModPrime(matrix_without(view.names.size()));
  std::vector<std::string> recoverable;
  for (size_t v : withheld) {
    if (RankModPrime(matrix_without(v)) < full) recoverable.push_back(view.names[v]);
  }
  return recoverable;
}

// The withheld values for which no other table exists that agrees with every published value and satisfies
// every sum but differs in that value. Tries every change of the withheld values by -1, 0 or +1: with a
// totally unimodular system, if any other table exists, one of these does.
std::vector<std::string> WithoutAlternativeTable(const CountTable& table) {
  const ReaderView view = View(table);
  std::vector<size_t> withheld;
  for (size_t v = 0; v < view.names.size(); ++v) {
    if (view.withheld[v]) withheld.push_back(v);
  }
  EXPECT_LE(withheld.size(), 13u) << "too many withheld values for the brute force";
  std::vector<bool> has_alternative(withheld.size(), false);
  std::vector<int> change(withheld.size(), -1);
  std::vector<int64_t> other = view.values;
  while (true) {
    bool all_zero = true;
    for (size_t k = 0; k < withheld.size(); ++k) {
      other[withheld[k]] = view.values[withheld[k]] + change[k];
      all_zero = all_zero && change[k] == 0;
    }
    bool consistent = !all_zero;
    for (size_t s = 0; s < view.sums.size() && consistent; ++s) {
      int64_t total = 0;
      for (size_t v = 0; v < other.size(); ++v) total += view.sums[s][v] * other[v];
      consistent = total == 0;
    }
    if (consistent) {
      for (size_t k = 0; k < withheld.size(); ++k) has_alternative[k] = has_alternative[k] || change[k] != 0;
    }
    size_t k = 0;
    while (k < change.size() && change[k] == 1) change[k++] = -1;
    if (k == change.size()) break;
    ++change[k];
  }
  std::vector<std::string> without;
  for (size_t k = 0; k < withheld.size(); ++k) {
    if (!has_alternative[k]) without.push_back(view.names[withheld[k]]);
  }
  return without;
}

// Every value with 0 < value < threshold is withheld (the primary rule), by the reader's view.
std::vector<std::string> PublishedSmallValues(const CountTable& table, int threshold) {
  const ReaderView view = View(table);
  std::vector<std::string> names;
  for (size_t v = 0; v < view.names.size(); ++v) {
    if (!view.withheld[v] && view.values[v] > 0 && view.values[v] < threshold) names.push_back(view.names[v]);
  }
  return names;
}

// Zeros are never withheld: a ring of non-zero values always exists to protect a small one.
std::vector<std::string> WithheldZeros(const CountTable& table) {
  const ReaderView view = View(table);
  std::vector<std::string> names;
  for (size_t v = 0; v < view.names.size(); ++v) {
    if (view.withheld[v] && view.values[v] == 0) names.push_back(view.names[v]);
  }
  return names;
}

// Flags set by hand, to show what the checks say about a suppression that simple rules accept.
void WithholdOnly(CountTable& table, const std::vector<std::pair<size_t, size_t>>& cells,
                  const std::vector<size_t>& column_totals = {}) {
  table.cell_suppressed.assign(table.cells.size(), false);
  table.row_total_suppressed.assign(table.rows.size(), false);
  table.column_total_suppressed.assign(table.columns.size(), false);
  table.total_suppressed = false;
  for (const auto& [r, c] : cells) table.cell_suppressed[r * table.columns.size() + c] = true;
  for (size_t c : column_totals) table.column_total_suppressed[c] = true;
}

// (a) The 1 alone in its row would follow from the row total (23 - 10 - 12); a second cell in the row is
// withheld, and then a second in each column, the cheapest rectangle.
TEST(SuppressTest, SingleWithheldCellInARowGetsAPartner) {
  CountTable table = MakeTable({
      {1, 10, 12},
      {8, 9, 15},
      {20, 7, 11},
  });

  CountTable primary_only = table;
  WithholdOnly(primary_only, {{0, 0}});
  EXPECT_THAT(RecoverableByRank(primary_only), ElementsAre("cell(0,0)"));
  EXPECT_THAT(WithoutAlternativeTable(primary_only), ElementsAre("cell(0,0)"));

  Suppress(table, {});
  EXPECT_THAT(WithheldNames(table), ElementsAre("cell(0,0)", "cell(0,1)", "cell(1,0)", "cell(1,1)"));
  EXPECT_THAT(PublishedSmallValues(table, 3), IsEmpty());
  EXPECT_THAT(RecoverableByRank(table), IsEmpty());
  EXPECT_THAT(WithoutAlternativeTable(table), IsEmpty());
}

// (b) Two 2×2 rectangles of withheld cells joined by one withheld cell (0,2) in row 0. Every row and every
// column with a withheld cell has at least two, so the rule "two per row and column" is content, yet
//   cell(0,2) = row total 0 - (cell(0,0) + cell(0,1)) - 30 - 25, and
//   cell(0,0) + cell(0,1) = column total 0 + column total 1 - row total 1 - 40 - 22 - 18 - (35 + 26) - (28 +
//   33),
// all published. In the graph of rows and columns the joining cell is a bridge.
TEST(SuppressTest, BridgeBetweenTwoRectanglesIsCaught) {
  CountTable table = MakeTable({
      {1, 2, 1, 30, 25},
      {2, 1, 40, 22, 18},
      {35, 28, 2, 1, 19},
      {26, 33, 1, 2, 21},
  });
  const std::vector<std::pair<size_t, size_t>> primary = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1},
                                                          {2, 2}, {2, 3}, {3, 2}, {3, 3}};

  CountTable naive = table;
  WithholdOnly(naive, primary);
  for (size_t r = 0; r < 4; ++r) {
    int withheld = 0;
    for (size_t c = 0; c < 5; ++c) withheld += naive.CellSuppressed(r, c) ? 1 : 0;
    EXPECT_GE(withheld, 2) << "row " << r;
  }
  for (size_t c = 0; c < 4; ++c) {
    int withheld = 0;
    for (size_t r = 0; r < 4; ++r) withheld += naive.CellSuppressed(r, c) ? 1 : 0;
    EXPECT_GE(withheld, 2) << "column " << c;
  }
  EXPECT_THAT(RecoverableByRank(naive), ElementsAre("cell(0,2)"));
  EXPECT_THAT(WithoutAlternativeTable(naive), ElementsAre("cell(0,2)"));

  Suppress(table, {});
  // One more cell closes a cycle through the bridge: (1,3) = 22, the smallest that links the two groups.
  EXPECT_THAT(WithheldNames(table),
              ElementsAre("cell(0,0)", "cell(0,1)", "cell(0,2)", "cell(1,0)", "cell(1,1)", "cell(1,3)",
                          "cell(2,2)", "cell(2,3)", "cell(3,2)", "cell(3,3)"));
  EXPECT_THAT(PublishedSmallValues(table, 3), IsEmpty());
  EXPECT_THAT(RecoverableByRank(table), IsEmpty());
  EXPECT_THAT(WithoutAlternativeTable(table), IsEmpty());
}

// (c) Column 0 sums to 2, so its total is withheld; with the other column totals and the grand total
// published it would follow as 58 - 18 - 38.
TEST(SuppressTest, ColumnTotalRecoverableFromTheOtherTotalsIsProtected) {
  CountTable table = MakeTable({
      {1, 5, 12},
      {1, 6, 15},
      {0, 7, 11},
  });

  // The cells alone are safe as a rectangle, but the column total is not.
  CountTable cells_only = table;
  WithholdOnly(cells_only, {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, {0});
  EXPECT_THAT(RecoverableByRank(cells_only), ElementsAre("column total 0"));
  EXPECT_THAT(WithoutAlternativeTable(cells_only), ElementsAre("column total 0"));

  Suppress(table, {});
  EXPECT_TRUE(table.ColumnTotalSuppressed(0));
  EXPECT_THAT(WithheldNames(table), ElementsAre("cell(0,0)", "cell(0,1)", "cell(1,0)", "cell(1,1)",
                                                "column total 0", "column total 1"));
  EXPECT_FALSE(table.total_suppressed);
  EXPECT_THAT(PublishedSmallValues(table, 3), IsEmpty());
  EXPECT_THAT(RecoverableByRank(table), IsEmpty());
  EXPECT_THAT(WithoutAlternativeTable(table), IsEmpty());
}

// (d) Lead times go with their counts. The steps overlap, so only row sums hold: the 2 in row 0 would
// follow from the row total 17, and the 15 beside it is withheld too; row 1 is small throughout.
TEST(SuppressTest, DurationMediansAreWithheldWithTheirCount) {
  DurationTable table;
  table.n = MakeTable(
      {
          {2, 15},
          {1, 1},
          {20, 30},
      },
      /*rows_partition=*/false);
  for (int i = 0; i < 6; ++i) {
    table.median.emplace_back(10.0 + i);
    table.p90.emplace_back(30.0 + i);
  }
  for (int r = 0; r < 3; ++r) {
    table.row_median.emplace_back(12.0 + r);
    table.row_p90.emplace_back(40.0 + r);
  }

  Suppress(table, {});

  EXPECT_THAT(WithheldNames(table.n),
              ElementsAre("cell(0,0)", "cell(0,1)", "cell(1,0)", "cell(1,1)", "row total 1"));
  EXPECT_THAT(table.median, ElementsAre(std::nullopt, std::nullopt, std::nullopt, std::nullopt, 14.0, 15.0));
  EXPECT_THAT(table.p90, ElementsAre(std::nullopt, std::nullopt, std::nullopt, std::nullopt, 34.0, 35.0));
  EXPECT_THAT(table.row_median, ElementsAre(12.0, std::nullopt, 14.0));
  EXPECT_THAT(table.row_p90, ElementsAre(40.0, std::nullopt, 42.0));
  // Overlapping rows have no column totals or grand total to publish.
  EXPECT_THAT(table.n.column_total_suppressed, ElementsAre(false, false));
  EXPECT_FALSE(table.n.total_suppressed);
  EXPECT_THAT(PublishedSmallValues(table.n, 3), IsEmpty());
  EXPECT_THAT(RecoverableByRank(table.n), IsEmpty());
  EXPECT_THAT(WithoutAlternativeTable(table.n), IsEmpty());
}

// (e) Threshold 0 or 1 is "no suppression"; a table suppressed before is cleared, since Suppress starts over.
TEST(SuppressTest, ThresholdZeroOrOneWithholdsNothing) {
  CountTable table = MakeTable({
      {1, 2, 1},
      {2, 1, 7},
  });
  Suppress(table, {});
  EXPECT_THAT(WithheldNames(table), testing::Not(IsEmpty()));

  Suppress(table, {.threshold = 0});
  EXPECT_THAT(WithheldNames(table), IsEmpty());
  Suppress(table, {.threshold = 1});
  EXPECT_THAT(WithheldNames(table), IsEmpty());

  // Threshold 2 withholds the ones and what protects them; a 2 may stay published.
  Suppress(table, {.threshold = 2});
  EXPECT_TRUE(table.CellSuppressed(0, 0));
  EXPECT_THAT(PublishedSmallValues(table, 2), IsEmpty());
  EXPECT_THAT(RecoverableByRank(table), IsEmpty());
}

// (f) Zeros are published, and not used to protect a small value while non-zero values can: the 2 is
// protected by the rectangle 2, 9, 7, 6 although a zero sits beside it in its row and column.
TEST(SuppressTest, ZeroCellsStayPublished) {
  CountTable table = MakeTable({
      {0, 2, 0, 9},
      {0, 7, 0, 6},
      {0, 8, 4, 0},
  });
  Suppress(table, {});
  EXPECT_THAT(WithheldNames(table), ElementsAre("cell(0,1)", "cell(0,3)", "cell(1,1)", "cell(1,3)"));
  for (size_t r = 0; r < 3; ++r) {
    for (size_t c = 0; c < 4; ++c) {
      if (table.Cell(r, c) == 0) {
        EXPECT_FALSE(table.CellSuppressed(r, c)) << r << "," << c;
      }
    }
  }
  EXPECT_FALSE(table.ColumnTotalSuppressed(0));  // a column of zeros, total 0
  EXPECT_THAT(RecoverableByRank(table), IsEmpty());
  EXPECT_THAT(WithoutAlternativeTable(table), IsEmpty());
}

// Overlapping rows: each row is its own sum, so a lone small cell is protected within its row (the smallest
// other non-zero cell, not the zero and not the row total).
TEST(SuppressTest, OverlappingRowsAreProtectedRowByRow) {
  CountTable table = MakeTable(
      {
          {1, 0, 0, 50, 40},
          {9, 8, 7, 6, 5},
      },
      /*rows_partition=*/false);
  Suppress(table, {});
  EXPECT_THAT(WithheldNames(table), ElementsAre("cell(0,0)", "cell(0,4)"));
  EXPECT_THAT(table.column_total_suppressed, ElementsAre(false, false, false, false, false));
  EXPECT_THAT(RecoverableByRank(table), IsEmpty());
  EXPECT_THAT(WithoutAlternativeTable(table), IsEmpty());
}

// Totals are what readers look at first, so cells are withheld rather than totals, even here where
// withholding the column totals 4 and 15 would have hidden fewer people.
TEST(SuppressTest, CellsArePreferredToTotals) {
  CountTable table = MakeTable({
      {2, 19, 13},
      {0, 18, 2},
      {2, 15, 0},
  });
  Suppress(table, {});
  EXPECT_THAT(table.row_total_suppressed, ElementsAre(false, false, false));
  EXPECT_THAT(table.column_total_suppressed, ElementsAre(false, false, false));
  EXPECT_FALSE(table.total_suppressed);
  EXPECT_THAT(PublishedSmallValues(table, 3), IsEmpty());
  EXPECT_THAT(RecoverableByRank(table), IsEmpty());
  EXPECT_THAT(WithoutAlternativeTable(table), IsEmpty());
}

// A single small count in an otherwise empty table: its row total, column total and the grand total equal
// it, so all four are withheld, and they protect one another (each sum has two withheld values).
TEST(SuppressTest, SingleSmallCellWithholdsItsMargins) {
  CountTable table = MakeTable({
      {2, 0},
      {0, 0},
  });
  Suppress(table, {});
  EXPECT_THAT(WithheldNames(table), ElementsAre("cell(0,0)", "row total 0", "column total 0", "grand total"));
  EXPECT_THAT(RecoverableByRank(table), IsEmpty());
  EXPECT_THAT(WithoutAlternativeTable(table), IsEmpty());
}

TEST(SuppressTest, RandomTablesLeakNothingAndAreDeterministic) {
  std::mt19937 random(20251123);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int with_secondary = 0;
  for (int round = 0; round < 1000; ++round) {
    const size_t rows = 1 + random() % 7;
    const size_t columns = 1 + random() % 5;
    const double zero_share = unit(random) * 0.5;
    const double small_share = unit(random) * 0.4;
    std::vector<std::vector<int64_t>> grid(rows, std::vector<int64_t>(columns));
    for (auto& row : grid) {
      for (auto& cell : row) {
        const double draw = unit(random);
        cell = draw < zero_share ? 0 : draw < zero_share + small_share ? 1 + random() % 2 : 3 + random() % 40;
      }
    }
    const int threshold = static_cast<int>(random() % 6);
    CountTable table = MakeTable(grid, /*rows_partition=*/random() % 3 != 0);
    const CountTable original = table;
    Suppress(table, {.threshold = threshold});
    SCOPED_TRACE("round " + std::to_string(round));

    const std::vector<std::string> withheld = WithheldNames(table);
    if (threshold <= 1) {
      EXPECT_THAT(withheld, IsEmpty());
    }
    const ReaderView before = View(original);
    const auto primary =
        static_cast<size_t>(std::count_if(before.values.begin(), before.values.end(),
                                          [&](int64_t value) { return value > 0 && value < threshold; }));
    if (withheld.size() > primary) ++with_secondary;
    EXPECT_THAT(PublishedSmallValues(table, threshold), IsEmpty());
    EXPECT_THAT(WithheldZeros(table), IsEmpty());
    EXPECT_THAT(RecoverableByRank(table), IsEmpty());
    if (withheld.size() <= 9) {
      EXPECT_THAT(WithoutAlternativeTable(table), IsEmpty());
    }
    EXPECT_EQ(table.cells, original.cells);

    CountTable again = original;
    Suppress(again, {.threshold = threshold});
    EXPECT_EQ(again.cell_suppressed, table.cell_suppressed);
    EXPECT_EQ(again.row_total_suppressed, table.row_total_suppressed);
    EXPECT_EQ(again.column_total_suppressed, table.column_total_suppressed);
    EXPECT_EQ(again.total_suppressed, table.total_suppressed);
  }
  EXPECT_GT(with_secondary, 300);  // the generator does exercise secondary suppression
}

// The largest tables follow-up publishes (a catalog of about 40 items by 10 units), sparse and small.
TEST(SuppressTest, LargeSparseTableLeaksNothing) {
  std::mt19937 random(7);
  std::vector<std::vector<int64_t>> grid(40, std::vector<int64_t>(10));
  for (auto& row : grid) {
    for (auto& cell : row) {
      const uint32_t draw = random() % 10;
      cell = draw < 4 ? 0 : draw < 6 ? 1 + random() % 2 : 3 + random() % 30;
    }
  }
  CountTable table = MakeTable(grid);
  Suppress(table, {});
  EXPECT_THAT(PublishedSmallValues(table, 3), IsEmpty());
  EXPECT_THAT(WithheldZeros(table), IsEmpty());
  EXPECT_THAT(RecoverableByRank(table), IsEmpty());
}

TEST(SuppressTest, MismatchedLayoutThrows) {
  CountTable table = MakeTable({{1, 2}, {3, 4}});
  table.cells.pop_back();
  EXPECT_THROW(Suppress(table, {}), std::invalid_argument);

  DurationTable durations;
  durations.n = MakeTable({{1, 2}}, /*rows_partition=*/false);
  durations.median = {1.0};
  EXPECT_THROW(Suppress(durations, {}), std::invalid_argument);
}

}  // namespace
}  // namespace nysol::followup
