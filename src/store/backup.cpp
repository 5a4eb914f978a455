#include "store/backup.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "store/case_store.h"
#include "store/file_lock.h"
#include "store/pg_transfer.h"
#include "store/replay.h"
#include "store/schema.h"
#include "store/sqlite_db.h"

namespace nysol::store {
namespace {

namespace fs = std::filesystem;

// What a file holds, read from its first bytes without SQLite: opening a file with SQLite may already write
// to it (-wal, -shm, the journal mode), and bad input must leave everything as it was.
enum class FileKind { kMissing, kNotRegular, kEmpty, kSqlite, kNotSqlite };

FileKind Inspect(const std::string& path) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return FileKind::kMissing;
  if (!fs::is_regular_file(status)) return FileKind::kNotRegular;
  if (fs::file_size(path, ec) == 0 && !ec) return FileKind::kEmpty;
  static constexpr std::string_view kMagic("SQLite format 3\0", 16);
  std::array<char, 16> header{};
  std::ifstream in(path, std::ios::binary);
  if (!in.read(header.data(), header.size())) return FileKind::kNotSqlite;
  return std::string_view(header.data(), header.size()) == kMagic ? FileKind::kSqlite : FileKind::kNotSqlite;
}

// kInvalidInput unless `path` is a non-empty SQLite file; `what` names its role in the message.
Status RequireSqliteFile(const std::string& path, std::string_view what) {
  switch (Inspect(path)) {
    case FileKind::kMissing:
      return Error(ErrorCode::kNotFound, fmt::format("{} '{}' does not exist", what, path));
    case FileKind::kNotRegular:
      return Error(ErrorCode::kInvalidInput, fmt::format("{} '{}' is not a regular file", what, path));
    case FileKind::kEmpty:
      return Error(ErrorCode::kInvalidInput,
                   fmt::format("{} '{}' is empty, not a NySoL database", what, path));
    case FileKind::kNotSqlite:
      return Error(ErrorCode::kInvalidInput, fmt::format("{} '{}' is not a SQLite database", what, path));
    case FileKind::kSqlite:
      break;
  }
  return Status::Ok();
}

// The folder a new file `path` goes into must exist; the file itself must not, unless `force`.
Status RequireWritableTarget(const std::string& path, std::string_view what, bool force) {
  fs::path target(path);
  fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    return Error(ErrorCode::kNotFound, fmt::format("the folder of {} '{}' does not exist", what, path));
  }
  auto status = fs::status(target, ec);
  if (fs::exists(status)) {
    if (!fs::is_regular_file(status)) {
      return Error(ErrorCode::kInvalidInput,
                   fmt::format("{} '{}' exists and is not a regular file", what, path));
    }
    if (!force) {
      return Error(ErrorCode::kConflict,
                   fmt::format("{} '{}' already exists; add --force to overwrite it", what, path));
    }
  }
  return Status::Ok();
}

// A file beside `target` (same folder, so the rename is atomic on one file system) for this process only.
std::string TemporaryBeside(const std::string& target) {
  return fmt::format("{}.tmp-{}", target, static_cast<long>(getpid()));
}

// Removes `path` and the files SQLite may keep beside it.
void RemoveWithSidecars(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}

// Removes the temporary file on every path out of a function unless released.
class TemporaryFile {
 public:
  explicit TemporaryFile(std::string path) : path_(std::move(path)) { RemoveWithSidecars(path_); }
  ~TemporaryFile() {
    if (!path_.empty()) RemoveWithSidecars(path_);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const std::string& path() const { return path_; }
  void Release() { path_.clear(); }

 private:
  std::string path_;
};

// fsync of a file or folder: the rename must not reach the disk before the data it names, nor be lost after
// we said the backup is done.
Status SyncPath(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error(ErrorCode::kUnavailable, fmt::format("cannot open '{}' to sync it", path));
  int rc = fsync(fd);
  close(fd);
  if (rc != 0) return Error(ErrorCode::kUnavailable, fmt::format("cannot sync '{}' to disk", path));
  return Status::Ok();
}

std::string FolderOf(const std::string& path) {
  auto folder = fs::path(path).parent_path();
  return folder.empty() ? std::string(".") : folder.string();
}

// Renames `from` to `to` durably.
Status RenameInto(const std::string& from, const std::string& to) {
  NYSOL_RETURN_IF_ERROR(SyncPath(from));
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec)
    return Error(ErrorCode::kUnavailable,
                 fmt::format("cannot rename '{}' to '{}': {}", from, to, ec.message()));
  return SyncPath(FolderOf(to));
}

