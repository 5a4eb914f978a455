// Who may replace a SQLite database file: not `nysol restore --force` while a server is running on it. A
// server would go on writing to the file it opened, which the restore has renamed away, and every write after
// the restore would be lost without an error. Each server holds a shared flock(2) on the database file while
// it runs; a restore takes it exclusively, without waiting, for as long as it replaces the file. SQLite's own
// locks are fcntl locks, which flock does not touch. PostgreSQL needs none of this (the restore asks the
// server who is connected).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace nysol::store {

class FileLock {
 public:
  // A server's lock: shared with other servers on the same file. kConflict while a restore replaces it. Taken
  // before the server opens the database, so that the file locked is the file it opens; a missing file is
  // created empty (the store makes it a database).
  static Result<FileLock> Serving(const std::string& db_path);
  // A restore's lock: kConflict while any server holds its lock. A file that does not exist needs none (an
  // empty lock).
  static Result<FileLock> Replacing(const std::string& db_path);

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  // Opens `db_path` (creating it when `create`) and takes flock `operation` (LOCK_SH or LOCK_EX) without
  // waiting; `busy` is the message when another holder is in the way. A file that does not exist and is not
  // to be created gives an empty lock.
  static Result<FileLock> Take(const std::string& db_path, int operation, bool create, std::string_view busy);
  int fd_ = -1;
};

}  // namespace nysol::store
