// Small-cell suppression: which values of a published table are withheld so that no count below the
// threshold can be read or worked out from what is published. docs/SUPPRESSION.md explains the method for
// the statistician; this header states the contract.
//
// Primary suppression withholds every published value v with 0 < v < threshold. Zero is published: "nobody"
// reveals nothing about any person, and withholding zeros would hide where the service is not used at all.
// Secondary suppression then withholds more values until no withheld value can be recomputed exactly from
// the published ones through the table's sums (rows, columns, totals). That is checked with exact linear
// algebra, not with the rule of thumb "two withheld per row and column", which misses a withheld cell that
// joins two otherwise separate groups of withheld cells.
//
// What it does not protect against (the statistician must know): bounds from non-negativity (a withheld
// value lies between 0 and the sum it is part of), and differencing between two exports of overlapping
// periods or units. Both are described in docs/SUPPRESSION.md.
#pragma once

#include "followup/table.h"

namespace nysol::followup {

struct SuppressionSettings {
  // Values with 0 < value < threshold are withheld. 0 or 1 withholds nothing (internal use only).
  int threshold = 3;
};

// Fills table.cell_suppressed, row_total_suppressed, column_total_suppressed (one flag per column, sized
// even when the rows do not partition) and total_suppressed from scratch; the counts are not changed.
//
// Published values are the cells and the row totals, and, when table.rows_partition, the column totals and
// the grand total. When the rows do not partition, column totals and the grand total are not published at
// all (their flags stay false and the exports must leave them out), so they take no part in the method.
//
// Deterministic: the same table and settings give the same flags. Throws std::invalid_argument when
// table.cells does not have rows × columns entries (a bug upstream), and std::logic_error if an internal
// invariant breaks; either way the table must not be published.
void Suppress(CountTable& table, const SuppressionSettings& settings);

// Suppresses table.n like a count table, then withholds (resets) the median and the 90th percentile of every
// cell whose n is withheld, and row_median/row_p90 of every row whose row total is withheld. An exporter must
// take "withheld" from n's flags, not from an empty optional: the median of a withheld zero is empty either
// way, and showing it differently from other withheld medians would reveal that the count is zero.
// Throws std::invalid_argument when median/p90 (row_median/row_p90) are neither empty nor laid out like
// n.cells (n.rows), and as Suppress(CountTable&) otherwise.
void Suppress(DurationTable& table, const SuppressionSettings& settings);

}  // namespace nysol::followup