Status IntegrityCheck(Db& db, const std::string& path) {
  auto& st = db.Prepare("PRAGMA integrity_check");
  std::string problems;
  while (st.Step()) {
    std::string line = st.Text(0);
    if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
  }
  st.Reset();
  if (!problems.empty()) {
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("'{}' fails PRAGMA integrity_check: {}", path, problems));
  }
  return Status::Ok();
}

// Whether the SQLite file `path` is NySoL's, asked over a read-only connection: Db::Open switches a
// database to WAL mode, which rewrites the header of someone else's SQLite file.
Status RequireNysolFile(const std::string& path) {
  // A read-only connection to a WAL database cannot remove the -wal and -shm it creates: those it made (the
  // log empty, nothing written) are removed after it closes, so a refused file is left as it was found.
  std::error_code ec;
  bool had_wal = fs::exists(path + "-wal", ec);
  bool had_shm = fs::exists(path + "-shm", ec);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  if (rc == SQLITE_OK) {
    rc =
        sqlite3_prepare_v2(db,
                           "SELECT count(*), coalesce(sum(name = 'schema_migrations'), 0) FROM sqlite_schema "
                           "WHERE type = 'table'",
                           -1, &st, nullptr);
  }
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  int64_t tables = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  bool has_migrations = rc == SQLITE_ROW && sqlite3_column_int64(st, 1) > 0;
  std::string message = db ? sqlite3_errmsg(db) : "out of memory";
  sqlite3_finalize(st);
  sqlite3_close(db);
  if (!had_wal && fs::file_size(path + "-wal", ec) == 0 && !ec) {
    fs::remove(path + "-wal", ec);
    if (!had_shm) fs::remove(path + "-shm", ec);
  }
  if (rc != SQLITE_ROW) {
    return Error(ErrorCode::kInvalidInput, fmt::format("cannot read database '{}': {}", path, message));
  }
  if (tables > 0 && !has_migrations) {
    return Error(
        ErrorCode::kInvalidInput,
        fmt::format("'{}' is a SQLite database but not a NySoL database (no schema_migrations table)", path));
  }
  return Status::Ok();
}

Status UseRollbackJournal(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
  std::string message = db ? sqlite3_errmsg(db) : "out of memory";
  sqlite3_close(db);
  if (rc != SQLITE_OK) {
    return Error(ErrorCode::kUnavailable, fmt::format("cannot finish backup file '{}': {}", path, message));
  }
  return Status::Ok();
}

// Opens an existing database file that Inspect() found to be SQLite and RequireNysolFile() NySoL's (or
// empty).
Result<std::unique_ptr<Db>> OpenExisting(const std::string& path) {
  NYSOL_RETURN_IF_ERROR(RequireNysolFile(path));
  auto db = OpenDb(path);
  if (!db.ok()) return Error(ErrorCode::kInvalidInput, db.status().message());
  return db;
}

// Integrity and a NySoL schema this binary knows; the stored version.
Result<int> CheckCopy(Db& db, const std::string& shown_as) {
  NYSOL_RETURN_IF_ERROR(IntegrityCheck(db, shown_as));
  auto version = StoredSchemaVersion(db, shown_as);
  if (!version.ok()) return version.status();
  if (*version == 0) {
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("'{}' is an empty database, not a NySoL database", shown_as));
  }
  return version;
}

// The journal replays to the stored state. Only for the current schema: the replay builds its state with
// every migration, so an older database would differ in its columns alone.
Result<ReplayReport> Replays(Db& db, const std::string& shown_as) {
  auto report = VerifyReplay(db);
  if (!report.ok()) {
    return Error(report.status().code(),
                 fmt::format("'{}' does not replay: {}", shown_as, report.status().message()));
  }
  return report;
}

