// The access log: one row for every read or write of a person's data, written by the request pipeline after
// the handler has said what it touched. Append-only (a trigger refuses updates).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/user_directory.h"
#include "core/civil_date.h"
#include "store/db.h"

namespace nysol::access {

struct AccessRecord {
  std::string action;  // read | write
  std::optional<int64_t> person_id;
  std::optional<int64_t> matter_id;
  bool outside_unit = false;      // reached by emergency access; the request's reason is logged with it
  bool protected_person = false;  // the person has protected identity
};

struct AccessEntry {
  int64_t id = 0;
  std::string at;  // UTC
  std::string username;
  std::string unit;
  std::string action;
  std::string route;
  std::optional<int64_t> person_id;
  std::optional<int64_t> matter_id;
  std::string remote_address;
  bool emergency = false;
  std::optional<std::string> reason;
  bool outside_unit = false;
  bool protected_person = false;
};

// Which rows to review: by person or by user (or all), within [from, to] as Stockholm dates, newest first.
struct AccessQuery {
  std::optional<int64_t> person_id;
  std::optional<std::string> username;
  Date from;
  Date to;
  int limit = 500;
};

// What a reviewer should look at. Row anomalies point at one log row; "many_persons" counts the distinct
// persons one user read on one (Stockholm) day.
struct AccessAnomaly {
  std::string kind;  // emergency_access | outside_unit | protected_person | many_persons
  std::string username;
  std::string unit;
  Date day;
  std::optional<AccessEntry> entry;  // the row, for row anomalies
  int64_t persons = 0;               // for many_persons
};

class AccessLog {
 public:
  explicit AccessLog(std::string db_path) : db_path_(std::move(db_path)) {}
  // Appends all records of one request in one transaction. `emergency_reason` is set when the request used
  // emergency access; it is logged with the records that needed it.
  Status Append(const Principal& who, const std::string& at, const std::string& route,
                const std::string& remote_address, const std::vector<AccessRecord>& records,
                const std::optional<std::string>& emergency_reason = std::nullopt);

  // The same rows on a connection inside a transaction the caller owns (a write logs itself in its own
  // transaction). Throws store::StoreError.
  static void AppendRows(store::Db& db, const Principal& who, const std::string& at, const std::string& route,
                         const std::string& remote_address, const std::vector<AccessRecord>& records,
                         const std::optional<std::string>& emergency_reason);

  std::vector<AccessEntry> Find(const AccessQuery& query);
  // Anomalies between two Stockholm dates. A user reading more than `many_persons` distinct persons in a day
  // is one.
  std::vector<AccessAnomaly> Anomalies(Date from, Date to, int64_t many_persons);

 private:
  std::string db_path_;
};

}  // namespace nysol::access
