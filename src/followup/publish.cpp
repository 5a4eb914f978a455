#include "followup/publish.h"

#include "followup/suppression.h"

namespace nysol::followup {

void SuppressReport(Report& report, int threshold) {
  report.suppression_threshold = threshold;
  SuppressionSettings settings;
  settings.threshold = threshold;
  for (auto& table : report.counts) {
    if (table.id != "costs_by_item") Suppress(table, settings);
  }
  for (auto& costs : report.counts) {
    if (costs.id != "costs_by_item") continue;
    for (const auto& volumes : report.counts) {
      if (volumes.id != "volumes_by_item" || volumes.split != costs.split) continue;
      costs.cell_suppressed = volumes.cell_suppressed;
      costs.row_total_suppressed = volumes.row_total_suppressed;
      costs.column_total_suppressed = volumes.column_total_suppressed;
      costs.total_suppressed = volumes.total_suppressed;
    }
  }
  for (auto& table : report.durations) Suppress(table, settings);
}

}  // namespace nysol::followup
