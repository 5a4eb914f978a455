// The access log: one row for every read or write of a person's data, written by the request pipeline after
// the handler has said what it touched. Append-only (a trigger refuses updates).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/user_directory.h"
#include "store/sqlite_db.h"

namespace nysol::access {

struct AccessRecord {
  std::string action;  // read | write
  std::optional<int64_t> person_id;
  std::optional<int64_t> matter_id;
};

class AccessLog {
 public:
  explicit AccessLog(std::string db_path) : db_path_(std::move(db_path)) {}
  // Appends all records of one request in one transaction.
  Status Append(const Principal& who, const std::string& at, const std::string& route,
                const std::string& remote_address, const std::vector<AccessRecord>& records);

 private:
  std::string db_path_;
};

}  // namespace nysol::access
