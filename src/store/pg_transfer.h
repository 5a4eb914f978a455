// Whole databases between SQLite and PostgreSQL, with COPY: a SQLite backup file into a PostgreSQL database
// (nysol restore, and the demo on PostgreSQL), and a PostgreSQL database into a SQLite backup file (nysol
// backup). A backup is always one SQLite file, whichever database it was taken from, so it can be checked,
// replayed and restored anywhere.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "store/pg_db.h"
#include "store/sqlite_db.h"

namespace nysol::store {

// Replaces NySoL's tables in `to` with the schema and every row of `from` (a NySoL database at the current
// schema version), in one transaction holding the write lock: a failure leaves `to` as it was. Returns the
// number of rows copied.
Result<int64_t> CopySqliteToPostgres(SqliteDb& from, PgDb& to);

// Copies every row of `from` as one consistent snapshot (a REPEATABLE READ transaction: writers go on) into
// `to`, a SQLite database migrated to the same schema version and otherwise empty. Returns the rows copied.
Result<int64_t> CopyPostgresToSqlite(PgDb& from, SqliteDb& to);

}  // namespace nysol::store
