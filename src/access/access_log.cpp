#include "access/access_log.h"

#include <fmt/format.h>

namespace nysol::access {

Status AccessLog::Append(const Principal& who, const std::string& at, const std::string& route,
                         const std::string& remote_address, const std::vector<AccessRecord>& records) {
  if (records.empty()) return Status::Ok();
  thread_local std::unique_ptr<store::SqliteDb> db;
  thread_local std::string db_path;
  try {
    if (!db || db_path != db_path_) {
      auto opened = store::SqliteDb::Open(db_path_);
      if (!opened.ok()) return opened.status();
      db = std::move(*opened);
      db_path = db_path_;
    }
    db->Exec("BEGIN IMMEDIATE");
    for (const auto& record : records) {
      db->Prepare(
            "INSERT INTO access_log (at, username, unit, action, route, person_id, matter_id, remote_address) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
          .Bind(1, at)
          .Bind(2, who.username)
          .Bind(3, who.unit)
          .Bind(4, record.action)
          .Bind(5, route)
          .Bind(6, record.person_id)
          .Bind(7, record.matter_id)
          .Bind(8, remote_address)
          .Run();
    }
    db->Exec("COMMIT");
  } catch (const store::StoreError& e) {
    try {
      db->Exec("ROLLBACK");
    } catch (...) {
    }
    return Error(ErrorCode::kUnavailable, fmt::format("access log: {}", e.what()));
  }
  return Status::Ok();
}

}  // namespace nysol::access