// Runs `fn`, turning a StoreError (a broken database, e.g. a journal that cannot be read) into a Status.
template <typename Fn>
auto Guarded(std::string_view what, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const StoreError& e) {
    return Error(ErrorCode::kInternal, fmt::format("{}: {}", what, e.what()));
  }
}

Result<MigrateReport> MigrateOpen(Db& db, const std::string& path) {
  auto from = StoredSchemaVersion(db, path);
  if (!from.ok()) return from.status();
  MigrateReport report;
  report.from = *from;
  Migrate(db);
  auto to = StoredSchemaVersion(db, path);
  if (!to.ok()) return to.status();
  report.to = *to;
  for (const auto& migration : Migrations()) {
    if (migration.version > report.from) report.applied.push_back(migration.version);
  }
  return report;
}

Status RefusePostgres(const std::string& path) {
  if (IsPostgresAddress(path)) {
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("'{}' is a PostgreSQL address; a backup is a SQLite file", RedactAddress(path)));
  }
  return Status::Ok();
}

Result<std::unique_ptr<PgDb>> ConnectPostgres(const std::string& address) {
  auto db = PgDb::Open(address);
  if (!db.ok()) return db.status();
  return db;
}

// The backup file checked and put beside `beside` as a migrated, replayed copy that the caller uses and
// removes: refusals of a bad backup come before anything is written to the target.
struct CheckedBackup {
  std::unique_ptr<TemporaryFile> copy;
  RestoreReport report;
};

