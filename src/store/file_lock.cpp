#include "store/file_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "store/db.h"

namespace nysol::store {

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

Result<FileLock> FileLock::Take(const std::string& db_path, int operation, bool create,
                                std::string_view busy) {
  int fd = create ? ::open(db_path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644)
                  : ::open(db_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT && !create) return FileLock(-1);
    return Error(ErrorCode::kUnavailable, fmt::format("cannot open '{}': {}", db_path, std::strerror(errno)));
  }
  if (::flock(fd, operation | LOCK_NB) != 0) {
    int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) return Error(ErrorCode::kConflict, std::string(busy));
    return Error(ErrorCode::kUnavailable, fmt::format("cannot lock '{}': {}", db_path, std::strerror(error)));
  }
  return FileLock(fd);
}

Result<FileLock> FileLock::Serving(const std::string& db_path) {
  if (IsPostgresAddress(db_path)) return FileLock(-1);
  return Take(
      db_path, LOCK_SH, true,
      fmt::format("'{}' is being replaced by nysol restore; start the server once it is done", db_path));
}

Result<FileLock> FileLock::Replacing(const std::string& db_path) {
  return Take(
      db_path, LOCK_EX, false,
      fmt::format("a nysol serve is running on '{}'; stop it before replacing the database", db_path));
}

}  // namespace nysol::store
