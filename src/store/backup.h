// Operations on a database as a whole (a SQLite file or a PostgreSQL database): schema upgrades, online backups and restores. Each checks
// its input before it writes anything and reports bad input as a Status (never an exception), so the CLI can
// answer a precise message. A file only ever appears under its final name complete and verified: it is
// written beside the target under a temporary name and renamed into place.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/db.h"

namespace nysol::store {

// The highest migration this binary knows.
int KnownSchemaVersion();

// The highest version recorded in `db`'s schema_migrations; 0 for an empty database (no tables at all).
// kInvalidInput when the database has tables but no schema_migrations (not a NySoL database) or when its
// version is newer than KnownSchemaVersion() (written by a newer NySoL: migrating or replaying it here could
// damage it).
Result<int> StoredSchemaVersion(Db& db, const std::string& path);

struct MigrateReport {
  int from = 0;  // the version before
  int to = 0;    // the version after
  std::vector<int> applied;
};

// Applies pending migrations to the database file `path`, creating it when it does not exist (its folder
// must). Refuses a file that is not SQLite, a SQLite file that is not NySoL's and a newer schema, unchanged.
Result<MigrateReport> MigrateSqlite(const std::string& path);

struct BackupReport {
  int64_t events = 0;  // journal events in the copy, each replayed
  int64_t bytes = 0;   // size of the copy
};

// Copies the NySoL database `db_path` to `backup_path` while other connections may be writing: one
// consistent snapshot, integrity-checked and replayed before it is renamed to `backup_path`. Refuses an
// existing `backup_path` unless `force`.
Result<BackupReport> BackupSqlite(const std::string& db_path, const std::string& backup_path, bool force);

struct RestoreReport {
  int64_t events = 0;
  int64_t bytes = 0;
  MigrateReport migrated;
};

// Puts the backup `backup_path` (left untouched) in place as `db_path`: checked (SQLite, integrity, a NySoL
// schema this binary knows, the journal replays), migrated, then renamed over `db_path`, whose stale -wal and
// -shm files are removed first. Refuses an existing `db_path` unless `force`, and refuses (kConflict) while a
// server runs on `db_path` (store/file_lock.h).
Result<RestoreReport> RestoreSqlite(const std::string& backup_path, const std::string& db_path, bool force);

// The same for a PostgreSQL database. A backup is always a SQLite file, written from one REPEATABLE READ
// snapshot with COPY (the database must be at this binary's schema version: migrate first). A restore checks
// the backup as above, then replaces NySoL's tables in the database in one transaction (COPY), refusing a
// database that has tables unless `force`, and replays the result.
Result<MigrateReport> MigratePostgres(const std::string& address);
Result<BackupReport> BackupPostgres(const std::string& address, const std::string& backup_path, bool force);
Result<RestoreReport> RestorePostgres(const std::string& backup_path, const std::string& address, bool force);

// Whichever the address names: a PostgreSQL address or a SQLite file.
Result<MigrateReport> MigrateDatabase(const std::string& address);
Result<BackupReport> BackupDatabase(const std::string& address, const std::string& backup_path, bool force);
Result<RestoreReport> RestoreDatabase(const std::string& backup_path, const std::string& address, bool force);

}  // namespace nysol::store