Result<CheckedBackup> CheckBackup(const std::string& backup_path, const std::string& beside) {
  NYSOL_RETURN_IF_ERROR(RequireSqliteFile(backup_path, "backup"));
  NYSOL_RETURN_IF_ERROR(RequireNysolFile(backup_path));
  std::error_code ec;
  // A backup is one self-contained file; a write-ahead log beside it means it is in use or was not closed,
  // and copying the file alone would lose what the log holds.
  if (fs::file_size(backup_path + "-wal", ec) > 0 && !ec) {
    return Error(
        ErrorCode::kInvalidInput,
        fmt::format("backup '{}' has a write-ahead log beside it ('{}-wal'): it is in use or was not "
                    "closed cleanly; copy it with nysol backup first",
                    backup_path, backup_path));
  }
  CheckedBackup checked;
  checked.copy = std::make_unique<TemporaryFile>(TemporaryBeside(beside));
  // The backup is copied as bytes and only the copy is opened: opening the backup itself with SQLite would
  // write to it (journal mode, -shm), and a backup must stay as it was made.
  fs::copy_file(backup_path, checked.copy->path(), fs::copy_options::overwrite_existing, ec);
  if (ec) {
    return Error(ErrorCode::kUnavailable,
                 fmt::format("cannot copy '{}' to '{}': {}", backup_path, checked.copy->path(), ec.message()));
  }
  auto status = Guarded(fmt::format("cannot restore '{}'", backup_path), [&]() -> Status {
    auto copy = OpenExisting(checked.copy->path());
    if (!copy.ok()) return copy.status();
    std::string shown_as = fmt::format("backup '{}'", backup_path);
    auto stored = CheckCopy(**copy, shown_as);
    if (!stored.ok()) return stored.status();
    // Migrated before the replay, which builds its state with every migration.
    auto migrated = MigrateOpen(**copy, shown_as);
    if (!migrated.ok()) return migrated.status();
    checked.report.migrated = *migrated;
    auto verified = Replays(**copy, shown_as);
    if (!verified.ok()) return verified.status();
    checked.report.events = verified->events;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return checked;
}

}  // namespace

int KnownSchemaVersion() {
  int known = 0;
  for (const auto& migration : Migrations()) known = std::max(known, migration.version);
  return known;
}

Result<int> StoredSchemaVersion(Db& db, const std::string& path) {
  auto& tables = db.Prepare(
      db.engine() == Engine::kSqlite
          ? "SELECT count(*), coalesce(sum(name = 'schema_migrations'), 0) FROM sqlite_schema "
            "WHERE type = 'table'"
          : "SELECT count(*), count(*) FILTER (WHERE table_name = 'schema_migrations') "
            "FROM information_schema.tables WHERE table_schema = current_schema()");
  tables.Step();
  int64_t table_count = tables.Int(0);
  bool has_migrations = tables.Int(1) > 0;
  tables.Reset();
  if (table_count == 0) return 0;
  if (!has_migrations) {
    return Error(
        ErrorCode::kInvalidInput,
        fmt::format("'{}' is a {} database but not a NySoL database (no schema_migrations table)",
                    RedactAddress(path), db.engine() == Engine::kSqlite ? "SQLite" : "PostgreSQL"));
  }
  auto& st = db.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  st.Step();
  int version = static_cast<int>(st.Int(0));
  st.Reset();
  if (version > KnownSchemaVersion()) {
    return Error(
        ErrorCode::kInvalidInput,
        fmt::format("'{}' has schema version {}, newer than this nysol knows ({}); use a newer nysol",
                    RedactAddress(path), version, KnownSchemaVersion()));
  }
  return version;
}

Result<MigrateReport> MigrateSqlite(const std::string& path) {
  NYSOL_RETURN_IF_ERROR(RefusePostgres(path));
  FileKind kind = Inspect(path);
  if (kind == FileKind::kMissing) {
    NYSOL_RETURN_IF_ERROR(RequireWritableTarget(path, "database", false));
  } else if (kind != FileKind::kEmpty) {
    NYSOL_RETURN_IF_ERROR(RequireSqliteFile(path, "database"));
  }
  return Guarded(fmt::format("cannot migrate '{}'", path), [&]() -> Result<MigrateReport> {
    auto db = kind == FileKind::kSqlite ? OpenExisting(path) : OpenDb(path);
    if (!db.ok()) return db.status();
    return MigrateOpen(**db, path);
  });
}

Result<BackupReport> BackupSqlite(const std::string& db_path, const std::string& backup_path, bool force) {
  NYSOL_RETURN_IF_ERROR(RefusePostgres(db_path));
  NYSOL_RETURN_IF_ERROR(RefusePostgres(backup_path));
  NYSOL_RETURN_IF_ERROR(RequireSqliteFile(db_path, "database"));
  NYSOL_RETURN_IF_ERROR(RequireWritableTarget(backup_path, "backup", force));
  std::error_code ec;
  if (fs::exists(backup_path, ec) && fs::equivalent(db_path, backup_path, ec)) {
    return Error(ErrorCode::kInvalidInput, "the backup cannot be the database itself");
  }
  TemporaryFile temp(TemporaryBeside(backup_path));
  auto verified = Guarded(fmt::format("cannot back up '{}'", db_path), [&]() -> Result<ReplayReport> {
    {
      auto source = OpenExisting(db_path);
      if (!source.ok()) return source.status();
      auto version = StoredSchemaVersion(**source, db_path);
      if (!version.ok()) return version.status();
      if (*version == 0) {
        return Error(ErrorCode::kInvalidInput,
                     fmt::format("'{}' is an empty database, not a NySoL database", db_path));
      }
      // VACUUM INTO rather than the online backup API: it reads the whole database in one read transaction,
      // so in WAL mode it is one consistent snapshot and never blocks the server's writers, whereas
      // sqlite3_backup_step restarts from the beginning whenever another connection writes between steps
      // (or, in one step, holds the same snapshot anyway). It also writes a compact copy without free pages.
      // The file name is bound, not spliced into the SQL.
      (*source)->Prepare("VACUUM INTO ?1").Bind(1, temp.path()).Run();
    }
    std::string shown_as = fmt::format("the copy of '{}'", db_path);
    {
      auto copy = OpenExisting(temp.path());
      if (!copy.ok()) return copy.status();
      auto checked = CheckCopy(**copy, shown_as);
      if (!checked.ok()) return checked.status();
      if (*checked == KnownSchemaVersion()) return Replays(**copy, shown_as);
    }
    // A database not yet migrated (the backup before an upgrade): the backup stays as it was, and a scratch
    // copy of it is migrated to be replayed.
    TemporaryFile scratch(TemporaryBeside(backup_path) + "-check");
    {
      auto copy = OpenExisting(temp.path());
      if (!copy.ok()) return copy.status();
      (*copy)->Prepare("VACUUM INTO ?1").Bind(1, scratch.path()).Run();
    }
    auto migrated = OpenExisting(scratch.path());
    if (!migrated.ok()) return migrated.status();
    Migrate(**migrated);
    return Replays(**migrated, shown_as);
  });
  if (!verified.ok()) return verified.status();
  // The copy's connections are closed, its WAL checkpointed into the file and removed. Switched back to the
  // rollback journal, the backup stays one file: reading it (restore checks it over a read-only connection)
  // then never creates -wal or -shm beside it.
  NYSOL_RETURN_IF_ERROR(UseRollbackJournal(temp.path()));
  NYSOL_RETURN_IF_ERROR(RenameInto(temp.path(), backup_path));
  temp.Release();
  BackupReport report;
  report.events = verified->events;
  report.bytes = static_cast<int64_t>(fs::file_size(backup_path, ec));
  return report;
}

Result<RestoreReport> RestoreSqlite(const std::string& backup_path, const std::string& db_path, bool force) {
  NYSOL_RETURN_IF_ERROR(RefusePostgres(db_path));
  NYSOL_RETURN_IF_ERROR(RefusePostgres(backup_path));
  NYSOL_RETURN_IF_ERROR(RequireSqliteFile(backup_path, "backup"));
  NYSOL_RETURN_IF_ERROR(RequireWritableTarget(db_path, "database", force));
  std::error_code ec;
  if (fs::exists(db_path, ec) && fs::equivalent(db_path, backup_path, ec)) {
    return Error(ErrorCode::kInvalidInput, "the database to restore cannot be the backup itself");
  }
  auto replacing = FileLock::Replacing(db_path);  // held until the file is replaced
  if (!replacing.ok()) return replacing.status();
  auto checked = CheckBackup(backup_path, db_path);
  if (!checked.ok()) return checked.status();
  // Stale -wal/-shm of the database being replaced would otherwise be read as part of the restored file.
  for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(db_path + suffix, ec);
  NYSOL_RETURN_IF_ERROR(RenameInto(checked->copy->path(), db_path));
  checked->copy->Release();
  RestoreReport report = checked->report;
  report.bytes = static_cast<int64_t>(fs::file_size(db_path, ec));
  return report;
}

Result<MigrateReport> MigratePostgres(const std::string& address) {
  auto db = ConnectPostgres(address);
  if (!db.ok()) return db.status();
  return Guarded(fmt::format("cannot migrate '{}'", RedactAddress(address)),
                 [&]() -> Result<MigrateReport> { return MigrateOpen(**db, address); });
}

Result<BackupReport> BackupPostgres(const std::string& address, const std::string& backup_path, bool force) {
  NYSOL_RETURN_IF_ERROR(RefusePostgres(backup_path));
  NYSOL_RETURN_IF_ERROR(RequireWritableTarget(backup_path, "backup", force));
  auto source = ConnectPostgres(address);
  if (!source.ok()) return source.status();
  TemporaryFile temp(TemporaryBeside(backup_path));
  auto verified = Guarded(fmt::format("cannot back up '{}'", RedactAddress(address)), [&]() -> Result<ReplayReport> {
    auto version = StoredSchemaVersion(**source, address);
    if (!version.ok()) return version.status();
    if (*version == 0) {
      return Error(ErrorCode::kInvalidInput,
                   fmt::format("'{}' is an empty database, not a NySoL database", RedactAddress(address)));
    }
    if (*version != KnownSchemaVersion()) {
      return Error(ErrorCode::kInvalidInput,
                   fmt::format("'{}' has schema version {}; run nysol migrate on it first (this nysol knows {})",
                               RedactAddress(address), *version, KnownSchemaVersion()));
    }
    {
      auto copy = SqliteDb::Open(temp.path());
      if (!copy.ok()) return copy.status();
      Migrate(**copy);
      auto copied = CopyPostgresToSqlite(**source, **copy);
      if (!copied.ok()) return copied.status();
    }
    auto copy = OpenExisting(temp.path());
    if (!copy.ok()) return copy.status();
    std::string shown_as = fmt::format("the copy of '{}'", RedactAddress(address));
    auto checked = CheckCopy(**copy, shown_as);
    if (!checked.ok()) return checked.status();
    return Replays(**copy, shown_as);
  });
  if (!verified.ok()) return verified.status();
  NYSOL_RETURN_IF_ERROR(UseRollbackJournal(temp.path()));
  NYSOL_RETURN_IF_ERROR(RenameInto(temp.path(), backup_path));
  temp.Release();
  BackupReport report;
  std::error_code ec;
  report.events = verified->events;
  report.bytes = static_cast<int64_t>(fs::file_size(backup_path, ec));
  return report;
}

Result<RestoreReport> RestorePostgres(const std::string& backup_path, const std::string& address, bool force) {
  NYSOL_RETURN_IF_ERROR(RefusePostgres(backup_path));
  NYSOL_RETURN_IF_ERROR(RequireSqliteFile(backup_path, "backup"));
  auto target = ConnectPostgres(address);
  if (!target.ok()) return target.status();
  std::string shown = RedactAddress(address);
  auto stored = Guarded(fmt::format("cannot read '{}'", shown), [&]() -> Result<int> {
    auto& tables = (*target)->Prepare(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()");
    tables.Step();
    int64_t count = tables.Int(0);
    tables.Reset();
    if (count > 0 && !force) {
      return Error(ErrorCode::kConflict,
                   fmt::format("database '{}' is not empty; add --force to replace NySoL's tables in it", shown));
    }
    if (count > 0) {
      // A server still connected would keep statements prepared against the tables about to be dropped, and
      // answer from them afterwards.
      auto& others = (*target)->Prepare(
          "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
          "AND backend_type = 'client backend'");
      others.Step();
      int64_t connected = others.Int(0);
      others.Reset();
      if (connected > 0) {
        return Error(ErrorCode::kConflict,
                     fmt::format("database '{}' has {} other connection{} (a running nysol serve?); stop them "
                                 "before replacing it",
                                 shown, connected, connected == 1 ? "" : "s"));
      }
    }
    return count > 0 ? StoredSchemaVersion(**target, address) : Result<int>(0);
  });
  if (!stored.ok()) return stored.status();
  fs::path folder = fs::temp_directory_path();
  auto checked = CheckBackup(backup_path, (folder / "nysol-restore.db").string());
  if (!checked.ok()) return checked.status();
  RestoreReport report = checked->report;
  auto copy = OpenDb(checked->copy->path());
  if (!copy.ok()) return copy.status();
  auto copied = Guarded(fmt::format("cannot restore into '{}'", shown), [&]() -> Result<int64_t> {
    return CopySqliteToPostgres(static_cast<SqliteDb&>(**copy), **target);
  });
  if (!copied.ok()) return copied.status();
  // The restored database itself, replayed: proof that the copy is whole.
  auto verified = Guarded(fmt::format("cannot check '{}'", shown), [&]() -> Result<ReplayReport> {
    return Replays(**target, shown);
  });
  if (!verified.ok()) return verified.status();
  report.events = verified->events;
  report.bytes = 0;
  return report;
}

Result<MigrateReport> MigrateDatabase(const std::string& address) {
  return IsPostgresAddress(address) ? MigratePostgres(address) : MigrateSqlite(address);
}

Result<BackupReport> BackupDatabase(const std::string& address, const std::string& backup_path, bool force) {
  return IsPostgresAddress(address) ? BackupPostgres(address, backup_path, force)
                                    : BackupSqlite(address, backup_path, force);
}

Result<RestoreReport> RestoreDatabase(const std::string& backup_path, const std::string& address, bool force) {
  return IsPostgresAddress(address) ? RestorePostgres(backup_path, address, force)
                                    : RestoreSqlite(backup_path, address, force);
}

}  // namespace nysol::store
