#include "followup/suppression.h"

#include <compare>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <queue>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nysol::followup {
namespace {

constexpr size_t kNone = std::numeric_limits<size_t>::max();

// Exact arithmetic, because "is this value determined?" must not depend on rounding. The equations of a
// two-way table with margins form a totally unimodular matrix, so every number met during elimination is
// 0, 1 or -1; the checks only guard against a future change breaking that (then the table is not published).
int64_t CheckedAdd(int64_t a, int64_t b) {
  int64_t result = 0;
  if (__builtin_add_overflow(a, b, &result)) throw std::logic_error("suppression: arithmetic overflow");
  return result;
}
int64_t CheckedSub(int64_t a, int64_t b) {
  int64_t result = 0;
  if (__builtin_sub_overflow(a, b, &result)) throw std::logic_error("suppression: arithmetic overflow");
  return result;
}
int64_t CheckedMul(int64_t a, int64_t b) {
  int64_t result = 0;
  if (__builtin_mul_overflow(a, b, &result)) throw std::logic_error("suppression: arithmetic overflow");
  return result;
}

class Fraction {
 public:
  Fraction() = default;
  explicit Fraction(int64_t integer) : num_(integer) {}

  bool IsZero() const { return num_ == 0; }

  Fraction operator-(const Fraction& other) const {
    if (den_ == 1 && other.den_ == 1) return Fraction(CheckedSub(num_, other.num_));
    return Make(CheckedSub(CheckedMul(num_, other.den_), CheckedMul(other.num_, den_)),
                CheckedMul(den_, other.den_));
  }
  Fraction operator*(const Fraction& other) const {
    if (den_ == 1 && other.den_ == 1) return Fraction(CheckedMul(num_, other.num_));
    // Cross-cancel first so that the products stay as small as the result.
    const int64_t g1 = std::gcd(num_, other.den_);
    const int64_t g2 = std::gcd(other.num_, den_);
    return Make(CheckedMul(num_ / g1, other.num_ / g2), CheckedMul(den_ / g2, other.den_ / g1));
  }
  // `other` must not be zero.
  Fraction operator/(const Fraction& other) const { return *this * Make(other.den_, other.num_); }

 private:
  static Fraction Make(int64_t num, int64_t den) {
    if (den < 0) {
      num = CheckedSub(0, num);
      den = CheckedSub(0, den);
    }
    const int64_t g = std::gcd(num, den);
    Fraction result;
    result.num_ = num / g;
    result.den_ = den / g;
    return result;
  }

  int64_t num_ = 0;
  int64_t den_ = 1;
};

// The published values of a table, numbered: the cells row-major, then the row totals, then (only when the
// rows partition) the column totals and the grand total. Position in this order breaks every tie.
struct Layout {
  size_t rows = 0;
  size_t columns = 0;
  bool partition = false;

