#include "store/replay.h"

#include <fmt/format.h>

#include "store/case_store.h"
#include "store/projection.h"
#include "store/schema.h"

namespace nysol::store {

std::string DumpTable(Db& db, std::string_view table, int64_t* row_count) {
  // Table names come from ProjectionTables(), never from input; the column list is read from the schema.
  auto& columns = db.Prepare(fmt::format("SELECT * FROM {} LIMIT 0", table));
  columns.Step();
  int count = columns.ColumnCount();
  std::string order;
  for (int i = 1; i <= count; ++i) order += fmt::format("{}{}", i > 1 ? "," : "", i);
  auto& st = db.Prepare(fmt::format("SELECT * FROM {} ORDER BY {}", table, order));
  std::string dump;
  int64_t rows = 0;
  while (st.Step()) {
    ++rows;
    for (int i = 0; i < count; ++i) {
      dump += st.IsNull(i) ? "∅" : st.Text(i);
      dump += i + 1 < count ? '\x1f' : '\n';
    }
  }
  if (row_count) *row_count = rows;
  return dump;
}

Result<ReplayReport> VerifyReplay(Db& source) {
  auto fresh = OpenDb(":memory:");
  if (!fresh.ok()) return fresh.status();
  Db& replica = **fresh;
  Migrate(replica);
  ReplayReport report;
  replica.Exec("BEGIN");
  ForEachEvent(source, [&](const Event& event) {
    Project(replica, event);
    ++report.events;
  });
  replica.Exec("COMMIT");
  for (auto table : ProjectionTables()) {
    int64_t rows = 0;
    std::string stored = DumpTable(source, table, &rows);
    std::string replayed = DumpTable(replica, table);
    if (stored != replayed) {
      size_t at = 0;
      while (at < stored.size() && at < replayed.size() && stored[at] == replayed[at]) ++at;
      size_t line_start = stored.rfind('\n', at == 0 ? 0 : at - 1);
      line_start = line_start == std::string::npos ? 0 : line_start + 1;
      return Error(ErrorCode::kConflict,
                   fmt::format("table '{}' differs from its replay near: {}", table,
                               stored.substr(line_start, stored.find('\n', line_start) - line_start)));
    }
    report.rows_compared += rows;
  }
  return report;
}

}  // namespace nysol::store
