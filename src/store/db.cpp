#include "store/db.h"

#include <fmt/format.h>

#include "store/pg_db.h"
#include "store/sqlite_db.h"

namespace nysol::store {

bool IsPostgresAddress(std::string_view address) {
  return address.starts_with("postgresql://") || address.starts_with("postgres://");
}

std::string RedactAddress(std::string_view address) {
  if (!IsPostgresAddress(address)) return std::string(address);
  // scheme://user:password@host… → scheme://user:***@host…
  size_t authority = address.find("://") + 3;
  size_t at = address.find('@', authority);
  size_t slash = address.find('/', authority);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
    return std::string(address);
  }
  size_t colon = address.find(':', authority);
  std::string out(address);
  if (colon != std::string_view::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  // password=… among the query parameters
  size_t pw = out.find("password=");
  if (pw != std::string::npos) {
    size_t end = out.find('&', pw);
    out.replace(pw + 9, (end == std::string::npos ? out.size() : end) - pw - 9, "***");
  }
  return out;
}

std::string Db::PayloadIsTrue(std::string_view field) const {
  if (engine() == Engine::kPostgres) return fmt::format("(payload::json ->> '{}') = 'true'", field);
  return fmt::format("json_extract(payload, '$.{}') = 1", field);
}

Result<std::unique_ptr<Db>> OpenDb(const std::string& address) {
  if (IsPostgresAddress(address)) {
    auto db = PgDb::Open(address);
    if (!db.ok()) return db.status();
    return std::unique_ptr<Db>(std::move(*db));
  }
  auto db = SqliteDb::Open(address);
  if (!db.ok()) return db.status();
  return std::unique_ptr<Db>(std::move(*db));
}

namespace {
thread_local std::unique_ptr<Db> thread_db;
thread_local std::string thread_db_address;
thread_local int thread_leases = 0;
}  // namespace

Result<ThreadConnection> ThreadConnection::Get(const std::string& address) {
  bool lost = thread_db && thread_leases == 0 && !thread_db->Usable();
  if (!thread_db || thread_db_address != address || lost) {
    if (thread_leases > 0)
      return Error(ErrorCode::kInternal, "a thread connection to another database is in use");
    thread_db.reset();
    auto opened = OpenDb(address);
    if (!opened.ok()) return opened.status();
    thread_db = std::move(*opened);
    thread_db_address = address;
  }
  ++thread_leases;
  return ThreadConnection(thread_db.get());
}

ThreadConnection::~ThreadConnection() {
  if (!db_) return;
  if (--thread_leases == 0) db_->ResetStatements();
}

}  // namespace nysol::store