  size_t Cell(size_t r, size_t c) const { return r * columns + c; }
  size_t RowTotal(size_t r) const { return rows * columns + r; }
  size_t ColumnTotal(size_t c) const { return rows * columns + rows + c; }
  size_t GrandTotal() const { return rows * columns + rows + columns; }
  size_t Size() const { return partition ? GrandTotal() + 1 : rows * columns + rows; }
  bool IsTotal(size_t value) const { return value >= rows * columns; }
};

// The sums a reader can check in the published table, each as (value, coefficient) terms equal to zero.
struct System {
  std::vector<std::vector<std::pair<size_t, int>>> equations;
  std::vector<std::vector<size_t>> equations_of;  // per value: the equations it appears in
};

System BuildSystem(const Layout& layout) {
  System system;
  for (size_t r = 0; r < layout.rows; ++r) {
    std::vector<std::pair<size_t, int>> terms;
    for (size_t c = 0; c < layout.columns; ++c) terms.emplace_back(layout.Cell(r, c), 1);
    terms.emplace_back(layout.RowTotal(r), -1);
    system.equations.push_back(std::move(terms));
  }
  if (layout.partition) {
    for (size_t c = 0; c < layout.columns; ++c) {
      std::vector<std::pair<size_t, int>> terms;
      for (size_t r = 0; r < layout.rows; ++r) terms.emplace_back(layout.Cell(r, c), 1);
      terms.emplace_back(layout.ColumnTotal(c), -1);
      system.equations.push_back(std::move(terms));
    }
    std::vector<std::pair<size_t, int>> by_rows;
    for (size_t r = 0; r < layout.rows; ++r) by_rows.emplace_back(layout.RowTotal(r), 1);
    by_rows.emplace_back(layout.GrandTotal(), -1);
    system.equations.push_back(std::move(by_rows));
    std::vector<std::pair<size_t, int>> by_columns;
    for (size_t c = 0; c < layout.columns; ++c) by_columns.emplace_back(layout.ColumnTotal(c), 1);
    by_columns.emplace_back(layout.GrandTotal(), -1);
    system.equations.push_back(std::move(by_columns));
  }
  system.equations_of.resize(layout.Size());
  for (size_t e = 0; e < system.equations.size(); ++e) {
    for (const auto& [value, coefficient] : system.equations[e]) system.equations_of[value].push_back(e);
  }
  return system;
}

// The system in reduced row echelon form with respect to the withheld values (Gauss–Jordan, pivots taken
// only in withheld columns). With A_W the coefficients of the withheld values, a withheld x_i is determined
// by the published values iff the unit vector e_i lies in the row space of A_W, which in this form means:
// x_i has a pivot row, and that row is zero in every other withheld column.
class Reduction {
 public:
  Reduction(const System& system, const std::vector<bool>& withheld)
      : withheld_(withheld),
        rows_(system.equations.size(), std::vector<Fraction>(withheld.size())),
        pivot_row_(withheld.size(), kNone),
        is_pivot_row_(system.equations.size(), false) {
    for (size_t e = 0; e < system.equations.size(); ++e) {
      for (const auto& [value, coefficient] : system.equations[e]) rows_[e][value] = Fraction(coefficient);
    }
    for (size_t v = 0; v < withheld.size(); ++v) {
      if (!withheld[v]) continue;
      size_t pivot = kNone;
      for (size_t e = 0; e < rows_.size(); ++e) {
        if (!is_pivot_row_[e] && !rows_[e][v].IsZero()) {
          pivot = e;
          break;
        }
      }
      if (pivot == kNone) continue;  // x_v is a combination of earlier unknowns: not a pivot
      const Fraction scale = rows_[pivot][v];
      std::vector<size_t> nonzero;
      for (size_t k = 0; k < withheld.size(); ++k) {
        if (rows_[pivot][k].IsZero()) continue;
        rows_[pivot][k] = rows_[pivot][k] / scale;
        nonzero.push_back(k);
      }
      for (size_t e = 0; e < rows_.size(); ++e) {
        if (e == pivot || rows_[e][v].IsZero()) continue;
        const Fraction factor = rows_[e][v];
        for (size_t k : nonzero) rows_[e][k] = rows_[e][k] - factor * rows_[pivot][k];
      }
      is_pivot_row_[pivot] = true;
      pivot_row_[v] = pivot;
    }
  }

  // True when the withheld value i can be recomputed exactly from the published values.
  bool Recoverable(size_t i) const {
    if (!withheld_[i] || pivot_row_[i] == kNone) return false;
    const std::vector<Fraction>& row = rows_[pivot_row_[i]];
    for (size_t j = 0; j < withheld_.size(); ++j) {
      if (j != i && withheld_[j] && !row[j].IsZero()) return false;
    }
    return true;
  }

 private:
  const std::vector<bool>& withheld_;
  std::vector<std::vector<Fraction>> rows_;
  std::vector<size_t> pivot_row_;  // per value; kNone when not a pivot column
  std::vector<bool> is_pivot_row_;
};

// What withholding a set of published values costs the reader, compared in this order: the number of zeros,
// the number of totals (the figures users read first), then the sum of the values withheld (the information
// lost; small values are preferred). A withheld zero protects little: non-negativity bounds the values on a
// cycle with it from one side, and two zeros on a cycle can pin it. In fact no zero is ever taken: the counts
// form a circulation around the sums (a cell carries its count from its row to its column, a column total
// from the column on to the grand total, and so on), so every non-zero value lies on a cycle of non-zero
// values, and a path of non-zero values always exists; counting zeros first makes the search take it.
struct Cost {
  int64_t zeros = 0;
  int64_t totals = 0;
  int64_t sum = 0;

  auto operator<=>(const Cost&) const = default;
};

// The published values to withhold so that the recoverable x_i is no longer recoverable.
//
// The table's sums form a graph: each equation is a node, and each value an edge between the two equations
// it appears in (a value in only one equation, as in a table whose rows overlap, joins that equation to an
// extra node, "ground"). A direction in which the withheld values can all move while every published sum
// stays the same is a cycle of withheld edges, with signs alternating around it (rows on one side, columns
// on the other), so x_i is recoverable exactly when no cycle of withheld edges passes through it. Closing
// one means a path between its two ends that avoids x_i: withheld edges on it cost nothing, published ones
// cost as in Cost. The cheapest such path is withheld (Dijkstra; ties go to the lower-numbered equation and
// value, so the result is deterministic). The linear-algebra check stays the judge: the caller checks again.
std::vector<size_t> CheapestCompletion(const Layout& layout, const System& system,
                                       const std::vector<int64_t>& values, const std::vector<bool>& withheld,
                                       size_t i) {
  const size_t ground = system.equations.size();
  std::vector<std::pair<size_t, size_t>> ends(values.size());
  std::vector<std::vector<size_t>> edges_at(ground + 1);
  for (size_t v = 0; v < values.size(); ++v) {
    const std::vector<size_t>& of = system.equations_of[v];
    if (of.empty() || of.size() > 2) throw std::logic_error("suppression: a value is in 0 or over 2 sums");
    ends[v] = {of[0], of.size() == 2 ? of[1] : ground};
    edges_at[ends[v].first].push_back(v);
    edges_at[ends[v].second].push_back(v);
  }
  auto cost_of = [&](size_t v) {
    if (withheld[v]) return Cost{};
    return Cost{values[v] == 0 ? 1 : 0, layout.IsTotal(v) ? 1 : 0, values[v]};
  };

  const auto [start, target] = ends[i];
  std::vector<std::optional<Cost>> best(ground + 1);
  std::vector<size_t> via(ground + 1, kNone);  // the edge by which the cheapest path reaches a node
  using Entry = std::pair<Cost, size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
  best[start] = Cost{};
  queue.emplace(Cost{}, start);
  while (!queue.empty()) {
    const auto [cost, node] = queue.top();
    queue.pop();
    if (cost != *best[node]) continue;  // a stale entry
    if (node == target) break;
    for (size_t v : edges_at[node]) {
      if (v == i) continue;
      const size_t next = ends[v].first == node ? ends[v].second : ends[v].first;
      const Cost step = cost_of(v);
      const Cost reached{cost.zeros + step.zeros, cost.totals + step.totals, CheckedAdd(cost.sum, step.sum)};
      if (!best[next] || reached < *best[next]) {
        best[next] = reached;
        via[next] = v;
        queue.emplace(reached, next);
      }
    }
  }
  std::vector<size_t> path;
  if (!best[target]) throw std::logic_error("suppression: no cycle can hide a recoverable value");
  for (size_t node = target; node != start;) {
    const size_t v = via[node];
    if (!withheld[v]) path.push_back(v);
    node = ends[v].first == node ? ends[v].second : ends[v].first;
  }
  // A path of withheld values only would make x_i part of a withheld cycle, which the algebra says it is not.
  if (path.empty()) throw std::logic_error("suppression: the algebra and the graph disagree");
  return path;
}

}  // namespace

void Suppress(CountTable& table, const SuppressionSettings& settings) {
  const Layout layout{table.rows.size(), table.columns.size(), table.rows_partition};
  if (table.cells.size() != layout.rows * layout.columns) {
    throw std::invalid_argument(
        "Suppress: table '" + table.id + "' has " + std::to_string(table.cells.size()) + " cells for " +
        std::to_string(layout.rows) + " rows and " + std::to_string(layout.columns) + " columns");
  }

  std::vector<int64_t> values(layout.Size(), 0);
  for (size_t r = 0; r < layout.rows; ++r) {
    for (size_t c = 0; c < layout.columns; ++c) values[layout.Cell(r, c)] = table.Cell(r, c);
    values[layout.RowTotal(r)] = table.RowTotal(r);
  }
  if (layout.partition) {
    for (size_t c = 0; c < layout.columns; ++c) values[layout.ColumnTotal(c)] = table.ColumnTotal(c);
    values[layout.GrandTotal()] = table.Total();
  }

  // Primary: a count below the threshold (1 and 2 with the default 3) is withheld; zero is published.
  std::vector<bool> withheld(values.size(), false);
  bool any = false;
  for (size_t v = 0; v < values.size(); ++v) {
    withheld[v] = values[v] > 0 && values[v] < settings.threshold;
    any = any || withheld[v];
  }

  // Secondary: while some withheld value follows from the published ones, withhold more. Each round withholds
  // at least one published value, so this ends; with everything withheld nothing is recoverable.
  if (any) {
    const System system = BuildSystem(layout);
    for (;;) {
      const Reduction reduction(system, withheld);
      size_t recoverable = kNone;
      // Totals first: a recoverable total can only be covered through another total, and the cycle that
      // closes often covers recoverable cells too, where covering the cells first would cost them extra.
      for (size_t k = 0; k < values.size() && recoverable == kNone; ++k) {
        const size_t v = (k + layout.rows * layout.columns) % values.size();
        if (reduction.Recoverable(v)) recoverable = v;
      }
      if (recoverable == kNone) break;
      for (size_t v : CheapestCompletion(layout, system, values, withheld, recoverable)) withheld[v] = true;
    }
  }

  table.cell_suppressed.assign(withheld.begin(), withheld.begin() + layout.rows * layout.columns);
  table.row_total_suppressed.assign(layout.rows, false);
  for (size_t r = 0; r < layout.rows; ++r) table.row_total_suppressed[r] = withheld[layout.RowTotal(r)];
  table.column_total_suppressed.assign(layout.columns, false);
  table.total_suppressed = false;
  if (layout.partition) {
    for (size_t c = 0; c < layout.columns; ++c)
      table.column_total_suppressed[c] = withheld[layout.ColumnTotal(c)];
    table.total_suppressed = withheld[layout.GrandTotal()];
  }
}

void Suppress(DurationTable& table, const SuppressionSettings& settings) {
  const size_t cells = table.n.cells.size();
  const size_t rows = table.n.rows.size();
  auto check = [&](size_t size, size_t expected, const char* name) {
    if (size != 0 && size != expected) {
      throw std::invalid_argument("Suppress: duration table '" + table.n.id + "' has " +
                                  std::to_string(size) + " " + name + " for " + std::to_string(expected));
    }
  };
  check(table.median.size(), cells, "medians");
  check(table.p90.size(), cells, "90th percentiles");
  check(table.row_median.size(), rows, "row medians");
  check(table.row_p90.size(), rows, "row 90th percentiles");

  Suppress(table.n, settings);
  // A lead time over a withheld group would show that the group is there (and, for a group of one, that
  // person's own lead time), so it goes with its count.
  for (size_t i = 0; i < cells; ++i) {
    if (!table.n.cell_suppressed[i]) continue;
    if (!table.median.empty()) table.median[i].reset();
    if (!table.p90.empty()) table.p90[i].reset();
  }
  for (size_t r = 0; r < rows; ++r) {
    if (!table.n.row_total_suppressed[r]) continue;
    if (!table.row_median.empty()) table.row_median[r].reset();
    if (!table.row_p90.empty()) table.row_p90[r].reset();
  }
}

}  // namespace nysol::followup
